"""The dependence briefing: for each chosen country, the most concentrated and governance-risky
critical materials, their top producers and the sources of every figure."""

from __future__ import annotations

from collections.abc import Sequence

from setu.reference import tables
from setu.services.production import CRITICAL_FOCUS, rank_materials, source_entries
from setu.store.catalog_reader import CatalogReader


def briefing(catalog: CatalogReader, countries: Sequence[str] = ("JPN", "IND"), *, top: int = 10) -> dict[str, object]:
    registry = tables.countries()
    sections = []
    used_sources: set[str] = {"wgi-2023"}
    for name in countries:
        iso3 = registry.resolve(name)
        ranked = rank_materials(catalog, by="risk", country=iso3, materials=CRITICAL_FOCUS)
        ranked = [r for r in ranked if r["comparable"]][:top]
        for row in ranked:
            used_sources.update(s.strip() for s in str(row["source"]).split(","))
        sections.append({"country": iso3, "name": registry.name_of(iso3), "materials": ranked})
    sources = source_entries(catalog, used_sources, ("source_id", "title", "publisher", "licence", "citation"))
    return {
        "title": "Critical-material dependence briefing",
        "method": (
            "risk = governance-weighted HHI of world production (EU CRM methodology, WGI rescaled 0.1-10, "
            "scaled to 0-10,000) x (1 - the country's own share of world production); default series, latest year"
        ),
        "countries": sections,
        "sources": sources,
    }
