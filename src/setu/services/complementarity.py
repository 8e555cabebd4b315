"""Japan–India (or any two partners') complementarity on the bundled critical-material products.

Both directions of :func:`setu.metrics.complementarity.complementarity`, executed by the trade engine and
assembled into one JSON-ready document (the CLI table, its --json twin and the web page share it).
"""

from __future__ import annotations

from setu.metrics.complementarity import HIGHLY_CONCENTRATED_HHI, complementarity
from setu.reference import trade_products
from setu.services.trade import TradeService

METHOD = {
    "concentrated": f"the importer's HHI of suppliers > {HIGHLY_CONCENTRATED_HHI:,.0f} (highly concentrated, "
                    "U.S. DOJ/FTC Merger Guidelines 2023, section 2.1)",
    "spare_exports": "the exporter's exports of the product to the world minus what it already sells the importer",
    "cover_top_share": "min(1, spare exports / the importer's imports from its largest supplier), by value (USD) "
                       "and, where both sides report quantities, by tonnes: an upper bound at today's volumes",
    "cover_imports_share": "min(1, spare exports / the importer's total imports of the product)",
}


def partner_complementarity(trade: TradeService, first: str = "JPN", second: str = "IND", *,
                            year: int | None = None, concentrated_only: bool = True) -> dict[str, object]:
    """Per product, where one partner exports what the other imports from a concentrated supplier."""
    a, b = trade.countries.resolve(first), trade.countries.resolve(second)
    flows, datasets, info = trade.flows(year=year, source=None, hs_revision=None)
    chosen_year = datasets[0].year
    codes = [p.hs6 for p in trade_products.PRODUCTS]
    rows = []
    for exporter, importer in ((a, b), (b, a)):
        for row in trade.engine.execute(complementarity(flows, exporter, importer, chosen_year, codes)).to_pylist():
            if concentrated_only and not row["concentrated"]:
                continue
            rows.append({**row, "product_name": trade_products.product(row["product"]).name,
                         "top_supplier_name": trade.countries.name_of(row["top_supplier"])})
    rows.sort(key=lambda r: (-r["covered_value_usd"], r["product"], r["exporter"]))
    return {
        "partners": [a, b], "names": {a: trade.countries.name_of(a), b: trade.countries.name_of(b)},
        "year": chosen_year, "concentrated_only": concentrated_only,
        "rows": rows,
        "source": {"dataset": info.dataset, "edition": info.edition, "hs_revision": info.hs_revision,
                   "years": list(info.years), "bundled": info.bundled, "attribution": info.attribution},
        "method": METHOD,
    }
