"""Properties every propagation must keep, on random productive systems (A >= 0, spectral radius < 1)."""

import numpy as np
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from setu.propagate import (
    Factorisation,
    GhoshModel,
    InoperabilityModel,
    IOTable,
    LeontiefModel,
    spectral_radius,
)
from setu.propagate.shocks import RESPONSES

MODELS = sorted(RESPONSES)
# No deadline: the properties are about values, and a loaded machine must not turn them red.
relaxed = settings(deadline=None, max_examples=60)


@st.composite
def productive_tables(draw):
    n = draw(st.integers(2, 10))
    values = draw(arrays(np.float64, (n, n), elements=st.floats(0.01, 1.0)))
    mask = draw(arrays(np.bool_, (n, n), elements=st.booleans()))
    A = values * mask
    column_sums = A.sum(axis=0)
    scale = draw(st.floats(0.1, 0.9))
    A = A * np.divide(scale, column_sums, out=np.zeros(n), where=column_sums > 0)[np.newaxis, :]
    f = draw(arrays(np.float64, n, elements=st.floats(1.0, 100.0)))
    return IOTable.from_coefficients(A, f)


def response(table, model, shock):
    """Δx for an arbitrary n x k shock in the model's own input (Δf, Δv or c*), via the registry's models."""
    if model == "leontief":
        return LeontiefModel(table).output(shock).to_numpy()
    if model == "ghosh":
        return GhoshModel(table).output(shock).to_numpy()
    return InoperabilityModel(table).inoperability(shock).to_numpy()


def reachable(A):
    """R[i, j] is True when a chain of positive coefficients leads from i to j (or i == j)."""
    graph = scipy.sparse.csr_array(A > 0)
    distances = scipy.sparse.csgraph.shortest_path(graph, unweighted=True)
    return np.isfinite(distances)


@relaxed
@given(productive_tables())
def test_system_is_productive(table):
    assert spectral_radius(table.A) < 1


@pytest.mark.parametrize("model", MODELS)
@relaxed
@given(table=productive_tables())
def test_zero_shock_changes_nothing(model, table):
    assert np.array_equal(response(table, model, np.zeros((table.size, 3))), np.zeros((table.size, 3)))


@pytest.mark.parametrize("model", MODELS)
@relaxed
@given(table=productive_tables(), data=st.data())
def test_linearity(model, table, data):
    a = data.draw(arrays(np.float64, table.size, elements=st.floats(-10, 10)))
    b = data.draw(arrays(np.float64, table.size, elements=st.floats(-10, 10)))
    both = response(table, model, a + b)
    parts = response(table, model, a) + response(table, model, b)
    np.testing.assert_allclose(both, parts, atol=1e-9 * (1 + np.abs(parts).max()))
    np.testing.assert_allclose(
        response(table, model, 2.5 * a), 2.5 * response(table, model, a), atol=1e-9 * (1 + np.abs(parts).max())
    )


@pytest.mark.parametrize("model", MODELS)
@relaxed
@given(table=productive_tables(), data=st.data())
def test_sectors_without_a_path_from_the_shock_are_unaffected(model, table, data):
    j = data.draw(st.integers(0, table.size - 1))
    shock = np.zeros(table.size)
    shock[j] = 1.0
    change = response(table, model, shock)[:, 0]
    paths = reachable(table.A)
    # Leontief and IIM run upstream (i supplies, directly or not, j); Ghosh downstream (j supplies k).
    linked = paths[j, :] if model == "ghosh" else paths[:, j]
    assert np.all(np.abs(change[~linked]) <= 1e-12 * max(1.0, np.abs(change).max()))
    assert change[j] > 0


@pytest.mark.parametrize("model", MODELS)
@relaxed
@given(table=productive_tables(), data=st.data())
def test_non_negative_shocks_give_non_negative_responses(model, table, data):
    shock = data.draw(arrays(np.float64, (table.size, 2), elements=st.floats(0, 10)))
    change = response(table, model, shock)
    assert np.all(change >= -1e-12 * max(1.0, np.abs(change).max()))
    # and the response is at least the direct shock: (I - M)^-1 = I + M + M^2 + ... >= I
    assert np.all(change >= shock - 1e-9 * max(1.0, np.abs(change).max()))


@pytest.mark.parametrize("model", MODELS)
@relaxed
@given(table=productive_tables(), data=st.data())
def test_sparse_and_dense_factorisations_agree(model, table, data):
    shock = data.draw(arrays(np.float64, (table.size, 2), elements=st.floats(-10, 10)))
    dense = Factorisation(table.A, method="dense")
    sparse = Factorisation(scipy.sparse.csc_array(table.A), method="sparse")
    scale = 1 + np.abs(shock).max()
    for transpose in (False, True):
        np.testing.assert_allclose(
            dense.solve(shock, transpose=transpose), sparse.solve(shock, transpose=transpose), atol=1e-9 * scale * 10
        )
