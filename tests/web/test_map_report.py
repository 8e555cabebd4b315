"""The HTML report is self-contained and shows the graph, the ranked tables and the sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from setu.maps import to_graph
from setu.services.maps import MapService
from setu.sources.supply_map import load_map
from setu.web.map_report import layout, render_report, risk_colour

MAPS_TESTS = Path(__file__).parents[1] / "maps"


def report_of(supply_map) -> str:
    service = MapService()
    nodes, stages = service.vulnerabilities(supply_map)
    return render_report(supply_map, to_graph(supply_map), nodes, stages, service.products(supply_map))


@pytest.mark.parametrize("map_id", ["semiconductors", "pharmaceuticals"])
def test_report_is_offline_and_complete(map_id):
    supply_map = MapService().load(map_id)
    html = report_of(supply_map)
    assert html.count("<svg") == 1 and html.count("<rect") == len(supply_map.nodes)
    assert not re.search(r"<(script|link|img|iframe)\b", html) and "@import" not in html and "url(" not in html
    for node in supply_map.nodes:
        assert f"<td>{node.id}</td>" in html
    assert "Sources" in html and "confirmed in the primary document" in html


def test_report_of_the_diamond_shows_the_hand_values():
    html = report_of(load_map(MAPS_TESTS / "diamond.yaml"))
    assert "<td>JPN</td><td>80.0%</td><td>left</td><td>80.0%</td>" in html
    assert 'stroke-dasharray="4 3"' in html  # the substitutable edge right -> part


def test_layout_puts_every_node_after_its_inputs():
    graph = to_graph(load_map(MAPS_TESTS / "diamond.yaml"))
    positions = layout(graph)
    assert all(positions[u][0] < positions[v][0] for u, v in graph.edges)


def test_risk_colours():
    assert risk_colour(None) == "#d0d0d0"
    assert risk_colour(0.0) != risk_colour(1.0)
    assert risk_colour(2.0) == risk_colour(1.0)
