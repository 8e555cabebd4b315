"""Page documents built on the trade catalog (the bundled BACI extract and the user's imports).

* the overview's lead: a country's import dependence by product, a treemap of its suppliers per product and,
  for a chosen product, direct suppliers beside upstream exposure;
* a material's trade view: world exporters of its bundled product(s) and a chosen country's suppliers (also
  the whole answer for a material without country production figures, e.g. germanium);
* the Japan–India complementarity page.

The state of each view (country, product, year) lives in the URL, so a view can be shared; every document
names its source, edition and year. The documents are the ones the CLI prints with --json.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from setu.errors import NotFoundError
from setu.reference import trade_products
from setu.settings import Settings
from setu.web import charts

if TYPE_CHECKING:  # the trade stack (Ibis, DuckDB) loads with the first trade figure a page asks for
    from setu.services.trade import TradeService
    from setu.store.catalog_reader import CatalogReader

TREEMAP_PRODUCTS = 12
TREEMAP_SUPPLIERS = 8
#: how the overview's treemap sizes its boxes: import value; import value weighted by the concentration of the
#: product's suppliers (value × HHI/10,000: one supplier counts in full, ten equal ones a tenth); or import value
#: with energy (coal) left out, since coal alone is most of some countries' bill and hides the small critical ones
SIZES = {"value": "import value (USD)", "weighted": "import value × supplier HHI/10,000 (concentration-weighted)",
         "no-energy": "import value, coal (energy) left out"}
ENERGY = frozenset({"270112"})
#: the partners whose suppliers a material page charts when no country is chosen
PARTNERS = ("JPN", "IND")
#: materials whose own key HS codes the bundled 30-code extract does not hold (HS 2017 nomenclature, WCO):
#: their trade view shows a downstream or neighbouring code only, and says so
KEY_CODES_ABSENT = {
    "rare-earths": ("the bundled extract holds no code for rare-earth compounds (HS 2846) or rare-earth metals "
                    "(HS 280530): 850511 permanent magnets is a downstream product, not the rare earths' own "
                    "trade; import a full BACI year (setu import baci) to see 2846 and 280530"),
}


def _source_text(source: dict[str, Any], year: int) -> str:
    return (f"{source['dataset']} {source['edition']}, {source['hs_revision']}, {year} "
            f"({source['attribution']})")


def _treemap(document: dict[str, Any], year: int, source: str, size: str) -> dict[str, Any]:
    """The treemap of a country's imports by product and supplier, boxes sized as the reader chose (SIZES)."""
    rows = [r for r in document["products"] if size != "no-energy" or r["product"] not in ENERGY]
    weight = (lambda r: float(r["hhi"]) / 10_000) if size == "weighted" else (lambda r: 1.0)
    if size == "weighted":
        rows = sorted(rows, key=lambda r: (-r["import_value_usd"] * weight(r), r["product"]))
    groups = []
    for row in rows[:TREEMAP_PRODUCTS]:
        listed = row["suppliers"]
        members = [(s["country"], s["country"], s["value_usd"] * weight(row)) for s in listed[:TREEMAP_SUPPLIERS]]
        rest = sum(s["value_usd"] for s in listed[TREEMAP_SUPPLIERS:]) * weight(row)
        if rest > 0:
            members.append(("rest", "others", rest))
        groups.append((row["product"], f"{row['product']} {row['product_name']}", members))
    unit = "USD × HHI/10,000" if size == "weighted" else "USD"
    left_out = "; coal (energy) left out" if size == "no-energy" else ""
    return charts.treemap(groups, f"Imports of {document['name']} by product and supplier, {year} ({unit}{left_out})",
                          source, unit=unit)


def import_view(settings: Settings, reader: CatalogReader, iso3: str, year: int | None,
                product: str | None, production_cache: dict | None = None,
                size: str = "value", *, exclude_flagged: bool = False) -> dict[str, Any] | None:
    """The overview's import-dependence lead, or None where the catalog holds no trade data. ``size`` sizes
    the treemap's boxes (:data:`SIZES`)."""
    from setu.services.import_dependence import country_imports
    from setu.services.trade import TradeService

    service = TradeService(settings)
    try:
        try:
            document = country_imports(service, reader, iso3, year=year, top=TREEMAP_SUPPLIERS, all_suppliers=True,
                                       production_cache=production_cache, exclude_flagged=exclude_flagged)
        except NotFoundError:
            if year is not None:
                raise
            return None
        chosen_year = document["year"]
        source_name = document["trade_source"]["dataset"]
        years_held = sorted({d.year for d in service.catalog.datasets() if d.dataset == source_name}, reverse=True)
    finally:
        service.close()
    source = _source_text(document["trade_source"], chosen_year)
    figure = _treemap(document, chosen_year, source, size)
    selected = None
    if product is not None:
        selected = next((r for r in document["products"] if r["product"] == product), None)
        if selected is None:
            raise NotFoundError(f"{document['name']} imports no {product} in {chosen_year} "
                                f"(bundled products: {', '.join(sorted(trade_products.BY_CODE))})")
    products = [{k: v for k, v in r.items() if k != "suppliers"} for r in document["products"]]
    return {**document, "products": products, "figure": figure, "source_text": source, "selected": selected,
            "years_held": years_held, "size": size, "sizes": SIZES}


def _suppliers_of(service: TradeService, iso3: str, product: trade_products.TradeProduct, year: int,
                  source: str) -> dict[str, Any]:
    """One importer's suppliers of one product, with their chart; no suppliers where it imports none."""
    name = service.countries.name_of(iso3)
    try:
        dependence = service.dependence(iso3, product.hs6, year=year)
    except NotFoundError:
        return {"country": iso3, "name": name, "suppliers": []}
    suppliers = [{"country": s.country, "name": s.name, "value_usd": s.value, "share": s.share}
                 for s in dependence.suppliers[:15]]
    return {"country": iso3, "name": name, "hhi": dependence.hhi, "total_value_usd": dependence.total_value,
            "suppliers": suppliers,
            "figure": charts.ranked_bars([s["name"] for s in suppliers], [s["share"] for s in suppliers],
                                         f"{name}'s suppliers of {product.hs6} {product.name}, {year}", source,
                                         axis=f"share of {name}'s imports (value)", percent=True)}


def material_trade(settings: Settings, material_id: str, country: str | None, year: int | None) -> dict[str, Any]:
    """Exporters of a material's bundled product(s) and the partners' (or one chosen country's) suppliers.

    Where the bundle holds none of a material's key codes (``KEY_CODES_ABSENT``), the view says so, so that a
    neighbouring code is never read as the material's own trade."""
    from setu.metrics import trade as metrics
    from setu.services.trade import TradeService

    products = trade_products.for_material(material_id)
    absent = KEY_CODES_ABSENT.get(material_id)
    if not products:
        return {"products": [], "key_codes_absent": absent,
                "note": "no bundled trade product for this material (import a full BACI year)"}
    service = TradeService(settings)
    try:
        flows, datasets, info = service.flows(year=year, source=None, hs_revision=None)
        chosen_year = datasets[0].year
        iso3 = service.countries.resolve(country) if country else None
        views = []
        for product in products:
            exporters = service.engine.execute(metrics.exporter_shares(flows, product.hs6, chosen_year)).to_pylist()
            shown = [{"country": r["exporter"], "name": service.countries.name_of(r["exporter"]),
                      "value_usd": r["value_usd"], "share": r["share"]} for r in exporters]
            source = (f"{info.dataset} {info.edition}, {info.hs_revision}, {chosen_year} ({info.attribution})")
            entry: dict[str, Any] = {
                "product": product.hs6, "product_name": product.name, "note": product.note,
                "exporters": shown[:20], "exporter_count": len(shown),
                "world_exports_usd": sum(r["value_usd"] for r in shown),
                "figure": charts.ranked_bars([r["name"] for r in shown[:15]], [r["share"] for r in shown[:15]],
                                             f"World exports of {product.hs6} {product.name}, {chosen_year}", source,
                                             axis="share of world exports (value)", percent=True),
            }
            entry["importers"] = [_suppliers_of(service, code, product, chosen_year, source)
                                  for code in ([iso3] if iso3 else list(PARTNERS))]
            if iso3 is not None:
                entry["importer"] = entry["importers"][0]
            views.append(entry)
    finally:
        service.close()
    return {"products": views, "year": chosen_year, "country": iso3, "key_codes_absent": absent,
            "source": {"dataset": info.dataset, "edition": info.edition, "hs_revision": info.hs_revision,
                       "bundled": info.bundled, "attribution": info.attribution}}


def complementarity_view(settings: Settings, first: str, second: str, year: int | None,
                         include_all: bool) -> dict[str, Any]:
    from setu.services.complementarity import partner_complementarity
    from setu.services.trade import TradeService

    service = TradeService(settings)
    try:
        document = partner_complementarity(service, first, second, year=year, concentrated_only=not include_all)
    finally:
        service.close()
    a, b = document["partners"]
    top = [r for r in document["rows"] if r["covered_value_usd"] > 0][:15]
    source = _source_text(document["source"], document["year"])
    figure = charts.ranked_bars(
        [f"{r['exporter']}→{r['importer']} {r['product']} {r['product_name'][:28]}" for r in top],
        [float(r["covered_value_usd"]) for r in top],
        f"Concentrated imports {document['names'][a]} and {document['names'][b]} could cover for each other, "
        f"{document['year']}", source, axis="USD of the top supplier's sales the partner's net exports match")
    return {**document, "page": "complementarity", "figure": figure, "source_text": source}
