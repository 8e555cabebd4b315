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
4. Runs of consecutive months with ``|z_t| > threshold`` and one sign form candidate events; the alert is
   dated at the run's first month.

* :func:`level_shift` keeps runs of at least ``min_run`` months (a persistent move, e.g. exports falling
  after a licence requirement takes effect).
* :func:`surge` keeps upward runs of at most ``max_run`` months (a transient spike, e.g. buyers
  front-loading purchases between a measure's announcement and its entry into force).
* :func:`slump` keeps downward runs of at most ``max_run`` months (shipments stopping while the first
  licences are processed).

The seasonal step uses the whole series (the analysis is retrospective); the baseline in step 3 uses
only past months, so an alert's date does not depend on later observations beyond the STL seasonal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from statsmodels.tsa.seasonal import STL

from setu.watch.series import Alert, MonthlySeries

PERIOD = 12
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


@lru_cache(maxsize=2048)
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


def _runs(z: np.ndarray, threshold: float) -> list[tuple[int, int, int]]:
    """(start, end exclusive, sign) of maximal runs with |z| > threshold and one sign."""
    runs = []
    t = 0
    while t < z.size:
        if np.isnan(z[t]) or abs(z[t]) <= threshold:
            t += 1
            continue
        sign = 1 if z[t] > 0 else -1
        end = t + 1
        while end < z.size and not np.isnan(z[end]) and sign * z[end] > threshold:
            end += 1
        runs.append((t, end, sign))
        t = end
    return runs


def _prepare(series: MonthlySeries, params) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    logged = log_transform(series.values, offset_fraction=params.offset_fraction, max_missing=params.max_missing)
    if logged is None or logged.size <= params.window:
        return None
    adjusted = seasonally_adjust(logged)
    z, baseline = robust_z(adjusted, window=params.window, min_scale=params.min_scale)
    return adjusted, z, baseline


def level_shift(series: MonthlySeries, params: LevelShiftParameters | None = None) -> list[Alert]:
    """Persistent shifts of the seasonally adjusted level (see the module docstring)."""
    params = params or LevelShiftParameters()
    prepared = _prepare(series, params)
    if prepared is None:
        return []
    adjusted, z, baseline = prepared
    alerts = []
    for start, end, sign in _runs(z, params.threshold):
        if end - start < params.min_run:
            continue
        magnitude = float(np.mean(adjusted[start:end]) - baseline[start])
        alerts.append(_alert("level_shift", series, start, end, sign, magnitude, z[start], params))
    return alerts


def surge(series: MonthlySeries, params: SurgeParameters | None = None) -> list[Alert]:
    """Transient upward spikes (front-loading candidates; see the module docstring)."""
    return _transient(series, params or SurgeParameters(), sign=1, detector="surge")


def slump(series: MonthlySeries, params: SurgeParameters | None = None) -> list[Alert]:
    """Transient downward drops of at most ``max_run`` months: the mirror image of :func:`surge`.

    A licence requirement often empties one or two months of shipments before licences are granted;
    that shows here even when the level recovers too fast to count as a :func:`level_shift`.
    """
    return _transient(series, params or SurgeParameters(), sign=-1, detector="slump")


def _transient(series: MonthlySeries, params: SurgeParameters, *, sign: int, detector: str) -> list[Alert]:
    prepared = _prepare(series, params)
    if prepared is None:
        return []
    adjusted, z, baseline = prepared
    alerts = []
    for start, end, run_sign in _runs(z, params.threshold):
        if run_sign != sign or end - start > params.max_run:
            continue
        extreme = start + int(np.argmax(sign * adjusted[start:end]))
        magnitude = float(adjusted[extreme] - baseline[start])
        alerts.append(_alert(detector, series, start, end, sign, magnitude, z[extreme], params))
    return alerts


def _alert(detector, series, start, end, sign, magnitude, score, params) -> Alert:
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
        duration_months=end - start,
    )
