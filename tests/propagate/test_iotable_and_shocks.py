import numpy as np
import pytest

from setu.errors import UnknownNameError, ValidationError
from setu.propagate import IOTable
from setu.propagate.shocks import one_at_a_time, output_change, response

Z = [[150.0, 500.0], [200.0, 100.0]]
F = [350.0, 1700.0]


@pytest.fixture
def table():
    return IOTable.from_matrices(Z, F, labels=[("R", "s1"), ("R", "s2")])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"labels": [("R", "s1")]}, "1 labels for 2 sectors"),
        ({"labels": [("R", "s1"), ("R", "s1")]}, "duplicate labels"),
        ({"x": [1000.0]}, "x has 1 entries"),
        ({"x": [-1.0, 2000.0]}, "negative"),
        ({"final_demand_labels": ["a", "b"]}, "final-demand labels"),
    ],
)
def test_bad_tables_are_refused(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        IOTable.from_matrices(Z, F, **kwargs)


def test_non_square_and_misshapen_demand():
    with pytest.raises(ValidationError, match="square"):
        IOTable.from_matrices([[1.0, 2.0]], F)
    with pytest.raises(ValidationError, match="Y has 3 rows"):
        IOTable.from_matrices(Z, [1.0, 2.0, 3.0])


def test_default_labels_and_accessors(table):
    plain = IOTable.from_matrices(Z, F)
    assert list(plain.labels) == [("all", "s0"), ("all", "s1")]
    assert table.regions == ["R"] and table.sectors == ["s1", "s2"]
    np.testing.assert_allclose(table.f, F)


def test_one_at_a_time_matches_single_shocks(table):
    for model in ("leontief", "ghosh", "iim"):
        sweep = one_at_a_time(table, model, [0, 1], 0.3)
        for column, row in enumerate([0, 1]):
            np.testing.assert_allclose(sweep[:, column], output_change(table, model, [row], 0.3)[:, 0], rtol=1e-12)


def test_several_cut_shares_are_several_scenarios(table):
    change = output_change(table, "ghosh", [0, 1], [0.1, 0.2, 0.4])
    assert change.shape == (2, 3)
    np.testing.assert_allclose(change[:, 2], 4 * change[:, 0], rtol=1e-12)
    # cutting every primary input by s cuts every output by s (x' = v'G)
    np.testing.assert_allclose(change[:, 1], -0.2 * table.x, rtol=1e-12)


def test_bad_shock_arguments(table):
    with pytest.raises(UnknownNameError):
        output_change(table, "input-output", [0], 0.1)
    with pytest.raises(ValidationError, match="0-1"):
        output_change(table, "ghosh", [0], -0.1)
    with pytest.raises(ValidationError, match="no shocked sector"):
        output_change(table, "ghosh", [], 0.1)
    with pytest.raises(ValidationError, match="2 x k matrix"):
        response(table, "ghosh", np.zeros(2))
    with pytest.raises(ValidationError, match="0-1"):
        one_at_a_time(table, "ghosh", [0], 1.5)
