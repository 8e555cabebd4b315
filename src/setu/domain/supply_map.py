"""A supply-chain map: nodes (what is made), edges (what goes into what) and supply (who makes it).

A map is a directed acyclic graph. An edge ``input -> output`` says that making one unit of the output
consumes ``quantity`` units of the input (a fixed-proportions, Leontief recipe); several inputs into one
node are *all* needed unless an edge says substitutes exist. Supply says which countries (and optionally
firms) produce a node, as fractions of world production in a stated year, each with its source.

These dataclasses hold values only; parsing and validation live in ``setu.sources.supply_map`` and the
analysis in ``setu.maps``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

FORMAT = "setu-map/1"


class NodeKind(StrEnum):
    RAW = "raw"
    REFINED = "refined"
    INTERMEDIATE = "intermediate"
    COMPONENT = "component"
    END_PRODUCT = "end-product"


class Sector(StrEnum):
    SEMICONDUCTORS = "semiconductors"
    CRITICAL_MINERALS = "critical-minerals"
    ICT = "ict"
    CLEAN_ENERGY = "clean-energy"
    PHARMACEUTICALS = "pharmaceuticals"


class Substitutes(StrEnum):
    """Whether the input of an edge can be replaced by another input in the short run."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Citation:
    """Where a figure comes from: publisher's document, the table or page, and whether it was checked
    against the primary document (``confirmed=False`` marks a figure seen only in a secondary report)."""

    source: str
    year: int
    table: str | None = None
    url: str | None = None
    confirmed: bool = True


@dataclass(frozen=True)
class HsCode:
    code: str  # six characters, e.g. "811292"
    revision: str  # "HS2017", "HS2022" ...


#: The bounds a share may carry: the source gives a limit, not the value ("almost 100 %" is at most 1.0).
BOUNDS = ("upper", "lower")


@dataclass(frozen=True)
class Share:
    """One producer's fraction (0-1) of a node's world supply. ``firm`` is set for firm-level shares,
    ``country`` (ISO3) is the firm's home or the producing country.

    ``bound`` is set where the source writes a limit rather than a value: ``upper`` for "almost 100 %"
    (recorded as 1.0, at most that), ``lower`` for "over 90 %"; ``as_written`` keeps the source's words.
    A bounded share is shown with its bound and words everywhere it is shown (``share_label``)."""

    country: str
    share: float
    firm: str | None = None
    bound: str | None = None  # "upper" | "lower" | None (the value as given)
    as_written: str | None = None  # the source's own words for the figure ("almost 100 %")

    @property
    def label(self) -> str:
        """``45.7%``; a bounded share: ``≤100% (upper bound, as written: almost 100 %)``."""
        return share_label(self)


def share_label(share: Share, digits: int = 1) -> str:
    """How a share is shown: 100 % only where the source says 100 % (0.999 reads 99.9 %), a bound as
    ``≤`` or ``≥`` with the source's words."""
    value = share.share
    number = "100%" if value >= 1.0 else f"{100 * value:.{digits}f}%"
    if share.bound is None:
        return number
    sign = "≤" if share.bound == "upper" else "≥"
    words = f", as written: {share.as_written}" if share.as_written else ""
    return f"{sign}{number} ({share.bound} bound{words})"


@dataclass(frozen=True)
class UsgsReference:
    """Supply taken from the catalog's USGS production series instead of being repeated in the map."""

    material: str
    series: str
    year: int


@dataclass(frozen=True)
class IeaReference:
    """Supply taken from the bundled IEA Critical Minerals Data Explorer (mining or refining by country)."""

    material: str
    stage: str  # "mining" | "refining"
    year: int
    edition: str


@dataclass(frozen=True)
class Supply:
    """Who supplies a node. ``shares`` are country shares (firm shares, when given, are in ``firms``).
    ``measure`` says what the shares are shares *of* (production, capacity, sites, sales...).
    ``history`` holds older figures of the same node, each dated and cited, oldest last; they are shown
    as history and never used as current values."""

    year: int
    citation: Citation
    measure: str
    shares: tuple[Share, ...] = ()
    firms: tuple[Share, ...] = ()
    others: tuple[tuple[str, float], ...] = ()
    usgs: UsgsReference | None = None
    iea: IeaReference | None = None
    note: str | None = None
    history: tuple[Supply, ...] = ()
    # why a catalog reference gave no shares: "catalog not loaded", or what the catalog lacks
    unresolved_reason: str | None = None

    @property
    def coverage(self) -> float:
        """Sum of the listed country shares: below 1 when part of supply is unattributed or held by
        aggregates (``others``: regions, "various countries") that are not countries."""
        return sum(s.share for s in self.shares)

    @property
    def resolved(self) -> bool:
        """False for a USGS reference that no resolver has filled in."""
        return bool(self.shares)


@dataclass(frozen=True)
class Provider:
    """A producer named by a source without a share: a country (ISO3) or a firm with its home country."""

    country: str | None
    firm: str | None = None

    @property
    def label(self) -> str:
        return f"{self.firm} ({self.country})" if self.firm and self.country else (self.firm or self.country or "")


@dataclass(frozen=True)
class Providers:
    """Who makes a node when the source names the producers but gives no shares ("no share figure")."""

    year: int
    citation: Citation
    providers: tuple[Provider, ...]
    note: str | None = None

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries named, directly or as a firm's home, in order of first mention."""
        return tuple(dict.fromkeys(p.country for p in self.providers if p.country))


@dataclass(frozen=True)
class ImportSourcing:
    """Where one importing country buys a node, by partner (e.g. India's bulk-drug imports by origin).

    Unlike ``Node.supply`` (world production), these shares describe one importer's own sourcing."""

    importer: str
    supply: Supply


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: NodeKind
    sector: Sector
    unit: str
    stage: str
    hs: tuple[HsCode, ...] = ()
    material: str | None = None
    supply: Supply | None = None
    imports: tuple[ImportSourcing, ...] = ()
    notes: str | None = None
    line: int | None = None  # line in the map file, for messages
    # a stand-in figure for context only (e.g. FDA site counts for all APIs on a molecule's node): shown
    # with its label, never ranked, scored or used as the node's supply
    proxy: Supply | None = None
    # producers named without shares (e.g. CSET's photoresist makers): shown, "no share figure"
    providers: Providers | None = None
    # why the node has no figure ("no public country shares of ... were found"): shown where a score would be
    no_figure: str | None = None


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # "<input unit>/<output unit>", e.g. "kg/kWh"


#: Horizon over which a partial switch to substitutes is counted (years): a disruption of about a year, as
#: in the bundled scenarios. A use that takes ``years_to_switch`` to move is counted for ``horizon / years``.
SUBSTITUTION_HORIZON_YEARS = 1.0


@dataclass(frozen=True)
class Substitution:
    """How far an input can be replaced in one use, with its source.

    Two bases. ``si-sr``: the EU CRM substitution index for supply risk (European Commission 2017,
    *Methodology for establishing the EU list of critical raw materials*, doi:10.2873/769526, section 4.1.5),
    0-1 with 1 = no substitute; it multiplies supply risk, so the share of risk removed is ``1 - SI_SR``.
    ``share-of-uses``: a cited share of the use that can switch and the years the switch takes; over
    ``SUBSTITUTION_HORIZON_YEARS`` the share removed is ``share_of_uses * min(1, horizon / years_to_switch)``
    (a linear ramp: substitution is partial, costly and slow).
    """

    basis: str  # "si-sr" or "share-of-uses"
    citation: Citation
    si_sr: float | None = None
    share_of_uses: float | None = None
    years_to_switch: float | None = None

    @property
    def factor(self) -> float:
        """Share (0-1) of the input's supply risk in this use that substitution removes."""
        if self.si_sr is not None:
            return 1.0 - self.si_sr
        share = self.share_of_uses or 0.0
        years = self.years_to_switch or 0.0
        return share * min(1.0, SUBSTITUTION_HORIZON_YEARS / years) if years > 0 else share


@dataclass(frozen=True)
class Edge:
    input: str
    output: str
    substitutes: Substitutes = Substitutes.UNKNOWN
    quantity: Quantity | None = None
    note: str | None = None
    citation: Citation | None = None
    line: int | None = None
    substitution: Substitution | None = None  # the cited degree; None = not known, counted as no substitution


@dataclass(frozen=True)
class SupplyMap:
    id: str
    name: str
    sector: Sector
    version: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    description: str = ""
    licence: str | None = None
    attribution: str | None = None
    source_file: str | None = None
    _index: dict[str, Node] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({node.id: node for node in self.nodes})

    def node(self, node_id: str) -> Node:
        return self._index[node_id]

    def has_node(self, node_id: str) -> bool:
        return node_id in self._index

    @property
    def end_products(self) -> tuple[Node, ...]:
        """Nodes nothing else is made from (no outgoing edge)."""
        used = {edge.input for edge in self.edges}
        return tuple(node for node in self.nodes if node.id not in used)

    @property
    def stages(self) -> tuple[str, ...]:
        """Stage labels in order of first appearance."""
        return tuple(dict.fromkeys(node.stage for node in self.nodes))
