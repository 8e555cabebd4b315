"""Monthly series and alerts: the typed values every detector takes and returns.

A *flows* frame (see :mod:`setu.sources.comtrade_monthly`) holds one row per period × reporter × partner
× HS6 code. :func:`build_series` turns it into complete monthly series — value (US dollars), quantity (kg)
and unit value (US dollars per kg) — per reporter × partner × product, plus the reporter's total over the
partners present (``partner=None``; in the bundled data that is a sum over 39 listed partners, not the
world). A month without a row is a month without recorded trade: value 0, unit value undefined.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

ALL_PARTNERS = "ALL"  # label of the total over partners; never a country code


class Variable(StrEnum):
    VALUE = "value_usd"
    QUANTITY = "quantity_kg"
    UNIT_VALUE = "unit_value_usd_per_kg"


@dataclass(frozen=True)
class SeriesKey:
    reporter: str
    partner: str | None  # None = total over partners
    hs6: str
    variable: Variable

    @property
    def label(self) -> str:
        return f"{self.reporter}>{self.partner or ALL_PARTNERS} {self.hs6} {self.variable.value}"


@dataclass(frozen=True)
class MonthlySeries:
    """One complete monthly series: ``periods[i]`` is ``YYYY-MM``, ``values[i]`` a float (NaN = undefined)."""

    key: SeriesKey
    periods: tuple[str, ...]
    values: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.periods) != len(self.values):
            raise ValueError("periods and values differ in length")

    def until(self, month: str) -> MonthlySeries:
        """The series as it stood at ``month`` (``YYYY-MM``): every later month cut off."""
        keep = sum(1 for period in self.periods if period <= month)
        return MonthlySeries(self.key, self.periods[:keep], self.values[:keep])

    @classmethod
    def from_values(cls, key: SeriesKey, start: str, values: object) -> MonthlySeries:
        array = np.asarray(values, dtype=float)
        index = pd.period_range(start=start, periods=len(array), freq="M")
        return cls(key, tuple(str(p) for p in index), array)


@dataclass(frozen=True)
class MeasureMatch:
    """A register measure that covers an alert's goods, with the event date the alert falls near."""

    measure_id: str
    event: str  # announced / effective / suspended / resumed / lifted
    event_date: str
    lag_months: int  # alert month minus event month (negative: the alert came first)


@dataclass(frozen=True)
class Alert:
    """One detector firing on one series at one month.

    ``period`` is the month the move began (the onset); ``as_of`` is the month the alert is *known*: the
    last month of data the detector read to raise it (a level shift needs two months beyond its
    threshold, so it is known one month after its onset). Every detector computes an alert from the
    series cut at ``as_of`` (real-time evaluation), so ``as_of`` is also the month the alert is reported
    for; ``duration_months`` counts the months of the move seen by then. ``magnitude`` is in
    ``magnitude_unit``: ``log_points`` (natural-log change; ``exp(m) - 1`` is the proportional change) or
    ``share_points`` (change of a share on the 0–1 scale).
    """

    detector: str
    series: SeriesKey
    period: str
    direction: str  # "up" or "down"
    magnitude: float
    magnitude_unit: str
    score: float  # detector-specific strength (robust z, cost reduction ...)
    parameters: Mapping[str, float | int | str]
    reference: str
    duration_months: int = 1
    measures: tuple[MeasureMatch, ...] = ()
    as_of: str = ""  # empty = known in its onset month (hand-made alerts)

    def __post_init__(self) -> None:
        if not self.as_of:
            object.__setattr__(self, "as_of", self.period)
        if self.as_of < self.period:
            raise ValueError(f"an alert is known no earlier than its onset ({self.as_of} < {self.period})")

    @property
    def percent_change(self) -> float | None:
        if self.magnitude_unit != "log_points":
            return None
        return float(np.expm1(self.magnitude) * 100.0)


def complete_panel(flows: pd.DataFrame) -> pd.DataFrame:
    """Flows on a full month grid per reporter × partner × hs6.

    An absent month gets value 0 and quantity 0; a present row without a quantity keeps quantity NaN.
    """
    if flows.empty:
        return flows.copy()
    months = [str(p) for p in pd.period_range(flows["period"].min(), flows["period"].max(), freq="M")]
    keys = flows[["reporter", "partner", "hs6"]].drop_duplicates()
    grid = keys.merge(pd.DataFrame({"period": months}), how="cross")
    panel = grid.merge(flows, on=["reporter", "partner", "hs6", "period"], how="left", indicator=True)
    absent = panel.pop("_merge").eq("left_only")
    panel["value_usd"] = panel["value_usd"].fillna(0.0)
    panel.loc[absent, "quantity_kg"] = 0.0
    return panel.sort_values(["reporter", "partner", "hs6", "period"], ignore_index=True)


def build_series(
    flows: pd.DataFrame,
    *,
    include_partners: bool = True,
    include_total: bool = True,
    min_active_months: int = 24,
) -> list[MonthlySeries]:
    """Value, quantity and unit-value series per reporter × partner × hs6, and per reporter × hs6 total.

    A partner series is kept only when it has at least ``min_active_months`` months with trade: sparse
    series (a shipment every few months) have no level to shift and are left out rather than flooding
    the scan with alerts. The total's quantity is NaN in a month where any partner row lacks a quantity;
    its unit value uses only the rows that report one.
    """
    panel = complete_panel(flows)
    series: list[MonthlySeries] = []
    if panel.empty:
        return series
    groups: list[tuple[str, str | None, str, pd.DataFrame]] = []
    if include_partners:
        for (reporter, partner, hs6), group in panel.groupby(["reporter", "partner", "hs6"], sort=True):
            if int((group["value_usd"] > 0).sum()) >= min_active_months:
                groups.append((reporter, partner, hs6, group))
    if include_total:
        for (reporter, hs6), group in panel.groupby(["reporter", "hs6"], sort=True):
            total = group.groupby("period", sort=True).agg(
                value_usd=("value_usd", "sum"), quantity_kg=("quantity_kg", _complete_sum)
            )
            with_quantity = group[group["quantity_kg"].notna()].groupby("period")["value_usd"].sum()
            total["value_with_quantity"] = with_quantity.reindex(total.index)
            groups.append((reporter, None, hs6, total.reset_index()))
    for reporter, partner, hs6, group in groups:
        periods = tuple(group["period"])
        value = group["value_usd"].to_numpy(dtype=float)
        quantity = group["quantity_kg"].to_numpy(dtype=float)
        priced = group["value_with_quantity"].to_numpy(dtype=float) if "value_with_quantity" in group else value
        with np.errstate(divide="ignore", invalid="ignore"):
            unit_value = np.where((quantity > 0) & (priced > 0), priced / quantity, np.nan)
        for variable, values in (
            (Variable.VALUE, value),
            (Variable.QUANTITY, quantity),
            (Variable.UNIT_VALUE, unit_value),
        ):
            key = SeriesKey(reporter, partner, hs6, variable)
            series.append(MonthlySeries(key, periods, values))
    return series


def _complete_sum(values: pd.Series) -> float:
    """Sum, or NaN when any row lacks a quantity (a partial total would fake a drop)."""
    return float(values.sum()) if values.notna().all() else float("nan")


def as_of_indices(series: MonthlySeries, months: Collection[str] | None, *, first: int = 0) -> list[int]:
    """Positions ``t >= first`` of the series whose month is in ``months`` (every month when None): the
    months a real-time detector evaluates, each from ``values[: t + 1]`` only."""
    if months is None:
        return list(range(first, len(series.periods)))
    wanted = set(months)
    return [t for t in range(first, len(series.periods)) if series.periods[t] in wanted]


def month_index(period: str) -> int:
    """Months since year 0 (for lags): ``month_index('2024-01') - month_index('2023-12') == 1``."""
    year, month = period[:7].split("-")
    return int(year) * 12 + int(month) - 1
