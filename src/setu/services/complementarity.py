"""Japan–India (or any two partners') complementarity on the bundled critical-material products, on net exports.

Both directions of :func:`setu.metrics.complementarity.complementarity`, executed by the trade engine and
assembled into one JSON-ready document (the CLI table, its --json twin and the web page share it).
"""

from __future__ import annotations

from setu.metrics import trade_questions as questions
from setu.metrics.complementarity import HIGHLY_CONCENTRATED_HHI, MIN_SHARE, MIN_VALUE_USD
from setu.reference import trade_products
from setu.services.trade import TradeService

METHOD = {
    "concentrated": f"the importer's HHI of suppliers > {HIGHLY_CONCENTRATED_HHI:,.0f} (highly concentrated, "
                    "U.S. DOJ/FTC Merger Guidelines 2023, section 2.1)",
    "net_exports": "the exporter's exports of the product to the world minus its own imports of it; a net "
                   "importer, or the importer's largest supplier itself, is never offered as an alternative "
                   "(listed under not_offered, with the reason)",
    "available": "max(0, min(net exports, exports not already sold to the importer)): what could be redirected "
                 "at today's volumes, by value (USD) and, where the flows report them, tonnes",
    "reexport_share": "min(1, the exporter's imports / its exports): the most of its exports that can be "
                      "re-exports; origin_top_share is the part that can trace back to the importer's own top "
                      "supplier (re-exports pass their origin through)",
    "cover_top_share": "min(1, available / the importer's imports from its largest supplier): an upper bound at "
                       "today's volumes",
    "cover_imports_share": "min(1, available / the importer's total imports of the product)",
    "small": f"covered value under USD {MIN_VALUE_USD:,.0f} or under {MIN_SHARE:.0%} of the importer's imports "
             "of the product: too small to matter (a stated threshold, not a standard)",
    "priority": "rows to act on first: material rows, then by covered value, then by HHI",
}


NET_IMPORTER = "net importer: it imports more of the product than it exports, so it has no net exports to offer"
ALREADY_TOP = ("already the importer's largest supplier: there is no supplier of its own to replace, so its "
               "spare exports are no alternative")


def _not_offered_reason(row: dict[str, object]) -> str | None:
    """Why a row is no alternative (a net importer, or the very supplier to be replaced), or None if it is one."""
    if not row["net_exporter"]:
        return NET_IMPORTER
    if row["top_supplier"] == row["exporter"]:
        return ALREADY_TOP
    return None


def partner_complementarity(trade: TradeService, first: str = "JPN", second: str = "IND", *,
                            year: int | None = None, concentrated_only: bool = True) -> dict[str, object]:
    """Per product, where one partner is a net exporter of what the other imports from a concentrated
    supplier; the partner's net importers of those products are listed apart, never offered."""
    a, b = trade.countries.resolve(first), trade.countries.resolve(second)
    datasets, info, _ = trade.choose(year=year, source=None, hs_revision=None)
    chosen_year = datasets[0].year
    codes = [p.hs6 for p in trade_products.PRODUCTS]
    rows, not_offered = [], []
    for exporter, importer in ((a, b), (b, a)):
        for row in trade.ask(questions.partner_complementarity, datasets, exporter=exporter, importer=importer,
                             year=chosen_year, codes=codes):
            if concentrated_only and not row["concentrated"]:
                continue
            product = trade_products.product(row["product"])
            row = {**row, "product_name": product.name, "basket": product.basket,
                   "basket_label": product.basket_label if product.basket else "",
                   "top_supplier_name": trade.countries.name_of(row["top_supplier"])}
            reason = _not_offered_reason(row)
            if reason is None:
                rows.append(row)
            else:
                not_offered.append({key: row[key] for key in (
                    "exporter", "importer", "product", "product_name", "basket_label", "export_value_usd",
                    "own_import_value_usd", "net_export_value_usd")} | {"reason": reason})
    rows.sort(key=lambda r: (r["small"], -r["covered_value_usd"], -r["hhi"], r["product"], r["exporter"]))
    for position, row in enumerate(rows, start=1):
        row["priority"] = position
    not_offered.sort(key=lambda r: (r["product"], r["exporter"]))
    return {
        "partners": [a, b], "names": {a: trade.countries.name_of(a), b: trade.countries.name_of(b)},
        "year": chosen_year, "concentrated_only": concentrated_only,
        "rows": rows,
        "not_offered": not_offered,
        "source": {"dataset": info.dataset, "edition": info.edition, "hs_revision": info.hs_revision,
                   "years": list(info.years), "bundled": info.bundled, "attribution": info.attribution},
        "method": METHOD,
    }
