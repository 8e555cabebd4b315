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
segment means on either side (log points). Unlike the trailing z-score, PELT sees the whole series: it
dates a break well but is not an on-line alarm.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import ruptures

from setu.watch.levels import MAD_TO_SIGMA, log_transform, seasonally_adjust
from setu.watch.series import Alert, MonthlySeries

REFERENCE_PELT = (
    "PELT (Killick, Fearnhead & Eckley 2012) with l2 cost via ruptures (Truong et al. 2020), "
    "penalty beta*sigma^2*ln(n), on the STL-adjusted log series"
)


@dataclass(frozen=True)
class ChangePointParameters:
    beta: float = 8.0
    min_size: int = 3
    min_change: float = 0.5
    min_scale: float = 0.05
    offset_fraction: float = 0.01
    max_missing: float = 0.1


def noise_sigma(adjusted: np.ndarray, *, min_scale: float) -> float:
    """Robust σ of the noise from first differences (a level shift affects only one difference)."""
    differences = np.diff(adjusted)
    mad = float(np.median(np.abs(differences - np.median(differences))))
    return max(MAD_TO_SIGMA * mad / np.sqrt(2.0), min_scale)


def change_points(series: MonthlySeries, params: ChangePointParameters | None = None) -> list[Alert]:
    """Breaks in the mean of the seasonally adjusted log series (see the module docstring)."""
    params = params or ChangePointParameters()
    logged = log_transform(series.values, offset_fraction=params.offset_fraction, max_missing=params.max_missing)
    if logged is None or logged.size < 2 * params.min_size:
        return []
    adjusted = seasonally_adjust(logged)
    sigma = noise_sigma(adjusted, min_scale=params.min_scale)
    penalty = params.beta * sigma**2 * np.log(adjusted.size)
    algorithm = ruptures.KernelCPD(kernel="linear", min_size=params.min_size, jump=1).fit(adjusted.reshape(-1, 1))
    ends = [int(end) for end in algorithm.predict(pen=penalty)]  # segment ends, the last one is n
    bounds = [0, *ends]
    alerts = []
    for left, cut, right in zip(bounds[:-2], bounds[1:-1], bounds[2:], strict=True):
        before = float(np.mean(adjusted[left:cut]))
        after = float(np.mean(adjusted[cut:right]))
        magnitude = after - before
        if abs(magnitude) < params.min_change:
            continue
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
                duration_months=right - cut,
            )
        )
    return alerts
