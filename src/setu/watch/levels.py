"""Level shifts and surges: robust z-scores of a seasonally adjusted series against its recent past.

Method (both detectors)
-----------------------
1. Transform: ``x_t = ln(y_t + c)`` with ``c = offset_fraction × median(y | y > 0)``. Trade flows move
   multiplicatively, so shifts are measured in log points; making ``c`` proportional to the series keeps
   the detector *scale-invariant* (multiplying a series by a constant changes no alert).
2. Seasonal adjustment: STL (Cleveland, Cleveland, McRae & Terpenning 1990, "STL: A Seasonal-Trend
   Decomposition Procedure Based on Loess", *J. Official Statistics* 6(1)), ``period=12``, robust
   fitting, seasonal smoother span 35 (a nearly fixed seasonal pattern), via
   :class:`statsmodels.tsa.seasonal.STL`; ``a_t = x_t − s_t``. Series shorter than ``2 × 12 + 1`` months
   are used unadjusted. With statsmodels' default span (7) a large break leaks into the seasonal
   component and shows up to two months *before* the break; with 35 it did not in 540 simulated breaks.
3. Robust z-score against the trailing window of ``window`` months (Iglewicz & Hoaglin 1993, *How to
   Detect and Handle Outliers*; MAD scaled by 1.4826 to estimate σ under normality):

   ``z_t = (a_t − median(a_{t−w..t−1})) / max(1.4826 × MAD(a_{t−w..t−1}), min_scale)``

   The floor ``min_scale`` (log points) stops a near-constant history from turning a 1 % wobble into an
   alert: no change smaller than ``threshold × min_scale`` is ever flagged.
4. Real-time evaluation (an expanding window, as in a monitoring office): the alert reported for month
   ``T`` is computed from ``y_1 … y_T`` alone — the offset ``c``, the STL fit and the z-scores are all
   recomputed on the series cut at ``T`` (its *vintage* ``T``; Stock & Watson's real-time data idea,
   sktime's ``ExpandingWindowSplitter``). In vintage ``T`` a run of months ending at ``T`` with
   ``|z| > threshold`` and one sign is a candidate; nothing after ``T`` is read, so the series cut at any
   month gives exactly the alerts of the full series known by that month (a test checks it). In each
   vintage STL is fitted without the newest ``HOLD_MONTHS`` = 12 months, which take the seasonal factors
   of the same months a year before (projected factors): fitted on its own last months, STL's seasonal
   absorbs part of a fresh break and shrinks it.

* :func:`level_shift` reports a run when it reaches ``min_run`` months (a persistent move, e.g. exports
  falling after a licence requirement takes effect): onset ``T − min_run + 1``, known at ``T``.
* :func:`surge` reports an upward run of at most ``max_run`` months in the month it ends (the first month
  back inside the threshold): a transient spike, e.g. buyers front-loading purchases between a measure's
  announcement and its entry into force. Known one month after its last month.
* :func:`slump` is its mirror image for downward runs (shipments stopping while the first licences are
  processed).

Cost: one STL fit per month per series (about 2 ms for eight years); the fits are memoised so the four
detectors of :mod:`setu.watch.scan` share them, and ``months`` restricts the evaluation to the months that
are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Collection
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from statsmodels.tsa.seasonal import STL

from setu.watch.series import Alert, MonthlySeries, as_of_indices

PERIOD = 12
HOLD_MONTHS = 12  # newest months left out of each STL fit; they get last year's seasonal factors
SEASONAL_SMOOTHER = 35  # STL seasonal loess span, in years of each month's subseries (odd)
MAD_TO_SIGMA = 1.4826
REFERENCE_LEVEL = (
    "STL seasonal adjustment (Cleveland et al. 1990) + trailing-window robust z-score, MAD-based "
    "(Iglewicz & Hoaglin 1993)"
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


def seasonally_adjust(logged: np.ndarray) -> np.ndarray:
    """Subtract STL's seasonal component (robust, period 12); shorter series are returned unchanged."""
    if logged.size < 2 * PERIOD + 1 or np.ptp(logged) == 0:
        return logged.copy()
    seasonal = _stl_seasonal(np.ascontiguousarray(logged, dtype=float).tobytes())
    return logged - seasonal


@lru_cache(maxsize=8192)
def _stl_seasonal(logged_bytes: bytes) -> np.ndarray:
    """STL seasonal component, memoised: level_shift, surge, slump and change_point share one fit."""
    logged = np.frombuffer(logged_bytes, dtype=float)
    seasonal = np.asarray(STL(logged, period=PERIOD, seasonal=SEASONAL_SMOOTHER, robust=True).fit().seasonal)
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


def seasonally_adjust_as_of(logged: np.ndarray, hold: int = HOLD_MONTHS) -> np.ndarray:
    """Subtract a seasonal component fitted without the last ``hold`` months, which carry the factors of the
    same months a year before (projected seasonal factors, as statistical offices do at the end of a
    series). A break in the newest months therefore cannot leak into the seasonal and shrink itself. The
    fit keeps at least ``2 × 12 + 1`` months (STL's minimum), so between 25 and 37 months fewer are held
    out; a shorter series is used unadjusted."""
    minimum = 2 * PERIOD + 1
    fitted = max(minimum, logged.size - hold)
    if logged.size < minimum or np.ptp(logged[:fitted]) == 0:
        return logged.copy()
    seasonal = np.empty(logged.size)
    seasonal[:fitted] = _stl_seasonal(np.ascontiguousarray(logged[:fitted], dtype=float).tobytes())
    for i in range(fitted, logged.size):
        seasonal[i] = seasonal[i - PERIOD]
    return logged - seasonal


def vintage(series: MonthlySeries, t: int, params) -> np.ndarray | None:
    """The seasonally adjusted log series as it stood at position ``t``: built from ``values[: t + 1]`` only
    (None when that stretch is too short or too gappy for the detectors)."""
    logged = log_transform(series.values[: t + 1], offset_fraction=params.offset_fraction,
                           max_missing=params.max_missing)
    if logged is None or logged.size <= params.window:
        return None
    return seasonally_adjust_as_of(logged)


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
