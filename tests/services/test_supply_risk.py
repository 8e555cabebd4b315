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
    return supply_risk_report(Settings.from_env(), "gallium", "JPN", eol_rir=0.0, si_sr=0.95,
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
    assert report["score"] is None and report["missing"] == ["EoL_RIR", "SI_SR"]
    assert report["before_recycling_and_substitution"] is not None
    assert any("250410 has no flows" in note for note in report["notes"])  # stated, not silently dropped


def test_factors_need_a_source() -> None:
    with pytest.raises(ValidationError, match="--factors-source"):
        supply_risk_report(Settings.from_env(), "gallium", "JPN", si_sr=0.9)


def test_cli_json_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["setu", "supply-risk", "Ga", "--for", "India", "--json"])
    with pytest.raises(SystemExit) as finished:
        main.run()
    assert finished.value.code == 0
    document = json.loads(capsys.readouterr().out)
    assert document["importer"] == "IND" and document["missing"] == ["EoL_RIR", "SI_SR"]
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
