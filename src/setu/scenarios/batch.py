"""The month-by-month propagation of ``setu.scenarios.propagation`` on many samples at once.

Same equations, same order of operations, with a leading sample axis ``S`` on every state array: the
Python loop runs over months and affected nodes (``T x N`` steps), each step works on ``S x K`` arrays.
The allocation of the partners' spare capacity uses ``water_fill_rows``, the weighted water-filling of
``allocation.water_fill`` applied to each row of an ``S x K`` request matrix at once (sort by level, cumulative
sums, first unsaturated importer), so the result of each sample is that of ``propagate`` on the sample's
``ChainModel`` bit for bit for fewer than eight importers (tested; numpy sums eight or more terms in
another order, a difference of rounding only). A rule registered with ``@strategy`` but without weights
in ``ROW_WEIGHTS`` falls back to calling the rule on each sample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from setu.scenarios.allocation import STRATEGIES
from setu.scenarios.montecarlo import SampledModel
from setu.scenarios.propagation import ROUNDING, Propagation

RowWeights = Callable[[np.ndarray, np.ndarray], np.ndarray]
ROW_WEIGHTS: dict[str, RowWeights] = {
    "pro-rata": lambda requests, baselines: requests,
    "baseline": lambda requests, baselines: baselines,
    "max-min": lambda requests, baselines: np.ones_like(requests),
}


@dataclass(frozen=True)
class SampledPropagation:
    """``Propagation`` arrays with a leading sample axis (shares of baseline use, S x T x K x N)."""

    sampled: SampledModel
    chain_supply: np.ndarray
    recycled: np.ndarray
    resourced: np.ndarray
    drawn: np.ndarray
    unmet: np.ndarray
    availability: np.ndarray
    stock_left: np.ndarray  # S x (T+1) x K x N
    resourced_by_partner: np.ndarray  # S x T x P x K x N units

    def propagation(self, sample: int) -> Propagation:
        """Sample ``sample`` as an ordinary ``Propagation`` (for the LP and the survival table)."""
        return Propagation(self.sampled.model(sample), self.chain_supply[sample], self.recycled[sample],
                           self.resourced[sample], self.drawn[sample], self.unmet[sample], self.availability[sample],
                           self.stock_left[sample], self.resourced_by_partner[sample])


def propagate_samples(sampled: SampledModel, strategy: str | None = None) -> SampledPropagation:
    """Every sample of ``sampled`` month by month; ``strategy`` overrides the scenario's allocation rule."""
    model = sampled.base
    name = strategy or model.allocation
    STRATEGIES[name]  # an unknown rule raises here, as in propagate()
    T, K, N = model.shape
    S, P = sampled.samples, len(model.partners)
    chain, recycled, resourced, drawn, unmet, avail = (np.zeros((S, T, K, N)) for _ in range(6))
    by_partner = np.zeros((S, T, P, K, N))
    stock_left = np.zeros((S, T + 1, K, N))
    stock_left[:, 0] = sampled.stock
    stock = sampled.stock.copy()
    has_baseline = ~np.isnan(model.baseline)
    baseline_units = np.where(has_baseline, model.baseline, 0.0)
    pools = np.ascontiguousarray(np.moveaxis(sampled.spare, 2, -1))  # S x T x N x P: sums in propagate()'s order
    for t in range(T):
        for j in range(N):
            nu = model.target[:, j]
            supply = 1.0 - sampled.loss[:, t, :, j]
            for i, share in model.inputs[j]:
                supply = np.minimum(supply, 1.0 - (1.0 - share) * (1.0 - avail[:, t, :, i]))  # as in propagate()
            chain[:, t, :, j] = np.minimum(nu, supply)
            gap = nu - chain[:, t, :, j]
            recycled[:, t, :, j] = np.minimum(model.recycle[t, :, j], gap)
            gap = gap - recycled[:, t, :, j]
            if P:
                pool = pools[:, t, j, :]  # S x P
                capacity = pool.sum(axis=1)
                rows = capacity > 0
                if rows.any():
                    requests = np.where(has_baseline[:, j], gap * baseline_units[:, j], 0.0)
                    units = _allocate(name, requests[rows], capacity[rows], baseline_units[:, j])
                    units = np.minimum(units, requests[rows])
                    by_partner[rows, t, :, :, j] = (pool[rows] / capacity[rows, None])[:, :, None] * units[:, None, :]
                    got = np.divide(units, baseline_units[:, j], out=np.zeros_like(units),
                                    where=np.broadcast_to(has_baseline[:, j], units.shape))
                    taken = np.minimum(got, gap[rows])
                    resourced[rows, t, :, j] = taken
                    gap[rows] = gap[rows] - taken
            drawn[:, t, :, j] = np.minimum(stock[:, :, j], np.maximum(gap, 0.0))
            stock[:, :, j] -= drawn[:, t, :, j]
            gap = gap - drawn[:, t, :, j]
            unmet[:, t, :, j] = np.where(gap > ROUNDING, gap, 0.0)  # as in propagate()
            avail[:, t, :, j] = nu - unmet[:, t, :, j]
        stock_left[:, t + 1] = stock
    return SampledPropagation(sampled, chain, recycled, resourced, drawn, unmet, avail, stock_left, by_partner)


def _allocate(name: str, requests: np.ndarray, capacity: np.ndarray, baselines: np.ndarray) -> np.ndarray:
    weights = ROW_WEIGHTS.get(name)
    if weights is None:
        rule = STRATEGIES[name]
        return np.array([rule(r, float(c), baselines) for r, c in zip(requests, capacity, strict=True)])
    return water_fill_rows(requests, capacity, weights(requests, np.broadcast_to(baselines, requests.shape)))


def water_fill_rows(requests: np.ndarray, capacity: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``allocation.water_fill`` on each row: ``requests`` and ``weights`` S x K, ``capacity`` S."""
    requests = np.maximum(np.asarray(requests, dtype=float), 0.0)
    weights = np.maximum(np.broadcast_to(np.asarray(weights, dtype=float), requests.shape), 0.0)
    capacity = np.maximum(np.asarray(capacity, dtype=float), 0.0)
    total = requests.sum(axis=1)
    weighted = (weights > 0) & (requests > 0)
    allocation = _level_fill_rows(requests, capacity, weights, weighted)
    left = capacity - allocation.sum(axis=1)
    rest = (~weighted) & (requests > 0)
    second = (left > 1e-12 * np.maximum(capacity, 1.0)) & rest.any(axis=1)
    if second.any():
        extra = _level_fill_rows(requests, left, np.ones_like(requests), rest)
        allocation = np.where(rest & second[:, None], extra, allocation)
    allocation = np.where((capacity <= 0.0)[:, None], 0.0, allocation)
    return np.where((capacity >= total)[:, None], requests, allocation)


def _level_fill_rows(requests: np.ndarray, capacity: np.ndarray, weights: np.ndarray,
                     members: np.ndarray) -> np.ndarray:
    """``allocation._level_fill`` on the ``members`` of each row (others get 0), in its order of operations."""
    S, K = requests.shape
    r_all = np.where(members, requests, 0.0)
    w_all = np.where(members, weights, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        key = np.where(members, requests / np.where(members, weights, 1.0), np.inf)
    order = np.lexsort((key, ~members), axis=1)  # members first, by level, stable
    r = np.take_along_axis(r_all, order, axis=1)
    w = np.take_along_axis(w_all, order, axis=1)
    count = members.sum(axis=1)
    member_at = np.arange(K)[None, :] < count[:, None]
    filled = np.concatenate((np.zeros((S, 1)), np.cumsum(r, axis=1)), axis=1)[:, :-1]
    weight_left = np.cumsum(w[:, ::-1], axis=1)[:, ::-1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        level = (capacity[:, None] - filled) / weight_left
        saturated = np.where(member_at, level >= r / np.where(member_at, w, 1.0), True)
    first = np.where(saturated.all(axis=1), np.maximum(count - 1, 0), np.argmin(saturated, axis=1))
    lam = np.take_along_axis(level, first[:, None], axis=1)
    with np.errstate(invalid="ignore"):
        sorted_allocation = np.where(member_at, np.minimum(r, lam * w), 0.0)
    allocation = np.zeros_like(requests)
    np.put_along_axis(allocation, order, sorted_allocation, axis=1)
    full = capacity >= r_all.sum(axis=1)
    allocation = np.where(full[:, None], r_all, allocation)
    return np.where(count[:, None] > 0, allocation, 0.0)
