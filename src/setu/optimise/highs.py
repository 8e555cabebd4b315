"""The one adapter to the HiGHS LP solver (Huangfu & Hall, "Parallelizing the dual revised simplex
method", *Mathematical Programming Computation* 10, 2018), reached through ``scipy.optimize.linprog``.

Solves ``min c'x  s.t.  A_ub x <= b_ub,  lower <= x <= upper`` and returns the primal solution with the
row duals (shadow prices). Models elsewhere build the matrices; nothing outside this module imports the
solver, so it can be swapped (e.g. for ``highspy`` directly) in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from setu.errors import SolverError


@dataclass(frozen=True)
class LpSolution:
    x: np.ndarray
    objective: float
    row_duals: np.ndarray  # d objective / d b_ub (<= 0 for a binding <= row of a minimisation)
    slack: np.ndarray  # b_ub - A_ub x
    iterations: int


def solve_lp(c: np.ndarray, a_ub: sparse.spmatrix, b_ub: np.ndarray, lower: np.ndarray, upper: np.ndarray,
             ) -> LpSolution:
    """Minimise ``c'x`` with HiGHS (dual simplex chosen by HiGHS); raise ``SolverError`` unless optimal."""
    result = linprog(c, A_ub=sparse.csr_matrix(a_ub), b_ub=b_ub, bounds=np.column_stack([lower, upper]),
                     method="highs")
    if result.status != 0:
        raise SolverError(f"the LP was not solved to optimality: {result.message}")
    return LpSolution(
        x=np.asarray(result.x),
        objective=float(result.fun),
        row_duals=np.asarray(result.ineqlin.marginals),
        slack=np.asarray(result.ineqlin.residual),
        iterations=int(result.nit),
    )
