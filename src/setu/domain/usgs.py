"""What the USGS tables' irregular labels mean: a country name and a ``Type`` value resolved to Setu's terms.

Rows of the explicit tables ``data/reference/usgs_country_names.csv`` and ``data/reference/usgs_series.csv``
(loaded by ``setu.reference.tables``, used by the MCS parser in ``setu.sources.usgs``). They live in the
domain so that the reference loaders and the parsers both depend on them and not on each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryName:
    """A USGS country label: the ISO3 code (None for aggregates), the entity kind and a note."""

    iso3: str | None
    entity: str  # country | other | world_total
    note: str


@dataclass(frozen=True)
class Series:
    """A USGS ``Type`` value resolved to a series slug and its supply-chain stage."""

    series: str
    stage: str
    comparable: bool
    note: str
