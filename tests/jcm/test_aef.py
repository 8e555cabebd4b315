"""The AEF report of the sample year: totals worked by hand, equal to the ledger's, and a file that re-imports."""

from __future__ import annotations

from datetime import date

from setu.jcm.sample import SampleJcm
from setu.jcm.service import JcmService
from setu.sources import aef as aef_files


def test_india_reports_its_first_transfers_and_japan_its_acquisitions_and_use(jcm: JcmService, sample: SampleJcm) -> None:
    india, japan = jcm.aef("IND", 2026).totals(), jcm.aef("JPN", 2026).totals()
    # India first-transfers 6,000 + 2,500 t to Japan; it still holds 3,000 + 2,000 (government) and
    # 2,500 + 500 (participant) authorised units; the participant's 500 t cancellation is India's action.
    assert india == {"First transfer": 8_500, "Voluntary cancellation": 500, "Holdings at year end": 8_000}
    # Japan acquires the 8,500 t, uses 4,000 t towards its NDC and holds the other 4,500 t.
    assert japan == {"Acquisition": 8_500, "Use towards NDC": 4_000, "Holdings at year end": 4_500}
    # The report's totals are the ledger's: what Japan used is what its adjustments subtract.
    used = sum(t.use_tco2e for t in jcm.adjustments() if t.party == "JPN")
    assert -used == japan["Use towards NDC"]
    assert all(row["Illustrative"] == "Yes" for row in jcm.aef("IND", 2026).tables["Actions"])


def test_a_year_without_movements_reports_holdings_only(jcm: JcmService, sample: SampleJcm) -> None:
    report = jcm.aef("JPN", 2025)
    assert report.tables["Actions"] == [] and report.tables["Holdings"] == []
    assert len(report.tables["Authorizations"]) == 0  # Japan authorises nothing: India hosts both projects


def test_the_workbook_and_the_csv_reimport_to_the_same_records(jcm: JcmService, sample: SampleJcm, tmp_path) -> None:
    report = jcm.aef("IND", 2026, submitted_on=date(2027, 3, 1))
    path = tmp_path / "aef-ind-2026.xlsx"
    aef_files.write_xlsx(report.tables, "IND", 2026, path)
    read = aef_files.read_xlsx(path)
    assert read == report.tables
    expected, problems = jcm.check_aef(read)
    assert problems == [] and expected.totals() == report.totals()
    csv_path = tmp_path / "aef-ind-2026.csv"
    csv_path.write_text(aef_files.to_csv(report.tables, "IND", 2026), encoding="utf-8")
    assert aef_files.read_csv(csv_path) == report.tables


def test_an_edited_file_is_caught(jcm: JcmService, sample: SampleJcm, tmp_path) -> None:
    report = jcm.aef("JPN", 2026, submitted_on=date(2027, 3, 1))
    tables = {name: [dict(row) for row in rows] for name, rows in report.tables.items()}
    tables["Actions"][0]["Quantity (tCO2e)"] += 1
    _, problems = jcm.check_aef(tables)
    assert any("not in the ledger" in p for p in problems) and any("missing from the file" in p for p in problems)
