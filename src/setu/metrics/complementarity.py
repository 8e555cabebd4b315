"""Complementarity of two partners' trade, product by product, as one Ibis expression.

Where one partner (the *exporter*) sells abroad a product that the other (the *importer*) buys from a
concentrated set of suppliers, the exporter's exports that go to third countries today could replace part of
the importer's purchases from its largest supplier ("collective resilience"). For every product both trade:

    import side   import_value_usd, import_tonnes, supplier_count, hhi (10,000 · Σ sᵢ²), top_supplier (ties: by
                  value, then ISO3), top_value_usd / top_tonnes / top_share, partner_value_usd / partner_share
                  (what the importer already buys from the exporter)
    export side   export_value_usd, export_tonnes (to the world), spare_export_value_usd / spare_export_tonnes
                  (exports not already going to the importer: what could be redirected at today's volumes)
    coverage      cover_top_share_value = min(1, spare_export_value_usd / top_value_usd),
                  cover_top_share_tonnes = min(1, spare_export_tonnes / top_tonnes) where both report tonnes,
                  cover_imports_share_value = min(1, spare_export_value_usd / import_value_usd),
                  covered_value_usd = min(spare_export_value_usd, top_value_usd);
                  coverage is null where the top supplier is the exporter itself (nothing to replace).
    concentrated  hhi > 1,800: "highly concentrated" in the U.S. DOJ/FTC Merger Guidelines 2023, §2.1.

Rows are ordered by covered value (descending), then product. Values are BACI's (USD, FOB); tonnes are
metric tons. Redirecting exports assumes the exporter's buyers elsewhere can be served otherwise: an upper
bound at today's volumes, not a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
from ibis import _

from setu.metrics.trade import HHI_DECIMALS

HIGHLY_CONCENTRATED_HHI = 1800.0


def complementarity(flows: ibis.Table, exporter: str, importer: str, year: int,
                    products: Sequence[str] | None = None) -> ibis.Table:
    """The exporter's capacity to cover the importer's concentrated imports, one row per product both trade."""
    selected = flows.filter(flows.year == year)
    if products is not None:
        selected = selected.filter(selected["product"].isin(list(products)))
    bought = selected.filter(selected.importer == importer).group_by(["product", "exporter"]).aggregate(
        value_usd=_.value_usd.sum(), quantity_tonnes=_.quantity_tonnes.sum())
    bought = bought.filter(bought.value_usd > 0)
    by_product = ibis.window(group_by="product")
    ranking = ibis.window(group_by="product", order_by=[ibis.desc("value_usd"), ibis.asc("exporter")])
    bought = bought.mutate(total=bought.value_usd.sum().over(by_product), rank=ibis.row_number().over(ranking))
    share = bought.value_usd / bought.total
    imports = bought.group_by("product").aggregate(
        import_value_usd=bought.value_usd.sum(),
        import_tonnes=bought.quantity_tonnes.sum(),
        supplier_count=bought.count(),
        hhi=((share * share).sum() * 10_000).round(HHI_DECIMALS),
        top_supplier=bought.exporter.min(where=bought["rank"] == 0),
        top_value_usd=bought.value_usd.max(where=bought["rank"] == 0),
        top_tonnes=bought.quantity_tonnes.max(where=bought["rank"] == 0),
        partner_value_usd=bought.value_usd.sum(where=bought.exporter == exporter).fill_null(0),
    )
    sold = selected.filter((selected.exporter == exporter) & (selected.value_usd > 0))
    exports = sold.group_by("product").aggregate(
        export_value_usd=sold.value_usd.sum(),
        export_tonnes=sold.quantity_tonnes.sum(),
        to_importer_value_usd=sold.value_usd.sum(where=sold.importer == importer).fill_null(0),
        to_importer_tonnes=sold.quantity_tonnes.sum(where=sold.importer == importer).fill_null(0),
    )
    both = imports.inner_join(exports, "product")
    spare_value = both.export_value_usd - both.to_importer_value_usd
    spare_tonnes = both.export_tonnes - both.to_importer_tonnes
    replaceable = both.top_supplier != exporter
    table = both.mutate(
        exporter=ibis.literal(exporter), importer=ibis.literal(importer), year=ibis.literal(year),
        top_share=both.top_value_usd / both.import_value_usd,
        partner_share=both.partner_value_usd / both.import_value_usd,
        spare_export_value_usd=spare_value,
        spare_export_tonnes=spare_tonnes,
        cover_top_share_value=replaceable.ifelse(ibis.least(1.0, spare_value / both.top_value_usd), ibis.null()),
        # explicit: engines' least() skips nulls, which would turn unknown tonnes into full coverage
        cover_top_share_tonnes=(replaceable & (both.top_tonnes > 0) & spare_tonnes.notnull()).ifelse(
            ibis.least(1.0, spare_tonnes / both.top_tonnes), ibis.null()),
        cover_imports_share_value=ibis.least(1.0, spare_value / both.import_value_usd),
        covered_value_usd=replaceable.ifelse(ibis.least(spare_value, both.top_value_usd), 0.0),
        concentrated=both.hhi > HIGHLY_CONCENTRATED_HHI,
    )
    return table.order_by([ibis.desc("covered_value_usd"), "product"])
