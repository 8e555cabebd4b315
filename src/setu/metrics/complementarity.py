"""Complementarity of two partners' trade, product by product, on NET exports, as one Ibis expression.

Where one partner (the *exporter*) is a net exporter of a product that the other (the *importer*) buys from
a concentrated set of suppliers, the exporter's net exports that go to third countries today could replace
part of the importer's purchases from its largest supplier ("collective resilience"). Gross exports are not
an alternative: a country that imports more of a product than it exports adds nothing to world supply, and
what it re-exports comes from its own suppliers (often the very supplier to be replaced). So, per product:

    import side   import_value_usd, import_tonnes, supplier_count, hhi (10,000 · Σ sᵢ²), top_supplier (ties: by
                  value, then ISO3), top_value_usd / top_tonnes / top_share, partner_value_usd / partner_share
                  (what the importer already buys from the exporter)
    exporter      export_value_usd X (to the world), own_import_value_usd M (from the world),
                  net_export_value_usd = X − M, net_exporter = X > M;
                  available_value_usd = max(0, min(X − M, X − X_I)): net exports not already sold to the
                  importer (X_I), what could be redirected at today's volumes; the same in tonnes where the
                  flows report them (available_tonnes);
                  reexport_share = min(1, M / X), the most of X that can be re-exports (imports passed on), and
                  origin_top_share = reexport_share · M_T / M, the part of X that can trace back to the
                  importer's own top supplier T (re-exports pass their origin through)
    coverage      cover_top_share_value = min(1, available / top_value_usd), likewise by tonnes where known,
                  cover_imports_share_value = min(1, available / import_value_usd),
                  covered_value_usd = min(available, top_value_usd); null / 0 where the exporter is a net
                  importer (never offered) or the top supplier itself (nothing to replace)
    materiality   small = covered_value_usd < min_value_usd (default USD 1 million) or covers less than
                  min_share (default 1 %) of the importer's imports of the product: too small to matter
    concentrated  hhi > 1,800: "highly concentrated" in the U.S. DOJ/FTC Merger Guidelines 2023, §2.1.

Rows are ordered for action: material rows first, then by covered value (descending), HHI (descending) and
product. Values are BACI's (USD, FOB); tonnes are metric tons. Netting follows the trade-balance reading of
revealed comparative advantage (a net exporter supplies the world market; Lafay 1992, "The measurement of
revealed comparative advantages", in Dagenais & Muet, *International Trade Modelling*, pp. 209-234).
Redirecting exports assumes the exporter's buyers elsewhere can be served otherwise: an upper bound at
today's volumes, not a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Ibis loads when the expression is built: the thresholds below are read without it
    import ibis

HIGHLY_CONCENTRATED_HHI = 1800.0
#: Below these a row is flagged as too small to matter (a judgement stated in every output, not a standard).
MIN_VALUE_USD = 1_000_000.0
MIN_SHARE = 0.01


def _importer_side(selected: ibis.Table, importer: str, exporter: str) -> ibis.Table:
    """The importer's purchases per product: totals, concentration, its top supplier, the exporter's part."""
    import ibis
    from ibis import _

    from setu.metrics.trade import HHI_DECIMALS, tonnes_sum

    bought = selected.filter(selected.importer == importer).group_by(["product", "exporter"]).aggregate(
        value_usd=_.value_usd.sum(), quantity_tonnes=tonnes_sum(_.quantity_tonnes))
    bought = bought.filter(bought.value_usd > 0)
    by_product = ibis.window(group_by="product")
    ranking = ibis.window(group_by="product", order_by=[ibis.desc("value_usd"), ibis.asc("exporter")])
    bought = bought.mutate(total=bought.value_usd.sum().over(by_product), rank=ibis.row_number().over(ranking))
    share = bought.value_usd / bought.total
    return bought.group_by("product").aggregate(
        import_value_usd=bought.value_usd.sum(),
        import_tonnes=tonnes_sum(bought.quantity_tonnes),
        supplier_count=bought.count(),
        hhi=((share * share).sum() * 10_000).round(HHI_DECIMALS),
        top_supplier=bought.exporter.min(where=bought["rank"] == 0),
        top_value_usd=bought.value_usd.max(where=bought["rank"] == 0),
        top_tonnes=bought.quantity_tonnes.max(where=bought["rank"] == 0),
        partner_value_usd=bought.value_usd.sum(where=bought.exporter == exporter).fill_null(0),
    )


def complementarity(flows: ibis.Table, exporter: str, importer: str, year: int,
                    products: Sequence[str] | None = None, *, min_value_usd: float = MIN_VALUE_USD,
                    min_share: float = MIN_SHARE) -> ibis.Table:
    """The exporter's capacity, on net exports, to cover the importer's concentrated imports: one row per
    product the importer buys and the exporter sells (net importers included, marked ``net_exporter`` false)."""
    import ibis
    from ibis import _

    from setu.metrics.trade import tonnes_sum

    selected = flows.filter((flows.year == year) & (flows.value_usd > 0))
    if products is not None:
        selected = selected.filter(selected["product"].isin(list(products)))
    imports = _importer_side(selected, importer, exporter)
    sold = selected.filter(selected.exporter == exporter)
    exports = sold.group_by("product").aggregate(
        export_value_usd=sold.value_usd.sum(),
        export_tonnes=tonnes_sum(sold.quantity_tonnes),
        to_importer_value_usd=sold.value_usd.sum(where=sold.importer == importer).fill_null(0),
        to_importer_tonnes=tonnes_sum(sold.quantity_tonnes, where=sold.importer == importer).fill_null(0),
    )
    own = selected.filter(selected.importer == exporter).group_by(["product", "exporter"]).aggregate(
        value_usd=_.value_usd.sum(), quantity_tonnes=tonnes_sum(_.quantity_tonnes))
    both = imports.inner_join(exports, "product")
    # the exporter's own imports: in total, and from the importer's top supplier (for the origin pass-through)
    origin = both.select("product", "top_supplier").left_join(own, "product")
    origin = origin.group_by("product").aggregate(
        own_import_value_usd=origin.value_usd.sum().fill_null(0),
        own_import_tonnes=tonnes_sum(origin.quantity_tonnes),
        own_import_from_top_usd=origin.value_usd.sum(where=origin.exporter == origin.top_supplier).fill_null(0),
        own_import_flows=origin.value_usd.count(),
    )
    both = both.inner_join(origin, "product")
    # tonnes of the exporter's imports: 0 where it imports nothing, unknown where its imports report none
    own_tonnes = (both.own_import_flows == 0).ifelse(0.0, both.own_import_tonnes)
    net_value = both.export_value_usd - both.own_import_value_usd
    net_tonnes = both.export_tonnes - own_tonnes
    net_exporter = net_value > 0
    available_value = ibis.greatest(0, ibis.least(net_value, both.export_value_usd - both.to_importer_value_usd))
    # explicit null checks: engines' least()/greatest() skip nulls, which would turn unknown tonnes into a number
    tonnes_known = both.export_tonnes.notnull() & own_tonnes.notnull()
    available_tonnes = tonnes_known.ifelse(
        ibis.greatest(0.0, ibis.least(net_tonnes, both.export_tonnes - both.to_importer_tonnes)), ibis.null())
    reexport = ibis.least(1.0, both.own_import_value_usd / both.export_value_usd)
    offered = net_exporter & (both.top_supplier != exporter)
    covered = offered.ifelse(ibis.least(available_value, both.top_value_usd), 0.0)
    table = both.mutate(
        exporter=ibis.literal(exporter), importer=ibis.literal(importer), year=ibis.literal(year),
        top_share=both.top_value_usd / both.import_value_usd,
        partner_share=both.partner_value_usd / both.import_value_usd,
        net_export_value_usd=net_value,
        net_export_tonnes=tonnes_known.ifelse(net_tonnes, ibis.null()),
        net_exporter=net_exporter,
        available_value_usd=net_exporter.ifelse(available_value, 0),
        available_tonnes=net_exporter.ifelse(available_tonnes, ibis.null()),
        reexport_share=reexport,
        origin_top_share=(both.own_import_value_usd > 0).ifelse(
            reexport * both.own_import_from_top_usd / both.own_import_value_usd, 0.0),
        cover_top_share_value=offered.ifelse(ibis.least(1.0, available_value / both.top_value_usd), ibis.null()),
        cover_top_share_tonnes=(offered & (both.top_tonnes > 0) & available_tonnes.notnull()).ifelse(
            ibis.least(1.0, available_tonnes / both.top_tonnes), ibis.null()),
        cover_imports_share_value=net_exporter.ifelse(
            ibis.least(1.0, available_value / both.import_value_usd), ibis.null()),
        covered_value_usd=covered,
        small=(covered < min_value_usd) | (covered / both.import_value_usd < min_share),
        concentrated=both.hhi > HIGHLY_CONCENTRATED_HHI,
    )
    return table.drop("own_import_flows").order_by(
        ["small", ibis.desc("covered_value_usd"), ibis.desc("hhi"), "product"])
