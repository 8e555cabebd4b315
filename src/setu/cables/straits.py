"""Chokepoint seas and straits: which cables' routes pass through a narrow sea.

The data allow this only approximately. TeleGeography's route lines are a schematic drawing, not surveyed
positions, and Setu outlines each strait with a longitude–latitude box (:data:`STRAITS`, drawn from
standard charts; boxes include some coast). A cable *passes* a strait when any part of one of its route
lines enters the box (Liang & Barsky 1984 line clipping). Read the results as "drawn through", and check
a cable's own route survey before relying on one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

Point = tuple[float, float]  # (longitude, latitude)
Route = Sequence[Sequence[Point]]  # lines of one cable


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
