"""Month-by-month propagation of a supply shock down each importer's chain ("every country for itself").

Each importer ``k`` is modelled as making the map's products from inputs it buys on the market in its
usual proportions (``model`` notation). In month ``t``, for each affected node ``j`` in topological order:

Each node is filled up to its *target* ``tau_j`` (``model``): the need of the products it feeds, less what
substitution downstream covers, so no stock is spent on input that no product could use.

1. **Chain supply** ``b = min(1 - loss_j, min_i e_i)`` with ``e_i = s + (1 - s) a_i`` for each affected
   input ``i`` (``s`` the substitutable share of the input, 0 unless the scenario grants substitution on an
   edge the map marks ``substitutes: yes``): fixed proportions (Leontief) — output is bounded by the scarcest
   input and by what the restricting countries still ship.
2. **Gap** ``g = max(0, tau_j - b)``, covered in this order: domestic **recycling**, then **re-sourcing**
   from partners' spare capacity (a shared pool split among importers by the scenario's allocation rule,
   ``allocation.STRATEGIES``, pro-rata by default; an importer with no stated baseline at the node cannot
   express its request in units and receives none), then **stock draw** from the importer's own stockpile.
   Flows first: spare capacity and recycling unused this month are lost, stock keeps.
3. **Availability** ``a_j = min(tau_j, b) + recycled + resourced + drawn``; **unmet** ``u_j = tau_j - a_j``
   (for an end product ``tau = nu``, its need).

Re-sourced and stocked units of ``j`` are finished units of ``j``, so they bypass ``j``'s own inputs.
All quantities are shares of the importer's baseline monthly use, converted to units with the baseline.

Mass balance (tested): ``min(tau, b) + recycled + resourced + drawn + unmet = tau`` at every node, month and
importer; ``stock_0 - sum_t drawn = stock_T``; partners never ship more than their spare capacity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from setu.scenarios.allocation import STRATEGIES
from setu.scenarios.model import ChainModel


@dataclass(frozen=True)
class Propagation:
    """Shares of baseline use, T x K x N unless stated; ``resourced_by_partner`` is T x P x K x N in units."""

    model: ChainModel
    chain_supply: np.ndarray  # min(tau, b)
    recycled: np.ndarray
    resourced: np.ndarray
    drawn: np.ndarray
    unmet: np.ndarray
    availability: np.ndarray
    stock_left: np.ndarray  # (T+1) x K x N, months of baseline use
    resourced_by_partner: np.ndarray

    def unmet_units(self) -> np.ndarray:
        """Unmet demand in units per month (NaN where the importer states no baseline at the node)."""
        return self.unmet * self.model.baseline[None, :, :]


#: Shortfalls smaller than this fraction of normal monthly use are rounding residue.
ROUNDING = 1e-12


def propagate(model: ChainModel, strategy: str | None = None) -> Propagation:
    """Run the scenario month by month; ``strategy`` overrides the scenario's allocation rule."""
    allocate = STRATEGIES[strategy or model.allocation]
    T, K, N = model.shape
    P = len(model.partners)
    chain = np.zeros((T, K, N))
    recycled, resourced, drawn, unmet, avail = (np.zeros((T, K, N)) for _ in range(5))
    by_partner = np.zeros((T, P, K, N))
    stock_left = np.zeros((T + 1, K, N))
    stock_left[0] = model.stock
    stock = model.stock.copy()
    has_baseline = ~np.isnan(model.baseline)
    baseline_units = np.where(has_baseline, model.baseline, 0.0)
    for t in range(T):
        for j in range(N):
            nu = model.target[:, j]
            supply = 1.0 - model.loss[t, :, j]
            for i, share in model.inputs[j]:
                # written as 1 − (1 − share)·(1 − a) rather than share + (1 − share)·a: the same number, but
                # exactly 1 when the input is fully available, so unaffected importers show exactly zero shortfall
                supply = np.minimum(supply, 1.0 - (1.0 - share) * (1.0 - avail[t, :, i]))
            chain[t, :, j] = np.minimum(nu, supply)
            gap = nu - chain[t, :, j]
            recycled[t, :, j] = np.minimum(model.recycle[t, :, j], gap)
            gap = gap - recycled[t, :, j]
            pool = model.spare[t, :, j]
            if P and pool.sum() > 0:
                requests = np.where(has_baseline[:, j], gap * baseline_units[:, j], 0.0)
                units = allocate(requests, float(pool.sum()), baseline_units[:, j])
                units = np.minimum(units, requests)
                by_partner[t, :, :, j] = np.outer(pool / pool.sum(), units)
                got = np.divide(units, baseline_units[:, j], out=np.zeros(K), where=has_baseline[:, j])
                resourced[t, :, j] = np.minimum(got, gap)
                gap = gap - resourced[t, :, j]
            drawn[t, :, j] = np.minimum(stock[:, j], np.maximum(gap, 0.0))
            stock[:, j] -= drawn[t, :, j]
            gap = gap - drawn[t, :, j]
            # quantities are fractions of normal monthly use: a gap below ROUNDING is floating-point residue
            # of the share arithmetic, not a shortfall, and is reported as exactly zero
            unmet[t, :, j] = np.where(gap > ROUNDING, gap, 0.0)
            avail[t, :, j] = nu - unmet[t, :, j]
        stock_left[t + 1] = stock
    return Propagation(model, chain, recycled, resourced, drawn, unmet, avail, stock_left, by_partner)
