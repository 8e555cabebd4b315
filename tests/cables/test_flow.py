"""The route counts' own maximum flow (setu.cables.flow, on merged country nodes where stations are not
capacitated) against networkx's maximum flow on the reference graph of :func:`flow_network`, on random
networks and on the real pack; and the strait stretches' shortest paths against networkx's Dijkstra."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.cables import route_count
from setu.cables.flow import FlowGraph
from setu.cables.routes import SINK, SOURCE, flow_network
from setu.cables.straits import _length, _vertex, segment_between
from setu.services.cables import CableService
from setu.settings import Settings

from .test_routes import networks

OPTIONS = [(False, None), (True, None), (False, 2), (True, 2), (False, 1)]


def _networkx_count(net, a, b, station_disjoint, max_cables):
    graph = flow_network(net, a, b, station_disjoint=station_disjoint, max_cables=max_cables)
    if SOURCE not in graph or SINK not in graph:
        return 0
    return nx.maximum_flow_value(graph, SOURCE, SINK)


@settings(max_examples=60, deadline=None)
@given(networks(), st.sampled_from(OPTIONS))
def test_counts_equal_networkx_on_random_networks(net, option):
    station_disjoint, max_cables = option
    for a, b in (("AAA", "BBB"), ("CCC", "AAA"), ("DDD", "BBB")):
        assert route_count(net, a, b, station_disjoint=station_disjoint, max_cables=max_cables) == \
            _networkx_count(net, a, b, station_disjoint, max_cables)


def test_flow_graph_by_hand():
    """s->x (2), s->y (1), x->y (1), x->t (1), y->t (2): the cut {x->t, y->t after x->y} carries 3."""
    graph = FlowGraph()
    for u, v, c in (("s", "x", 2), ("s", "y", 1), ("x", "y", 1), ("x", "t", 1), ("y", "t", 2)):
        graph.add_edge(u, v, c)
    assert graph.max_flow("s", "t") == 3
    flow = graph.flow()
    assert flow["s"] == {"x": 2, "y": 1} and flow["y"] == {"t": 2}
    assert FlowGraph().max_flow("s", "t") == 0
    assert graph.max_flow("s", "s") == 0


@pytest.mark.parametrize("pair", [("JPN", "IND"), ("USA", "GBR"), ("SGP", "CHN"), ("EGY", "FRA"), ("AUS", "NZL")])
def test_counts_equal_networkx_on_the_real_network(pack_data_dir, pair):
    net = CableService(Settings(data_dir=pack_data_dir)).network
    for station_disjoint, max_cables in OPTIONS:
        assert route_count(net, *pair, station_disjoint=station_disjoint, max_cables=max_cables) == \
            _networkx_count(net, *pair, station_disjoint, max_cables), (pair, station_disjoint, max_cables)


def _networkx_segment(route, starts, ends):
    """The networkx formulation segment_between replaced: same graph, multi_source_dijkstra."""
    graph = nx.Graph()
    for line in route:
        points = [_vertex(p) for p in line]
        graph.add_nodes_from(points)
        for a, b in pairwise(points):
            if a != b:
                graph.add_edge(a, b, length=_length(a, b))
    snap = {p: min(graph.nodes, key=lambda v: _length(v, _vertex(p))) for p in [*starts, *ends]}
    sources = {snap[p] for p in starts if _length(snap[p], _vertex(p)) <= 1.0}
    targets = {snap[p] for p in ends if _length(snap[p], _vertex(p)) <= 1.0}
    if not sources or not targets:
        return None
    distances, paths = nx.multi_source_dijkstra(graph, sources, weight="length")
    reached = [t for t in targets if t in distances]
    return [paths[min(reached, key=lambda t: (distances[t], t))]] if reached else None


def test_segments_equal_networkx_dijkstra_on_the_real_drawing(pack_data_dir):
    service = CableService(Settings(data_dir=pack_data_dir))
    checked = 0
    for first, second in (("JPN", "IND"), ("SGP", "FRA"), ("USA", "GBR"), ("EGY", "ITA")):
        for cable in service.network.cables_in(first):
            if second not in service.network.countries_of(cable):
                continue
            route = service.routes_drawn.get(cable.id, [])
            starts, ends = service._landings(cable.id, first), service._landings(cable.id, second)
            if not route or not starts or not ends:
                continue
            assert segment_between(route, starts, ends) == _networkx_segment(route, starts, ends), cable.id
            checked += 1
    assert checked >= 15


@settings(max_examples=60, deadline=None)
@given(networks(), st.lists(st.integers(0, 4), max_size=3))
def test_reach_equals_networkx_components(net, cut):
    """reach() by union-find against the connected components of the cable-country graph (networkx)."""
    from setu.cables import reach

    after = net.without([f"c{n}" for n in cut])
    graph = nx.Graph()
    for cable in after.cables.values():
        for s in cable.stations:
            graph.add_edge(("cable", cable.id), ("land", after.stations[s].country))
    expected = {}
    for component in nx.connected_components(graph):
        countries = frozenset(node[1] for node in component if node[0] == "land")
        for country in countries:
            expected[country] = countries - {country}
    assert reach(after) == expected
