"""The submarine-cable network as values: landing stations, cables, and the network that holds them.

TeleGeography's data name *landing points* (towns such as "Chikura, Japan"); Setu calls them landing
stations, one node per landing point. A cable lists its landing stations but not the order of its
segments, so a cable is taken to join every pair of its stations (a branching cable shares its trunk).
Everything here is a frozen value; parsing is in :mod:`setu.sources.submarine_cables`, analysis in the
sibling modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from setu.errors import UnknownNameError


@dataclass(frozen=True)
class LandingStation:
    id: str  # TeleGeography's slug, e.g. "chikura-japan"
    name: str  # "Chikura, Japan"
    country: str  # ISO3
    longitude: float | None = None
    latitude: float | None = None


@dataclass(frozen=True)
class Cable:
    id: str  # slug, e.g. "2africa"
    name: str
    stations: tuple[str, ...]  # landing-station ids, as listed
    suppliers: tuple[str, ...] = ()  # system suppliers ("ASN", "NEC" ...); empty when not published
    owners: tuple[str, ...] = ()  # owners / consortium members; no ownership shares are published
    rfs_year: int | None = None  # ready for service; a target year for planned cables
    planned: bool = False
    length_km: float | None = None
    url: str | None = None


@dataclass(frozen=True)
class CableNetwork:
    """Cables and landing stations, with ISO3 countries. ``country_names`` holds display names by ISO3."""

    cables: Mapping[str, Cable]
    stations: Mapping[str, LandingStation]
    country_names: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    year: int | None = None
    _countries: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _landing: dict[str, list[Cable]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for cable in self.cables.values():
            countries = self._countries[cable.id] = tuple(sorted({self.stations[s].country for s in cable.stations}))
            for country in countries:
                self._landing.setdefault(country, []).append(cable)

    # ----- lookups ------------------------------------------------------------------------------
    def cable(self, name: str) -> Cable:
        """A cable by id or name (case-insensitive); unknown names get the closest ones."""
        return self.cables[_lookup(name, {c.id: c.id for c in self.cables.values()}
                                   | {c.name.casefold(): c.id for c in self.cables.values()}, "cable")]

    def station(self, name: str) -> LandingStation:
        """A landing station by id or name ("Chikura, Japan")."""
        return self.stations[_lookup(name, {s.id: s.id for s in self.stations.values()}
                                     | {s.name.casefold(): s.id for s in self.stations.values()},
                                     "landing station")]

    def country_name(self, iso3: str) -> str:
        return self.country_names.get(iso3, iso3)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({s.country for s in self.stations.values()}))

    def countries_of(self, cable: Cable) -> tuple[str, ...]:
        """ISO3 codes of the countries a cable lands in, sorted."""
        known = self._countries.get(cable.id)
        if known is not None and self.cables.get(cable.id) is cable:
            return known
        return tuple(sorted({self.stations[s].country for s in cable.stations}))

    def landing_in(self, country: str) -> tuple[Cable, ...]:
        """Cables with at least one landing station in ``country``, in the network's order."""
        return tuple(self._landing.get(country, ()))

    def cables_in(self, country: str) -> tuple[Cable, ...]:
        """Cables with at least one landing station in ``country``, by name."""
        return tuple(sorted(self._landing.get(country, ()), key=lambda c: (c.name.casefold(), c.id)))

    def international_cables(self, country: str) -> tuple[Cable, ...]:
        """Cables landing in ``country`` and in at least one other country."""
        return tuple(c for c in self.cables_in(country) if len(self.countries_of(c)) > 1)

    def stations_in(self, country: str) -> tuple[LandingStation, ...]:
        """Landing stations in ``country`` that at least one cable of this network uses."""
        used = {s for c in self.cables.values() for s in c.stations}
        return tuple(sorted((s for s in self.stations.values() if s.country == country and s.id in used),
                            key=lambda s: s.name))

    def require_country(self, iso3: str) -> str:
        if iso3 not in set(self.countries):
            raise UnknownNameError("country with a cable landing", iso3, _close(iso3, self.countries))
        return iso3

    # ----- views --------------------------------------------------------------------------------
    def in_service(self, include_planned: bool = False) -> CableNetwork:
        """The cables in service at the snapshot (``planned`` ones left out unless asked for)."""
        if include_planned:
            return self
        return replace(self, cables={k: c for k, c in self.cables.items() if not c.planned})

    def without(self, cables: Iterable[str] = (), stations: Iterable[str] = ()) -> CableNetwork:
        """The network after the given cables are cut and the given stations lost: a cut cable leaves the
        network whole (its segments are not known, see the module docstring); a lost station leaves every
        cable that lands there, which keeps its other stations."""
        cut, lost = set(cables), set(stations)
        kept: dict[str, Cable] = {}
        for key, cable in self.cables.items():
            if key in cut:
                continue
            remaining = tuple(s for s in cable.stations if s not in lost)
            if len(remaining) >= 2 or (remaining and remaining == cable.stations):
                kept[key] = cable if remaining == cable.stations else replace(cable, stations=remaining)
        return replace(self, cables=kept)


def _close(name: str, choices: Iterable[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(name, list(choices), n=5, cutoff=0.5)


def _lookup(name: str, index: Mapping[str, str], kind: str) -> str:
    key = name.strip()
    if key in index:
        return index[key]
    if key.casefold() in index:
        return index[key.casefold()]
    raise UnknownNameError(kind, name, _close(key.casefold(), index))
