"""The route counts (SciPy's Dinic maximum flow on numbered nodes, countries merged where stations are not
capacitated) against networkx's maximum flow on the reference graph of :func:`flow_network` and against
brute-force minimum cuts of that graph; the routes read back from SciPy's flow checked route by route; reach
(SciPy's connected components) against networkx's components; the strait stretches (SciPy's Dijkstra)
against networkx's Dijkstra. On random networks and on the real pack."""

from __future__ import annotations

from itertools import combinations, pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.cables import independent_routes, route_count
from setu.cables.routes import SINK, SOURCE, UNBOUNDED, _FlowGraph, _max_flow, flow_network
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


def _brute_force_cut(graph: nx.DiGraph) -> int:
    """The fewest unit-capacity edges whose removal leaves no path from the source to the sink (every other
    edge is unbounded): by max-flow min-cut, the maximum flow."""
    if SOURCE not in graph or SINK not in graph:
        return 0
    units = [(u, v) for u, v, capacity in graph.edges(data="capacity") if capacity is not None]
    assert all(graph.edges[e]["capacity"] == 1 for e in units)
    for size in range(len(units) + 1):
        for cut in combinations(units, size):
            view = nx.restricted_view(graph, [], cut)
            if not nx.has_path(view, SOURCE, SINK):
                return size
    raise AssertionError("the source and sink stay joined by unbounded edges")


@settings(max_examples=40, deadline=None)
@given(networks(), st.sampled_from(OPTIONS))
def test_counts_equal_brute_force_minimum_cuts_of_the_flow_graph(net, option):
    station_disjoint, max_cables = option
    graph = flow_network(net, "AAA", "BBB", station_disjoint=station_disjoint, max_cables=max_cables)
    assert route_count(net, "AAA", "BBB", station_disjoint=station_disjoint, max_cables=max_cables) == \
        _brute_force_cut(graph)


def _check_routes(net, a, b):
    """The routes read back from SciPy's flow: as many as the count, each one or two cables leading from
    ``a`` to ``b`` (the second starting in a country the first lands in), no cable used twice."""
    result = independent_routes(net, a, b)
    assert len(result.paths) == result.cable_disjoint
    used = [cable for path in result.paths for cable in path]
    assert len(used) == len(set(used))
    for path in result.paths:
        assert 1 <= len(path) <= 2, path
        lands = [set(net.countries_of(net.cables[c])) for c in path]
        assert a in lands[0] and b in lands[-1], path
        if len(path) == 2:
            assert lands[0] & lands[1], path
    return result


@settings(max_examples=60, deadline=None)
@given(networks())
def test_routes_read_from_the_flow_on_random_networks(net):
    for a, b in (("AAA", "BBB"), ("CCC", "DDD")):
        _check_routes(net, a, b)


def test_flow_by_hand():
    """s->x (2), s->y (1), x->y (1), x->t (1), y->t (2): the cut {x->t, y->t} carries 3, so both edges out of s
    are full and y passes on 2 (1 from s, 1 from x); an unbounded edge s->t adds a flow it cannot bound."""
    graph = _FlowGraph()
    for u, v, c in (("s", "x", 2), ("s", "y", 1), ("x", "y", 1), ("x", "t", 1), ("y", "t", 2)):
        graph.edge(graph.node(u), graph.node(v), c)
    value, flow = _max_flow(graph, "s", "t", with_flow=True)
    assert value == 3
    assert flow == {"s": {"x": 2, "y": 1}, "x": {"y": 1, "t": 1}, "y": {"t": 2}}
    assert _max_flow(graph, "s", "s") == (0, {})
    assert _max_flow(graph, "s", "absent") == (0, {})
    assert _max_flow(_FlowGraph(), "s", "t") == (0, {})
    s, t = graph.index["s"], graph.index["t"]
    graph.edge(s, t)
    assert _max_flow(graph, "s", "t")[0] == UNBOUNDED + 3  # within int32: the headroom the constant keeps
    graph.edge(s, t)  # parallel unbounded edges stay unbounded; parallel bounded ones add up
    graph.edge(s, graph.index["x"], 5)
    matrix, bounded = graph.matrix()
    assert matrix[s, t] == UNBOUNDED and matrix[s, graph.index["x"]] == 7 and bounded == 12
    assert matrix.nnz == 6


def test_unbounded_is_larger_than_any_flow_on_the_real_network(pack_data_dir):
    """Every flow is at most the number of unit (cable and station) edges; on the whole network, with
    stations capacitated, that is far below the stand-in for "unbounded", and a residual capacity of the
    stand-in plus any flow still fits in int32."""
    net = CableService(Settings(data_dir=pack_data_dir)).everything
    from setu.cables.routes import _flow_graph

    graph, _, _ = _flow_graph(net, "JPN", "IND", station_disjoint=True)
    _, bounded = graph.matrix()
    assert len(net.cables) < bounded < UNBOUNDED // 1000
    assert UNBOUNDED + bounded <= 2**31 - 1


@pytest.mark.parametrize("pair", [("JPN", "IND"), ("USA", "GBR"), ("SGP", "CHN"), ("EGY", "FRA"), ("AUS", "NZL")])
def test_counts_equal_networkx_on_the_real_network(pack_data_dir, pair):
    net = CableService(Settings(data_dir=pack_data_dir)).network
    for station_disjoint, max_cables in OPTIONS:
        assert route_count(net, *pair, station_disjoint=station_disjoint, max_cables=max_cables) == \
            _networkx_count(net, *pair, station_disjoint, max_cables), (pair, station_disjoint, max_cables)
    _check_routes(net, *pair)


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
    """reach() (SciPy's components on countries and cables) against the connected components of the
    station-cable-country graph (networkx)."""
    from setu.cables import reach

    after = net.without([f"c{n}" for n in cut])
    graph = nx.Graph()
    for cable in after.cables.values():
        for s in cable.stations:
            graph.add_edge(("cable", cable.id), ("station", s))
            graph.add_edge(("station", s), ("land", after.stations[s].country))
    expected = {}
    for component in nx.connected_components(graph):
        countries = frozenset(node[1] for node in component if node[0] == "land")
        for country in countries:
            expected[country] = countries - {country}
    assert reach(after) == expected
