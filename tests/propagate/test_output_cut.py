"""The supply cut defined as a fall in the shocked sector's own output, and the multipliers and linkages,
on the two-sector table of Miller & Blair (2009), sec. 2.3, worked by hand.

    x = [1000, 2000], f = [350, 1700], v = [650, 1400], det(I - A) = det(I - B) = 0.7575
    L = [[0.95, 0.25], [0.20, 0.85]] / 0.7575          G = [[0.95, 0.50], [0.10, 0.85]] / 0.7575

Sector 1's output falls by 10 % (Δx_1 = -100):
    leontief: Δf_1 = -100 / l_11 = -100 * 0.7575 / 0.95 = -79.7368;  Δx_2 = l_21 Δf_1 = -20 / 0.95 = -21.0526
    ghosh:    Δv_1 = -100 / g_11 = -79.7368 (the same number: l_11 = g_11);  Δx_2 = g_12 Δv_1 = -50 / 0.95 = -52.6316
    iim:      q_1 = 0.1 = (x^-1 L x)_11 c*_1 = (0.95 / 0.7575) c*_1, so c*_1 = 0.0797368; Δx as leontief
Both sectors' output fall by 10 % (Δx = [-100, -200]): leontief Δf = (I - A)(-0.1 x) = -0.1 f = [-35, -170];
    ghosh Δv' = -0.1 x'(I - B) = -0.1 v' = [-65, -140].

Linkages: direct backward 1'A = [0.35, 0.30]; direct forward B1 = [0.65, 0.15];
    output multipliers 1'L = [1.15, 1.10] / 0.7575 = [1.5182, 1.4521]; mean 1.125 / 0.7575;
    backward (power of dispersion) index [1.15, 1.10] / 1.125 = [1.0222, 0.9778];
    L1 = [1.20, 1.05] / 0.7575: sensitivity index [1.0667, 0.9333];
    G1 = [1.45, 0.95] / 0.7575: forward index [1.45, 0.95] / 1.2 = [1.2083, 0.7917]. Sector 1 is key.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.errors import UnknownNameError, ValidationError
from setu.propagate import IOTable
from setu.propagate.linkages import linkages
from setu.propagate.output_cut import CAVEATS, cut_each_output, cut_output

DET = 0.7575


@pytest.fixture
def table():
    return IOTable.from_matrices(
        [[150.0, 500.0], [200.0, 100.0]], [350.0, 1700.0], labels=[("R", "s1"), ("R", "s2")], unit="USD"
    )


def test_a_ten_percent_cut_of_sector_one_in_each_model(table):
    leontief = cut_output(table, "leontief", [0], 0.1)
    np.testing.assert_allclose(leontief.change[:, 0], [-100.0, -20.0 / 0.95], rtol=1e-12)
    np.testing.assert_allclose(leontief.exogenous[:, 0], [-100.0 * DET / 0.95], rtol=1e-12)
    ghosh = cut_output(table, "ghosh", [0], 0.1)
    np.testing.assert_allclose(ghosh.change[:, 0], [-100.0, -50.0 / 0.95], rtol=1e-12)
    np.testing.assert_allclose(ghosh.exogenous[:, 0], [-100.0 * DET / 0.95], rtol=1e-12)
    iim = cut_output(table, "iim", [0], 0.1)
    np.testing.assert_allclose(iim.change[:, 0], [-100.0, -20.0 / 0.95], rtol=1e-12)
    np.testing.assert_allclose(iim.exogenous[:, 0], [0.1 * DET / 0.95], rtol=1e-12)
    for result in (leontief, ghosh, iim):
        np.testing.assert_allclose(result.realised_share, [[-0.1]], rtol=1e-12)
        assert result.caveat == CAVEATS[result.model]
    assert "Oosterhaven 1988" in ghosh.caveat and "Dietzenbacher" in ghosh.caveat


def test_cutting_every_sector_is_a_proportional_fall_of_the_exogenous_variable(table):
    leontief = cut_output(table, "leontief", [0, 1], [0.1, 0.2])
    np.testing.assert_allclose(leontief.exogenous[:, 0], [-35.0, -170.0], rtol=1e-12)
    np.testing.assert_allclose(leontief.change[:, 1], [-200.0, -400.0], rtol=1e-12)
    ghosh = cut_output(table, "ghosh", [0, 1], 0.1)
    np.testing.assert_allclose(ghosh.exogenous[:, 0], [-65.0, -140.0], rtol=1e-12)
    np.testing.assert_allclose(ghosh.realised_share[:, 0], [-0.1, -0.1], rtol=1e-12)


def test_one_at_a_time_equals_single_cuts(table):
    for model in ("leontief", "ghosh", "iim"):
        sweep = cut_each_output(table, model, [0, 1], 0.3)
        for column, row in enumerate([0, 1]):
            single = cut_output(table, model, [row], 0.3)
            np.testing.assert_allclose(sweep.change[:, column], single.change[:, 0], rtol=1e-12)
            np.testing.assert_allclose(sweep.exogenous[0, column], single.exogenous[0, 0], rtol=1e-12)
        np.testing.assert_allclose(sweep.realised_share, [[-0.3, -0.3]], rtol=1e-12)


def test_bad_cuts_are_rejected(table):
    with pytest.raises(ValidationError, match="0-1"):
        cut_output(table, "ghosh", [0], 1.5)
    with pytest.raises(ValidationError, match="no shocked sector"):
        cut_output(table, "ghosh", [], 0.1)
    with pytest.raises(ValidationError, match="twice"):
        cut_output(table, "ghosh", [0, 0], 0.1)
    with pytest.raises(UnknownNameError):
        cut_output(table, "input-output", [0], 0.1)


def test_multipliers_and_linkages(table):
    frame = linkages(table).frame
    np.testing.assert_allclose(frame["direct_backward"], [0.35, 0.30], rtol=1e-12)
    np.testing.assert_allclose(frame["direct_forward"], [0.65, 0.15], rtol=1e-12)
    np.testing.assert_allclose(frame["output_multiplier"], np.array([1.15, 1.10]) / DET, rtol=1e-12)
    np.testing.assert_allclose(frame["output_multiplier"].round(4), [1.5182, 1.4521])
    np.testing.assert_allclose(frame["total_forward"], np.array([1.45, 0.95]) / DET, rtol=1e-12)
    np.testing.assert_allclose(frame["backward_index"], [1.15 / 1.125, 1.10 / 1.125], rtol=1e-12)
    np.testing.assert_allclose(frame["forward_index"], [1.45 / 1.2, 0.95 / 1.2], rtol=1e-12)
    np.testing.assert_allclose(frame["sensitivity_index"], [1.20 / 1.125, 1.05 / 1.125], rtol=1e-12)
    assert frame["key_sector"].tolist() == [True, False]


@settings(max_examples=40, deadline=None)
@given(
    flows=st.lists(st.floats(0.0, 50.0), min_size=9, max_size=9),
    demand=st.lists(st.floats(1.0, 100.0), min_size=3, max_size=3),
    cut=st.floats(0.0, 1.0),
    row=st.integers(0, 2),
)
def test_every_model_realises_the_stated_cut(flows, demand, cut, row):
    """Whatever the table, the shocked sector's own output falls by exactly the stated share, and the IIM
    agrees with Leontief; a zero cut changes nothing."""
    table = IOTable.from_matrices(np.reshape(flows, (3, 3)), demand)
    results = {model: cut_output(table, model, [row], cut) for model in ("leontief", "ghosh", "iim")}
    for result in results.values():
        assert result.realised_share[0, 0] == pytest.approx(-cut, abs=1e-9)
        assert np.all(result.change <= 1e-9 * table.x.max())
    np.testing.assert_allclose(results["iim"].change, results["leontief"].change, atol=1e-8 * table.x.max())
