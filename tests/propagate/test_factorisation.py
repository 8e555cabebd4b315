import numpy as np
import pytest
import scipy.sparse

from setu.errors import ValidationError
from setu.propagate import DENSE_MAX_ORDER, SPARSE_MAX_DENSITY, Factorisation, choose_method
from setu.propagate.factorisation import density


def test_auto_rule():
    assert choose_method(9_800, 0.10) == "dense"
    assert choose_method(9_800, SPARSE_MAX_DENSITY) == "sparse"
    assert choose_method(DENSE_MAX_ORDER + 1, 0.5) == "sparse"
    assert choose_method(100, 1.0) == "dense"


def test_auto_picks_sparse_for_a_very_sparse_matrix():
    n = 2_000
    A = scipy.sparse.random_array((n, n), density=1e-4, format="csc", rng=np.random.default_rng(0)) * 0.5
    factorisation = Factorisation(A)
    assert factorisation.method == "sparse"
    assert density(A) <= SPARSE_MAX_DENSITY
    assert factorisation.factor_fill < 0.01
    rhs = np.ones((n, 3))
    solution = factorisation.solve(rhs)
    np.testing.assert_allclose(solution - A @ solution, rhs, atol=1e-12)


def test_dense_solve_and_transpose_and_inverse():
    rng = np.random.default_rng(3)
    A = rng.uniform(0, 0.1, size=(6, 6))
    factorisation = Factorisation(A)
    assert factorisation.method == "dense" and factorisation.factor_fill == 1.0
    inverse = np.linalg.inv(np.eye(6) - A)
    rhs = rng.normal(size=(6, 4))
    np.testing.assert_allclose(factorisation.solve(rhs), inverse @ rhs, rtol=1e-12)
    np.testing.assert_allclose(factorisation.solve(rhs, transpose=True), inverse.T @ rhs, rtol=1e-12)
    np.testing.assert_allclose(factorisation.inverse(), inverse, rtol=1e-12)


def test_input_is_not_modified():
    A = np.array([[0.1, 0.2], [0.3, 0.4]])
    copy = A.copy()
    Factorisation(A, method="dense")
    np.testing.assert_array_equal(A, copy)


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_singular_system_is_reported(method):
    with pytest.raises(ValidationError, match="not productive"):
        Factorisation(np.array([[1.0, 0.0], [0.0, 0.5]]), method=method)


@pytest.mark.parametrize(
    "matrix, message",
    [
        (np.zeros((2, 3)), "square"),
        (np.array([[np.nan, 0.0], [0.0, 0.0]]), "NaN"),
    ],
)
def test_bad_matrices(matrix, message):
    with pytest.raises(ValidationError, match=message):
        Factorisation(matrix)


def test_bad_method_and_rhs():
    with pytest.raises(ValidationError, match="unknown factorisation method"):
        Factorisation(np.zeros((2, 2)), method="qr")
    with pytest.raises(ValidationError, match="rows"):
        Factorisation(np.zeros((2, 2))).solve(np.ones(3))


@pytest.mark.parametrize("order", ["C", "F"])
def test_overwrite_reuses_memory_and_solves_both_ways(order):
    rng = np.random.default_rng(4)
    A = np.array(rng.uniform(0, 0.1, size=(7, 7)), order=order)
    inverse = np.linalg.inv(np.eye(7) - A)
    factorisation = Factorisation(A, method="dense", overwrite=True)
    rhs = rng.normal(size=(7, 3))
    np.testing.assert_allclose(factorisation.solve(rhs), inverse @ rhs, rtol=1e-12)
    np.testing.assert_allclose(factorisation.solve(rhs, transpose=True), inverse.T @ rhs, rtol=1e-12)
    assert np.shares_memory(factorisation._lu[0], A)
