"""Cut scenarios: "cables X and Y are cut", "landing station S is lost" — who loses routes, who is cut off,
and how long until the cables are back.

A cut cable is lost as a whole (segments are not known, see :mod:`setu.cables.model`); a lost station
takes every cable's landing there out, and the cables keep their other stations. Route counts are the
cable-disjoint routes of at most two cables (direct or through one transit country) of
:mod:`setu.cables.routes`, before and after. Whether two countries can still reach each other at all, by
routes of any length, is read from the connected components of the same network (stations, cables,
national backhaul), found by merging the countries each cable joins (union–find).

Repair time is an assumption, not a result: :data:`TYPICAL_REPAIR` states it with its source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from setu.cables.model import CableNetwork
from setu.cables.routes import route_count


@dataclass(frozen=True)
class RepairAssumption:
    days_per_cable: int
    source: str
    year: int
    url: str
    confirmed: bool
    note: str


#: The typical time to repair one cable fault. SubTel Forum's Submarine Telecoms Industry Report (2020),
#: section 4.2, reports the average time to repair a reported fault falling from about 30 days over
#: 2013–2019; Setu takes 30 days per cut cable as the base case. The figure is the report's summary of
#: faults reported in the press, not an operator's measured mean, hence ``confirmed=False``.
TYPICAL_REPAIR = RepairAssumption(
    days_per_cable=30,
    source="SubTel Forum, Submarine Telecoms Industry Report, section 4.2 'Reporting trends and repair times' "
    "(average reported repair time, 2013-2019)",
    year=2020,
    url="https://subtelforum.com/submarine-telecoms-industry-report-section-4-2-reporting-trends-and-repair-times/",
    confirmed=False,
    note="Cables are assumed repaired in parallel, each within the typical time, which needs a free repair "
    "ship and a permit for each; several faults in one region at once queue for the few ships and take "
    "longer. A lost landing station is not a cable repair: no restoration time is assumed for it.",
)


@dataclass(frozen=True)
class PairImpact:
    country: str
    other: str
    direct_before: int
    direct_after: int
    routes_before: int | None  # cable-disjoint routes of at most two cables (direct or one transit country)
    routes_after: int | None  # None where not computed (see :func:`cut`)
    reachable_after: bool  # any route at all, of any length, after the cut

    @property
    def loses_all_routes(self) -> bool:
        return bool(self.routes_before) and self.routes_after == 0

    @property
    def loses_all_direct(self) -> bool:
        return self.direct_before > 0 and self.direct_after == 0


@dataclass(frozen=True)
class ReachLoss:
    """A country that can no longer reach some countries at all (no route of any length)."""

    country: str
    unreachable: tuple[str, ...]  # ISO3, sorted
    isolated: bool  # reaches no other country any more


@dataclass(frozen=True)
class CutResult:
    cut_cables: tuple[str, ...]
    lost_stations: tuple[str, ...]
    affected_countries: tuple[str, ...]
    pairs: tuple[PairImpact, ...]
    reach_losses: tuple[ReachLoss, ...]
    repair: RepairAssumption
    restoration_days: int | None  # when the last cut cable is back (None: nothing to repair, or stations lost)


def reach(network: CableNetwork) -> dict[str, frozenset[str]]:
    """For every country with a landing station in use, the other countries it can reach over any chain of
    cables and national backhaul (connected components of the station–cable–country graph: a cable joins
    the countries it lands in, a country's backhaul joins its stations)."""
    parent: dict[str, str] = {}

    def root(country: str) -> str:
        while parent[country] != country:
            parent[country] = parent[parent[country]]
            country = parent[country]
        return country

    for cable in network.cables.values():
        countries = network.countries_of(cable)
        for country in countries:
            parent.setdefault(country, country)
        first = root(countries[0]) if countries else None
        for country in countries[1:]:
            other = root(country)
            if other != first:
                parent[other] = first
    components: dict[str, set[str]] = {}
    for country in parent:
        components.setdefault(root(country), set()).add(country)
    result: dict[str, frozenset[str]] = {}
    for members in components.values():
        whole = frozenset(members)
        for country in members:
            result[country] = whole - {country}
    return result


def direct_counts(network: CableNetwork) -> Counter[tuple[str, str]]:
    """Number of cables landing in both countries, for every pair (ISO3 codes in sorted order)."""
    counts: Counter[tuple[str, str]] = Counter()
    for cable in network.cables.values():
        counts.update(combinations(network.countries_of(cable), 2))
    return counts


def cut(network: CableNetwork, cables: Iterable[str] = (), stations: Iterable[str] = (),
        focus: Sequence[str] = (), repair: RepairAssumption = TYPICAL_REPAIR) -> CutResult:
    """Compare the network before and after the cut. Pairs reported: every two countries that a cut cable
    or a lost station's cables joined directly (direct cables before and after), and every focus country
    with each affected one. Route counts (a maximum flow each) are computed for the pairs with a focus
    country and for the pairs that lose all their direct cables; for the others they are None."""
    cut_ids = tuple(dict.fromkeys(cables))
    lost_ids = tuple(dict.fromkeys(stations))
    after = network.without(cut_ids, lost_ids)
    touched_cables = {c for c in cut_ids if c in network.cables}
    touched_cables |= {c.id for c in network.cables.values() if set(c.stations) & set(lost_ids)}
    affected = sorted({country for c in touched_cables for country in network.countries_of(network.cables[c])})
    direct_before, direct_after = direct_counts(network), direct_counts(after)
    pairs_wanted: set[tuple[str, str]] = set()
    for c in touched_cables:
        pairs_wanted |= set(combinations(network.countries_of(network.cables[c]), 2))
    focus_set = set(focus)
    for country in focus_set:
        pairs_wanted |= {(min(country, other), max(country, other)) for other in affected if other != country}
    pairs_wanted |= set(combinations(sorted(focus_set), 2))
    before_reach, after_reach = reach(network), reach(after)
    pairs = []
    for a, b in sorted(pairs_wanted):
        lost_direct = direct_before[a, b] > 0 and direct_after[a, b] == 0
        counted = lost_direct or a in focus_set or b in focus_set
        pairs.append(PairImpact(
            a, b,
            direct_before=direct_before[a, b],
            direct_after=direct_after[a, b],
            routes_before=route_count(network, a, b, max_cables=2) if counted else None,
            routes_after=route_count(after, a, b, max_cables=2) if counted else None,
            reachable_after=b in after_reach.get(a, frozenset()),
        ))
    losses = []
    for country in sorted(before_reach):
        gone = before_reach[country] - after_reach.get(country, frozenset())
        if gone:
            losses.append(ReachLoss(country, tuple(sorted(gone)), not after_reach.get(country)))
    restoration = repair.days_per_cable if cut_ids and not lost_ids else None
    order = sorted(pairs, key=lambda p: (not p.loses_all_routes, not p.loses_all_direct,
                                         -(p.direct_before - p.direct_after), p.country, p.other))
    return CutResult(cut_ids, lost_ids, tuple(affected), tuple(order), tuple(losses), repair, restoration)
