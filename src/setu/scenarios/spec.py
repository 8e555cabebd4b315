"""A disruption scenario: who restricts what, for how long, and what the importers can do about it.

A scenario is set on one supply-chain map (``setu-map/1``). Months are numbered from 1 to ``months``
(the horizon). Quantities in units are per month and in the unit of the node they refer to; stockpiles are
in days of the holder's baseline use (30.4375 days to a month, the mean Gregorian month).

These dataclasses hold values only; the file format and its validation against the map live in
``setu.scenarios.reader`` and the arithmetic in ``setu.scenarios.propagation`` and ``setu.optimise``.
Every assumed figure carries a ``Citation`` (``setu.domain.supply_map.Citation``); a figure that is an
illustrative assumption says so in its source text and has ``confirmed=False``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from setu.domain.supply_map import Citation

FORMAT = "setu-scenario/1"
DAYS_PER_MONTH = 365.2425 / 12
ALL_IMPORTERS = "all"


@dataclass(frozen=True)
class Baseline:
    """Country ``country`` uses ``units_per_month`` of ``node`` in normal times (units of the node)."""

    country: str
    node: str
    units_per_month: float
    citation: Citation


@dataclass(frozen=True)
class Sourcing:
    """Shares of a node's supply by origin, overriding the map for the scenario (e.g. where the map refers to
    USGS production that no catalog resolved). ``importer`` None: the shares hold for every importer."""

    node: str
    shares: tuple[tuple[str, float], ...]
    citation: Citation
    importer: str | None = None


@dataclass(frozen=True)
class Shock:
    """``restricting`` countries cut exports of ``nodes`` by ``cut`` (0-1) to ``importers`` (None: all
    importers) from month ``start_month`` for ``duration_months`` months. The time to recover (TTR) of the
    importers' chains is the duration plus ``recovery_months`` (a linear ramp back to full supply)."""

    restricting: tuple[str, ...]
    nodes: tuple[str, ...]
    cut: float
    start_month: int
    duration_months: int
    citation: Citation
    importers: tuple[str, ...] | None = None
    recovery_months: int = 0
    label: str = ""

    @property
    def time_to_recover(self) -> int:
        return self.duration_months + self.recovery_months


@dataclass(frozen=True)
class Stockpile:
    """``country`` holds ``days`` of its baseline use of ``node`` when the scenario starts."""

    country: str
    node: str
    days: float
    citation: Citation


@dataclass(frozen=True)
class SpareCapacity:
    """Partner ``country`` can supply ``units_per_month`` more of ``node`` from month ``from_month`` on
    (``from_month`` > 1 models the lead time to qualify a new source)."""

    country: str
    node: str
    units_per_month: float
    citation: Citation
    from_month: int = 1


@dataclass(frozen=True)
class Recycling:
    """``country`` recovers ``units_per_month`` of ``node`` from scrap from month ``from_month`` on."""

    country: str
    node: str
    units_per_month: float
    citation: Citation
    from_month: int = 1


@dataclass(frozen=True)
class DemandReduction:
    """``country`` (None: every importer) needs ``share`` less of end product ``node`` while short
    (rationing, thrifting, postponement)."""

    node: str
    share: float
    citation: Citation
    country: str | None = None


@dataclass(frozen=True)
class Substitution:
    """A ``share`` of the input ``input`` of ``output`` that is lost can be replaced by another input; only
    on edges the map marks ``substitutes: yes``. ``country`` None: every importer."""

    input: str
    output: str
    share: float
    citation: Citation
    country: str | None = None


@dataclass(frozen=True)
class Responses:
    stockpiles: tuple[Stockpile, ...] = ()
    partners: tuple[str, ...] = ()  # the group whose spare capacity may be re-sourced and who coordinate
    spare_capacity: tuple[SpareCapacity, ...] = ()
    recycling: tuple[Recycling, ...] = ()
    demand_reduction: tuple[DemandReduction, ...] = ()
    substitution: tuple[Substitution, ...] = ()
    share_stockpiles: bool = True  # whether coordinating partners may lend each other stock


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    map_id: str
    months: int
    importers: tuple[str, ...]  # countries whose chains are modelled (those with a baseline)
    baselines: tuple[Baseline, ...]
    shocks: tuple[Shock, ...]
    responses: Responses = field(default_factory=Responses)
    sourcing: tuple[Sourcing, ...] = ()
    allocation: str = "pro-rata"
    description: str = ""
    source_file: str | None = None

    def baseline(self, country: str, node: str) -> float | None:
        return next((b.units_per_month for b in self.baselines if b.country == country and b.node == node), None)
