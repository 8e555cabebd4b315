"""The dependence briefing: for each chosen country, first its imports of the bundled critical-material
products (whom it buys from, how concentrated, the production and upstream exposure beside them), then the
most concentrated and governance-risky critical materials on the production side, and the sources of every
figure."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from setu.errors import NotFoundError
from setu.reference import tables
from setu.services.production import CRITICAL_FOCUS, rank_materials, source_entries
from setu.store.catalog_reader import CatalogReader


#: data/SOURCES.yaml's entry for the bundled CEPII BACI extract (attribution and licence of the import figures)
BUNDLED_TRADE_SOURCE = "cepii-baci-v202601"


def briefing(catalog: CatalogReader, countries: Sequence[str] = ("JPN", "IND"), *, top: int = 10,
             imports: Callable[[str], dict] | None = None) -> dict[str, object]:
    """``imports`` gives a country's import-dependence document (services.import_dependence); its largest
    ``top`` products lead the country's section. Without trade data a section has production only."""
    registry = tables.countries()
    sections = []
    used_sources: set[str] = {"wgi-2023"}
    for name in countries:
        iso3 = registry.resolve(name)
        ranked = rank_materials(catalog, by="risk", country=iso3, materials=CRITICAL_FOCUS)
        ranked = [r for r in ranked if r["comparable"]][:top]
        for row in ranked:
            used_sources.update(s.strip() for s in str(row["source"]).split(","))
        section = {"country": iso3, "name": registry.name_of(iso3), "materials": ranked}
        if imports is not None:
            try:
                document = imports(iso3)
                section = {**section, "imports": {**document, "products": document["products"][:top]}}
                if document["trade_source"]["bundled"]:
                    used_sources.add(BUNDLED_TRADE_SOURCE)
            except NotFoundError:
                section["imports"] = None
        sections.append(section)
    sources = source_entries(catalog, used_sources, ("source_id", "title", "publisher", "licence", "citation"))
    return {
        "title": "Critical-material dependence briefing",
        "method": (
            "imports first: suppliers' shares, HHI of imports and upstream exposure by product (CEPII BACI); then "
            "risk = governance-weighted HHI of world production (EU CRM methodology, WGI rescaled 0.1-10, "
            "scaled to 0-10,000) x (1 - the country's own share of world production); default series, latest year"
        ),
        "countries": sections,
        "sources": sources,
    }
