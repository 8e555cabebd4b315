"""Uncertain inputs of a scenario: the distributions, the ``uncertainty:`` entries and how they are drawn.

A scenario states one value for each figure (its central estimate). Its optional ``uncertainty:`` block
gives some of those figures a probability distribution; ``setu.scenarios.montecarlo`` draws ``S``
samples of every uncertain figure at once and runs the propagation for all of them along a leading
sample axis.

Distributions (each drawn by its quantile function ``Q`` from uniforms ``U``, so a distribution shifted
up gives a larger value in every sample — the common-random-numbers coupling that makes two variants of
a scenario run with one seed differ only by their change; Glasserman, *Monte Carlo Methods in Financial
Engineering*, Springer 2004):

=============  ===========================  ======================================================
kind           parameters                   quantile ``Q(u)``
=============  ===========================  ======================================================
``uniform``    ``low, high``                ``low + (high - low) u``; on whole months, a discrete
                                            uniform ``low + floor((high - low + 1) u)``
``triangular`` ``low, mode, high``          the inverse of the triangular CDF
``pert``       ``low, mode, high, shape``   ``low + (high - low) I^-1(u; alpha, beta)`` with
                                            ``alpha = 1 + shape (mode - low) / (high - low)``,
                                            ``beta = 1 + shape (high - mode) / (high - low)``,
                                            ``shape`` 4 by default: mean ``(low + 4 mode + high) / 6``
                                            (beta-PERT; D. Vose, *Risk Analysis: A Quantitative
                                            Guide*, 3rd ed., Wiley 2008)
``lognormal``  ``sigma``                    a factor ``exp(sigma z(u))`` on the stated value, whose
                                            median it is (``z`` the standard normal quantile)
=============  ===========================  ======================================================

``relative: true`` reads ``low``, ``mode`` and ``high`` as factors on the stated value (``lognormal`` is
always relative). Whole-month quantities (durations) round triangular and PERT draws half up.

Supplier shares are drawn from a Dirichlet distribution around the stated shares ``s`` (total ``s_+``):
``s_+ D`` with ``D ~ Dirichlet(kappa s / s_+)``, so the draws keep the stated total (to rounding), have mean
``s`` and variance ``s_i (s_+ - s_i) / (kappa + 1)`` (Kotz, Balakrishnan & Johnson, *Continuous
Multivariate Distributions* vol. 1, 2nd ed., Wiley 2000); ``kappa`` infinite keeps the shares.

An entry is one uncertain quantity: when it names several shocks, they share its draw (perfectly rank-
correlated); separate entries are independent. Every draw of an entry comes from its own stream, seeded
by the run's seed and a hash of the entry's key (``SeedSequence(seed, spawn_key=...)``): adding, removing
or widening one entry leaves every other entry's draws unchanged.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

from setu.domain.supply_map import Citation
from setu.errors import ValidationError

KINDS = ("uniform", "triangular", "pert", "lognormal")
DEFAULT_SAMPLES = 1000
DEFAULT_PERT_SHAPE = 4.0


@dataclass(frozen=True)
class Distribution:
    """One uncertain figure; ``low``, ``mode``, ``high`` in the figure's unit or, when ``relative``, as factors
    on its stated value. ``mode`` is unused by ``uniform``; ``sigma`` only by ``lognormal``."""

    kind: str
    low: float = 0.0
    high: float = 0.0
    mode: float | None = None
    sigma: float = 0.0
    shape: float = DEFAULT_PERT_SHAPE
    relative: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValidationError(f"distribution {self.kind!r} is unknown; use one of: {', '.join(KINDS)}")
        if self.kind == "lognormal":
            if not (self.sigma >= 0 and self.relative):
                raise ValidationError("a lognormal distribution is a relative factor with sigma >= 0")
            return
        mode = self.low if self.mode is None else self.mode
        if not self.low <= mode <= self.high or (self.kind != "uniform" and self.mode is None):
            raise ValidationError(f"{self.kind} distribution needs low <= mode <= high, got "
                                  f"{self.low}, {self.mode}, {self.high}")
        if self.shape <= 0:
            raise ValidationError(f"the PERT shape must be above 0, got {self.shape}")

    def bounds(self, stated: float) -> tuple[float, float]:
        """The support in the figure's unit, for the stated value ``stated``."""
        if self.kind == "lognormal":
            return (stated, stated) if self.sigma == 0 else (0.0, math.inf)
        scale = stated if self.relative else 1.0
        return self.low * scale, self.high * scale

    def draw(self, stated: float, uniforms: np.ndarray, whole: bool = False) -> np.ndarray:
        """Values of the figure for uniforms ``U`` in (0, 1); ``whole`` for whole-month figures."""
        if self.kind == "lognormal":
            return stated * np.exp(self.sigma * special.ndtri(uniforms))
        scale = stated if self.relative else 1.0
        low, high = self.low * scale, self.high * scale
        mode = low if self.mode is None else self.mode * scale
        if whole and self.kind == "uniform":
            low_i, high_i = math.ceil(low), math.floor(high)
            return low_i + np.minimum(np.floor((high_i - low_i + 1) * uniforms), high_i - low_i)
        values = QUANTILES[self.kind](uniforms, low, mode, high, self.shape)
        return np.floor(values + 0.5) if whole else values


def _uniform(u: np.ndarray, low: float, mode: float, high: float, shape: float) -> np.ndarray:
    return low + (high - low) * u


def _triangular(u: np.ndarray, low: float, mode: float, high: float, shape: float) -> np.ndarray:
    width = high - low
    if width == 0:
        return np.full_like(u, low)
    split = (mode - low) / width
    with np.errstate(invalid="ignore"):
        rising = low + np.sqrt(u * width * (mode - low))
        falling = high - np.sqrt((1.0 - u) * width * (high - mode))
    return np.where(u < split, rising, falling)


def _pert(u: np.ndarray, low: float, mode: float, high: float, shape: float) -> np.ndarray:
    width = high - low
    if width == 0:
        return np.full_like(u, low)
    alpha = 1.0 + shape * (mode - low) / width
    beta = 1.0 + shape * (high - mode) / width
    return low + width * special.betaincinv(alpha, beta, u)


QUANTILES: dict[str, Callable[[np.ndarray, float, float, float, float], np.ndarray]] = {
    "uniform": _uniform, "triangular": _triangular, "pert": _pert,
}


def pert_mean(low: float, mode: float, high: float, shape: float = DEFAULT_PERT_SHAPE) -> float:
    """``(low + shape mode + high) / (shape + 2)`` (Vose 2008)."""
    return (low + shape * mode + high) / (shape + 2.0)


# -- the entries of an `uncertainty:` block ------------------------------------------------------------
@dataclass(frozen=True)
class UncertainCut:
    """The cut of shocks ``shocks`` (0-based indices into the scenario's shocks), within 0-1."""

    shocks: tuple[int, ...]
    distribution: Distribution
    citation: Citation


@dataclass(frozen=True)
class UncertainDuration:
    """The duration in whole months (at least 1) of shocks ``shocks``."""

    shocks: tuple[int, ...]
    distribution: Distribution
    citation: Citation


@dataclass(frozen=True)
class UncertainStockpile:
    """The days of stock ``country`` holds of ``node`` (a stockpile the scenario states)."""

    country: str
    node: str
    distribution: Distribution
    citation: Citation


@dataclass(frozen=True)
class UncertainSpare:
    """The spare capacity of partner ``country`` at ``node`` (an entry the scenario states)."""

    country: str
    node: str
    distribution: Distribution
    citation: Citation


@dataclass(frozen=True)
class UncertainShares:
    """Origin shares of ``node`` (for ``importer``, or for every importer that uses the same shares) drawn
    from a Dirichlet distribution with concentration ``concentration`` around the stated shares."""

    node: str
    concentration: float
    citation: Citation
    importer: str | None = None

    def __post_init__(self) -> None:
        if not self.concentration > 0:
            raise ValidationError(f"the concentration must be above 0, got {self.concentration}")


@dataclass(frozen=True)
class Uncertainty:
    cuts: tuple[UncertainCut, ...] = ()
    durations: tuple[UncertainDuration, ...] = ()
    stockpiles: tuple[UncertainStockpile, ...] = ()
    spare_capacity: tuple[UncertainSpare, ...] = ()
    shares: tuple[UncertainShares, ...] = ()
    samples: int = DEFAULT_SAMPLES
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise ValidationError(f"samples must be at least 1, got {self.samples}")

    @property
    def entries(self) -> tuple[object, ...]:
        return (*self.cuts, *self.durations, *self.stockpiles, *self.spare_capacity, *self.shares)


def stream(seed: int, key: str) -> np.random.Generator:
    """The generator of one entry: the run's seed with a stable hash of the entry's key as spawn key."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(key.encode()),))))


def uniforms(rng: np.random.Generator, samples: int) -> np.ndarray:
    """``samples`` uniforms in the open interval (0, 1) (a draw of exactly 0 would map to -inf in ndtri)."""
    u = rng.random(samples)
    u[u == 0.0] = np.nextafter(0.0, 1.0)
    return u


def dirichlet_shares(rng: np.random.Generator, shares: np.ndarray, concentration: float, samples: int) -> np.ndarray:
    """``samples`` x ``len(shares)`` draws with the stated total and mean ``shares`` (zero shares stay zero)."""
    shares = np.asarray(shares, dtype=float)
    total = shares.sum()
    if math.isinf(concentration) or total <= 0:
        return np.broadcast_to(shares, (samples, shares.size)).copy()
    positive = shares > 0
    draws = np.zeros((samples, shares.size))
    if positive.sum() == 1:
        draws[:, positive] = total
        return draws
    draws[:, positive] = total * rng.dirichlet(concentration * shares[positive] / total, size=samples)
    return draws
