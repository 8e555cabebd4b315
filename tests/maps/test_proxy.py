"""A proxy never outranks a cited figure: a node's `proxy:` (a stand-in such as FDA site counts for all APIs
on one molecule's node) is shown with its label but never scored, ranked or counted as supply."""

from __future__ import annotations

from dataclasses import replace

import pytest

from setu.domain.supply_map import Citation, Share, Supply
from setu.maps import chokepoints, node_vulnerabilities, product_exposure, single_points_of_failure, to_graph
from setu.services.maps import MapService, bundled_map_files
from setu.sources.supply_map import parse_map

MOLECULES = ("paracetamol-api", "amoxicillin-api", "cefazolin-api", "ciclosporin-api", "adrenaline-api",
             "cefmetazole-api", "ampicillin-sulbactam-api", "tazobactam-piperacillin-api")
SITES = Citation("FDA site counts, all APIs", 2025)
REPORT = Citation("a cited molecule-level report", 2023, confirmed=False)


def proxy_supply() -> Supply:
    return Supply(2025, SITES, "share of sites, all APIs (proxy)", (Share("USA", 0.22), Share("IND", 0.21),
                                                                     Share("CHN", 0.20)))


@pytest.fixture(scope="module")
def pharma():
    return MapService().load("pharmaceuticals")


def test_molecule_apis_are_not_ranked_by_the_all_api_site_count(pharma):
    scores = {v.node: v for v in node_vulnerabilities(pharma)}
    graph = to_graph(pharma)
    for node_id in MOLECULES:
        node = pharma.node(node_id)
        assert node.supply is None and node.proxy is not None
        assert node.proxy.shares[0].country == "USA"  # the proxy's leader, which must not be shown as first
        assert scores[node_id].concentration_score is None and "proxy" in scores[node_id].reason
    for product in ("paracetamol-tablets", "amoxicillin-capsules", "cefazolin-injection", "ciclosporin-formulations",
                    "adrenaline-formulations", "cefmetazole-injection", "ampicillin-sulbactam-injection",
                    "tazobactam-piperacillin-injection"):
        assert all(c.node not in MOLECULES for c in chokepoints(pharma, graph, product))
        assert all(p.node not in MOLECULES for p in single_points_of_failure(pharma, graph, product, 0.1))
    # the cited figure is shown where there is one: cefazolin's raw materials, almost all imported, China first
    assert "China" in pharma.node("cefazolin-api").notes and "Shionogi" in pharma.node("cefazolin-api").notes


def test_a_cited_figure_outranks_the_proxy_on_the_same_node(pharma):
    """Give cefazolin API both a cited figure (CHN first) and the proxy (USA first): every ranking follows the
    cited figure, and the USA is never first."""
    cited = Supply(2023, REPORT, "share of supply", (Share("CHN", 0.9), Share("IND", 0.1)))
    nodes = tuple(replace(n, supply=cited, proxy=proxy_supply()) if n.id == "cefazolin-api" else n
                  for n in pharma.nodes)
    both = replace(pharma, nodes=nodes)
    graph = to_graph(both)
    vulnerability = next(v for v in node_vulnerabilities(both) if v.node == "cefazolin-api")
    assert vulnerability.concentration.top1_country == "CHN"
    rows = [c for c in chokepoints(both, graph, "cefazolin-injection") if c.node == "cefazolin-api"]
    assert rows[0].country == "CHN" and {c.country for c in rows} == {"CHN", "IND"}
    singles = {(p.node, p.country, p.basis) for p in single_points_of_failure(both, graph, "cefazolin-injection", 0.8)}
    # the cited world figure, and MHLW's import figure for Japan (read on its own basis), never the proxy
    assert singles == {("cefazolin-api", "CHN", "world supply"), ("beta-lactam-raw-materials-japan", "CHN", "imports of JPN")}
    exposure = product_exposure(both, graph, "cefazolin-injection")
    assert exposure.countries[0].country == "CHN" and "USA" not in {e.country for e in exposure.countries}


@pytest.mark.parametrize("map_id", sorted(bundled_map_files()))
def test_no_bundled_ranking_comes_from_a_proxy(map_id):
    supply_map = MapService().load(map_id)
    proxied = {n.id for n in supply_map.nodes if n.proxy is not None and n.supply is None}
    scored = {v.node for v in node_vulnerabilities(supply_map) if v.concentration_score is not None}
    assert not proxied & scored


def test_a_proxy_block_is_read_and_checked():
    text = """
format: setu-map/1
id: tiny
name: Tiny
sector: pharmaceuticals
version: "1"
sources:
  sites: {source: "site counts", year: 2025}
nodes:
  - id: api
    name: API
    kind: intermediate
    unit: t
    proxy: {year: 2025, measure: share of sites (proxy), source: sites, shares: {USA: 0.5, CHN: 0.5}}
  - id: tablets
    name: Tablets
    kind: end-product
    unit: unit
edges:
  - {input: api, output: tablets, substitutes: no}
"""
    supply_map = parse_map(text, file="tiny.yaml")
    node = supply_map.node("api")
    assert node.supply is None and sorted(s.country for s in node.proxy.shares) == ["CHN", "USA"]
    with pytest.raises(Exception, match="proxy"):
        parse_map(text.replace("shares: {USA: 0.5, CHN: 0.5}", "shares: {USA: 0.5, CHN: 0.5}, colour: red"),
                  file="tiny.yaml")

