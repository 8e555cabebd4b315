"""The two-sector illustration of Miller & Blair (2009), ch. 2 (section 2.3), worked by hand.

    Z = [[150, 500], [200, 100]], f = [350, 1700], x = [1000, 2000]
    A = Z x^-1 = [[0.15, 0.25], [0.20, 0.05]]
    det(I - A) = 0.85 * 0.95 - 0.25 * 0.20 = 0.7575
    L = [[0.95, 0.25], [0.20, 0.85]] / 0.7575 = [[1.2541, 0.3300], [0.2640, 1.1221]]   (M&B print these)
    f_new = [600, 1500]  ->  x_new = [945, 1395] / 0.7575 = [1247.52, 1841.58]         (M&B print these)

Ghosh (M&B ch. 12) on the same table: v = x - 1'Z = [650, 1400],
    B = x^-1 Z = [[0.15, 0.50], [0.10, 0.05]], det(I - B) = 0.7575,
    G = [[0.95, 0.50], [0.10, 0.85]] / 0.7575, and v'G = [757.5, 1515] / 0.7575 = [1000, 2000].
    A 10 % cut in sector 1's primary inputs, Δv = [-65, 0]: Δx = [-61.75, -32.5] / 0.7575.

IIM (Santos & Haimes 2004): A* = x^-1 A x = [[0.15, 0.50], [0.10, 0.05]] (= B here);
    c* = [0.1, 0]: q = [0.095, 0.010] / 0.7575 = [0.12541, 0.01320]; loss x q = [95, 20] / 0.7575.
"""

import numpy as np
import pandas as pd
import pytest

from setu.errors import ValidationError
from setu.propagate import (
    GhoshModel,
    InoperabilityModel,
    IOTable,
    LeontiefModel,
    allocation_coefficients,
    interdependency_matrix,
    leontief_inverse,
    technical_coefficients,
)
from setu.propagate.shocks import output_change

DET = 0.7575


@pytest.fixture(params=["dense", "sparse"])
def method(request):
    return request.param


@pytest.fixture
def table():
    return IOTable.from_matrices(
        [[150.0, 500.0], [200.0, 100.0]], [350.0, 1700.0], labels=[("R", "s1"), ("R", "s2")], unit="USD"
    )


def test_coefficients(table):
    np.testing.assert_allclose(table.x, [1000, 2000])
    np.testing.assert_allclose(table.v, [650, 1400])
    np.testing.assert_allclose(technical_coefficients(table.Z, table.x), [[0.15, 0.25], [0.20, 0.05]])
    np.testing.assert_allclose(allocation_coefficients(table.Z, table.x), [[0.15, 0.50], [0.10, 0.05]])
    np.testing.assert_allclose(interdependency_matrix(table.A, table.x), [[0.15, 0.50], [0.10, 0.05]])


def test_leontief_inverse_and_new_demand(table, method):
    model = LeontiefModel(table, method=method)
    expected_L = np.array([[0.95, 0.25], [0.20, 0.85]]) / DET
    np.testing.assert_allclose(model.inverse().to_numpy(), expected_L, rtol=1e-12)
    np.testing.assert_allclose(leontief_inverse(table.A, method=method), expected_L, rtol=1e-12)
    np.testing.assert_allclose(model.inverse().to_numpy().round(4), [[1.2541, 0.3300], [0.2640, 1.1221]])
    x_new = model.output([600.0, 1500.0]).iloc[:, 0].to_numpy()
    np.testing.assert_allclose(x_new, np.array([945.0, 1395.0]) / DET, rtol=1e-12)
    np.testing.assert_allclose(x_new.round(2), [1247.52, 1841.58])
    np.testing.assert_allclose(model.output_multipliers().to_numpy(), np.array([1.15, 1.10]) / DET, rtol=1e-12)


def test_ghosh_reproduces_output_and_a_cut(table, method):
    model = GhoshModel(table, method=method)
    np.testing.assert_allclose(model.inverse().to_numpy(), np.array([[0.95, 0.50], [0.10, 0.85]]) / DET, rtol=1e-12)
    np.testing.assert_allclose(model.output(table.v).iloc[:, 0], [1000.0, 2000.0], rtol=1e-12)
    change = model.output([-65.0, 0.0]).iloc[:, 0].to_numpy()
    np.testing.assert_allclose(change, np.array([-61.75, -32.5]) / DET, rtol=1e-12)
    np.testing.assert_allclose(model.forward_linkages().to_numpy(), np.array([1.45, 0.95]) / DET, rtol=1e-12)


def test_inoperability(table, method):
    model = InoperabilityModel(table, method=method)
    q = model.inoperability([0.1, 0.0])
    np.testing.assert_allclose(q.iloc[:, 0], np.array([0.095, 0.010]) / DET, rtol=1e-12)
    np.testing.assert_allclose(model.economic_loss(q).iloc[:, 0], np.array([95.0, 20.0]) / DET, rtol=1e-12)
    # demand-reduction form: δc = [100, 0] is c* = [0.1, 0]
    np.testing.assert_allclose(model.perturbation_from_demand([100.0, 0.0]).iloc[:, 0], [0.1, 0.0])


def test_supply_cut_readings(table):
    np.testing.assert_allclose(output_change(table, "ghosh", [0], 0.1)[:, 0], np.array([-61.75, -32.5]) / DET)
    # leontief: final demand for sector 1 (350) falls by 10 %: Δx = L [-35, 0]
    np.testing.assert_allclose(output_change(table, "leontief", [0], 0.1)[:, 0], np.array([-33.25, -7.0]) / DET)
    np.testing.assert_allclose(output_change(table, "iim", [0], 0.1)[:, 0], np.array([-95.0, -20.0]) / DET)


def test_from_coefficients_rebuilds_flows(table):
    rebuilt = IOTable.from_coefficients(table.A, [350.0, 1700.0])
    np.testing.assert_allclose(rebuilt.Z, table.Z, rtol=1e-12)
    np.testing.assert_allclose(rebuilt.x, [1000.0, 2000.0], rtol=1e-12)


def test_labelled_shocks_may_list_only_the_shocked_rows(table):
    model = GhoshModel(table)
    partial = pd.DataFrame({"cut 10 %": [-65.0], "cut 20 %": [-130.0]}, index=pd.MultiIndex.from_tuples([("R", "s1")]))
    result = model.output(partial)
    assert list(result.columns) == ["cut 10 %", "cut 20 %"]
    assert list(result.index) == [("R", "s1"), ("R", "s2")]
    np.testing.assert_allclose(result["cut 20 %"], np.array([-123.5, -65.0]) / DET, rtol=1e-12)
    with pytest.raises(ValidationError, match="not in the table"):
        model.output(pd.Series([1.0], index=pd.MultiIndex.from_tuples([("R", "s9")])))
