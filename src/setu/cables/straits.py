"""Chokepoint seas and straits: which cables' routes pass through a narrow sea.

The data allow this only approximately. TeleGeography's route lines are a schematic drawing, not surveyed
positions, and Setu outlines each strait with a longitude–latitude box (:data:`STRAITS`, drawn from
standard charts; boxes include some coast). A cable *passes* a strait when any part of one of its route
lines enters the box (Liang & Barsky 1984 line clipping). Read the results as "drawn through", and check
a cable's own route survey before relying on one.

A route between two countries uses only the stretch of a cable between them: SeaMeWe-3 joins Japan and India
*and* Europe, but its Japan–India traffic never sees the Strait of Gibraltar. :func:`segment_between` finds
that stretch on the drawing: the drawn lines as a graph (vertices joined where lines share a point, the
antimeridian closed), each landing station snapped to the nearest vertex within :data:`SNAP_DEGREES`, and the
shortest path by length (Dijkstra 1959; lengths on an equirectangular projection, enough to choose between
the branches of one cable) from any station of the one country to any station of the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import count, pairwise
from math import cos, hypot, radians

Point = tuple[float, float]  # (longitude, latitude)
Route = Sequence[Sequence[Point]]  # lines of one cable
#: how far (degrees) a landing station may lie from the drawing and still be placed on it
SNAP_DEGREES = 1.0


@dataclass(frozen=True)
class Strait:
    id: str
    name: str
    west: float
    south: float
    east: float
    north: float

    def contains(self, point: Point) -> bool:
        return self.west <= point[0] <= self.east and self.south <= point[1] <= self.north

    def crossed_by(self, a: Point, b: Point) -> bool:
        """Whether the segment a–b meets the box (Liang–Barsky clipping: the parameter interval of the
        segment inside all four half-planes is not empty)."""
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        for p, q in ((-dx, a[0] - self.west), (dx, self.east - a[0]), (-dy, a[1] - self.south),
                     (dy, self.north - a[1])):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return True


STRAITS: tuple[Strait, ...] = (
    Strait("malacca", "Strait of Malacca", 98.0, 1.5, 102.5, 5.5),
    Strait("singapore", "Singapore Strait", 103.4, 1.0, 104.6, 1.5),
    Strait("sunda", "Sunda Strait", 105.0, -6.6, 106.2, -5.6),
    Strait("luzon", "Luzon Strait", 119.5, 19.0, 122.0, 22.0),
    Strait("taiwan", "Taiwan Strait", 118.5, 22.6, 120.2, 25.3),
    Strait("korea", "Korea (Tsushima) Strait", 128.5, 33.6, 130.3, 35.0),
    Strait("bab-el-mandeb", "Bab-el-Mandeb", 42.6, 11.8, 44.0, 13.6),
    Strait("red-sea", "Red Sea", 34.5, 16.0, 40.5, 27.0),
    Strait("suez", "Suez / Egyptian crossing", 29.5, 29.5, 33.5, 31.7),
    Strait("hormuz", "Strait of Hormuz", 55.6, 25.6, 57.2, 27.0),
    Strait("gibraltar", "Strait of Gibraltar", -6.1, 35.75, -5.3, 36.2),
    Strait("dover", "Strait of Dover", 1.0, 50.75, 2.0, 51.2),
)


def passes(route: Route, strait: Strait) -> bool:
    for line in route:
        if len(line) == 1 and strait.contains(line[0]):
            return True
        if any(strait.crossed_by(a, b) for a, b in pairwise(line)):
            return True
    return False


@dataclass(frozen=True)
class StraitExposure:
    strait: str
    name: str
    cables: tuple[str, ...]  # cable ids drawn through the strait
    share: float  # of the cables with a route drawn
    all_routes: bool  # every cable with a route passes: the set depends on this strait


def strait_exposure(cable_ids: Iterable[str], routes: Mapping[str, Route],
                    straits: Sequence[Strait] = STRAITS) -> tuple[list[StraitExposure], tuple[str, ...]]:
    """For a set of cables, each strait their routes pass (most cables first), and the cable ids with no
    route drawn (left out of the shares)."""
    ids = list(dict.fromkeys(cable_ids))
    drawn = [c for c in ids if routes.get(c)]
    missing = tuple(c for c in ids if not routes.get(c))
    rows = []
    for strait in straits:
        through = tuple(c for c in drawn if passes(routes[c], strait))
        if through:
            rows.append(StraitExposure(strait.id, strait.name, through, len(through) / len(drawn),
                                       len(through) == len(drawn)))
    return sorted(rows, key=lambda r: (-len(r.cables), r.strait)), missing


def _vertex(point: Sequence[float]) -> Point:
    """A vertex key: rounded, with longitude -180 and 180 made one (lines are cut at the antimeridian)."""
    longitude = 180.0 if abs(point[0]) >= 179.9999 else float(point[0])
    return round(longitude, 4), round(float(point[1]), 4)


def _length(a: Point, b: Point) -> float:
    step = abs(a[0] - b[0])
    return hypot(min(step, 360 - step) * cos(radians((a[1] + b[1]) / 2)), a[1] - b[1])


def segment_between(route: Route, starts: Iterable[Point], ends: Iterable[Point]) -> Route | None:
    """The stretch of a drawn cable between any of ``starts`` and any of ``ends`` (landing stations of two
    countries), as one line; None when a station is not on the drawing or the drawing does not join them."""
    graph: dict[Point, dict[Point, float]] = {}  # vertex -> neighbour -> length
    for line in route:
        points = [_vertex(p) for p in line]
        for point in points:
            graph.setdefault(point, {})
        for a, b in pairwise(points):
            if a != b:
                graph[a][b] = graph[b][a] = _length(a, b)
    if not graph:
        return None

    def snapped(points: Iterable[Point]) -> set[Point]:
        found = set()
        for point in points:
            nearest = min(graph, key=lambda v: _length(v, _vertex(point)))
            if _length(nearest, _vertex(point)) <= SNAP_DEGREES:
                found.add(nearest)
        return found

    sources, targets = snapped(starts), snapped(ends)
    if not sources or not targets:
        return None
    distances, previous = _dijkstra(graph, sources)
    reached = [t for t in targets if t in distances]
    if not reached:
        return None
    vertex: Point | None = min(reached, key=lambda t: (distances[t], t))
    path: list[Point] = []
    while vertex is not None:
        path.append(vertex)
        vertex = previous[vertex]
    return [path[::-1]]


def _dijkstra(graph: Mapping[Point, Mapping[Point, float]],
              sources: Iterable[Point]) -> tuple[dict[Point, float], dict[Point, Point | None]]:
    """Shortest distances from the nearest of ``sources`` and each vertex's predecessor on its shortest
    path (None for a source); a path is replaced only by a strictly shorter one, ties going to the path
    found first."""
    distances: dict[Point, float] = {}
    seen: dict[Point, float] = {}
    previous: dict[Point, Point | None] = {}
    order = count()
    heap: list[tuple[float, int, Point]] = []
    for source in sources:
        seen[source] = 0.0
        previous[source] = None
        heappush(heap, (0.0, next(order), source))
    while heap:
        distance, _, u = heappop(heap)
        if u in distances:
            continue
        distances[u] = distance
        for v, length in graph[u].items():
            through = distance + length
            if v not in distances and (v not in seen or through < seen[v]):
                seen[v] = through
                previous[v] = u
                heappush(heap, (through, next(order), v))
    return distances, previous
