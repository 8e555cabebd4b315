"""Routes on the hand-drawn network (tests/cables/networks.py), counted by hand, and property tests
against brute-force minimum cuts (Menger's theorem) on random small networks."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.cables import (
    Cable,
    CableNetwork,
    LandingStation,
    direct_cables,
    independent_routes,
    route_count,
    routes_by_destination,
    segment_graph,
)
from setu.errors import ValidationError

from .networks import hand_network


def test_direct_cables_and_destinations():
    net = hand_network().in_service()
    assert direct_cables(net, "JPN", "IND") == ("b", "f")
    rows = {r.destination: r.cables for r in routes_by_destination(net, "JPN")}
    assert rows == {"SGP": ("a", "b"), "IND": ("b", "f"), "USA": ("e",)}
    # the planned cable P (jp2-in2) is left out unless asked for
    assert direct_cables(hand_network(), "JPN", "IND") == ("b", "f", "p")


def test_japan_india_by_hand():
    """Cable-disjoint: F and B direct, and A then C (via Singapore's sg1) or A then D (over Singapore's
    land from sg1 to sg2): A can serve only one, so 3; E leads only to the US. Station-disjoint: Japan
    has two stations, so at most 2 (F from jp1, B from jp2)."""
    net = hand_network().in_service()
    result = independent_routes(net, "JPN", "IND")
    assert result.cable_disjoint == 3
    assert result.station_disjoint == 2
    assert result.cable_disjoint_any_length == 3
    assert result.station_disjoint_any_length == 2
    assert len(result.paths) == 3
    assert set(result.paths[:2]) == {("b",), ("f",)}
    assert result.paths[2] in {("a", "c"), ("a", "d")}
    used = [c for path in result.paths for c in path]
    assert len(used) == len(set(used))


def test_cutting_shared_cable_and_the_us():
    net = hand_network().in_service()
    assert route_count(net.without(["a"]), "JPN", "IND") == 2
    assert route_count(net.without(["b", "f"]), "JPN", "IND") == 1
    assert route_count(net, "JPN", "USA") == 1
    assert route_count(net, "IND", "USA") == 1  # through Japan's land link jp2/jp1 -> E
    assert route_count(net, "IND", "USA", max_cables=2) == 1  # F then E, transit Japan
    assert route_count(net, "SGP", "USA", max_cables=1) == 0
    assert route_count(net, "JPN", "JPN") == 0
    with pytest.raises(ValidationError):
        route_count(net, "JPN", "IND", max_cables=3)


def test_segment_graph_joins_every_pair_of_a_cables_stations():
    graph = segment_graph(hand_network().in_service())
    assert graph.number_of_edges() == 1 + 3 + 1 + 1 + 1 + 1  # B joins three stations: three segments
    assert set(graph["jp2"]["in1"]) == {"b"}


# ----- properties against brute force ----------------------------------------------------------------

@st.composite
def networks(draw):
    countries = ["AAA", "BBB", "CCC", "DDD"]
    stations = {}
    for country in countries:
        for n in range(draw(st.integers(1, 2))):
            stations[f"{country.lower()}{n}"] = LandingStation(f"{country.lower()}{n}", country, country)
    ids = sorted(stations)
    cables = {}
    for n in range(draw(st.integers(1, 5))):
        landing = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True))
        cables[f"c{n}"] = Cable(f"c{n}", f"C{n}", tuple(landing))
    return CableNetwork(cables, stations)


def _connected(net: CableNetwork, a: str, b: str, removed: set) -> bool:
    graph = nx.Graph()
    graph.add_nodes_from(["s", "t"])
    for cable in net.cables.values():
        if cable.id in removed:
            continue
        for s in cable.stations:
            if s not in removed:
                graph.add_edge(("c", cable.id), s)
    for s, station in net.stations.items():
        if s in removed:
            continue
        graph.add_edge(s, ("land", station.country))
        if station.country == a:
            graph.add_edge("s", s)
        if station.country == b:
            graph.add_edge(s, "t")
    return nx.has_path(graph, "s", "t")


def _min_cut(net: CableNetwork, a: str, b: str, pool: list[str]) -> int:
    for size in range(len(pool) + 1):
        if any(not _connected(net, a, b, set(cut)) for cut in combinations(pool, size)):
            return size
    raise AssertionError("unreachable")


@settings(max_examples=30, deadline=None)
@given(networks())
def test_counts_equal_brute_force_minimum_cuts(net):
    """Menger: the maximum number of cable-disjoint (station-and-cable-disjoint) routes equals the
    fewest cables (cables and stations) whose loss separates the two countries."""
    cables = sorted(net.cables)
    assert route_count(net, "AAA", "BBB") == _min_cut(net, "AAA", "BBB", cables)
    assert route_count(net, "AAA", "BBB", station_disjoint=True) == _min_cut(
        net, "AAA", "BBB", cables + sorted(net.stations))


def _short_routes(net: CableNetwork, a: str, b: str) -> list[frozenset[str]]:
    routes = []
    countries = {c.id: set(net.countries_of(c)) for c in net.cables.values()}
    for c, lands in countries.items():
        if a in lands and b in lands:
            routes.append(frozenset([c]))
    for c1, c2 in combinations(countries, 2):
        for first, second in ((c1, c2), (c2, c1)):
            if a in countries[first] and b in countries[second] and countries[first] & countries[second]:
                routes.append(frozenset([first, second]))
    return routes


def _packing(routes: list[frozenset[str]]) -> int:
    best = 0
    for size in range(1, len(routes) + 1):
        if any(all(x.isdisjoint(y) for x, y in combinations(chosen, 2)) for chosen in combinations(routes, size)):
            best = size
        else:
            break
    return best


@settings(max_examples=30, deadline=None)
@given(networks())
def test_two_cable_count_equals_brute_force_packing(net):
    """Routes of at most two cables: the flow on the restricted network equals the largest set of
    pairwise cable-disjoint routes enumerated one by one (a cable to B, or two cables meeting in a country)."""
    assert route_count(net, "AAA", "BBB", max_cables=2) == _packing(_short_routes(net, "AAA", "BBB"))


@settings(max_examples=30, deadline=None)
@given(networks(), st.data())
def test_invariants(net, data):
    any_length = route_count(net, "AAA", "BBB")
    short = route_count(net, "AAA", "BBB", max_cables=2)
    direct = len(direct_cables(net, "AAA", "BBB"))
    assert direct == route_count(net, "AAA", "BBB", max_cables=1)
    assert direct <= short <= any_length
    assert route_count(net, "AAA", "BBB", station_disjoint=True) <= any_length
    assert route_count(net, "BBB", "AAA") == any_length  # symmetric
    victim = data.draw(st.sampled_from(sorted(net.cables)))
    assert any_length - 1 <= route_count(net.without([victim]), "AAA", "BBB") <= any_length
