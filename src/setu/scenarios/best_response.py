"""The best response to a disruption as a linear program: who should get the partners' spare capacity and
the stockpiles, and when, to leave the least (weighted) demand unmet.

Notation as in ``setu.scenarios.model``; ``t`` month, ``k`` importer, ``j, i`` affected nodes, ``p`` partner,
``o`` stock owner, ``E`` the end products, ``G`` the partner group. Variables (all >= 0):

=====================  =======================================================================
``a[t,k,j] <= nu_kj``  availability, share of k's baseline use of j
``b[t,k,j] <= 1-loss`` supply through k's own chain (capped at ``nu``)
``r[t,k,j] <= rec``    recycled share
``d[t,k,j]``           draw on k's own stock (months of baseline)
``y[t,p,k,j]``         units of j re-sourced from partner p by importer k
``l[t,o,k,j]``         units of j lent from o's stock to k (coordination with ``share_stockpiles`` only)
=====================  =======================================================================

    minimise    sum_{t,k,j in E} w_kj (nu_kj - a[t,k,j])  (+ tiny costs on stock draws and lending, which pick,
                among equally good plans, the one that keeps stock and avoids lending back and forth)
    subject to  b[t,k,j] - (1 - sigma_kij) a[t,k,i] <= sigma_kij          every affected input i of j
                a - b - r - d - sum_p y / R_kj - sum_o l / R_kj <= 0             balance of node j
                sum_k y[t,p,k,j] <= spare[t,p,j]                                 partner capacity  (dual: its value)
                y[t,p,k,j] <= Y[t,p,k,j]                                         fixed allocation  (see modes)
                sum_t d[t,o,j] + sum_{t,k} l[t,o,k,j] / R_oj <= stock_oj         stockpile         (dual: its value)

Weights ``w_kj`` are the importer's weight (default 1) times its baseline units of end product ``j`` when
every reached importer states one (so the objective is in product units), else its baseline of a shocked
node upstream (input-equivalent units), else 1 (months of demand); see ``objective_weights``.

Modes: **autarky** ("every country for itself"): each importer may re-source at most ``Y``, what the
allocation rule gave it in the simulation, and uses its own stock only. **Coordinated** ("partners
coordinate"): importers in the partner group ``G`` share the capacity left after non-members' fixed
allocations freely across importers and months, and (if ``share_stockpiles``) lend each other stock.
The autarky feasible set is contained in the coordinated one, so coordination never does worse; the
simulation's plan is feasible for autarky, so the LP never does worse than the simulation.

A second, lexicographic stage (``least_movement``) then holds the weighted unmet demand at its optimum and
minimises the units moved, so no importer is shipped more than its chain can absorb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from setu.optimise.highs import LpSolution, SolverError, solve_lp
from setu.scenarios.model import ChainModel
from setu.scenarios.propagation import Propagation
from setu.scenarios.spec import DAYS_PER_MONTH

AUTARKY = "autarky"
COORDINATED = "coordinated"
TOLERANCE = 1e-9
STOCK_EPSILON = 1e-9  # per month of baseline drawn: keep stock when a flow can serve
LEND_EPSILON = 1e-7  # per unit lent: no needless round trips of stock between partners
SHADOW_TOLERANCE = 10 * LEND_EPSILON  # a capacity dual below this comes from the tie-breaking costs
UNMET_TOLERANCES = (1e-12, 1e-9, 1e-7)  # second stage: weighted unmet may exceed the optimum by this share of need
MOVE_PREFERENCE = 1e-3  # second stage: a unit drawn from stock or lent costs this much more than a flow


@dataclass(frozen=True)
class CapacityDual:
    partner: str
    node: str
    shadow_price: float  # weighted unmet demand avoided per extra unit of spare capacity, summed over months
    binding_months: tuple[int, ...]
    used_units: float
    available_units: float


@dataclass(frozen=True)
class StockDual:
    owner: str
    node: str
    shadow_price_per_day: float  # weighted unmet demand avoided per extra day of stock
    binding: bool
    drawn_days: float  # own use plus lending, in days of the owner's baseline
    stock_days: float


@dataclass(frozen=True)
class BestResponse:
    mode: str
    weighted_unmet: float
    objective_unit: str
    unmet: np.ndarray  # T x K x N shares of baseline
    resourced: np.ndarray  # T x P x K x N units
    lent: np.ndarray  # T x K(owner) x K(user) x N units
    drawn: np.ndarray  # T x K x N own draws, months of baseline
    capacity_duals: tuple[CapacityDual, ...]
    stock_duals: tuple[StockDual, ...]


@dataclass(frozen=True)
class Cooperation:
    simulated: float  # weighted unmet under the allocation rule, no planning
    autarky: BestResponse
    coordinated: BestResponse

    @property
    def value(self) -> float:
        """Weighted unmet demand avoided by coordinating (units of the objective)."""
        return self.autarky.weighted_unmet - self.coordinated.weighted_unmet

    @property
    def value_share(self) -> float | None:
        """The value as a share of autarky's unmet demand (None when autarky leaves nothing unmet)."""
        return self.value / self.autarky.weighted_unmet if self.autarky.weighted_unmet > TOLERANCE else None


def objective_weights(model: ChainModel, country_weights: dict[str, float] | None = None) -> tuple[np.ndarray, str]:
    """``w`` (K x N, zero off the end products) and the unit the weighted unmet demand is counted in.

    For each end product, in order of preference: every reached importer's baseline units of the product;
    else their baseline units of one shocked node upstream of it (unmet demand counted in, e.g., kg of
    gallium-equivalent: the shocked input the lost products would have used); else 1 (months of demand).
    """
    K, N = len(model.importers), len(model.nodes)
    weights = np.zeros((K, N))
    per_country = np.array([(country_weights or {}).get(c, 1.0) for c in model.importers])
    stated = ~np.isnan(model.baseline)
    shocked = [j for j in range(N) if model.loss[:, :, j].any()]
    units = set()
    for j in model.end_products:
        reached = model.shock_start[:, j] > 0
        candidates = [(j, model.units[j])] + [
            (s, f"{model.units[s]} of {model.nodes[s]}-equivalent") for s in shocked if s in upstream(model, j)]
        for node, unit in candidates:
            if reached.any() and stated[reached, node].all():
                weights[:, j] = np.where(stated[:, node], model.baseline[:, node], 0.0)
                units.add(unit)
                break
        else:
            weights[:, j] = 1.0
            units.add("months of demand")
    label = units.pop() if len(units) == 1 else "mixed units (" + ", ".join(sorted(units)) + ")"
    return weights * per_country[:, None], label


def upstream(model: ChainModel, node: int) -> set[int]:
    """Affected nodes with a path to ``node`` (itself excluded)."""
    found: set[int] = set()
    stack = [node]
    while stack:
        for i, _share in model.inputs[stack.pop()]:
            if i not in found:
                found.add(i)
                stack.append(i)
    return found


def weighted_unmet(unmet: np.ndarray, weights: np.ndarray) -> float:
    return float((unmet * weights[None, :, :]).sum())


def best_response(model: ChainModel, simulation: Propagation, mode: str, share_stockpiles: bool = True,
                  country_weights: dict[str, float] | None = None, *, plan: bool = True) -> BestResponse:
    """Solve the LP in ``mode`` (``autarky`` or ``coordinated``); ``simulation`` gives the fixed allocations.

    ``plan=False`` skips the second stage (``least_movement``): the weighted unmet demand and the duals are
    the same, but the plan's flows are one arbitrary optimum; for callers that read only the totals.
    """
    if mode not in (AUTARKY, COORDINATED):
        raise ValueError(f"mode must be {AUTARKY!r} or {COORDINATED!r}")
    T, K, N = model.shape
    P = len(model.partners)
    weights, unit = objective_weights(model, country_weights)
    R = model.baseline
    known = ~np.isnan(R)
    members = np.array([c in model.partners for c in model.importers])
    lp = _Builder()
    a = lp.block((T, K, N), upper=np.broadcast_to(model.need, (T, K, N)))
    b = lp.block((T, K, N), upper=np.minimum(model.need[None], 1.0 - model.loss))
    r = lp.block((T, K, N), upper=model.recycle)
    d = lp.block((T, K, N), upper=np.where(model.stock[None] > 0, np.inf, 0.0) * np.ones((T, 1, 1)))
    y_ok = (model.spare[:, :, None, :] > 0) & known[None, None]
    y = lp.block((T, P, K, N), upper=np.where(y_ok, np.inf, 0.0))
    lend_ok = np.zeros((T, K, K, N), dtype=bool)
    if mode == COORDINATED and share_stockpiles:
        pair = members[:, None] & members[None, :] & ~np.eye(K, dtype=bool)
        lend_ok[:] = (pair[:, :, None] & (model.stock > 0)[:, None, :] & known[:, None, :] & known[None, :, :])[None]
    s = lp.block((T, K, K, N), upper=np.where(lend_ok, np.inf, 0.0))

    cost = np.zeros(lp.size)
    cost[a.ravel()] = -np.broadcast_to(weights, (T, K, N)).ravel()
    cost[d.ravel()] = STOCK_EPSILON
    cost[s.ravel()] = LEND_EPSILON
    safe_R = np.where(known, R, 1.0)
    for t in range(T):
        for k in range(K):
            for j in range(N):
                for i, share in model.inputs[j]:
                    lp.row({b[t, k, j]: 1.0, a[t, k, i]: -(1.0 - share[k])}, share[k])
                terms = {a[t, k, j]: 1.0, b[t, k, j]: -1.0, r[t, k, j]: -1.0, d[t, k, j]: -1.0}
                terms.update({y[t, p, k, j]: -1.0 / safe_R[k, j] for p in range(P) if y_ok[t, p, k, j]})
                terms.update({s[t, o, k, j]: -1.0 / safe_R[k, j] for o in range(K) if lend_ok[t, o, k, j]})
                lp.row(terms, 0.0)
    capacity_rows = {}
    for t in range(T):
        for p in range(P):
            for j in range(N):
                users = [k for k in range(K) if y_ok[t, p, k, j]]
                if not users:
                    continue
                capacity_rows[t, p, j] = lp.row({y[t, p, k, j]: 1.0 for k in users}, model.spare[t, p, j])
                for k in users:
                    if mode == AUTARKY or not members[k]:
                        lp.row({y[t, p, k, j]: 1.0}, simulation.resourced_by_partner[t, p, k, j])
    stock_rows = {}
    for o in range(K):
        for j in range(N):
            if model.stock[o, j] <= 0:
                continue
            terms = {d[t, o, j]: 1.0 for t in range(T)}
            terms.update({s[t, o, k, j]: 1.0 / safe_R[o, j] for t in range(T) for k in range(K) if lend_ok[t, o, k, j]})
            stock_rows[o, j] = lp.row(terms, model.stock[o, j])

    solution = solve_lp(cost, lp.matrix(), lp.rhs(), np.zeros(lp.size), lp.upper)
    need_total = float((np.broadcast_to(model.need, (T, K, N)) * weights[None]).sum())
    objective = need_total + float(cost[a.ravel()] @ solution.x[a.ravel()])
    movement = np.zeros(lp.size)
    movement[y.ravel()] = 1.0
    movement[s.ravel()] = 1.0 + 2 * MOVE_PREFERENCE  # lending: a draw that also crosses a border
    movement[d.ravel()] = (np.broadcast_to(safe_R, (T, K, N)) * (1.0 + MOVE_PREFERENCE)).ravel()
    x = least_movement(lp, cost, a, solution, movement, need_total) if plan else solution.x
    unmet = np.broadcast_to(model.need, (T, K, N)) - x[a]
    resourced, lent = x[y], x[s]
    capacity_duals = []
    for (p, j) in sorted({(p, j) for (_, p, j) in capacity_rows}):
        rows = {t: capacity_rows[t, p, j] for t in range(T) if (t, p, j) in capacity_rows}
        prices = {t: -solution.row_duals[row] for t, row in rows.items()}
        capacity_duals.append(CapacityDual(
            partner=model.partners[p], node=model.nodes[j], shadow_price=float(sum(prices.values())),
            binding_months=tuple(t + 1 for t, row in rows.items()
                                 if solution.slack[row] <= TOLERANCE * max(1.0, model.spare[t, p, j])
                                 and prices[t] > SHADOW_TOLERANCE),
            used_units=float(resourced[:, p, :, j].sum()), available_units=float(model.spare[:, p, j].sum())))
    stock_duals = []
    for (o, j), row in sorted(stock_rows.items()):
        price = -solution.row_duals[row]
        used = x[d[:, o, j]].sum() + (lent[:, o, :, j].sum() / safe_R[o, j])
        stock_duals.append(StockDual(
            owner=model.importers[o], node=model.nodes[j], shadow_price_per_day=float(price / DAYS_PER_MONTH),
            binding=bool(solution.slack[row] <= 1e-7
                         and price > 10 * (STOCK_EPSILON + LEND_EPSILON * safe_R[o, j])),
            drawn_days=float(used * DAYS_PER_MONTH), stock_days=float(model.stock[o, j] * DAYS_PER_MONTH)))
    return BestResponse(mode, max(objective, 0.0), unit, np.maximum(unmet, 0.0), resourced, lent, x[d],
                        tuple(capacity_duals), tuple(stock_duals))


def least_movement(lp: _Builder, cost: np.ndarray, a: np.ndarray, first: LpSolution, movement: np.ndarray,
                   need_total: float) -> np.ndarray:
    """The second, lexicographic stage: among the plans that leave the least weighted unmet demand (the first
    stage's optimum, held within the first of ``UNMET_TOLERANCES`` the solver can meet), the one that moves the fewest units.

    Re-sourced and lent units carry no cost in the first stage and the node balance is an inequality, so its
    optimum is one vertex among many and may ship a partner's capacity to an importer that cannot use it.
    Fixing the first objective and minimising ``movement'x`` (units re-sourced, lent and drawn from stock,
    with draws and lending a hair dearer than partners' flows) picks the plan a planner would sign: no more
    delivered than the importer's chain can absorb (Ehrgott, *Multicriteria Optimization*, 2nd ed., 2005,
    sec. 5.1, lexicographic optimisation). Duals stay those of the first stage: they price unmet demand.
    """
    weighted = np.zeros(lp.size)
    weighted[a.ravel()] = cost[a.ravel()]  # -w: the unmet demand is need_total + weighted'x
    matrix = sparse.vstack([lp.matrix(), sparse.csr_matrix(weighted)], format="csr")
    for tolerance in UNMET_TOLERANCES:  # the first stage's point meets its rows only to the solver's tolerance
        bound = float(weighted @ first.x) + tolerance * max(1.0, need_total)
        try:
            return solve_lp(movement, matrix, np.append(lp.rhs(), bound), np.zeros(lp.size), lp.upper).x
        except SolverError:
            continue
    return first.x


def cooperation(model: ChainModel, simulation: Propagation, share_stockpiles: bool = True,
                country_weights: dict[str, float] | None = None, *, plan: bool = True) -> Cooperation:
    """Autarky against coordination, with the simulated (unplanned) outcome for reference."""
    weights, _ = objective_weights(model, country_weights)
    ends = list(model.end_products)
    return Cooperation(
        simulated=weighted_unmet(simulation.unmet[:, :, ends], weights[:, ends]),
        autarky=best_response(model, simulation, AUTARKY, share_stockpiles, country_weights, plan=plan),
        coordinated=best_response(model, simulation, COORDINATED, share_stockpiles, country_weights, plan=plan),
    )


class _Builder:
    """Collects variable blocks (as index arrays) and sparse rows ``sum coef x <= rhs``."""

    def __init__(self) -> None:
        self.size = 0
        self.uppers: list[np.ndarray] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.rhs_values: list[float] = []

    def block(self, shape: tuple[int, ...], upper: np.ndarray) -> np.ndarray:
        count = int(np.prod(shape))
        index = np.arange(self.size, self.size + count).reshape(shape)
        self.size += count
        self.uppers.append(np.broadcast_to(np.asarray(upper, dtype=float), shape).ravel())
        return index

    @property
    def upper(self) -> np.ndarray:
        return np.concatenate(self.uppers) if self.uppers else np.zeros(0)

    def row(self, terms: dict, rhs: float) -> int:
        number = len(self.rhs_values)
        for column, value in terms.items():
            self.rows.append(number)
            self.cols.append(int(column))
            self.vals.append(float(value))
        self.rhs_values.append(float(rhs))
        return number

    def matrix(self) -> sparse.csr_matrix:
        return sparse.csr_matrix((self.vals, (self.rows, self.cols)), shape=(len(self.rhs_values), self.size))

    def rhs(self) -> np.ndarray:
        return np.array(self.rhs_values)
