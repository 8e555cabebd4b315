"""A disruption scenario: who restricts what, for how long, and what the importers can do about it.

A scenario is set on one supply-chain map (``setu-map/1``). Months are numbered from 1 to ``months``
(the horizon). Quantities in units are per month and in the unit of the node they refer to; stockpiles are
in days of the holder's baseline use (30.4375 days to a month, the mean Gregorian month).

These dataclasses hold values only; the file format and its validation against the map live in
``setu.scenarios.reader`` and the arithmetic in ``setu.scenarios.propagation`` and
``setu.scenarios.best_response``.
Every assumed figure carries a ``Citation`` (``setu.domain.supply_map.Citation``); a figure that is an
illustrative assumption says so in its source text and has ``confirmed=False``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from setu.domain.supply_map import Citation
from setu.errors import ValidationError
from setu.scenarios.uncertainty import Uncertainty

FORMAT = "setu-scenario/1"
DAYS_PER_MONTH = 365.2425 / 12
ALL_IMPORTERS = "all"


def _require(condition: bool, owner: object, message: str) -> None:
    """Range checks of the Python API (the file reader reports the same problems with their lines)."""
    if not condition:
        raise ValidationError(f"{type(owner).__name__}: {message}")


@dataclass(frozen=True)
class Baseline:
    """Country ``country`` uses ``units_per_month`` of ``node`` in normal times (units of the node)."""

    country: str
    node: str
    units_per_month: float
    citation: Citation

    def __post_init__(self) -> None:
        _require(self.units_per_month > 0, self, f"units_per_month must be above 0, got {self.units_per_month}")


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

    def __post_init__(self) -> None:
        _require(0 <= self.cut <= 1, self, f"cut must be in 0-1, got {self.cut}")
        _require(self.start_month >= 1 and self.duration_months >= 1 and self.recovery_months >= 0, self,
                 "start_month and duration_months must be at least 1 and recovery_months at least 0")
        _require(bool(self.restricting) and bool(self.nodes), self, "name the restricting countries and nodes")

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

    def __post_init__(self) -> None:
        _require(self.days >= 0, self, f"days must be 0 or more, got {self.days}")


@dataclass(frozen=True)
class SpareCapacity:
    """Partner ``country`` can supply ``units_per_month`` more of ``node`` from month ``from_month`` on
    (``from_month`` > 1 models the lead time to qualify a new source)."""

    country: str
    node: str
    units_per_month: float
    citation: Citation
    from_month: int = 1

    def __post_init__(self) -> None:
        _require(self.units_per_month >= 0 and self.from_month >= 1, self,
                 "units_per_month must be 0 or more and from_month at least 1")


@dataclass(frozen=True)
class Recycling:
    """``country`` recovers ``units_per_month`` of ``node`` from scrap from month ``from_month`` on.

    With ``eol_rir`` set (``eol_rir: from_reference``), the entry is the importer's *current* recycling: the
    end-of-life recycling input rate is the share of use already met from old scrap, inside baseline use, so
    it adds no flow; a restriction cuts only the primary share, and the importer's loss at the node is scaled
    by ``1 - eol_rir`` (the form of the EU supply-risk indicator's ``(1 - EoL_RIR)`` term). ``units_per_month``
    is then that recycled part of baseline use (``eol_rir x baseline``), shown, not added."""

    country: str
    node: str
    units_per_month: float
    citation: Citation
    from_month: int = 1
    eol_rir: float | None = None  # current recycling input rate: scales the loss, adds no flow

    def __post_init__(self) -> None:
        _require(self.units_per_month >= 0 and self.from_month >= 1, self,
                 "units_per_month must be 0 or more and from_month at least 1")
        _require(self.eol_rir is None or 0 <= self.eol_rir <= 1, self, "eol_rir must be in 0-1")


@dataclass(frozen=True)
class DemandReduction:
    """``country`` (None: every importer) needs ``share`` less of end product ``node`` while short
    (rationing, thrifting, postponement)."""

    node: str
    share: float
    citation: Citation
    country: str | None = None

    def __post_init__(self) -> None:
        _require(0 <= self.share <= 1, self, f"share must be in 0-1, got {self.share}")


@dataclass(frozen=True)
class Substitution:
    """A ``share`` of the input ``input`` of ``output`` that is lost can be replaced by another input; only
    on edges the map marks ``substitutes: yes``. ``country`` None: every importer."""

    input: str
    output: str
    share: float
    citation: Citation
    country: str | None = None

    def __post_init__(self) -> None:
        _require(0 <= self.share <= 1, self, f"share must be in 0-1, got {self.share}")


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
    uncertainty: Uncertainty | None = None  # distributions of uncertain figures (setu.scenarios.montecarlo)

    def __post_init__(self) -> None:
        _require(self.months >= 1, self, f"months must be at least 1, got {self.months}")
        _require(set(self.importers) == {b.country for b in self.baselines}, self,
                 "importers must be the countries with a baseline")

    def baseline(self, country: str, node: str) -> float | None:
        return next((b.units_per_month for b in self.baselines if b.country == country and b.node == node), None)
