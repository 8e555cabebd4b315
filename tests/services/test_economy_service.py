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
    """The cut is realised by Δv_j = -0.2 x_j / g_jj, so Δx' = Δv_j G[j, :] (pymrio's own G)."""
    table = economy.bundled_table("wiod-2011")
    row = table.labels.get_loc(("CHN", STEEL))
    G = mrio.G.to_numpy()
    dv = -0.2 * table.x[row] / G[row, row]
    expected = dv * G[row, :]
    (shocked,) = ghosh_report.shocked
    assert shocked["exogenous_change"] == pytest.approx(dv, rel=1e-9)
    assert shocked["exogenous_share"] == pytest.approx(dv / table.v[row], rel=1e-9)
    assert shocked["realised_share"] == pytest.approx(-0.2, rel=1e-12)
    assert expected[row] == pytest.approx(-0.2 * table.x[row], rel=1e-12)
    for impact in ghosh_report.focus["JPN"] + ghosh_report.focus["IND"]:
        position = table.labels.get_loc((impact.region, impact.sector))
        assert impact.change == pytest.approx(expected[position], rel=1e-9, abs=1e-9 * abs(expected).max())
    by_region = {impact.region: impact.change for impact in ghosh_report.regions}
    regions = table.labels.get_level_values("region")
    assert by_region["JPN"] == pytest.approx(expected[regions == "JPN"].sum(), rel=1e-9)
    totals = {impact.region: impact.change for impact in ghosh_report.focus_totals}
    assert list(totals) == ["JPN", "IND"]
    assert totals["IND"] == pytest.approx(expected[regions == "IND"].sum(), rel=1e-9)
    assert "Oosterhaven 1988" in ghosh_report.caveat


def test_leontief_changes_match_pymrio_L(mrio):
    """The cut is realised by Δf_j = -0.2 x_j / l_jj, so Δx = L[:, j] Δf_j (pymrio's own L); CHN steel sells
    mostly to other producers, so that fall is deeper than its whole final demand, and the report says so."""
    report = economy.shock_supply("wiod-2011", "CHN", [STEEL], 0.2, model="leontief", focus=["IND"], top=35)
    table = economy.bundled_table("wiod-2011")
    row = table.labels.get_loc(("CHN", STEEL))
    L = mrio.L.to_numpy()
    df = -0.2 * table.x[row] / L[row, row]
    expected = df * L[:, row]
    (shocked,) = report.shocked
    assert shocked["exogenous_change"] == pytest.approx(df, rel=1e-9)
    assert abs(df) > table.f[row] and shocked["exceeds_base"] is True
    for impact in report.focus["IND"]:
        position = table.labels.get_loc(("IND", impact.sector))
        assert impact.change == pytest.approx(expected[position], rel=1e-9, abs=1e-9 * abs(expected).max())


def test_rankings_are_sorted_worst_first(ghosh_report):
    shares = [impact.change_share for impact in ghosh_report.focus["JPN"] if impact.change_share is not None]
    assert shares == sorted(shares)
    assert ghosh_report.regions[0].region == "CHN"
    assert all(impact.change <= 0 for impact in ghosh_report.regions)


def test_every_model_cuts_the_shocked_sector_by_the_stated_share():
    """The same flag is the same shock: CHN steel's own output falls 20 % in each model (before, the flag
    moved it -6.4 %, -1.2 % or -31 %), and the IIM, the Leontief model in shares, gives Leontief's losses."""
    reports = {model: economy.shock_supply("wiod-2011", "CHN", [STEEL], 0.2, model=model, focus=["CHN", "JPN"], top=60)
               for model in ("ghosh", "leontief", "iim")}
    for report in reports.values():
        steel = next(impact for impact in report.focus["CHN"] if impact.sector == STEEL)
        assert steel.change_share == pytest.approx(-0.2, rel=1e-9)
        assert report.shocked[0]["realised_share"] == pytest.approx(-0.2, rel=1e-9)
    japan = {model: report.focus_totals[1].change for model, report in reports.items()}
    assert japan["iim"] == pytest.approx(japan["leontief"], rel=1e-9)


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
    table = economy.bundled_table("wiod-2011")
    producing = (table.labels.get_level_values("region") == "CHN") & (table.x > 0)
    assert producing.sum() == 33  # two of CHN's 35 sectors have no output in WIOD 2011: nothing to cut
    assert len(report.exposure["JPN"]) == 33
    for sector in (STEEL, "Mining and Quarrying", "Electrical and Optical Equipment"):
        single = economy.shock_supply("wiod-2011", "CHN", [sector], 0.1, model="ghosh", top=41)
        by_region = {impact.region: impact for impact in single.regions}
        for region in ("JPN", "IND"):
            swept = next(impact for impact in report.exposure[region] if impact.sector == sector)
            assert swept.change == pytest.approx(by_region[region].change, rel=1e-9)
            assert swept.change_share == pytest.approx(by_region[region].change_share, rel=1e-9)
    shares = [impact.change_share for impact in report.exposure["IND"]]
    assert shares == sorted(shares)
