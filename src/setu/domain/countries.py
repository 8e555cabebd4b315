"""Countries (ISO 3166-1 alpha-3) and country groups.

Country identity in Setu is the ISO3 code. Names are resolved case-insensitively through an explicit
table of names and synonyms (``data/reference/countries.csv``); an unknown name raises
:class:`~setu.errors.UnknownNameError` with the closest valid names, never a silent guess.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from setu.errors import UnknownNameError, ValidationError


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountryGroup:
    """A named set of countries with the source of its membership list."""

    group_id: str
    name: str
    members: frozenset[str]
    source: str
    as_of: str = ""
    url: str = ""
    organisations: tuple[str, ...] = ()
    user_defined: bool = False


@dataclass(frozen=True)
class CountryRegistry:
    countries: Mapping[str, Country]
    groups: Mapping[str, CountryGroup] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for country in self.countries.values():
            for name in (country.iso3, country.name, *country.synonyms):
                index.setdefault(name.casefold(), country.iso3)
        object.__setattr__(self, "_index", index)

    def resolve(self, name: str) -> str:
        """ISO3 code for a code, name or synonym ("India", "ind", "Korea, Rep.")."""
        key = name.strip().casefold()
        index: dict[str, str] = self._index  # type: ignore[attr-defined]
        if key in index:
            return index[key]
        choices = sorted({c.name for c in self.countries.values()} | set(self.countries))
        close = difflib.get_close_matches(name.strip(), choices, n=5, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(name.strip().title(), choices, n=5, cutoff=0.5)
        raise UnknownNameError("country", name, close)

    def name_of(self, iso3: str) -> str:
        country = self.countries.get(iso3)
        return country.name if country else iso3

    def group(self, name: str) -> CountryGroup:
        key = name.strip().upper()
        if key in self.groups:
            return self.groups[key]
        raise UnknownNameError("country group", name, difflib.get_close_matches(key, list(self.groups), n=5))

    def resolve_many(self, names: Iterable[str]) -> frozenset[str]:
        """Resolve names, ISO3 codes and group names (``G7``) into one set of ISO3 codes."""
        members: set[str] = set()
        for name in names:
            if name.strip().upper() in self.groups:
                members |= self.groups[name.strip().upper()].members
            else:
                members.add(self.resolve(name))
        return frozenset(members)

    def with_groups(self, groups: Iterable[CountryGroup]) -> CountryRegistry:
        merged = dict(self.groups)
        for group in groups:
            unknown = sorted(m for m in group.members if m not in self.countries)
            if unknown:
                raise ValidationError(f"group {group.group_id!r}: unknown ISO3 codes {', '.join(unknown)}")
            merged[group.group_id.upper()] = group
        return CountryRegistry(self.countries, merged)
