"""Concentration that matters to security: who built and who owns a country's cables, and through which
landing stations its international cables pass.

Shares are by number of cables. A cable built by k suppliers (or owned by k consortium members) counts
1/k to each: TeleGeography publishes no contract or ownership shares, so an equal split is the stated
assumption. Cables with no supplier (owner) published are left out of the shares and reported as
``coverage`` < 1 ("missing is missing"). HHI = Σ (100·sᵢ)², 0–10,000 (U.S. DoJ/FTC Horizontal Merger
Guidelines 2023), as everywhere in Setu.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from setu.cables.model import Cable, CableNetwork
from setu.metrics.concentration import hhi

#: Home country (ISO3) of each system supplier named in the data: where the company is headquartered
#: (company websites; Alcatel Submarine Networks in France, SubCom in the United States, NEC and Fujitsu in
#: Japan, HMN Technologies — formerly Huawei Marine Networks — in China). Used for the ICT map's
#: country shares; suppliers not listed have no country.
SUPPLIER_COUNTRY: dict[str, str] = {
    "ASN": "FRA",
    "SubCom": "USA",
    "AT&T SSI": "USA",  # AT&T Submarine Systems, a predecessor of SubCom
    "NEC": "JPN",
    "Fujitsu": "JPN",
    "KDD-SCS": "JPN",
    "HMN Tech": "CHN",
    "Ericsson": "SWE",
    "Hexatronic": "SWE",
    "Xtera": "USA",
    "Ciena": "USA",
    "Nexans": "FRA",
    "NSW": "DEU",  # Norddeutsche Seekabelwerke
    "Prysmian": "ITA",
    "Pirelli": "ITA",
    "Elettra": "ITA",
    "STC Submarine Systems": "GBR",
    "Padtec": "BRA",
}


@dataclass(frozen=True)
class PartyShare:
    """One supplier's (or owner's) share of a set of cables."""

    name: str
    cables: int  # cables naming this party
    weighted_cables: float  # Σ 1/k over those cables
    share: float  # weighted_cables / cables with a party named


@dataclass(frozen=True)
class PartyConcentration:
    scope: str  # ISO3, or "world"
    role: str  # "supplier" | "owner"
    cables: int  # cables in scope
    cables_named: int  # cables with at least one party published
    shares: tuple[PartyShare, ...]  # largest first, then by name
    hhi: float

    @property
    def coverage(self) -> float:
        return self.cables_named / self.cables if self.cables else 0.0

    @property
    def top1(self) -> PartyShare | None:
        return self.shares[0] if self.shares else None


def party_concentration(cables: Iterable[Cable], role: str, scope: str) -> PartyConcentration:
    """Shares of ``cables`` by supplier (``role="supplier"``) or owner (``"owner"``), equal split per cable."""
    parties: Callable[[Cable], tuple[str, ...]] = {"supplier": lambda c: c.suppliers,
                                                   "owner": lambda c: c.owners}[role]
    weight: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    total = named = 0
    for cable in cables:
        total += 1
        names = parties(cable)
        if not names:
            continue
        named += 1
        for name in names:
            weight[name] += 1 / len(names)
            count[name] += 1
    shares = tuple(sorted((PartyShare(n, count[n], weight[n], weight[n] / named) for n in weight),
                          key=lambda s: (-s.weighted_cables, s.name)))
    return PartyConcentration(scope, role, total, named, shares, hhi(s.share for s in shares))


def supplier_concentration(network: CableNetwork, country: str | None = None) -> PartyConcentration:
    cables = network.cables_in(country) if country else tuple(network.cables.values())
    return party_concentration(cables, "supplier", country or "world")


def owner_concentration(network: CableNetwork, country: str | None = None) -> PartyConcentration:
    cables = network.cables_in(country) if country else tuple(network.cables.values())
    return party_concentration(cables, "owner", country or "world")


def supplier_country_shares(concentration: PartyConcentration) -> dict[str, float]:
    """Supplier shares summed by the suppliers' home countries (:data:`SUPPLIER_COUNTRY`); suppliers
    without a known home are left out, so the shares may sum to less than 1."""
    shares: dict[str, float] = defaultdict(float)
    for party in concentration.shares:
        if party.name in SUPPLIER_COUNTRY:
            shares[SUPPLIER_COUNTRY[party.name]] += party.share
    return dict(sorted(shares.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class StationLoad:
    """How many of a country's international cables land at one of its stations."""

    station: str
    name: str
    cables: int
    share: float  # of the country's international cables
    sole_landing_for: tuple[str, ...]  # destinations (ISO3) whose every direct cable lands here


def station_loads(network: CableNetwork, country: str) -> list[StationLoad]:
    """Single points of failure: the share of the country's international cables landing at each of its
    stations, and the destinations whose every direct cable from the country lands at that station
    (losing the station loses every direct cable to them). Largest share first."""
    international = network.international_cables(country)
    at: dict[str, set[str]] = defaultdict(set)
    for cable in international:
        for s in cable.stations:
            if network.stations[s].country == country:
                at[s].add(cable.id)
    by_destination: dict[str, set[str]] = defaultdict(set)
    for cable in international:
        for other in network.countries_of(cable):
            if other != country:
                by_destination[other].add(cable.id)
    rows = []
    for station, cables in at.items():
        sole = tuple(sorted(d for d, ids in by_destination.items() if ids <= cables))
        rows.append(StationLoad(station, network.stations[station].name, len(cables),
                                len(cables) / len(international), sole))
    return sorted(rows, key=lambda r: (-r.cables, r.name))
