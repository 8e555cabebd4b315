"""Change points in the mean of a seasonally adjusted series, found by PELT.

Method
------
The series is log-transformed and seasonally adjusted exactly as in :mod:`setu.watch.levels`. PELT
(Killick, Fearnhead & Eckley 2012, "Optimal detection of changepoints with a linear computational cost",
*JASA* 107(500)) then finds the segmentation minimising

    Σ_segments Σ_t (a_t − mean_segment)²  +  penalty × (number of change points)

(the ``l2`` cost, Truong, Oudre & Vayatis 2020, *Signal Processing* 167). It is solved with
:class:`ruptures.KernelCPD` and the linear kernel — the same cost, searched by ruptures' compiled PELT,
several hundred times faster than ``ruptures.Pelt(model="l2")``, which a test checks gives the same
breaks. The penalty is
``beta × σ² × ln(n)`` — the BIC/SIC form for a change in mean (Yao 1988) scaled by ``beta`` — with the noise
σ estimated robustly from first differences, ``σ = 1.4826 × MAD(Δa) / √2``, floored at ``min_scale``
so that a constant series has no change points. Segments are at least ``min_size`` months long, and a
change smaller than ``min_change`` log points is not reported.

Each change point is dated at the first month of the new segment; its magnitude is the difference of the
segment means on either side (log points).

Real-time evaluation: for each month ``T`` PELT is refitted on the series cut at ``T`` (offset, seasonal
factors, noise σ and penalty all from months up to ``T``; see :mod:`setu.watch.levels`). The alert for ``T`` is the
*last* break of that fit, reported in the first month it is *stable*: the fits at ``T`` and ``T − 1``
place it in the same month with the same direction, and the fit at ``T − 2`` did not (so it is reported
once). Stability matters because a segment is at least ``min_size`` months long: with a fresh break in
its newest month, PELT's last cut sits ``min_size − 1`` months too early and moves to the break as months
arrive, so a step is reported about ``min_size`` months after it, dated in its month. A break first
found more than ``max_delay`` months after it began (a refit re-dating old history as the series grows)
is not a warning for month ``T`` and is not reported. Nothing after ``T`` is read. The fits are cheap
(ruptures' compiled PELT, about 10 µs for
eight years); the seasonal factors are shared with the level detectors.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass

import numpy as np
import ruptures

from setu.watch.levels import MAD_TO_SIGMA, log_transform, seasonally_adjust
from setu.watch.series import Alert, MonthlySeries, as_of_indices

REFERENCE_PELT = (
    "PELT (Killick, Fearnhead & Eckley 2012) with l2 cost via ruptures (Truong et al. 2020), "
    "penalty beta*sigma^2*ln(n), on the seasonally adjusted log series"
)


@dataclass(frozen=True)
class ChangePointParameters:
    beta: float = 8.0
    min_size: int = 3
    min_change: float = 0.5
    min_scale: float = 0.05
    offset_fraction: float = 0.01
    max_missing: float = 0.1
    min_history: int = 24  # months before the first evaluated month, as for the level detectors
    max_delay: int = 6  # a break first found more than this many months after it is history, not a warning


def noise_sigma(adjusted: np.ndarray, *, min_scale: float) -> float:
    """Robust σ of the noise from first differences (a level shift affects only one difference)."""
    differences = np.diff(adjusted)
    mad = float(np.median(np.abs(differences - np.median(differences))))
    return max(MAD_TO_SIGMA * mad / np.sqrt(2.0), min_scale)


def last_break(series: MonthlySeries, t: int, params: ChangePointParameters) -> tuple[int, float, float] | None:
    """The last break PELT finds in the series cut at position ``t``: (first month of the new segment,
    magnitude in log points, noise σ), or None (no break, or one smaller than ``min_change``)."""
    logged = log_transform(series.values[: t + 1], offset_fraction=params.offset_fraction,
                           max_missing=params.max_missing)
    if logged is None or logged.size < max(2 * params.min_size, params.min_history + 1):
        return None
    adjusted = seasonally_adjust(logged)
    sigma = noise_sigma(adjusted, min_scale=params.min_scale)
    penalty = params.beta * sigma**2 * np.log(adjusted.size)
    algorithm = ruptures.KernelCPD(kernel="linear", min_size=params.min_size, jump=1).fit(adjusted.reshape(-1, 1))
    bounds = [0, *(int(end) for end in algorithm.predict(pen=penalty))]  # segment ends; the last one is n
    if len(bounds) < 3:
        return None
    left, cut, right = bounds[-3:]
    magnitude = float(np.mean(adjusted[cut:right]) - np.mean(adjusted[left:cut]))
    if abs(magnitude) < params.min_change:
        return None
    return cut, magnitude, sigma


def _same(earlier: tuple[int, float, float] | None, found: tuple[int, float, float]) -> bool:
    return earlier is not None and earlier[0] == found[0] and np.sign(earlier[1]) == np.sign(found[1])


def change_points(series: MonthlySeries, params: ChangePointParameters | None = None, *,
                  months: Collection[str] | None = None) -> list[Alert]:
    """Breaks in the mean of the seasonally adjusted log series, each reported at the first month whose
    refit finds it (see the module docstring)."""
    params = params or ChangePointParameters()
    alerts = []
    for t in as_of_indices(series, months, first=params.min_history):
        found = last_break(series, t, params)
        if found is None:
            continue
        cut, magnitude, sigma = found
        if t - cut + 1 > params.max_delay:
            continue  # a refit re-dating an old break: not a warning for this month
        if not _same(last_break(series, t - 1, params), found):
            continue  # not yet stable: the newest months can still move it
        if _same(last_break(series, t - 2, params), found):
            continue  # stable one month earlier: reported then
        alerts.append(
            Alert(
                detector="change_point",
                series=series.key,
                period=series.periods[cut],
                direction="up" if magnitude > 0 else "down",
                magnitude=magnitude,
                magnitude_unit="log_points",
                score=abs(magnitude) / sigma,
                parameters=asdict(params),
                reference=REFERENCE_PELT,
                duration_months=t - cut + 1,
                as_of=series.periods[t],
            )
        )
    return alerts
