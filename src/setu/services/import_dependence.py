"""A country's import dependence on every bundled critical-material product, with production beside it.

For each of the 30 HS6 codes of the bundled BACI extract (:mod:`setu.reference.trade_products`) it gives the
country's imports (USD and tonnes), its top suppliers, the HHI of its imports (0–10,000), the share from a
chosen group of countries, the concentration of world production of the code's USGS series (the material
concordance, :mod:`setu.reference.concordance`), and the *upstream* look-through (:mod:`setu.services.upstream`: a
mass balance in content tonnes, naming its stage, source and fallbacks). Basket codes say so. The trade figures are Ibis expressions (:mod:`setu.metrics.trade`)
executed by the trade engine; this module only assembles one JSON-ready document.
"""

from __future__ import annotations

from collections.abc import Sequence

from setu.errors import NotFoundError
from setu.metrics import trade_questions as questions
from setu.metrics import unit_values
from setu.metrics.supply_risk import weighted_hhi
from setu.metrics.upstream import OTHER
from setu.reference import concordance, tables, trade_products
from setu.services import production, upstream
from setu.services.trade import TradeService
from setu.store.catalog_reader import CatalogReader

UPSTREAM_METHOD = upstream.METHOD


def production_beside(catalog: CatalogReader, product: trade_products.TradeProduct, cache: dict) -> dict | None:
    """The concentration of world production of the code's USGS series (the concordance's), or None (a basket,
    coal)."""
    if product.material_id is None:
        return None
    key = (product.material_id, product.series)
    if key not in cache:
        try:
            report = production.concentration_report(catalog, product.material_id, series=product.series, groups=(),
                                                     detail=False)
            cache[key] = {
                "material": report.material, "material_name": report.material_name,
                "series": report.series, "stage": report.stage, "year": report.year,
                "hhi": report.hhi, "top1_share": report.top1_share,
                "top_producers": [{"country": s.country, "share": s.share} for s in report.shares[:3]],
                "source": ", ".join(sorted({str(s["source_id"]) for s in report.sources} - {"wgi-2023"})),
            }
        except NotFoundError:
            cache[key] = None
    return cache[key]


def _world_rows(trade: TradeService, ask, codes: list[str], year: int, cache: dict,
                variant: object = None) -> dict[str, list[dict]]:
    """Every flow of the year for the codes bought and the upstream codes they pass through (the mass balance
    needs each product's whole network), by product; kept in ``cache`` for the next country."""
    wanted = sorted({*codes, *(c for code in codes for link in [concordance.origin_link(code)] if link
                               for c in link.upstream_hs6)})
    key = ("world-flows", year, tuple(wanted), variant)  # variant: the flows' selection (flagged flows out)
    if key not in cache:
        rows: dict[str, list[dict]] = {}
        for row in ask(questions.world_product_flows, wanted=wanted):
            rows.setdefault(row["product"], []).append(row)
        cache[key] = rows
    return cache[key]


def country_imports(trade: TradeService, catalog: CatalogReader, country: str, *, year: int | None = None,
                    group: Sequence[str] = (), group_label: str | None = None, top: int = 3,
                    products: Sequence[str] | None = None, all_suppliers: bool = False,
                    production_cache: dict | None = None, exclude_flagged: bool = False) -> dict[str, object]:
    """Every bundled product the country imports, largest first (value, then HS code).

    ``all_suppliers`` adds every supplier of every product under ``suppliers`` (the web treemap);
    ``production_cache`` lets a caller share the production look-ups between countries; ``exclude_flagged``
    leaves out the flows the unit-value screen flags (:mod:`setu.metrics.unit_values`) from every figure.
    """
    iso3 = trade.countries.resolve(country)
    members = sorted(group)
    datasets, info, _ = trade.choose(year=year, source=None, hs_revision=None)
    chosen_year = datasets[0].year
    codes = list(products) if products is not None else [p.hs6 for p in trade_products.PRODUCTS]
    # a customs basket holds goods of unlike prices (indium and niobium under 811292): no distribution to screen
    screened_codes = [code for code in codes if not trade_products.product(code).basket]

    def ask(question, **params):  # every question here reads the flows of ``codes`` in the chosen year
        return trade.ask(question, datasets, year=chosen_year, codes=codes, screened=screened_codes, **params)

    screens = unit_value_screens(ask, iso3)
    for code in codes:
        if code not in screened_codes:
            screens[code] = {"screened": False, "flagged": [], "not_screened": BASKET_NOT_SCREENED}
    summary = ask(questions.country_products, importer=iso3, exclude_flagged=exclude_flagged, group=members)
    suppliers: dict[str, list[dict]] = {}
    for row in ask(questions.country_suppliers, importer=iso3, exclude_flagged=exclude_flagged):
        suppliers.setdefault(row["product"], []).append(row)
    cache: dict = {} if production_cache is None else production_cache
    world_rows = _world_rows(trade, lambda question, **more: ask(question, exclude_flagged=exclude_flagged, **more),
                             [r["product"] for r in summary], chosen_year, cache,
                             (info.dataset, info.edition, exclude_flagged))
    names = tables.materials().materials
    rows = []
    for row in summary:
        product = trade_products.product(row["product"])
        produced = production_beside(catalog, product, cache)
        looked = upstream.look_through(catalog, iso3, product.hs6, chosen_year, world_rows, cache)
        shares = {s["exporter"]: s["share"] for s in suppliers[row["product"]]}
        covered = row["quantity_value_usd"] / row["total_value_usd"] if row["total_value_usd"] else 0.0
        governance = weighted_hhi(shares, tables.wgi_risk())
        rows.append({
            "product": row["product"], "product_name": product.name, "materials": list(product.labels),
            "stage": product.stage, "basket": product.basket, "basket_label": product.basket_label,
            "basket_members": [{"material": m, "name": names[m].name} for m in product.labels if m in names]
            if product.basket else [],
            "import_value_usd": row["total_value_usd"],
            "import_tonnes": row["quantity_tonnes"],
            "tonnes_cover_value_share": round(covered, 6),
            "supplier_count": row["supplier_count"], "hhi": row["hhi"],
            # the EU sourcing term on imports alone, x 1,000: the HHI's 0-10,000 scale
            "supplier_gw_hhi": round(governance.value * 1000, 4),
            "supplier_gw_missing_governance": list(governance.missing_governance),
            "top_suppliers": [{"country": s["exporter"], "name": trade.countries.name_of(s["exporter"]),
                               "value_usd": s["value_usd"], "tonnes": s["quantity_tonnes"], "share": s["share"],
                               "unit_value_usd_per_kg": _unit_value(s)}
                              for s in suppliers[row["product"]][:top]],
            "unit_values": {**screens.get(row["product"], {"screened": False, "flagged": []}),
                            "left_out": exclude_flagged},
            "group_share": row["group_share"] if members else None,
            "production": produced,
            "upstream": looked,
            "note": product.note,
        })
        if all_suppliers:
            rows[-1]["suppliers"] = [{"country": s["exporter"], "value_usd": s["value_usd"],
                                      "tonnes": s["quantity_tonnes"], "share": s["share"]}
                                     for s in suppliers[row["product"]]]
    held = {r["product"] for r in rows}
    return {
        "country": iso3, "name": trade.countries.name_of(iso3), "year": chosen_year,
        "group": {"label": group_label or ",".join(members), "members": members} if members else None,
        "products": rows,
        "not_imported": [c for c in codes if c not in held],
        "trade_source": {"dataset": info.dataset, "edition": info.edition, "hs_revision": info.hs_revision,
                         "years": list(info.years), "bundled": info.bundled, "attribution": info.attribution},
        "production_source": "USGS Mineral Commodity Summaries (latest edition for each year), via the catalog",
        "method": {
            "shares": "supplier value / the country's total imports of the product (0-1); BACI values in USD (FOB)",
            "hhi": "10,000 x sum of supplier shares squared (0-10,000)",
            "supplier_gw_hhi": "sum of (100 x supplier share)^2 x WGI risk (0.1-10) / 10 (0-10,000): the EU CRM "
                               "sourcing term (European Commission 2017, section 4) on the country's imports",
            "tonnes": "sum of BACI quantities (metric tons) over the flows that report one; "
                      "tonnes_cover_value_share says how much of the value those flows hold",
            "upstream": UPSTREAM_METHOD, "other": OTHER,
            "unit_values": UNIT_VALUE_METHOD,
        },
        "unit_value_flags_left_out": exclude_flagged,
    }


BASKET_NOT_SCREENED = ("one customs basket of several goods whose prices differ by nature: their unit values "
                       "have no common distribution, so the flows are not screened")
UNIT_VALUE_METHOD = (
    f"USD/kg of each flow against the world distribution of the product's flows that year (log scale): "
    f"median and MAD; flagged when the modified z exceeds {unit_values.Z_LIMIT} and the unit value is more than "
    f"{unit_values.MIN_RATIO:g} times from the median (products with at least {unit_values.MIN_FLOWS} quantified "
    "flows); Gaulier & Zignago (2010), CEPII WP 2010-23; Berthou & Emlinger (2011), CEPII WP 2011-10; "
    "Iglewicz & Hoaglin (1993)"
)


def _unit_value(row: dict) -> float | None:
    tonnes = row.get("quantity_tonnes")
    return row["value_usd"] / (tonnes * 1000.0) if tonnes else None


def unit_value_screens(ask, importer: str) -> dict[str, dict]:
    """Per product: the world median unit value and the importer's flagged flows, each with its reason
    (``ask(question, **params)`` asks the trade engine over the chosen flows)."""
    centres = ask(questions.screen_centres)
    result = {r["product"]: {"world_median_usd_per_kg": r["world_median_usd_per_kg"],
                             "robust_spread_log": r["robust_spread_log"], "quantified_flows": r["product_flows"],
                             "screened": r["screened"], "flagged": []} for r in centres}
    for row in ask(questions.screen_flagged, importer=importer):
        result[row["product"]]["flagged"].append({
            "exporter": row["exporter"], "value_usd": row["value_usd"], "tonnes": row["quantity_tonnes"],
            "unit_value_usd_per_kg": row["unit_value_usd_per_kg"], "ratio_to_median": row["ratio_to_median"],
            "robust_z": row["robust_z"], "reason": unit_values.reason(row)})
    for entry in result.values():
        entry["flagged"].sort(key=lambda f: -f["value_usd"])
    return result
