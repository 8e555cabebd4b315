"""The dependence briefing: for each chosen country, the most concentrated and governance-risky
critical materials, their top producers and the sources of every figure."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from setu.reference import tables
from setu.services.production import CRITICAL_FOCUS, rank_materials
from setu.store.catalog import records


def briefing(con: duckdb.DuckDBPyConnection, countries: Sequence[str] = ("JPN", "IND"), *, top: int = 10) -> dict[str, object]:
    registry = tables.countries()
    sections = []
    used_sources: set[str] = {"wgi-2023"}
    for name in countries:
        iso3 = registry.resolve(name)
        ranked = rank_materials(con, by="risk", country=iso3, materials=CRITICAL_FOCUS)
        ranked = [r for r in ranked if r["comparable"]][:top]
        for row in ranked:
            used_sources.update(s.strip() for s in str(row["source"]).split(","))
        sections.append({"country": iso3, "name": registry.name_of(iso3), "materials": ranked})
    sources = [
        records(con, "SELECT source_id, title, publisher, licence, citation FROM sources WHERE source_id = ?", [s])[0]
        for s in sorted(used_sources)
        if records(con, "SELECT 1 FROM sources WHERE source_id = ?", [s])
    ]
    return {
        "title": "Critical-material dependence briefing",
        "method": (
            "risk = governance-weighted HHI of world production (EU CRM methodology, WGI rescaled 0.1-10, "
            "scaled to 0-10,000) x (1 - the country's own share of world production); default series, latest year"
        ),
        "countries": sections,
        "sources": sources,
    }
