"""Invariants on random acyclic maps, and the graph functions against independent peers
(numpy's dense inverse for total requirements, brute-force node removal for structural cuts)."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.domain.supply_map import (
    Citation,
    Edge,
    Node,
    NodeKind,
    Quantity,
    Sector,
    Share,
    Substitutes,
    Supply,
    SupplyMap,
)
from setu.maps import (
    concentration,
    essential,
    hhi,
    node_vulnerabilities,
    product_exposure,
    structural_cuts,
    to_graph,
    total_requirements,
    upstream,
)

COUNTRIES = ("AUS", "CHN", "IND", "JPN", "USA")
CITATION = Citation(source="property test", year=2024)


@st.composite
def share_lists(draw) -> tuple[Share, ...]:
    """Country shares with a total of at most 1."""
    countries = draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=len(COUNTRIES)))
    weights = draw(st.lists(st.floats(0.01, 1.0), min_size=len(countries), max_size=len(countries)))
    coverage = draw(st.floats(0.1, 1.0))
    total = sum(weights) or 1.0
    return tuple(Share(c, w / total * coverage) for c, w in zip(countries, weights, strict=True))


@st.composite
def maps(draw, with_quantities: bool = False) -> SupplyMap:
    """A DAG on nodes 0..n-1 with edges from lower to higher index; node n-1 is the product."""
    size = draw(st.integers(2, 9))
    nodes = []
    for index in range(size):
        shares = draw(share_lists())
        supply = Supply(year=2023, citation=CITATION, measure="production", shares=shares) if shares else None
        nodes.append(
            Node(
                id=f"n{index}",
                name=f"N{index}",
                kind=NodeKind.INTERMEDIATE,
                sector=Sector.ICT,
                unit="t",
                stage=f"s{index % 3}",
                supply=supply,
            )
        )
    edges = []
    for target in range(1, size):
        sources = draw(
            st.lists(st.integers(0, target - 1), unique=True, min_size=1 if target == size - 1 else 0, max_size=3)
        )
        for source in sources:
            quantity = Quantity(draw(st.floats(0.1, 5.0)), "t/t") if with_quantities else None
            edges.append(Edge(f"n{source}", f"n{target}", draw(st.sampled_from(list(Substitutes))), quantity))
    return SupplyMap(id="random", name="Random", sector=Sector.ICT, version="1", nodes=tuple(nodes), edges=tuple(edges))


def product_of(supply_map: SupplyMap) -> str:
    return supply_map.nodes[-1].id


@settings(max_examples=150, deadline=None)
@given(maps())
def test_exposure_bounds(supply_map):
    """0 <= W_c <= D_c <= 1, and D_c is at least c's share at every essential node."""
    graph = to_graph(supply_map)
    product = product_of(supply_map)
    needed = essential(graph, product)
    assert product in needed and needed <= upstream(graph, product)
    exposure = product_exposure(supply_map, graph, product)
    for country in exposure.countries:
        assert 0.0 <= country.weakest_link <= country.any_stage + 1e-12 <= 1.0 + 1e-12
        for node_id in needed:
            supply = supply_map.node(node_id).supply
            for share in supply.shares if supply else ():
                if share.country == country.country:
                    assert country.any_stage >= share.share - 1e-12


@settings(max_examples=100, deadline=None)
@given(maps(), st.data())
def test_raising_a_share_never_lowers_exposure(supply_map, data):
    graph = to_graph(supply_map)
    product = product_of(supply_map)
    candidates = [n for n in supply_map.nodes if n.id in essential(graph, product) and n.supply and n.supply.shares]
    if not candidates:
        return
    node = data.draw(st.sampled_from(candidates))
    target = node.supply.shares[0]
    headroom = 1.0 - node.supply.coverage
    raised = tuple(Share(s.country, s.share + headroom) if s is target else s for s in node.supply.shares)
    changed = SupplyMap(
        id="r",
        name="r",
        sector=Sector.ICT,
        version="1",
        edges=supply_map.edges,
        nodes=tuple(
            Node(**{**n.__dict__, "supply": Supply(2023, CITATION, "production", raised)}) if n.id == node.id else n
            for n in supply_map.nodes
        ),
    )
    before = {e.country: e for e in product_exposure(supply_map, graph, product).countries}[target.country]
    after = {e.country: e for e in product_exposure(changed, graph, product).countries}[target.country]
    assert after.any_stage >= before.any_stage - 1e-12
    assert after.weakest_link >= before.weakest_link - 1e-12


@settings(max_examples=150, deadline=None)
@given(share_lists().filter(bool), st.integers(0, 10), st.floats(0.05, 0.95))
def test_concentration_invariants(shares, pick, fraction):
    """10,000 top1^2 <= HHI <= 10,000 top1; splitting one supplier in two strictly lowers the HHI."""
    conc = concentration(shares)
    assert 10_000 * conc.top1_share**2 - 1e-9 <= conc.hhi <= 10_000 * conc.top1_share + 1e-9
    assert conc.top1_share <= conc.top3_share <= conc.coverage + 1e-12
    values = [s.share for s in shares]
    chosen = values[pick % len(values)]
    split = (
        values[: pick % len(values)] + values[pick % len(values) + 1 :] + [chosen * fraction, chosen * (1 - fraction)]
    )
    assert hhi(split) < hhi(values)


@settings(max_examples=100, deadline=None)
@given(maps())
def test_vulnerability_scores_lie_in_zero_one(supply_map):
    for vulnerability in node_vulnerabilities(supply_map):
        score = vulnerability.concentration_score
        assert score is None or 0.0 <= score <= 1.0 + 1e-12
        assert (score is None) == (vulnerability.concentration is None)


@settings(max_examples=100, deadline=None)
@given(maps(with_quantities=True))
def test_total_requirements_match_the_leontief_inverse(supply_map):
    """Peer: the product's column of (I - A)^-1 computed by numpy on the upstream closure."""
    graph = to_graph(supply_map)
    product = product_of(supply_map)
    closure = sorted(upstream(graph, product))
    index = {node: i for i, node in enumerate(closure)}
    a = np.zeros((len(closure), len(closure)))
    for source, target, data in graph.subgraph(closure).edges(data=True):
        a[index[source], index[target]] = data["quantity"]
    column = np.linalg.inv(np.eye(len(closure)) - a)[:, index[product]]
    ours = total_requirements(graph, product)
    assert ours == pytest.approx({node: column[index[node]] for node in closure}, rel=1e-9)


@settings(max_examples=150, deadline=None)
@given(maps())
def test_structural_cuts_match_brute_force_removal(supply_map):
    """Peer: remove each node and ask networkx whether any other raw source still reaches the product."""
    graph = to_graph(supply_map)
    product = product_of(supply_map)
    sub = graph.subgraph(upstream(graph, product))
    sources = [n for n in sub if sub.in_degree(n) == 0 and n != product]
    expected = set()
    for node in sub:
        if node == product or not sources:
            continue
        rest = sub.subgraph(set(sub) - {node})
        if not any(nx.has_path(rest, s, product) for s in sources if s != node):
            expected.add(node)
    assert set(structural_cuts(graph, product)) == expected


@settings(max_examples=100, deadline=None)
@given(maps(), st.dictionaries(st.sampled_from(COUNTRIES), st.floats(0.0, 1.0)), st.sets(st.integers(0, 8)))
def test_chokepoints_rank_first_and_governance_never_changes_them(supply_map, risk, monopolies):
    """Single-country nodes are chokepoints with or without governance risks, rank before every other node,
    and governance weighting (risk in 0-1) never changes the concentration score or exceeds it."""
    nodes = tuple(
        replace(n, supply=Supply(2023, CITATION, "production", (Share(COUNTRIES[i % len(COUNTRIES)], 1.0),)))
        if i in monopolies else n
        for i, n in enumerate(supply_map.nodes)
    )
    forced = replace(supply_map, nodes=nodes)
    plain, weighted = node_vulnerabilities(forced), node_vulnerabilities(forced, risk)
    expected = {n.id for n in nodes if n.supply is not None and n.supply.shares[0].share >= 0.995}
    assert {v.node for v in plain if v.chokepoint} == {v.node for v in weighted if v.chokepoint} == expected
    flags = [v.chokepoint is not None for v in weighted]
    assert flags == sorted(flags, reverse=True)
    scores = {v.node: v.concentration_score for v in plain}
    for v in weighted:
        assert v.concentration_score == scores[v.node]
        if v.governance_weighted_score is not None:
            assert v.governance_weighted_score <= v.concentration_score + 1e-12
