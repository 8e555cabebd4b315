"""From an alert to its consequences: the materials and supply-map nodes it touches, and who is exposed.

For an alert on ``reporter → partner, hs6`` this module lists

* the catalog **materials** whose HS codes include the alert's code (from ``materials.csv``), together
  with the materials and supply-map **nodes** named by the measures matched to the alert;
* the **exposed countries**: the destinations of the reporter's exports of that code over the
  ``window_months`` before the alert, with each destination's share of those exports. Japan and India
  come first, then the largest others. This is *destination share* — how much of the supplier's flow
  each buyer takes — computed from the trade data in hand; it is not the buyer's dependence on the
  supplier (that needs the buyer's imports from everyone, e.g. BACI), and the result says so in ``basis``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from setu.watch.measures import Measure
from setu.watch.series import Alert, month_index

FOCUS_COUNTRIES = ("JPN", "IND")
DESTINATION_SHARE_BASIS = (
    "share of the reporter's exports of this HS6 code going to each destination, trailing window "
    "(trade data in hand); not the destination's import dependence"
)


@dataclass(frozen=True)
class Exposure:
    country: str
    share: float  # 0-1
    value_usd: float


@dataclass(frozen=True)
class Consequence:
    materials: tuple[str, ...]
    nodes: tuple[str, ...]
    exposed: tuple[Exposure, ...]
    basis: str
    window: tuple[str, str] | None  # first and last month used for the shares


def materials_by_hs6(table: Sequence[Mapping[str, str]], column: str = "hs6_hs2017") -> dict[str, list[str]]:
    """HS6 code → material slugs, from rows of ``materials.csv`` (codes separated by ``;``)."""
    mapping: dict[str, list[str]] = {}
    for row in table:
        for code in (row.get(column) or "").split(";"):
            code = code.strip()
            if code:
                mapping.setdefault(code, []).append(row["material_id"])
    return mapping


def consequence(
    alert: Alert,
    flows: pd.DataFrame,
    measures: Sequence[Measure],
    hs_materials: Mapping[str, Sequence[str]],
    *,
    window_months: int = 12,
    top: int = 5,
    focus: Sequence[str] = FOCUS_COUNTRIES,
) -> Consequence:
    """Materials, nodes and exposed destinations for one alert (see the module docstring)."""
    matched = {match.measure_id for match in alert.measures}
    materials = set(hs_materials.get(alert.series.hs6, ()))
    nodes: set[str] = set()
    for measure in measures:
        if measure.id in matched:
            for goods in measure.goods:
                if alert.series.hs6 in goods.hs6:
                    materials.update(goods.materials)
                    nodes.update(goods.nodes)
    end = month_index(alert.period)
    months = flows["period"].map(month_index)
    recent = flows[
        (flows["reporter"] == alert.series.reporter)
        & (flows["hs6"] == alert.series.hs6)
        & (months < end)
        & (months >= end - window_months)
    ]
    exposed: list[Exposure] = []
    window = None
    total = float(recent["value_usd"].sum())
    if total > 0:
        window = (str(recent["period"].min()), str(recent["period"].max()))
        by_partner = recent.groupby("partner")["value_usd"].sum()
        ranked = sorted(by_partner.items(), key=lambda item: (-item[1], item[0]))  # ties by ISO3
        first = [(country, float(by_partner.get(country, 0.0))) for country in focus]
        others = [(c, v) for c, v in ranked if c not in focus][:top]
        exposed = [Exposure(c, float(v) / total, float(v)) for c, v in (*first, *others)]
    return Consequence(tuple(sorted(materials)), tuple(sorted(nodes)), tuple(exposed), DESTINATION_SHARE_BASIS, window)
