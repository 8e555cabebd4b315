"""PURE optimisation: linear programs built from arrays and solved through one HiGHS adapter (``highs``).

The adapter knows nothing of scenarios; the best response to a disruption, an LP over a compiled scenario,
lives next to the scenarios it solves (``setu.scenarios.best_response``).
"""

from setu.optimise.highs import LpSolution, SolverError, solve_lp

__all__ = [
    "LpSolution",
    "SolverError",
    "solve_lp",
]
