"""The trade questions the services ask, each one function of the flows and its parameters.

``question(flows, **params)`` composes the Ibis analytics of :mod:`setu.metrics.trade`,
:mod:`setu.metrics.unit_values` and :mod:`setu.metrics.complementarity` into the expression that answers one
question; ``flows`` are the catalog's flows as reported (:func:`setu.metrics.trade.as_reported`). The trade
engine either executes the expression (Spark, converted flows) or runs the DuckDB SQL compiled from it once
(:mod:`setu.store.trade_sql`): scalar parameters (countries, a product, a year) are bound at run time, lists
and flags shape the SQL. Ibis is imported inside each function, so naming a question costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def dependence(flows: Any, *, importer: str, product: str, year: int, group: Sequence[str] = ()) -> Any:
    """:func:`setu.metrics.trade.import_dependence`: one importer's suppliers of one product."""
    from setu.metrics import trade

    return trade.import_dependence(flows, importer, product, year, list(group))


def importer_suppliers(flows: Any, *, importer: str, year: int) -> Any:
    """:func:`setu.metrics.trade.importer_suppliers`: one importer's suppliers of every product in one year."""
    from setu.metrics import trade

    return trade.importer_suppliers(flows, importer, year)


CONCENTRATION_COLUMNS = ["importer", "product", "year", "total_value_usd", "supplier_count", "hhi", "top_supplier",
                         "top_share"]


def import_concentration(flows: Any, *, keyed: bool) -> Any:
    """:func:`setu.metrics.trade.import_concentration` of every (importer, product, year), in display columns."""
    from setu.metrics import trade

    return trade.import_concentration(flows, keyed=keyed).select(CONCENTRATION_COLUMNS)


def product_unit_values(flows: Any, *, product: str, year: int) -> Any:
    """:func:`setu.metrics.unit_values.flow_unit_values` of one product's flows in one year."""
    from setu.metrics import unit_values

    return unit_values.flow_unit_values(flows, year, [product])


def _screen(flows: Any, year: int, codes: Sequence[str], screened: Sequence[str]) -> tuple[Any, Any]:
    """The flows of ``codes`` and the unit-value screen of the ``screened`` ones (customs baskets left out)."""
    from setu.metrics import unit_values

    chosen = flows.filter(flows["product"].isin(list(codes)))
    return chosen, unit_values.flow_unit_values(chosen, year, list(screened) or ["-"])


def _selected(flows: Any, year: int, codes: Sequence[str], screened: Sequence[str], exclude_flagged: bool) -> Any:
    from setu.metrics import unit_values

    chosen, screen = _screen(flows, year, codes, screened)
    return unit_values.without_flagged(chosen, screen) if exclude_flagged else chosen


def screen_centres(flows: Any, *, year: int, codes: Sequence[str], screened: Sequence[str]) -> Any:
    """Per screened product: the world median unit value, the robust spread and the flows behind them."""
    _, screen = _screen(flows, year, codes, screened)
    return screen.select("product", "world_median_usd_per_kg", "robust_spread_log", "product_flows",
                         "screened").distinct()


def screen_flagged(flows: Any, *, importer: str, year: int, codes: Sequence[str], screened: Sequence[str]) -> Any:
    """One importer's flows that the unit-value screen flags."""
    _, screen = _screen(flows, year, codes, screened)
    return screen.filter(screen.flagged & (screen.importer == importer))


def country_products(flows: Any, *, importer: str, year: int, codes: Sequence[str], screened: Sequence[str],
                     exclude_flagged: bool, group: Sequence[str]) -> Any:
    """:func:`setu.metrics.trade.importer_products` over ``codes`` (flagged flows out if asked)."""
    from setu.metrics import trade

    return trade.importer_products(_selected(flows, year, codes, screened, exclude_flagged), importer, year,
                                   list(group))


def country_suppliers(flows: Any, *, importer: str, year: int, codes: Sequence[str], screened: Sequence[str],
                      exclude_flagged: bool) -> Any:
    """:func:`setu.metrics.trade.importer_suppliers` over ``codes`` (flagged flows out if asked)."""
    from setu.metrics import trade

    return trade.importer_suppliers(_selected(flows, year, codes, screened, exclude_flagged), importer, year)


def world_product_flows(flows: Any, *, year: int, codes: Sequence[str], screened: Sequence[str],
                        exclude_flagged: bool, wanted: Sequence[str]) -> Any:
    """:func:`setu.metrics.trade.product_flows` of ``wanted`` among ``codes`` (flagged flows out if asked)."""
    from setu.metrics import trade

    return trade.product_flows(_selected(flows, year, codes, screened, exclude_flagged), list(wanted) or ["-"], year)


def _group_trade(flows: Any, year: int, products: Sequence[str]) -> Any:
    return flows.filter(flows["product"].isin(list(products)) & (flows["year"] == year))


def group_imports(flows: Any, *, year: int, products: Sequence[str], members: Sequence[str]) -> Any:
    """Imports of ``members`` from outside the group by (exporter, product): tonnes, USD, flows without tonnes."""
    from setu.metrics.trade import tonnes_sum

    chosen = _group_trade(flows, year, products)
    inside = list(members)
    imports = chosen.filter(chosen["importer"].isin(inside) & ~chosen["exporter"].isin(inside))
    return imports.group_by(["exporter", "product"]).aggregate(
        tonnes=tonnes_sum(imports["quantity_tonnes"]), value_usd=imports["value_usd"].sum(),
        flows_without_quantity=imports["quantity_tonnes"].isnull().sum())


def group_exports(flows: Any, *, year: int, products: Sequence[str], members: Sequence[str]) -> Any:
    """Exports of ``members`` to outside the group by product: tonnes, USD, flows without tonnes."""
    from setu.metrics.trade import tonnes_sum

    chosen = _group_trade(flows, year, products)
    inside = list(members)
    exports = chosen.filter(chosen["exporter"].isin(inside) & ~chosen["importer"].isin(inside))
    return exports.group_by("product").aggregate(
        tonnes=tonnes_sum(exports["quantity_tonnes"]), value_usd=exports["value_usd"].sum(),
        flows_without_quantity=exports["quantity_tonnes"].isnull().sum())


def products_present(flows: Any, *, year: int, products: Sequence[str]) -> Any:
    """Which of ``products`` have any flow in the year."""
    return _group_trade(flows, year, products).select("product").distinct()


def partner_complementarity(flows: Any, *, exporter: str, importer: str, year: int, codes: Sequence[str]) -> Any:
    """:func:`setu.metrics.complementarity.complementarity` of one direction."""
    from setu.metrics.complementarity import complementarity

    return complementarity(flows, exporter, importer, year, list(codes))
