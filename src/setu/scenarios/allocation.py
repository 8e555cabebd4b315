"""How a scarce pool (partners' spare capacity at a node in one month) is split among importers.

Each strategy is a small pure function ``(requests, capacity, baselines) -> allocations`` over arrays
indexed by importer, in the node's units. Every strategy gives each importer at most its request and hands
out ``min(capacity, sum(requests))`` in total (no capacity is left idle while someone still asks).

All three are *weighted water-filling* (progressive filling; Bertsekas & Gallager, *Data Networks*, 2nd ed.,
1992, sec. 6.5.2): find the level ``lam`` at which ``sum_k min(r_k, lam w_k) = C`` and give importer ``k``
``min(r_k, lam w_k)``. They differ only in the weights ``w``:

* ``pro-rata`` (default): ``w = r``, each gets the same fraction ``min(1, C / sum r)`` of its request —
  the rule of proportional rationing that export-restriction cuts and fair-share clauses usually follow.
* ``baseline``: ``w`` = normal-times use, so partners serve customers in proportion to their usual size.
* ``max-min``: ``w = 1``, the max-min fair split (equal units, capped by requests).

Register a new rule with ``@strategy("name")``; the scenario names it in ``allocation:``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Strategy = Callable[[np.ndarray, float, np.ndarray], np.ndarray]
STRATEGIES: dict[str, Strategy] = {}


def strategy(name: str) -> Callable[[Strategy], Strategy]:
    def register(function: Strategy) -> Strategy:
        STRATEGIES[name] = function
        return function

    return register


def water_fill(requests: np.ndarray, capacity: float, weights: np.ndarray) -> np.ndarray:
    """``min(r_k, lam w_k)`` with ``lam`` chosen so the total is ``min(C, sum r)``.

    Importers with zero weight and a positive request are served only after every weighted importer is
    full (a second round of equal filling), so no capacity stays idle.
    """
    requests = np.maximum(np.asarray(requests, dtype=float), 0.0)
    weights = np.maximum(np.asarray(weights, dtype=float), 0.0)
    capacity = max(float(capacity), 0.0)
    total = requests.sum()
    if capacity >= total:
        return requests.copy()
    if capacity <= 0.0:
        return np.zeros_like(requests)
    weighted = (weights > 0) & (requests > 0)
    allocation = np.zeros_like(requests)
    if weighted.any():
        allocation[weighted] = _level_fill(requests[weighted], capacity, weights[weighted])
    left = capacity - allocation.sum()
    rest = (~weighted) & (requests > 0)
    if left > 1e-12 * max(capacity, 1.0) and rest.any():
        allocation[rest] = _level_fill(requests[rest], left, np.ones(int(rest.sum())))
    return allocation


def _level_fill(requests: np.ndarray, capacity: float, weights: np.ndarray) -> np.ndarray:
    if capacity >= requests.sum():
        return requests.copy()
    order = np.argsort(requests / weights, kind="stable")
    r, w = requests[order], weights[order]
    # after filling the first i importers fully, the rest share what is left in proportion to w
    filled = np.concatenate(([0.0], np.cumsum(r)))[:-1]
    weight_left = np.cumsum(w[::-1])[::-1]
    with np.errstate(over="ignore"):  # subnormal weights: an infinite level saturates, which is right
        level = (capacity - filled) / weight_left
    saturated = level >= r / w
    first_unsaturated = int(np.argmin(saturated)) if not saturated.all() else len(r) - 1
    lam = level[first_unsaturated]
    allocation = np.empty_like(requests)
    allocation[order] = np.minimum(r, lam * w)
    return allocation


@strategy("pro-rata")
def pro_rata(requests: np.ndarray, capacity: float, baselines: np.ndarray) -> np.ndarray:
    """Everyone receives the same fraction of its request."""
    return water_fill(requests, capacity, requests)


@strategy("baseline")
def by_baseline(requests: np.ndarray, capacity: float, baselines: np.ndarray) -> np.ndarray:
    """Shares in proportion to normal-times use, capped by requests, the excess passed on."""
    return water_fill(requests, capacity, baselines)


@strategy("max-min")
def max_min(requests: np.ndarray, capacity: float, baselines: np.ndarray) -> np.ndarray:
    """Equal units for all, capped by requests, the excess passed on (max-min fairness)."""
    return water_fill(requests, capacity, np.ones_like(np.asarray(requests, dtype=float)))
