"""Unit-value jumps: a possible sign of price manipulation, a quality shift or a change in what is shipped.

Method
------
On the unit-value series ``u_t = value_t / quantity_t`` (US dollars per kg; undefined when no quantity is
reported), take ``x_t = ln(u_t)``. For each month with a defined value and at least ``min_history`` defined
values among the previous ``window`` months, compute the robust z-score against those months,

    z_t = (x_t − median(past)) / max(1.4826 × MAD(past), min_scale)

(Iglewicz & Hoaglin 1993), and flag runs of months with ``|z_t| > threshold`` *and* a change of at least
``min_change`` log points (``min_change = 0.25`` ≈ +28 % / −22 %). The score for month ``t`` reads months
up to ``t`` only, so each run is reported in its first month (``as_of`` = onset; real-time evaluation). Unit values are not seasonally adjusted:
prices have little calendar seasonality, and gaps (months without quantity) would break the running median.

Reading an alert: a unit value that jumps while quantity falls is what an export restriction priced
through licences or a price floor looks like; a jump with unchanged quantity may be a change of product
mix inside the HS6 code (HS 811292 mixes gallium, germanium, indium and niobium, for example).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass

import numpy as np

from setu.watch.levels import MAD_TO_SIGMA
from setu.watch.series import Alert, MonthlySeries

REFERENCE_UNIT_VALUE = "trailing-window robust z-score of log unit value, MAD-based (Iglewicz & Hoaglin 1993)"


@dataclass(frozen=True)
class UnitValueParameters:
    threshold: float = 4.0
    window: int = 12
    min_history: int = 8
    min_change: float = 0.25
    min_scale: float = 0.05


def unit_value_jump(series: MonthlySeries, params: UnitValueParameters | None = None, *,
                    months: Collection[str] | None = None) -> list[Alert]:
    """Jumps of the log unit value against its trailing robust baseline (see the module docstring)."""
    params = params or UnitValueParameters()
    values = np.asarray(series.values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        logged = np.where(values > 0, np.log(values), np.nan)
    n = logged.size
    z = np.full(n, np.nan)
    change = np.full(n, np.nan)
    for t in range(n):
        if np.isnan(logged[t]):
            continue
        past = logged[max(0, t - params.window) : t]
        past = past[~np.isnan(past)]
        if past.size < params.min_history:
            continue
        median = float(np.median(past))
        scale = max(MAD_TO_SIGMA * float(np.median(np.abs(past - median))), params.min_scale)
        change[t] = logged[t] - median
        z[t] = change[t] / scale
    flagged = (np.abs(z) > params.threshold) & (np.abs(change) >= params.min_change)
    wanted = None if months is None else set(months)
    alerts = []
    for t in range(n):
        if not flagged[t] or (t > 0 and flagged[t - 1] and np.sign(z[t - 1]) == np.sign(z[t])):
            continue  # not flagged, or the run began earlier (reported then)
        if wanted is not None and series.periods[t] not in wanted:
            continue
        alerts.append(
            Alert(
                detector="unit_value_jump",
                series=series.key,
                period=series.periods[t],
                direction="up" if z[t] > 0 else "down",
                magnitude=float(change[t]),
                magnitude_unit="log_points",
                score=float(z[t]),
                parameters=asdict(params),
                reference=REFERENCE_UNIT_VALUE,
                duration_months=1,
                as_of=series.periods[t],
            )
        )
    return alerts
