"""Advanced logic and AI servers rest on leading-edge fabrication, HBM and advanced packaging, not on all-node
capacity: CSET's stage text says capacity below 10 nm was only in Taiwan and South Korea in 2022, and the cited
split (SIA & BCG 2024: 69 % and 31 %) is the supply; all-node fab capacity (China 24 % first) is a proxy."""

from __future__ import annotations

import pytest

from setu.maps import node_vulnerabilities, single_points_of_failure, to_graph
from setu.maps.graph import essential
from setu.services.maps import MapService


@pytest.fixture(scope="module")
def ict():
    return MapService().load("ict")


@pytest.fixture(scope="module")
def semiconductors():
    return MapService().load("semiconductors")


def shares(supply) -> dict[str, float]:
    return {s.country: s.share for s in supply.shares}


def test_ai_server_chain_runs_through_leading_edge_fab_hbm_and_advanced_packaging(ict):
    graph = to_graph(ict)
    needed = set(essential(graph, "server"))
    assert {"leading-edge-fab", "hbm", "advanced-packaging", "logic-design", "memory-design"} <= needed
    assert "fabrication" not in {n.id for n in ict.nodes}  # the all-node stage no longer feeds the AI stack
    fab = ict.node("leading-edge-fab")
    assert shares(fab.supply) == {"TWN": 0.69, "KOR": 0.31}
    assert fab.supply.citation.confirmed is False and "Emerging Resilience" in fab.supply.citation.source
    assert shares(fab.proxy)["CHN"] == 0.24  # all nodes: kept for context, never ranked
    hbm = ict.node("hbm").supply
    assert shares(hbm) == {"KOR": 0.90, "USA": 0.10}
    assert sum(f.share for f in hbm.firms) == pytest.approx(1.0) and hbm.citation.confirmed is False
    assert {(p.node, p.country) for p in single_points_of_failure(ict, graph, "server", 0.8)} == {("hbm", "KOR")}


def test_china_never_ranks_first_at_a_fabrication_or_packaging_stage_of_the_ai_stack(ict):
    scores = {v.node: v for v in node_vulnerabilities(ict)}
    assert scores["leading-edge-fab"].concentration.top1_country == "TWN"
    assert scores["advanced-packaging"].concentration_score is None and "proxy" in scores["advanced-packaging"].reason
    for node_id in ("leading-edge-fab", "hbm", "advanced-packaging"):
        supply = ict.node(node_id).supply
        assert supply is None or "CHN" not in shares(supply)


def test_the_advanced_logic_chip_map_fabricates_at_the_leading_edge(semiconductors):
    wafer = semiconductors.node("fabricated-wafer")
    assert "solely in Taiwan and South Korea" in wafer.notes  # CSET's own stage text
    assert shares(wafer.supply) == {"TWN": 0.69, "KOR": 0.31}
    proxy = shares(wafer.proxy)
    assert max(proxy, key=proxy.get) == "CHN" and proxy["TWN"] == 0.18
    score = next(v for v in node_vulnerabilities(semiconductors) if v.node == "fabricated-wafer")
    # HHI of 69/31: 69^2 + 31^2 = 4,761 + 961 = 5,722
    assert score.concentration.top1_country == "TWN" and score.concentration.hhi == pytest.approx(5722.0)
