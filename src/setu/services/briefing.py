"""The dependence briefing: for each chosen country, first its imports of the bundled critical-material
products (whom it buys from, how concentrated, the production and upstream exposure beside them), then the
most concentrated and governance-risky critical materials on the production side, and the sources of every
figure. Both lists are ordered by risk: a large bulk import from well-governed suppliers (coal from Australia)
comes after a smaller one held by a single poorly governed supplier (magnets from China)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from setu.errors import NotFoundError
from setu.reference import tables
from setu.services.production import CRITICAL_FOCUS, EXPOSURE_METHOD, rank_materials, source_entries
from setu.store.catalog_reader import CatalogReader


#: data/SOURCES.yaml's entry for the bundled CEPII BACI extract (attribution and licence of the import figures)
BUNDLED_TRADE_SOURCE = "cepii-baci-v202601"
#: How the briefing orders a country's imports: by risk, not by import value.
MATERIAL_IMPORT_USD = 10_000_000.0
ORDER = ("ordered by the governance-weighted HHI of the country's suppliers (supplier_gw_hhi, 0-10,000), then by "
         f"import value; imports under USD {MATERIAL_IMPORT_USD:,.0f} a year come after the others (too small to "
         "lead a briefing: a stated threshold)")


def briefing(catalog: CatalogReader, countries: Sequence[str] = ("JPN", "IND"), *, top: int = 10,
             imports: Callable[[str], dict] | None = None) -> dict[str, object]:
    """``imports`` gives a country's import-dependence document (services.import_dependence); its largest
    ``top`` products lead the country's section. Without trade data a section has production only."""
    registry = tables.countries()
    sections = []
    used_sources: set[str] = {"wgi-2023"}
    for name in countries:
        iso3 = registry.resolve(name)
        ranked = rank_materials(catalog, by="gw_exposure", country=iso3, materials=CRITICAL_FOCUS)
        ranked = [r for r in ranked if r["comparable"]][:top]
        for row in ranked:
            used_sources.update(s.strip() for s in str(row["source"]).split(","))
        section = {"country": iso3, "name": registry.name_of(iso3), "materials": ranked}
        if imports is not None:
            try:
                document = imports(iso3)
                by_risk = sorted(document["products"], key=lambda p: (
                    p["import_value_usd"] < MATERIAL_IMPORT_USD, -p["supplier_gw_hhi"], -p["import_value_usd"],
                    p["product"]))
                section = {**section, "imports": {**document, "products": by_risk[:top], "ordered_by": ORDER}}
                if document["trade_source"]["bundled"]:
                    used_sources.add(BUNDLED_TRADE_SOURCE)
            except NotFoundError:
                section["imports"] = None
        sections.append(section)
    sources = source_entries(catalog, used_sources, ("source_id", "title", "publisher", "licence", "citation"))
    return {
        "title": "Critical-material dependence briefing",
        "method": (
            f"imports first, {ORDER}: suppliers' shares, HHI of imports and upstream exposure by product (CEPII "
            f"BACI); then the production-side screen, {EXPOSURE_METHOD}"
        ),
        "countries": sections,
        "sources": sources,
    }
