"""PURE optimisation: linear programs built from arrays and solved through one HiGHS adapter (``highs``).

``best_response`` allocates partners' spare capacity and stockpiles across importers and months to
minimise (weighted) unmet demand, and compares every country for itself with partners coordinating.
"""

from setu.optimise.best_response import (
    AUTARKY,
    COORDINATED,
    BestResponse,
    CapacityDual,
    Cooperation,
    StockDual,
    best_response,
    cooperation,
    objective_weights,
)
from setu.optimise.highs import LpSolution, SolverError, solve_lp

__all__ = [
    "AUTARKY",
    "COORDINATED",
    "BestResponse",
    "CapacityDual",
    "Cooperation",
    "LpSolution",
    "SolverError",
    "StockDual",
    "best_response",
    "cooperation",
    "objective_weights",
    "solve_lp",
]
