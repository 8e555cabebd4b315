"""Setu's factorise-and-solve results against pymrio's inverse-based ones on pymrio's own test system."""

import numpy as np
import pymrio
import pytest

from setu.propagate import GhoshModel, InoperabilityModel, IOTable, LeontiefModel

RTOL = 1e-9


def assert_close(actual, expected):
    """Relative agreement: each entry within 1e-9 of itself, or of the largest entry for near-zero ones."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=RTOL * np.max(np.abs(expected)))


@pytest.fixture(scope="module")
def mrio():
    io = pymrio.load_test()
    io.calc_all(include_ghosh=True)
    return io


@pytest.fixture(scope="module")
def table(mrio):
    return IOTable.from_pymrio(mrio)


@pytest.fixture(params=["dense", "sparse"])
def method(request):
    return request.param


def test_labels_and_coefficients(mrio, table):
    assert list(table.labels) == list(mrio.Z.index)
    assert table.labels.names == ["region", "sector"]
    assert table.unit == "Mill USD"
    assert_close(table.A, mrio.A.to_numpy())
    assert_close(table.x, mrio.x.to_numpy().ravel())


def test_leontief_output_for_every_final_demand_column(mrio, table, method):
    model = LeontiefModel(table, method=method)
    result = model.output(mrio.Y)
    assert list(result.columns) == list(mrio.Y.columns)
    assert_close(result.to_numpy(), mrio.L.to_numpy() @ mrio.Y.to_numpy())
    assert_close(model.output(table.f).iloc[:, 0], mrio.x.to_numpy().ravel())
    assert_close(model.inverse().to_numpy(), mrio.L.to_numpy())
    assert_close(model.output_multipliers().to_numpy(), mrio.L.to_numpy().sum(axis=0))


def test_ghosh_against_pymrio_G(mrio, table, method):
    model = GhoshModel(table, method=method)
    G = mrio.G.to_numpy()
    rng = np.random.default_rng(1)
    shocks = rng.normal(size=(table.size, 5)) * table.v[:, np.newaxis]
    assert_close(model.output(shocks).to_numpy(), G.T @ shocks)
    assert_close(model.output(table.v).iloc[:, 0], mrio.x.to_numpy().ravel())
    assert_close(model.inverse().to_numpy(), G)


def test_inoperability_is_leontief_rescaled(mrio, table, method):
    model = InoperabilityModel(table, method=method)
    x = mrio.x.to_numpy().ravel()
    rng = np.random.default_rng(2)
    c_star = rng.uniform(0, 0.3, size=(table.size, 4))
    expected = (mrio.L.to_numpy() @ (c_star * x[:, np.newaxis])) / x[:, np.newaxis]
    assert_close(model.inoperability(c_star).to_numpy(), expected)


def test_coefficient_form_system(mrio):
    io = pymrio.load_test()
    io.calc_all()
    io.reset_to_coefficients()  # keeps A, drops Z, x and Y
    assert io.Z is None
    io.Y = mrio.Y.copy()
    table = IOTable.from_pymrio(io)
    assert_close(table.Z, mrio.Z.to_numpy())
    assert_close(table.x, mrio.x.to_numpy().ravel())
