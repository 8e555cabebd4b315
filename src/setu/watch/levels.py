"""Level shifts and surges: robust z-scores of a seasonally adjusted series against its recent past.

Method (both detectors)
-----------------------
1. Transform: ``x_t = ln(y_t + c)`` with ``c = offset_fraction × median(y | y > 0)``. Trade flows move
   multiplicatively, so shifts are measured in log points; making ``c`` proportional to the series keeps
   the detector *scale-invariant* (multiplying a series by a constant changes no alert).
2. Seasonal adjustment by fixed monthly factors from deviations to a running median: the trend is the
   centred running median of 13 months (Tukey 1977, *Exploratory Data Analysis*: running medians keep a
   step a step), the deviation ``d_t = x_t − trend_t`` is taken where the window is complete, each
   calendar month's factor is the median of its deviations, centred to sum zero, and ``a_t = x_t − s_t``
   (the X-11 ratio-to-moving-average idea, Shiskin, Young & Musgrave 1967, *Census Technical Paper 15*,
   with medians for means). Series shorter than ``2 × 12 + 1`` months are used unadjusted. Why not STL
   (Cleveland et al. 1990, which earlier versions fitted once on the whole series): refitted on a series
   that ends in a fresh break, STL's seasonal absorbs part of the break and shrinks it. In the real-time
   simulations of ``benchmarks/watch_detectors.py`` (8 years, breaks at months 30–84) the level-shift rule
   with STL refitted each month flagged 73 % of falls to 30 % at 5 % noise and 55 % at 10 %, against 100 %
   with the running-median factors; on a noise-free step STL refitted across the break also echoed it a
   year later.
3. Robust z-score against the trailing window of ``window`` months (Iglewicz & Hoaglin 1993, *How to
   Detect and Handle Outliers*; MAD scaled by 1.4826 to estimate σ under normality):

   ``z_t = (a_t − median(a_{t−w..t−1})) / max(1.4826 × MAD(a_{t−w..t−1}), min_scale)``

   The floor ``min_scale`` (log points) stops a near-constant history from turning a 1 % wobble into an
   alert: no change smaller than ``threshold × min_scale`` is ever flagged.
4. Real-time evaluation (an expanding window, as in a monitoring office): the alert reported for month
   ``T`` is computed from ``y_1 … y_T`` alone — the offset ``c``, the seasonal factors and the z-scores
   are all recomputed on the series cut at ``T`` (its *vintage* ``T``; Stock & Watson's real-time data idea,
   sktime's ``ExpandingWindowSplitter``). In vintage ``T`` a run of months ending at ``T`` with
   ``|z| > threshold`` and one sign is a candidate; nothing after ``T`` is read, so the series cut at any
   month gives exactly the alerts of the full series known by that month (a test checks it).

* :func:`level_shift` reports a run when it reaches ``min_run`` months (a persistent move, e.g. exports
  falling after a licence requirement takes effect): onset ``T − min_run + 1``, known at ``T``.
* :func:`surge` reports an upward run of at most ``max_run`` months in the month it ends (the first month
  back inside the threshold): a transient spike, e.g. buyers front-loading purchases between a measure's
  announcement and its entry into force. Known one month after its last month.
* :func:`slump` is its mirror image for downward runs (shipments stopping while the first licences are
  processed).

Cost: one set of factors per month per series (a running median, well under a millisecond for eight
years), memoised so that the four detectors of :mod:`setu.watch.scan` share it; ``months`` restricts the
evaluation to the months that are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Collection
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from setu.watch.series import Alert, MonthlySeries, as_of_indices

PERIOD = 12
TREND_HALF_WINDOW = 6  # the running median spans 13 months
MAD_TO_SIGMA = 1.4826
REFERENCE_LEVEL = (
    "monthly factors from deviations to a 13-month running median (Tukey 1977; X-11 idea, Shiskin et al. 1967) "
    "+ trailing-window robust z-score, MAD-based (Iglewicz & Hoaglin 1993); evaluated as of each month"
)


@dataclass(frozen=True)
class LevelShiftParameters:
    threshold: float = 4.0
    window: int = 24
    min_run: int = 2
    min_scale: float = 0.05
    offset_fraction: float = 0.01
    max_missing: float = 0.1


@dataclass(frozen=True)
class SurgeParameters:
    threshold: float = 4.0
    window: int = 24
    max_run: int = 3
    min_scale: float = 0.05
    offset_fraction: float = 0.01
    max_missing: float = 0.1


def log_transform(values: np.ndarray, *, offset_fraction: float, max_missing: float) -> np.ndarray | None:
    """``ln(y + c)`` with gaps filled by linear interpolation; None when the series cannot be used."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    if missing.mean() > max_missing:
        return None
    positive = values[~missing & (values > 0)]
    if positive.size == 0:
        return None
    offset = offset_fraction * float(np.median(positive))
    logged = np.log(np.where(missing, np.nan, values) + offset)
    if missing.any():
        index = np.arange(values.size)
        logged[missing] = np.interp(index[missing], index[~missing], logged[~missing])
    return logged


def usable_vintages(values: np.ndarray, *, max_missing: float) -> np.ndarray:
    """``usable[t]`` is True exactly when :func:`log_transform` of ``values[: t + 1]`` is not None: at most
    ``max_missing`` of those months undefined and at least one positive. Each entry reads months up to ``t``
    only, so a product whose trade begins later is untestable in the earlier months of the full series,
    as it is absent from the series cut there."""
    values = np.asarray(values, dtype=float)
    count = np.arange(1, values.size + 1)
    missing = np.cumsum(np.isnan(values))
    positive = np.cumsum(np.nan_to_num(values) > 0)
    return (missing / np.maximum(count, 1) <= max_missing) & (positive > 0)


def seasonally_adjust(logged: np.ndarray) -> np.ndarray:
    """Subtract fixed monthly factors from deviations to a 13-month running median (module docstring, step 2);
    shorter series are returned unchanged. Memoised on the values, so the detectors share one computation."""
    if logged.size < 2 * PERIOD + 1 or np.ptp(logged) == 0:
        return logged.copy()
    return logged - _seasonal(np.ascontiguousarray(logged, dtype=float).tobytes())


@lru_cache(maxsize=8192)
def _seasonal(logged_bytes: bytes) -> np.ndarray:
    logged = np.frombuffer(logged_bytes, dtype=float)
    n, half = logged.size, TREND_HALF_WINDOW
    trend = np.median(sliding_window_view(logged, 2 * half + 1), axis=1)  # centred at half .. n - half - 1
    deviation = np.full(n, np.nan)
    deviation[half : n - half] = logged[half : n - half] - trend
    factors = np.zeros(PERIOD)
    for month in range(PERIOD):
        known = deviation[month::PERIOD]
        known = known[~np.isnan(known)]
        factors[month] = float(np.median(known)) if known.size else 0.0
    seasonal = (factors - factors.mean())[np.arange(n) % PERIOD]
    seasonal.setflags(write=False)
    return seasonal


def robust_z(adjusted: np.ndarray, *, window: int, min_scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Trailing robust z-scores and the baseline medians (NaN for the first ``window`` months)."""
    n = adjusted.size
    z = np.full(n, np.nan)
    baseline = np.full(n, np.nan)
    if n <= window:
        return z, baseline
    past = sliding_window_view(adjusted, window)[:-1]  # row i holds months i .. i + window - 1
    median = np.median(past, axis=1)
    mad = np.median(np.abs(past - median[:, None]), axis=1)
    scale = np.maximum(MAD_TO_SIGMA * mad, min_scale)
    baseline[window:] = median
    z[window:] = (adjusted[window:] - median) / scale
    return z, baseline


def vintage(series: MonthlySeries, t: int, params) -> np.ndarray | None:
    """The seasonally adjusted log series as it stood at position ``t``: built from ``values[: t + 1]`` only
    (None when that stretch is too short or too gappy for the detectors)."""
    logged = log_transform(series.values[: t + 1], offset_fraction=params.offset_fraction,
                           max_missing=params.max_missing)
    if logged is None or logged.size <= params.window:
        return None
    return seasonally_adjust(logged)


def run_ending(z: np.ndarray, end: int, threshold: float, sign: int) -> int:
    """Length of the run of months ending at ``end`` with ``sign × z > threshold``."""
    length = 0
    while end - length >= 0 and not np.isnan(z[end - length]) and sign * z[end - length] > threshold:
        length += 1
    return length


def _z_tail(adjusted: np.ndarray, params, months: int) -> tuple[np.ndarray, np.ndarray]:
    """Robust z and baselines of the last ``months`` positions of a vintage (NaN where history is short)."""
    n = adjusted.size
    z = np.full(n, np.nan)
    baseline = np.full(n, np.nan)
    for i in range(max(params.window, n - months), n):
        past = adjusted[i - params.window : i]
        median = float(np.median(past))
        scale = max(MAD_TO_SIGMA * float(np.median(np.abs(past - median))), params.min_scale)
        baseline[i] = median
        z[i] = (adjusted[i] - median) / scale
    return z, baseline


def level_shift(series: MonthlySeries, params: LevelShiftParameters | None = None, *,
                months: Collection[str] | None = None) -> list[Alert]:
    """Persistent shifts of the seasonally adjusted level, each known at the month its run reaches
    ``min_run`` months and computed from the series cut there (see the module docstring)."""
    params = params or LevelShiftParameters()
    alerts = []
    for t in as_of_indices(series, months, first=params.window):
        adjusted = vintage(series, t, params)
        if adjusted is None:
            continue
        z, baseline = _z_tail(adjusted, params, params.min_run + 1)
        for sign in (1, -1):
            if run_ending(z, t, params.threshold, sign) == params.min_run:
                start = t - params.min_run + 1
                magnitude = float(np.mean(adjusted[start : t + 1]) - baseline[start])
                alerts.append(_alert("level_shift", series, start, t, sign, magnitude, z[start], params))
    return alerts


def surge(series: MonthlySeries, params: SurgeParameters | None = None, *,
          months: Collection[str] | None = None) -> list[Alert]:
    """Transient upward spikes (front-loading candidates; see the module docstring)."""
    return _transient(series, params or SurgeParameters(), sign=1, detector="surge", months=months)


def slump(series: MonthlySeries, params: SurgeParameters | None = None, *,
          months: Collection[str] | None = None) -> list[Alert]:
    """Transient downward drops of at most ``max_run`` months: the mirror image of :func:`surge`.

    A licence requirement often empties one or two months of shipments before licences are granted;
    that shows here even when the level recovers too fast to count as a :func:`level_shift`.
    """
    return _transient(series, params or SurgeParameters(), sign=-1, detector="slump", months=months)


def _transient(series: MonthlySeries, params: SurgeParameters, *, sign: int, detector: str,
               months: Collection[str] | None) -> list[Alert]:
    alerts = []
    for t in as_of_indices(series, months, first=params.window + 1):
        adjusted = vintage(series, t, params)
        if adjusted is None:
            continue
        z, baseline = _z_tail(adjusted, params, params.max_run + 2)
        if not np.isnan(z[t]) and sign * z[t] > params.threshold:
            continue  # the run goes on: not over yet
        length = run_ending(z, t - 1, params.threshold, sign)
        if not 1 <= length <= params.max_run:
            continue
        start = t - length
        extreme = start + int(np.argmax(sign * adjusted[start:t]))
        magnitude = float(adjusted[extreme] - baseline[start])
        alerts.append(_alert(detector, series, start, t, sign, magnitude, z[extreme], params,
                             duration=length))
    return alerts


def _alert(detector, series, start, known, sign, magnitude, score, params, *, duration=None) -> Alert:
    return Alert(
        detector=detector,
        series=series.key,
        period=series.periods[start],
        direction="up" if sign > 0 else "down",
        magnitude=magnitude,
        magnitude_unit="log_points",
        score=float(score),
        parameters=vars(params).copy(),
        reference=REFERENCE_LEVEL,
        duration_months=duration if duration is not None else known - start + 1,
        as_of=series.periods[known],
    )
