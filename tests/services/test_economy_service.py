"""The shock service on the bundled WIOD 2011 table, checked against pymrio's own inverses."""

import pytest

from setu.errors import UnknownNameError, ValidationError
from setu.services import economy
from setu.sources.wiod import load_bundled

STEEL = "Basic Metals and Fabricated Metal"


@pytest.fixture(scope="module")
def mrio():
    io = load_bundled("wiod-2011")
    io.calc_all(include_ghosh=True)
    return io


@pytest.fixture(scope="module")
def ghosh_report():
    return economy.shock_supply("wiod-2011", "chn", ["basic metals"], 0.2, model="ghosh", top=50)


def test_report_names_source_year_and_shock(ghosh_report):
    assert ghosh_report.year == 2011
    assert "World Input-Output Database" in ghosh_report.table
    assert "Groningen" in ghosh_report.publisher and "Timmer" in ghosh_report.citation
    assert ghosh_report.unit.startswith("million USD")
    assert ghosh_report.shocked[0]["region"] == "CHN" and ghosh_report.shocked[0]["sector"] == STEEL
    assert list(ghosh_report.focus) == ["JPN", "IND"]


def test_ghosh_changes_match_pymrio_G(mrio, ghosh_report):
    table = economy.bundled_table("wiod-2011")
    row = table.labels.get_loc(("CHN", STEEL))
    expected = -0.2 * table.v[row] * mrio.G.to_numpy()[row, :]  # Δx' = Δv' G with one non-zero Δv
    for impact in ghosh_report.focus["JPN"] + ghosh_report.focus["IND"]:
        position = table.labels.get_loc((impact.region, impact.sector))
        assert impact.change == pytest.approx(expected[position], rel=1e-9, abs=1e-9 * abs(expected).max())
    by_region = {impact.region: impact.change for impact in ghosh_report.regions}
    regions = table.labels.get_level_values("region")
    assert by_region["JPN"] == pytest.approx(expected[regions == "JPN"].sum(), rel=1e-9)


def test_leontief_changes_match_pymrio_L(mrio):
    report = economy.shock_supply("wiod-2011", "CHN", [STEEL], 0.2, model="leontief", focus=["IND"], top=35)
    table = economy.bundled_table("wiod-2011")
    row = table.labels.get_loc(("CHN", STEEL))
    expected = -0.2 * table.f[row] * mrio.L.to_numpy()[:, row]
    for impact in report.focus["IND"]:
        position = table.labels.get_loc(("IND", impact.sector))
        assert impact.change == pytest.approx(expected[position], rel=1e-9, abs=1e-9 * abs(expected).max())


def test_rankings_are_sorted_worst_first(ghosh_report):
    shares = [impact.change_share for impact in ghosh_report.focus["JPN"] if impact.change_share is not None]
    assert shares == sorted(shares)
    assert ghosh_report.regions[0].region == "CHN"
    assert all(impact.change <= 0 for impact in ghosh_report.regions)


def test_iim_shocked_sector_loses_at_least_the_cut():
    report = economy.shock_supply("wiod-2011", "CHN", [STEEL], 0.2, model="iim", focus=["CHN"], top=35)
    steel = next(impact for impact in report.focus["CHN"] if impact.sector == STEEL)
    assert steel.change_share <= -0.2


def test_bad_names_and_values():
    with pytest.raises(UnknownNameError, match="CHN"):
        economy.shock_supply("wiod-2011", "CHNA", [STEEL], 0.2)
    with pytest.raises(UnknownNameError, match="ghosh"):
        economy.shock_supply("wiod-2011", "CHN", [STEEL], 0.2, model="goshh")
    with pytest.raises(UnknownNameError) as error:
        economy.shock_supply("wiod-2011", "CHN", ["Basic Metal and Fabricated Metals"], 0.2)
    assert STEEL in error.value.suggestions
    with pytest.raises(ValidationError, match="0-1"):
        economy.shock_supply("wiod-2011", "CHN", [STEEL], 1.5)


def test_exposure_equals_one_shock_per_sector():
    """Each column of the one-factorisation sweep equals a separate single-sector shock."""
    report = economy.exposure_to_region("wiod-2011", "CHN", 0.1, model="ghosh", focus=["JPN", "IND"], top=35)
    assert len(report.exposure["JPN"]) == 35
    for sector in (STEEL, "Mining and Quarrying", "Electrical and Optical Equipment"):
        single = economy.shock_supply("wiod-2011", "CHN", [sector], 0.1, model="ghosh", top=41)
        by_region = {impact.region: impact for impact in single.regions}
        for region in ("JPN", "IND"):
            swept = next(impact for impact in report.exposure[region] if impact.sector == sector)
            assert swept.change == pytest.approx(by_region[region].change, rel=1e-9)
            assert swept.change_share == pytest.approx(by_region[region].change_share, rel=1e-9)
    shares = [impact.change_share for impact in report.exposure["IND"]]
    assert shares == sorted(shares)
