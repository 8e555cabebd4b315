"""Supply risk from the bundled catalogs: each term checked against an independent path to the same figure."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from setu.cli import main
from setu.errors import ValidationError
from setu.reference import tables
from setu.services import production
from setu.services.supply_risk import restrictions_in_force, supply_risk_report
from setu.settings import Settings
from setu.store.catalog_reader import open_catalog


@pytest.fixture(scope="module")
def gallium_jpn(built_catalog: Path) -> dict:
    # 811292 is a basket of seven metals: named here, so that its trade counts (an upper bound on gallium's)
    return supply_risk_report(Settings.from_env(), "gallium", "JPN", products=("811292",), eol_rir=0.0, si_sr=0.95,
                              factors_source="stated for the test")


def test_global_term_equals_the_catalogs_governance_weighted_hhi(built_catalog: Path, gallium_jpn: dict) -> None:
    # the catalog's GW-HHI is sum (100 s)^2 WGI; the EU's HHI_WGI uses fractions: divide by 10,000
    with open_catalog(built_catalog) as reader:
        report = production.concentration_report(reader, "gallium", detail=False)
    assert gallium_jpn["inputs"][0]["value"] == pytest.approx(report.gw_hhi / 10_000, rel=1e-5)  # shares are rounded to 6 places


def test_import_reliance_and_the_score_follow_the_formula(gallium_jpn: dict) -> None:
    ir = gallium_jpn["inputs"][2]
    production_t, imports_t, exports_t = ir["production_tonnes"], ir["imports_tonnes"], ir["exports_tonnes"]
    assert production_t == pytest.approx(3.0)  # USGS MCS 2024: Japan 3,000 kg of primary gallium in 2023
    expected_ir = min(1.0, max(0.0, (imports_t - exports_t) / (production_t + imports_t - exports_t)))
    assert ir["value"] == pytest.approx(expected_ir)
    assert sum(gallium_jpn["sourcing_shares"].values()) == pytest.approx(1.0)
    global_term, sourcing_term = gallium_jpn["inputs"][0]["value"], gallium_jpn["inputs"][1]["value"]
    bracket = global_term * expected_ir / 2 + sourcing_term * (1 - expected_ir / 2)
    assert gallium_jpn["score"] == pytest.approx(bracket * (1 - 0.0) * 0.95)
    assert gallium_jpn["years"] == {"production": 2023, "trade": 2024}


def test_a_group_counts_only_trade_from_outside_it(built_catalog: Path) -> None:
    report = supply_risk_report(Settings.from_env(), "graphite", "EU27")
    members = set(tables.countries().group("EU27").members)
    imported_from = set(report["imports_by_partner_usd"])
    assert imported_from and not imported_from & members
    # natural graphite (250410) is not in the bundled extract: its trade is unknown, so IR is missing, not
    # computed from the artificial graphite alone, and neither the bracket nor the score is given
    assert report["score"] is None and report["before_recycling_and_substitution"] is None
    assert report["missing"] == ["IR", "EoL_RIR", "SI_SR", "sourcing shares"]
    assert any("250410 has no flows" in note and "unknown, not zero" in note for note in report["notes"])
    held_only = supply_risk_report(Settings.from_env(), "graphite", "EU27", products=("250490",))
    assert held_only["before_recycling_and_substitution"] is not None  # the forms held, when asked for


def test_factors_need_a_source() -> None:
    with pytest.raises(ValidationError, match="--factors-source"):
        supply_risk_report(Settings.from_env(), "gallium", "JPN", si_sr=0.9)


def test_cli_json_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["setu", "supply-risk", "Ga", "--for", "India", "--json"])
    with pytest.raises(SystemExit) as finished:
        main.run()
    assert finished.value.code == 0
    document = json.loads(capsys.readouterr().out)
    # gallium trades only inside the 811292 basket of seven metals: not gallium's trade alone, so IR is missing
    assert document["importer"] == "IND" and document["missing"] == ["IR", "EoL_RIR", "SI_SR", "sourcing shares"]
    assert any("customs basket" in note for note in document["notes"])
    monkeypatch.setattr(sys, "argv", ["setu", "supply-risk", "gallium", "--for", "Atlantis"])
    with pytest.raises(SystemExit) as exited:
        main.run()
    assert exited.value.code == 2


def test_registered_restrictions_reach_the_importer_they_target() -> None:
    end_2024 = dt.date(2024, 12, 31)
    for_usa = [r["measure"] for r in restrictions_in_force("gallium", ("811292",), ("USA",), end_2024)]
    for_india = [r["measure"] for r in restrictions_in_force("gallium", ("811292",), ("IND",), end_2024)]
    assert for_usa == ["cn-2023-gallium-germanium-licensing", "cn-2024-dual-use-ban-usa"]
    assert for_india == ["cn-2023-gallium-germanium-licensing"]  # the December 2024 ban targets the US only
    assert restrictions_in_force("gallium", ("811292",), ("IND",), dt.date(2023, 7, 31)) == []  # before Aug 2023


def test_a_trade_code_the_extract_does_not_hold_gives_no_ir_and_no_sr(built_catalog: Path) -> None:
    # copper ores and concentrates (260300) are not in the bundled extract: unknown trade, not zero trade
    report = supply_risk_report(Settings.from_env(), "copper", "JPN", products=("260300",), eol_rir=0.1, si_sr=0.9,
                                factors_source="stated for the test")
    ir = next(i for i in report["inputs"] if i["name"] == "IR")
    assert ir["value"] is None and ir["imports_tonnes"] is None and ir["products_not_held"] == ["260300"]
    assert "not held" in ir["note"]
    assert report["score"] is None and report["before_recycling_and_substitution"] is None
    assert report["missing"] == ["IR", "sourcing shares"] and report["sourcing_shares"] == {}


def test_a_net_exporter_has_ir_zero(built_catalog: Path) -> None:
    # South Africa mines most of the world's platinum and exports far more unwrought platinum than it imports
    report = supply_risk_report(Settings.from_env(), "platinum", "ZAF")
    ir = next(i for i in report["inputs"] if i["name"] == "IR")
    assert ir["exports_tonnes"] > ir["imports_tonnes"]
    assert ir["value"] == 0.0 and "IR" not in report["missing"]
    assert any("net exporter" in note for note in report["notes"])


def test_a_group_names_the_members_usgs_lists_and_the_share_they_cover(built_catalog: Path) -> None:
    report = supply_risk_report(Settings.from_env(), "copper", "EU27", products=("740311",))
    with open_catalog(built_catalog) as reader:  # cathodes: the refinery stage (the concordance's series)
        usgs = production.concentration_report(reader, "copper", series="refinery", detail=False)
    members = set(tables.countries().group("EU27").members)
    named = {s.country: s.value * 1000 for s in usgs.shares if s.country in members}  # kt -> t
    other = usgs.world_total * 1000 - sum(s.value for s in usgs.shares) * 1000
    coverage = report["production_coverage"]
    assert coverage["named_members"] == sorted(named) and "POL" in named
    assert coverage["named_tonnes"] == pytest.approx(sum(named.values()))
    assert coverage["named_share_at_least"] == pytest.approx(sum(named.values()) / (sum(named.values()) + other))
    assert any("only the members USGS names" in note for note in report["notes"])


FACTORS = """material_id,factor,value,document,edition,table,page,status,note
gallium,EoL_RIR,0.0,Test document,2023,Table 9,123,confirmed,
gallium,SI_SR,0.95,Test document,2023,Table 9,124,confirmed,
"""


def test_a_complete_sr_where_every_input_is_bundled(built_catalog: Path, gallium_jpn: dict) -> None:
    from setu.reference import sr_factors

    factors = sr_factors.parse(FACTORS, file="factors.csv")
    report = supply_risk_report(Settings.from_env(), "gallium", "JPN", products=("811292",), factors=factors)
    # the same inputs as the fixture, now read from the table: the same score, cited with table and page
    assert report["score"] == pytest.approx(gallium_jpn["score"]) and report["missing"] == []
    bracket = report["before_recycling_and_substitution"]
    assert report["score"] == pytest.approx(bracket * (1 - 0.0) * 0.95)
    sources = {i["name"]: i["source"] for i in report["inputs"]}
    assert sources["EoL_RIR"] == "Test document, 2023 assessment, Table 9, p. 123"
    assert sources["SI_SR"].endswith("Table 9, p. 124")
    assert not any("different assessments" in note for note in report["notes"])


def test_a_hand_worked_sr_from_a_factor_table(built_catalog: Path) -> None:
    """SR = bracket x (1 - EoL_RIR) x SI_SR. With EoL_RIR 0.25 and SI_SR 0.8 from the table:
    (1 - 0.25) x 0.8 = 0.75 x 0.8 = 0.6, so SR = 0.6 x the bracket; the bracket itself is checked term by term
    against the catalog in the tests above. The two factors come from different editions here (2017 and
    2023): the output says so."""
    from setu.reference import sr_factors

    table = FACTORS.splitlines()[0] + "\n" + (
        "gallium,EoL_RIR,0.25,Doc A,2017,Figure 4,10,confirmed,\n"
        "gallium,SI_SR,0.8,Doc B,2023,Table 2,20,confirmed,\n")
    report = supply_risk_report(Settings.from_env(), "gallium", "JPN", products=("811292",),
                                factors=sr_factors.parse(table, file="factors.csv"))
    assert report["score"] == pytest.approx(0.6 * report["before_recycling_and_substitution"])
    assert next(i for i in report["inputs"] if i["name"] == "EoL_RIR")["value"] == 0.25
    assert any("different assessments (EoL_RIR: 2017, SI_SR: 2023)" in note for note in report["notes"])


def test_an_unconfirmed_factor_leaves_the_score_null_and_names_it(built_catalog: Path) -> None:
    from setu.reference import sr_factors

    table = FACTORS.splitlines()[0] + "\n" + (
        "gallium,EoL_RIR,0.25,Doc A,2023,Table 2,20,confirmed,\n"
        "gallium,SI_SR,,Doc A,2023,,,not_confirmed,factsheet of gallium; the table could not be read\n")
    report = supply_risk_report(Settings.from_env(), "gallium", "JPN", products=("811292",),
                                factors=sr_factors.parse(table, file="factors.csv"))
    assert report["score"] is None and report["missing"] == ["SI_SR"]
    assert report["before_recycling_and_substitution"] is not None
    si = next(i for i in report["inputs"] if i["name"] == "SI_SR")
    assert si["value"] is None and si["note"].startswith("SI_SR of gallium is not bundled: published in Doc A")
    assert "the table could not be read" in si["note"]


def test_the_bundled_factors_hold_no_unconfirmed_value() -> None:
    from setu.reference import sr_factors

    rows = sr_factors.bundled().values()
    assert rows and all((r.value is None) == (r.status == "not_confirmed") for r in rows)
    assert all(r.document and r.edition and r.table and r.page for r in rows if r.value is not None)
    assert all(r.note for r in rows if r.value is None)  # where it is published and why it is not bundled
    materials = tables.materials().materials
    assert {r.material_id for r in rows} <= set(materials)


def test_the_cli_names_each_missing_factor_and_where_it_is_published(
        monkeypatch: pytest.MonkeyPatch, capsys, built_catalog: Path) -> None:
    from setu.reference import sr_factors

    monkeypatch.setattr(sys, "argv", ["setu", "supply-risk", "gallium", "--for", "JPN", "--product", "811292"])
    with pytest.raises(SystemExit) as finished:
        main.run()
    assert finished.value.code == 0
    out = capsys.readouterr().out
    expected = [name for name in ("EoL_RIR", "SI_SR") if sr_factors.confirmed("gallium", name) is None]
    assert ("SR not computed: missing " + ", ".join(expected)) in out if expected else "SR = " in out
    for name in expected:
        assert f"{name} of gallium is not bundled: published in EC (2023)" in " ".join(out.split())


@pytest.mark.parametrize("row, field", [
    ("gallium,EoL_RIR,0.1,Doc,2023,,12,confirmed,", "table"),
    ("gallium,EoL_RIR,0.1,Doc,,T1,12,confirmed,", "edition"),
    ("gallium,EoL_RIR,0.1,Doc,2019,T1,12,confirmed,", "edition"),
    ("gallium,EoL_RIR,1.5,Doc,2023,T1,12,confirmed,", "value"),
    ("gallium,EoL_RIR,0.1,Doc,2023,,,not_confirmed,why", "value"),
    ("gallium,EoL_RIR,,Doc,2023,,,not_confirmed,", "note"),
    ("gallium,RIR,,Doc,2023,,,not_confirmed,why", "factor"),
])
def test_a_bad_factor_row_names_its_line_and_field(row: str, field: str) -> None:
    from setu.errors import DataFormatError
    from setu.reference import sr_factors

    with pytest.raises(DataFormatError) as error:
        sr_factors.parse(FACTORS.splitlines()[0] + "\n" + row + "\n", file="factors.csv")
    assert (error.value.file, error.value.line, error.value.field) == ("factors.csv", 2, field)


def test_a_basket_code_is_not_the_material_s_trade_unless_chosen(built_catalog: Path) -> None:
    report = supply_risk_report(Settings.from_env(), "indium", "JPN")
    ir = next(i for i in report["inputs"] if i["name"] == "IR")
    assert ir["value"] is None and ir["baskets"] == ["811292"] and "basket" in ir["note"]
    assert report["before_recycling_and_substitution"] is None


def test_import_reliance_on_a_content_basis(built_catalog: Path) -> None:
    """Lithium carbonate is 18.79 % lithium (2 x 6.94 / 73.89): its tonnes enter IR as lithium, the basis of
    USGS's mine production, checked against the bundled file read directly."""
    from trade.test_complementarity import _bundled_rows

    report = supply_risk_report(Settings.from_env(), "lithium", "JPN", products=("283691",))
    ir = next(i for i in report["inputs"] if i["name"] == "IR")
    flows = _bundled_rows("283691")
    imported = sum(q or 0 for e, i, v, q in flows if i == "JPN")
    exported = sum(q or 0 for e, i, v, q in flows if e == "JPN")
    assert ir["basis"] == "content of USGS mine"
    assert ir["imports_tonnes"] == pytest.approx(imported * 0.1879)
    assert ir["exports_tonnes"] == pytest.approx(exported * 0.1879)
    assert ir["value"] == 1.0  # Japan mines no lithium


def test_a_withheld_member_leaves_production_unknown(built_catalog: Path) -> None:
    # USGS withholds the United States' lithium mine production (W): the QUAD's output is unknown
    report = supply_risk_report(Settings.from_env(), "lithium", "QUAD", products=("283691",))
    coverage = report["production_coverage"]
    assert coverage["withheld_members"] == ["USA"] and coverage["named_share_at_least"] is None
    ir = next(i for i in report["inputs"] if i["name"] == "IR")
    assert ir["value"] is None and ir["production_tonnes"] is None and "withheld" in ir["note"]


def test_a_per_metal_factor_row_scores_that_metal(built_catalog: Path) -> None:
    from setu.reference import sr_factors

    table = FACTORS.splitlines()[0] + "\n" + (
        "palladium,EoL_RIR,0.25,Doc A,2023,Table 2,20,confirmed,\n"
        "palladium,SI_SR,0.8,Doc A,2023,Table 2,21,confirmed,\n")
    report = supply_risk_report(Settings.from_env(), "palladium", "JPN",
                                factors=sr_factors.parse(table, file="factors.csv"))
    assert report["score"] == pytest.approx(0.6 * report["before_recycling_and_substitution"])
    assert report["computed_for"] == "palladium"


def test_a_group_row_is_applied_to_a_member_only_as_the_group_value_and_says_so(built_catalog: Path) -> None:
    """The PGM group's confirmed values (the document's, for the group) score palladium, and a note says so;
    a per-metal row of platinum is not read for palladium."""
    from setu.reference import sr_factors

    table = FACTORS.splitlines()[0] + "\n" + (
        "platinum-group-metals,EoL_RIR,0.5,Doc G,2023,Table 3,30,confirmed,\n"
        "platinum-group-metals,SI_SR,0.5,Doc G,2023,Table 3,31,confirmed,\n"
        "platinum,EoL_RIR,0.9,Doc P,2023,Table 4,40,confirmed,\n")
    report = supply_risk_report(Settings.from_env(), "palladium", "JPN",
                                factors=sr_factors.parse(table, file="factors.csv"))
    assert report["score"] == pytest.approx(0.5 * 0.5 * report["before_recycling_and_substitution"])
    eol = next(i for i in report["inputs"] if i["name"] == "EoL_RIR")
    assert eol["value"] == 0.5 and "Doc G" in eol["source"]
    assert any("EoL_RIR of palladium" in n and "group platinum-group-metals is applied" in n for n in report["notes"])


def test_a_factor_row_of_an_unknown_material_names_its_file_line_and_field() -> None:
    from setu.errors import DataFormatError
    from setu.reference import sr_factors

    table = FACTORS.splitlines()[0] + "\n" + "palladium,EoL_RIR,,Doc,2023,,,not_confirmed,why\n" + (
        "paladium,EoL_RIR,,Doc,2023,,,not_confirmed,why\n")
    with pytest.raises(DataFormatError) as error:
        sr_factors.parse(table, file="factors.csv")
    assert (error.value.file, error.value.line, error.value.field) == ("factors.csv", 3, "material_id")
    assert "palladium" in str(error.value)  # the closest valid id
