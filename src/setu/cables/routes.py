"""Routes between countries: direct cables by destination, and the number of independent routes.

The route counts are maximum flows on a capacitated directed graph (:func:`flow_network` builds it as a
networkx graph, for inspection and as the reference the tests and benchmarks/cable_routes.py compare
against): each cable is one unit of capacity (split into ``cable-in -> cable-out``), so a cable cut
anywhere is lost as a whole; stations reach the cables that land at them; the stations of one country are
linked over land (national backhaul, assumed present; cross-border land links are not modelled). With
``station_disjoint`` every landing station is also one unit of capacity. :func:`segment_graph` (landing
stations as nodes, one edge per cable segment; a cable joins every pair of its stations, since
TeleGeography does not list segments in order) is for drawing and inspection.

The number of independent routes between countries A and B is the maximum flow from all of A's stations
to all of B's stations (Menger's theorem: the maximum number of paths that share no cable — and, when
``station_disjoint``, no landing station). It is computed by :mod:`setu.cables.flow` (Dinic's algorithm on
integer nodes). Where stations are not capacitated, the stations of a country and its land node are joined
by unbounded edges both ways, so no finite cut separates them and they are merged into one node per
country: the same maximum flow on a graph of countries and cables. The paths are read back from the flow.

Routes of any length include ones around the world (Japan–United States–Europe–India). ``max_cables=2``
keeps the routes of at most two cables, i.e. direct or through one transit country: the network is
restricted to the cables landing in A or in B, and the maximum flow there equals the number of disjoint
routes of at most two cables, because any route in it contains one (take the first cable landing in B and,
unless it also lands in A, the cable before it, which must land in A).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from setu.cables.flow import FlowGraph
from setu.cables.model import Cable, CableNetwork
from setu.errors import ValidationError

if TYPE_CHECKING:
    import networkx as nx

SOURCE, SINK = ("source",), ("sink",)


@dataclass(frozen=True)
class DestinationRoutes:
    """The cables landing in both ``country`` and ``destination``."""

    country: str
    destination: str
    cables: tuple[str, ...]  # cable ids, by name


@dataclass(frozen=True)
class IndependentRoutes:
    """Independent routes between two countries. ``cable_disjoint``: routes sharing no cable (a cut of
    any one cable breaks at most one); ``station_disjoint``: routes sharing no cable and no landing station.
    The first two counts are for routes of at most two cables (direct or through one transit country),
    the ``any_length`` ones for routes of any length. ``paths`` lists one set of cable-disjoint routes of
    at most two cables that attains the count, each as the cable ids it uses, in order."""

    country: str
    other: str
    direct_cables: tuple[str, ...]
    cable_disjoint: int
    station_disjoint: int
    cable_disjoint_any_length: int
    station_disjoint_any_length: int
    paths: tuple[tuple[str, ...], ...]


def segment_graph(network: CableNetwork) -> nx.MultiGraph:
    """Stations as nodes (attributes ``country``, ``name``); one edge keyed by cable id for every pair of
    stations a cable joins."""
    import networkx as nx

    graph = nx.MultiGraph()
    for station in network.stations.values():
        graph.add_node(station.id, country=station.country, name=station.name)
    for cable in network.cables.values():
        for i, a in enumerate(cable.stations):
            for b in cable.stations[i + 1:]:
                graph.add_edge(a, b, key=cable.id)
    return graph


def routes_by_destination(network: CableNetwork, country: str) -> list[DestinationRoutes]:
    """For every other country reached by a cable from ``country``, the cables that land in both;
    most cables first, then by ISO3."""
    by_destination: dict[str, list[Cable]] = defaultdict(list)
    for cable in network.cables_in(country):
        for other in network.countries_of(cable):
            if other != country:
                by_destination[other].append(cable)
    rows = [DestinationRoutes(country, other, tuple(c.id for c in cables)) for other, cables in by_destination.items()]
    return sorted(rows, key=lambda r: (-len(r.cables), r.destination))


def direct_cables(network: CableNetwork, a: str, b: str) -> tuple[str, ...]:
    """Ids of the cables landing in both countries, by name."""
    return tuple(c.id for c in network.cables_in(a) if b in network.countries_of(c))


def _within(network: CableNetwork, a: str, b: str, max_cables: int | None) -> list[Cable]:
    if max_cables is None:
        return list(network.cables.values())
    if max_cables not in (1, 2):
        raise ValidationError(f"max_cables must be 1, 2 or None (any length), not {max_cables}")
    in_a = network.landing_in(a)
    if max_cables == 1:
        return [cable for cable in in_a if b in network.countries_of(cable)]
    from_a = {cable.id for cable in in_a}
    return [*in_a, *(cable for cable in network.landing_in(b) if cable.id not in from_a)]


def flow_network(network: CableNetwork, a: str, b: str, *, station_disjoint: bool = False,
                 max_cables: int | None = None) -> nx.DiGraph:
    """The capacitated directed graph whose maximum ``source -> sink`` flow is the number of independent
    routes from country ``a`` to country ``b`` of at most ``max_cables`` cables (None: any length; see the
    module docstring). Edges without a ``capacity`` attribute have infinite capacity in networkx. The counts
    themselves are computed on :func:`_flow_graph`, which has the same maximum flow."""
    import networkx as nx

    graph = nx.DiGraph()
    cables = _within(network, a, b, max_cables)
    used = {s for cable in cables for s in cable.stations}

    def station_in(s: str) -> tuple[str, ...]:
        return ("station", s, "in") if station_disjoint else ("station", s)

    def station_out(s: str) -> tuple[str, ...]:
        return ("station", s, "out") if station_disjoint else ("station", s)

    for s in used:
        country = network.stations[s].country
        if station_disjoint:
            graph.add_edge(station_in(s), station_out(s), capacity=1)
        graph.add_edge(station_out(s), ("land", country))
        graph.add_edge(("land", country), station_in(s))
        if country == a:
            graph.add_edge(SOURCE, station_in(s))
        if country == b:
            graph.add_edge(station_out(s), SINK)
    for cable in cables:
        graph.add_edge(("cable", cable.id, "in"), ("cable", cable.id, "out"), capacity=1)
        for s in cable.stations:
            graph.add_edge(station_out(s), ("cable", cable.id, "in"))
            graph.add_edge(("cable", cable.id, "out"), station_in(s))
    return graph


def _flow_graph(network: CableNetwork, a: str, b: str, *, station_disjoint: bool = False,
                max_cables: int | None = None) -> tuple[FlowGraph, Hashable, Hashable]:
    """The graph of :func:`flow_network` for :mod:`setu.cables.flow`, with its source and sink. Without
    ``station_disjoint`` a country's stations and land node are one node ``("land", country)`` (see the
    module docstring), which is then the source (country ``a``) or the sink (``b``)."""
    graph = FlowGraph()
    cables = _within(network, a, b, max_cables)
    if not station_disjoint:
        for cable in cables:
            cable_in, cable_out = graph.node(("cable", cable.id, "in")), graph.node(("cable", cable.id, "out"))
            graph.add_indexed(cable_in, cable_out, 1)
            for country in network.countries_of(cable):
                land = graph.node(("land", country))
                graph.add_indexed(land, cable_in)
                graph.add_indexed(cable_out, land)
        return graph, ("land", a), ("land", b)
    stations = network.stations
    used = {s for cable in cables for s in cable.stations}
    for s in sorted(used):
        country = stations[s].country
        station_in, station_out = graph.node(("station", s, "in")), graph.node(("station", s, "out"))
        land = graph.node(("land", country))
        graph.add_indexed(station_in, station_out, 1)
        graph.add_indexed(station_out, land)
        graph.add_indexed(land, station_in)
        if country == a:
            graph.add_indexed(graph.node(SOURCE), station_in)
        if country == b:
            graph.add_indexed(station_out, graph.node(SINK))
    for cable in cables:
        cable_in, cable_out = graph.node(("cable", cable.id, "in")), graph.node(("cable", cable.id, "out"))
        graph.add_indexed(cable_in, cable_out, 1)
        for s in cable.stations:
            graph.add_indexed(graph.index[("station", s, "out")], cable_in)
            graph.add_indexed(cable_out, graph.index[("station", s, "in")])
    return graph, SOURCE, SINK


def route_count(network: CableNetwork, a: str, b: str, *, station_disjoint: bool = False,
                max_cables: int | None = None) -> int:
    """Maximum number of routes from ``a`` to ``b`` of at most ``max_cables`` cables that share no cable
    (and no station when ``station_disjoint``)."""
    if a == b:
        return 0
    graph, source, sink = _flow_graph(network, a, b, station_disjoint=station_disjoint, max_cables=max_cables)
    return graph.max_flow(source, sink)


def _paths_from_flow(flow: dict, source: Hashable = SOURCE, sink: Hashable = SINK) -> list[tuple[str, ...]]:
    """Read unit routes back from an integral flow: follow positive flow from the source to the sink, using
    each unit once; a loop met on the way (a circulation, harmless to the count) is cut out of the route.
    A route is the sequence of cables it crosses."""
    remaining = {u: {v: int(f) for v, f in targets.items() if f > 0} for u, targets in flow.items()}
    paths: list[tuple[str, ...]] = []
    while remaining.get(source):
        walk = [source]
        while walk[-1] != sink:
            node = walk[-1]
            nxt = next(iter(remaining[node]))
            remaining[node][nxt] -= 1
            if not remaining[node][nxt]:
                del remaining[node][nxt]
            if nxt in walk:
                del walk[walk.index(nxt) + 1:]
            else:
                walk.append(nxt)
        paths.append(tuple(n[1] for n in walk if n[0] == "cable" and n[2] == "out"))
    return sorted(paths, key=lambda p: (len(p), p))


def independent_routes(network: CableNetwork, a: str, b: str) -> IndependentRoutes:
    """Direct cables, cable-disjoint and station-disjoint route counts, and one set of cable-disjoint
    routes that attains the count."""
    direct = direct_cables(network, a, b)
    paths: list[tuple[str, ...]] = []
    cable_count = 0
    if a != b:
        graph, source, sink = _flow_graph(network, a, b, max_cables=2)
        cable_count = graph.max_flow(source, sink)
        if cable_count:
            paths = _paths_from_flow(graph.flow(), source, sink)
    return IndependentRoutes(
        country=a,
        other=b,
        direct_cables=direct,
        cable_disjoint=cable_count,
        station_disjoint=route_count(network, a, b, station_disjoint=True, max_cables=2),
        cable_disjoint_any_length=route_count(network, a, b),
        station_disjoint_any_length=route_count(network, a, b, station_disjoint=True),
        paths=tuple(paths),
    )
