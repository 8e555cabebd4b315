"""95 % intervals for the backtest's figures: proportions (Wilson), rates (Garwood), a median (order statistics).

* **Wilson score interval** for ``k`` successes in ``n`` trials (Wilson 1927, *JASA* 22(158); recommended
  over the Wald interval by Brown, Cai & DasGupta 2001, *Statistical Science* 16(2))::

      (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n),   p = k/n, z = 1.96

* **Exact Poisson (Garwood 1936, *Biometrika* 28)** interval for ``k`` events in an exposure ``E``::

      [χ²(α/2; 2k) / 2E,  χ²(1−α/2; 2k+2) / 2E]   (lower bound 0 when k = 0)

  e.g. one event in 24 product-years: 0.0011 – 0.23 per product-year.
* **Distribution-free interval for a median** from order statistics (the sign-test inversion): with
  ``B ~ Binomial(n, ½)``, the largest ``j`` with ``P(B ≤ j − 1) ≤ α/2`` gives ``[x₍ⱼ₎, x₍ₙ₋ⱼ₊₁₎]``; none
  below six values.

Pure functions of counts; ``None`` where the figure is undefined (no trials, no exposure).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import binom, chi2

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    """A figure with its 95 % interval and what it was computed from (``count`` of ``base``)."""

    value: float | None
    low: float | None
    high: float | None
    count: float
    base: float
    method: str


def wilson(successes: int, trials: int, *, z: float = Z_95) -> Estimate:
    """Proportion ``successes / trials`` with its Wilson score interval."""
    if trials <= 0:
        return Estimate(None, None, None, successes, trials, "Wilson score")
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return Estimate(p, low, high, successes, trials, "Wilson score")


def garwood(events: int, exposure: float, *, alpha: float = 0.05) -> Estimate:
    """Rate ``events / exposure`` with the exact Poisson (Garwood) interval."""
    if exposure <= 0:
        return Estimate(None, None, None, events, exposure, "exact Poisson (Garwood)")
    low = 0.0 if events == 0 else float(chi2.ppf(alpha / 2, 2 * events)) / 2
    high = float(chi2.ppf(1 - alpha / 2, 2 * events + 2)) / 2
    return Estimate(events / exposure, low / exposure, high / exposure, events, exposure, "exact Poisson (Garwood)")


def median_interval(values: Sequence[float], *, alpha: float = 0.05) -> Estimate:
    """Median with its distribution-free order-statistic interval (None for the bounds below six values)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return Estimate(None, None, None, 0, 0, "order statistics")
    middle = n // 2
    median = float(ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2)
    j = 0
    while j + 1 <= n and binom.cdf(j, n, 0.5) <= alpha / 2:
        j += 1
    if j < 1:
        return Estimate(median, None, None, n, n, "order statistics")
    return Estimate(median, float(ordered[j - 1]), float(ordered[n - j]), n, n, "order statistics")
