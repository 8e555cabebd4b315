"""The HiGHS adapter on a textbook LP with known optimum and shadow prices."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from setu.optimise import SolverError, solve_lp


def test_wyndor_glass():
    """Hillier & Lieberman, *Introduction to Operations Research* (Wyndor Glass Co.): max 3x + 5y s.t.
    x <= 4, 2y <= 12, 3x + 2y <= 18; optimum (2, 6), Z = 36, shadow prices 0, 3/2, 1."""
    a = sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 2.0]]))
    solution = solve_lp(np.array([-3.0, -5.0]), a, np.array([4.0, 12.0, 18.0]), np.zeros(2), np.full(2, np.inf))
    np.testing.assert_allclose(solution.x, [2, 6])
    assert solution.objective == pytest.approx(-36)
    np.testing.assert_allclose(-solution.row_duals, [0, 1.5, 1], atol=1e-9)
    np.testing.assert_allclose(solution.slack, [2, 0, 0], atol=1e-9)


def test_unbounded_raises():
    a = sparse.csr_matrix(np.array([[1.0, -1.0]]))
    with pytest.raises(SolverError, match="not solved to optimality"):
        solve_lp(np.array([-1.0, 0.0]), a, np.array([1.0]), np.zeros(2), np.full(2, np.inf))
