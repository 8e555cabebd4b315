"""Trade dependence and concentration, written once as Ibis expressions.

Every function takes Ibis table expressions with the trade catalog's columns (``year, month, flow,
exporter, importer, product, value_usd, quantity_tonnes``) and returns a new, unexecuted expression.
Nothing here opens a file or a connection: :mod:`setu.store.trade` binds the inputs to DuckDB or Spark
and executes, so each analytic has exactly one definition whatever the engine.

Formulas
    share of supplier *i* in an importer's imports of a product:  sᵢ = vᵢ / Σⱼ vⱼ           (0–1)
    Herfindahl–Hirschman index:                                   HHI = 10,000 · Σᵢ sᵢ²      (10,000/n … 10,000)
(Hirschman 1945; Herfindahl 1950; scale as in the U.S. DOJ/FTC Merger Guidelines 2023, §2.1). Only
positive flows count as suppliers. Values are whole US dollars and quantities are summed in whole
kilograms (:func:`tonnes_sum`), so sums are exact on every engine and in every order of addition;
HHI is rounded to 6 decimals so that the order in which an engine adds the squares (last-bit
differences) does not show, except in the rare case of a value on a rounding boundary.
Ties are broken explicitly — by value descending, then ISO3 code ascending — because engines order
equal rows differently.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
from ibis import _

HHI_DECIMALS = 6


def tonnes_sum(column: ibis.NumericColumn, where: ibis.BooleanValue | None = None) -> ibis.NumericScalar:
    """Σ of a column of tonnes, added in whole kilograms and given back in tonnes.

    Quantities are reported in tonnes to three decimals (BACI) or in kilograms (UN Comtrade), so whole
    kilograms lose nothing; adding integers makes the total exact and the same whatever order a parallel
    engine adds the rows in (floating-point sums of fractional tonnes differ in the last bit from run to run
    and between engines)."""
    return (column * 1000).round().sum(where=where) / 1000


def as_reported(flows: ibis.Table, flow: str = "M") -> ibis.Table:
    """Rows of reconciled data (BACI: ``flow`` null) plus rows reported with ``flow`` ("M" or "X")."""
    return flows.filter(flows.flow.isnull() | (flows.flow == flow))


def _totals(values: ibis.Table, keys: list[str]) -> ibis.Table:
    """Add ``total_value_usd``, ``top_value_usd`` (the largest value) and ``share`` within ``keys``.

    Windows without an order: the engine only partitions, it does not sort (cheap on every pair at once).
    """
    window = ibis.window(group_by=keys)
    with_totals = values.mutate(
        total_value_usd=values.value_usd.sum().over(window),
        top_value_usd=values.value_usd.max().over(window),
    )
    return with_totals.mutate(share=with_totals.value_usd / with_totals.total_value_usd)


def _shares(values: ibis.Table, keys: list[str], party: str) -> ibis.Table:
    """:func:`_totals` plus ``rank`` (0 = largest; ties by ISO3 code) for listing parties in order."""
    ranking = ibis.window(group_by=keys, order_by=[ibis.desc("value_usd"), ibis.asc(party)])
    totals = _totals(values, keys)
    return totals.mutate(rank=ibis.row_number().over(ranking))


def supplier_values(flows: ibis.Table, *, keyed: bool = False) -> ibis.Table:
    """Positive import values per (importer, product, year, exporter).

    ``keyed=True`` says that ``flows`` already hold at most one row per (importer, product, year, exporter)
    — one year of BACI, as checked on import — so the (costly, 11-million-group) re-aggregation is skipped.
    """
    keys = ["importer", "product", "year", "exporter"]
    totals = flows.select(*keys, "value_usd") if keyed else flows.group_by(keys).aggregate(value_usd=_.value_usd.sum())
    return totals.filter(totals.value_usd > 0)


def hhi(share: ibis.Column) -> ibis.Scalar:
    """HHI = 10,000 · Σ sᵢ² over a column of shares: a reduction, usable as an aggregate or over a window."""
    return (share * share).sum() * 10_000


def supplier_shares(flows: ibis.Table, importer: str, product: str, year: int) -> ibis.Table:
    """One importer's suppliers of one product in one year: value, share, rank; largest first."""
    selected = flows.filter((flows.importer == importer) & (flows.product == product) & (flows.year == year))
    shares = _shares(supplier_values(selected), ["importer", "product", "year"], "exporter")
    return shares.order_by("rank")


def import_dependence(flows: ibis.Table, importer: str, product: str, year: int,
                      group: Sequence[str] = ()) -> ibis.Table:
    """An importer's dependence on its suppliers of one product, in one query.

    One row per supplier (largest first) with ``value_usd``, ``share`` and ``rank``, and on every row the
    pair's ``total_value_usd``, ``supplier_count``, ``hhi`` and the value and share of suppliers in ``group``.
    """
    shares = supplier_shares(flows, importer, product, year)
    whole = ibis.window(group_by=["importer", "product", "year"])
    in_group = shares.exporter.isin(list(group)) if group else ibis.literal(False)
    summary = shares.mutate(
        supplier_count=shares.count().over(whole),
        hhi=hhi(shares.share).over(whole).round(HHI_DECIMALS),
        group_value_usd=in_group.ifelse(shares.value_usd, 0.0).sum().over(whole),
    )
    return summary.mutate(group_share=summary.group_value_usd / summary.total_value_usd).order_by("rank")


def concentration_summary(values: ibis.Table, keys: list[str], party: str, prefix: str) -> ibis.Table:
    """Collapse positive values (one row per ``party`` within ``keys``) to one row per ``keys`` in one pass:
    total, count, HHI, the largest ``party`` and its share.

    HHI = 10,000 · Σᵢ vᵢ² / (Σᵢ vᵢ)², the same as 10,000 · Σᵢ sᵢ² with one division instead of one per party, so
    that an engine needs no window (every pair of a year in one aggregation). The largest party is the one with
    the top value; of several, the first ISO3 code: the least (−value, code).
    """
    total = values.value_usd.sum()
    return values.group_by(keys).aggregate(
        total_value_usd=total,
        **{
            f"{prefix}_count": values.count(),
            "hhi": ((values.value_usd * values.value_usd).sum() / (total * total) * 10_000).round(HHI_DECIMALS),
            f"top_{prefix}": values[party].argmin(ibis.struct({"value": -values.value_usd, "code": values[party]})),
            "top_share": values.value_usd.max() / total,
        },
    )


def import_concentration(flows: ibis.Table, *, keyed: bool = False) -> ibis.Table:
    """For every (importer, product, year): total imports, supplier count, HHI, top supplier and its share.

    ``keyed``: see :func:`supplier_values`.
    """
    keys = ["importer", "product", "year"]
    return concentration_summary(supplier_values(flows, keyed=keyed), keys, "exporter", "supplier")


def group_share(shares: ibis.Table, members: Sequence[str]) -> ibis.Table:
    """Share (0–1) and value of the rows whose supplier is in ``members`` (a list of ISO3 codes)."""
    inside = shares.filter(shares.exporter.isin(list(members)))
    summary = inside.aggregate(group_value_usd=inside.value_usd.sum().fill_null(0),
                               total_value_usd=inside.total_value_usd.max())
    return summary.select(summary.group_value_usd,
                          group_share=(summary.group_value_usd / summary.total_value_usd).fill_null(0))


def exporter_values(flows: ibis.Table) -> ibis.Table:
    """Positive export values per (product, year, exporter), summed over all importers."""
    totals = flows.group_by(["product", "year", "exporter"]).aggregate(value_usd=_.value_usd.sum())
    return totals.filter(totals.value_usd > 0)


def exporter_shares(flows: ibis.Table, product: str, year: int) -> ibis.Table:
    """Exporters' shares of world exports of one product in one year; largest first."""
    selected = flows.filter((flows.product == product) & (flows.year == year))
    return _shares(exporter_values(selected), ["product", "year"], "exporter").order_by("rank")


def export_concentration(flows: ibis.Table) -> ibis.Table:
    """For every (product, year): world exports, exporter count, HHI of exporters, top exporter and share."""
    keys = ["product", "year"]
    return concentration_summary(exporter_values(flows), keys, "exporter", "exporter")


def monthly_series(flows: ibis.Table, product: str, *, exporter: str | None = None,
                   importer: str | None = None) -> ibis.Table:
    """Value and quantity of one product by (year, month), optionally for one exporter and/or importer."""
    selected = flows.filter(flows.product == product)
    if exporter is not None:
        selected = selected.filter(selected.exporter == exporter)
    if importer is not None:
        selected = selected.filter(selected.importer == importer)
    series = selected.group_by(["year", "month"]).aggregate(
        value_usd=_.value_usd.sum(), quantity_tonnes=tonnes_sum(_.quantity_tonnes)
    )
    return series.order_by(["year", "month"])


def convert_hs(flows: ibis.Table, concordance: ibis.Table) -> ibis.Table:
    """Re-express flows in another HS revision through a concordance (``source_code`` → ``target_code``).

    Each source code must map to one target code (UNSD conversion tables do, for newer → older); flows of
    codes absent from the concordance keep their code. Values and quantities are summed per target code.
    """
    joined = flows.left_join(concordance, flows.product == concordance.source_code)
    converted = joined.mutate(product=joined.target_code.fill_null(joined.product))
    keys = ["year", "month", "flow", "exporter", "importer", "product"]
    return converted.group_by(keys).aggregate(
        value_usd=_.value_usd.sum(), quantity_tonnes=tonnes_sum(_.quantity_tonnes)
    )


def importer_products(flows: ibis.Table, importer: str, year: int, group: Sequence[str] = ()) -> ibis.Table:
    """Every product one importer buys in one year: one row each with its imports and their concentration.

    Columns: ``total_value_usd``, ``quantity_tonnes`` (the sum over flows that report one) and
    ``quantity_value_usd`` (the value of those flows, so that the tonnes' coverage can be stated),
    ``supplier_count``, ``hhi``, ``top_supplier`` (ties: first ISO3), ``top_share`` and ``group_value_usd`` /
    ``group_share`` for the suppliers in ``group``.
    """
    keys = ["importer", "product", "year"]
    selected = flows.filter((flows.importer == importer) & (flows.year == year))
    values = selected.group_by([*keys, "exporter"]).aggregate(
        value_usd=_.value_usd.sum(),
        quantity_tonnes=tonnes_sum(_.quantity_tonnes),
        quantity_value_usd=_.value_usd.sum(where=_.quantity_tonnes.notnull()),
    )
    shares = _totals(values.filter(values.value_usd > 0), keys)
    in_group = shares.exporter.isin(list(group)) if group else ibis.literal(False)
    summary = shares.group_by(keys).aggregate(
        total_value_usd=shares.value_usd.sum(),
        quantity_tonnes=tonnes_sum(shares.quantity_tonnes),
        quantity_value_usd=shares.quantity_value_usd.sum().fill_null(0),
        supplier_count=shares.count(),
        hhi=hhi(shares.share).round(HHI_DECIMALS),
        top_supplier=shares.exporter.min(where=shares.value_usd == shares.top_value_usd),
        top_share=shares.share.max(),
        group_value_usd=in_group.ifelse(shares.value_usd, 0.0).sum(),
    )
    return summary.mutate(group_share=summary.group_value_usd / summary.total_value_usd).order_by(
        [ibis.desc("total_value_usd"), "product"])


def importer_suppliers(flows: ibis.Table, importer: str, year: int, top: int | None = None) -> ibis.Table:
    """One importer's suppliers of every product in one year: value, tonnes, share and rank (0 = largest,
    ties by ISO3), the ``top`` largest per product if given."""
    keys = ["importer", "product", "year"]
    selected = flows.filter((flows.importer == importer) & (flows.year == year))
    values = selected.group_by([*keys, "exporter"]).aggregate(value_usd=_.value_usd.sum(),
                                                              quantity_tonnes=tonnes_sum(_.quantity_tonnes))
    shares = _shares(values.filter(values.value_usd > 0), keys, "exporter")
    if top is not None:
        shares = shares.filter(shares["rank"] < top)
    return shares.order_by(["product", "rank"])


def product_flows(flows: ibis.Table, products: Sequence[str], year: int) -> ibis.Table:
    """Positive flows of some products in one year, one row per (exporter, importer, product), with tonnes:
    the input of the complementarity analysis, which joins both partners' exports and imports."""
    selected = flows.filter(flows["product"].isin(list(products)) & (flows.year == year))
    totals = selected.group_by(["exporter", "importer", "product", "year"]).aggregate(
        value_usd=_.value_usd.sum(), quantity_tonnes=tonnes_sum(_.quantity_tonnes))
    return totals.filter(totals.value_usd > 0)


def world_export_shares(flows: ibis.Table, year: int) -> ibis.Table:
    """Every exporter's share of world exports of every product in one year (for the upstream look-through)."""
    return _totals(exporter_values(flows.filter(flows.year == year)), ["product", "year"])


def supplier_shares_by_year(flows: ibis.Table, importer: str, product: str) -> ibis.Table:
    """One importer's suppliers of one product in every year the flows hold: value, share of the year's
    listed value, rank (0 = largest; ties by ISO3). For a partial series (the top-6 history) the shares are of
    the listed flows only, and the callers say so."""
    selected = flows.filter((flows.importer == importer) & (flows["product"] == product))
    shares = _shares(supplier_values(selected), ["importer", "product", "year"], "exporter")
    return shares.order_by(["year", "rank"])
