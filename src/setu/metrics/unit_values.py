"""Unit-value screens of trade flows: each flow's USD per kg against its product's world distribution.

A trade statistician reads a flow's unit value before its value: a flow whose USD/kg is far from what the
rest of the world pays for the same HS6 code is most often another product declared under the code, or a
mis-stated quantity (kg for tonnes, gross for net weight), and counting it as a supply of the product
misleads. The screen follows the practice of the trade databases built on UN Comtrade:

* BACI measures flows against the *world median unit value of each product* (Gaulier & Zignago 2010, *BACI:
  International Trade Database at the Product-Level, the 1994-2007 version*, CEPII Working Paper 2010-23,
  section 2.3, its CIF/FOB estimation) and CEPII's Trade Unit Values database screens unit values for outliers product by product
  on a log scale (Berthou & Emlinger 2011, *The Trade Unit Values Database*, CEPII Working Paper 2011-10,
  section 2.3);
* the outlier rule is the modified z-score on logs (Iglewicz & Hoaglin 1993, *How to Detect and Handle
  Outliers*, ASQC, ch. 3): with ``u = ln(USD / kg)``, ``m`` its median over the product's flows of the
  year and ``MAD`` the median of ``|u - m|``,

      z = (u - m) / (1.4826 · MAD)        flagged when |z| > 3.5 and the unit value is more than 3 times
                                          above or below the median (a floor, so that a tight product
                                          does not flag ordinary price differences)

  only where the product has at least 5 flows with a quantity (fewer: no distribution, not screened).

Flows without a quantity cannot be screened and are counted as such. The distribution is of flows (each
flow one observation, unweighted), as in the references. Pure Ibis expressions, executed by the trade
engine like every trade analytic (:mod:`setu.metrics.trade`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Ibis loads when a screen is built: the constants and reason() are read without it
    import ibis

#: The modified z-score beyond which a flow is an outlier (Iglewicz & Hoaglin 1993).
Z_LIMIT = 3.5
#: A flow within this factor of the product's median unit value is never flagged.
MIN_RATIO = 3.0
#: Products with fewer flows carrying a quantity have no distribution to screen against.
MIN_FLOWS = 5
#: 1 / Φ⁻¹(3/4): makes the MAD estimate the standard deviation of a normal distribution.
MAD_SCALE = 1.4826


def flow_unit_values(flows: ibis.Table, year: int, products: Sequence[str] | None = None) -> ibis.Table:
    """Every (exporter, importer, product) flow of the year with a positive value and quantity, with its
    unit value (USD/kg), its product's world median unit value and spread, its modified z and the flag."""
    import ibis
    from ibis import _

    from setu.metrics.trade import tonnes_sum

    selected = flows.filter(flows.year == year)
    if products is not None:
        selected = selected.filter(selected["product"].isin(list(products)))
    keyed = selected.group_by(["exporter", "importer", "product"]).aggregate(
        value_usd=_.value_usd.sum(), quantity_tonnes=tonnes_sum(_.quantity_tonnes))
    keyed = keyed.filter((keyed.value_usd > 0) & (keyed.quantity_tonnes > 0))
    keyed = keyed.mutate(unit_value_usd_per_kg=keyed.value_usd / (keyed.quantity_tonnes * 1000.0))
    keyed = keyed.mutate(log_unit_value=keyed.unit_value_usd_per_kg.ln())
    centre = keyed.group_by("product").aggregate(median_log=keyed.log_unit_value.median(), product_flows=_.count())
    with_centre = keyed.inner_join(centre, "product")
    with_centre = with_centre.mutate(deviation=(with_centre.log_unit_value - with_centre.median_log).abs())
    spread = with_centre.group_by("product").aggregate(mad_log=with_centre.deviation.median())
    table = with_centre.inner_join(spread, "product")
    scale = table.mad_log * MAD_SCALE
    z = (scale > 0).ifelse((table.log_unit_value - table.median_log) / scale, ibis.null())
    ratio = (table.log_unit_value - table.median_log).exp()
    screened = table.product_flows >= MIN_FLOWS
    far = (ratio > MIN_RATIO) | (ratio < 1 / MIN_RATIO)
    flagged = screened & far & ((z.abs() > Z_LIMIT) | ((scale == 0) & (table.deviation > 0)))
    return table.mutate(
        world_median_usd_per_kg=table.median_log.exp(),
        robust_spread_log=scale,
        robust_z=z,
        ratio_to_median=ratio,
        screened=screened,
        flagged=flagged.fill_null(False),
    ).drop("deviation")


def without_flagged(flows: ibis.Table, screen: ibis.Table) -> ibis.Table:
    """``flows`` less the (exporter, importer, product) flows the screen flags (all their rows)."""
    flagged = screen.filter(screen.flagged).select("exporter", "importer", "product")
    return flows.anti_join(flagged, ["exporter", "importer", "product"])


def reason(row: dict) -> str:
    """The sentence shown beside a flagged flow (``row`` a row of :func:`flow_unit_values`)."""
    ratio = float(row["ratio_to_median"])
    side = f"{ratio:,.1f} times above" if ratio > 1 else f"{1 / ratio:,.1f} times below"
    z = row["robust_z"]
    return (f"unit value USD {row['unit_value_usd_per_kg']:,.2f}/kg is {side} the world median "
            f"USD {row['world_median_usd_per_kg']:,.2f}/kg of HS {row['product']}"
            + (f" (robust z {z:+.1f})" if z is not None else "")
            + ": likely another product declared under the code, or a mis-stated quantity")
