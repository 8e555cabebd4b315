"""The trade-history page: an importer's largest suppliers of one product, 2002–2024, as ``setu trade history``.

The bundled history is PARTIAL by construction (each importer's six largest suppliers and each exporter's
six largest customers per year), so the page charts the *listed* value, never a total, and each supplier's
share of the listed flows; coverage (listed / complete imports) appears where the catalog holds a complete
year. The document is the CLI's ``--json`` document plus its figures.
"""

from __future__ import annotations

from typing import Any

from setu.reference import trade_products
from setu.settings import Settings
from setu.web import charts


def products() -> list[dict[str, str]]:
    """The bundled HS6 codes the history covers, for the page's product list."""
    return [{"product": p.hs6, "name": p.name} for p in sorted(trade_products.PRODUCTS, key=lambda p: p.hs6)]


def history_document(settings: Settings, importer: str, product: str, top: int = 3) -> dict[str, Any]:
    from setu.services.trade import TradeService  # Ibis and the trade catalog: when the page is opened

    service = TradeService(settings)
    try:
        document = service.history(importer, product, top=top)
    finally:
        service.close()
    years = [y["year"] for y in document["years"]]
    source = f"{document['source']['dataset']}; {document['source']['attribution']}; years {years[0]}–{years[-1]}"
    name = trade_products.product(document["product"]).name
    suppliers: list[str] = []
    for year in document["years"]:
        suppliers.extend(s["country"] for s in year["top_suppliers"] if s["country"] not in suppliers)
    share_lines = [(country, years, [next((s["share_of_listed"] for s in y["top_suppliers"] if s["country"] == country),
                                          None) for y in document["years"]]) for country in suppliers[:8]]
    figures = {
        "listed": charts.lines([("listed flows (not a total)", years, [y["listed_value_usd"] for y in document["years"]])],
                               f"{document['importer']}: listed imports of {document['product']} {name}, by year",
                               source, x_axis="year", y_axis="USD (listed flows only)", whole_x=len(years) < 15),
        "shares": charts.lines(share_lines, f"{document['importer']}: largest suppliers' shares of the listed flows",
                               source, x_axis="year", y_axis="share of listed flows", percent=True),
    }
    return {**document, "page": "trade-history", "product_name": name, "figures": figures, "source_text": source,
            "state": {"importer": document["importer"], "product": document["product"], "top": top}}
