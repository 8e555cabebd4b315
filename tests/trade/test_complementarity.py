"""Complementarity on a hand-worked two-country table (metrics.complementarity, executed on DuckDB)."""

from __future__ import annotations

import pytest

from setu.metrics.complementarity import complementarity
from trade.test_import_profile import table
from trade.test_metrics import run

# India imports 850511 from CHN (900 USD, 9 t) and JPN (100 USD, 1 t); Japan exports 850511 to IND (100, 1 t)
# and to USA (300, 2 t). India imports 283691 from CHL (80, 8 t) and ARG (20, 2 t); Japan exports 283691 to KOR
# (50 USD, no tonnes). Japan imports 740311 from CHL (100); India exports none of it.
# India imports 711011 from JPN (60, 1 t) and ZAF (40, 1 t); Japan exports 711011 to IND only (60, 1 t).
FLOWS = table([
    ("CHN", "IND", "850511", 900, 9.0), ("JPN", "IND", "850511", 100, 1.0), ("JPN", "USA", "850511", 300, 2.0),
    ("CHL", "IND", "283691", 80, 8.0), ("ARG", "IND", "283691", 20, 2.0), ("JPN", "KOR", "283691", 50, None),
    ("CHL", "JPN", "740311", 100, 10.0),
    ("JPN", "IND", "711011", 60, 1.0), ("ZAF", "IND", "711011", 40, 1.0),
])


def test_two_country_table_by_hand():
    rows = {r["product"]: r for r in run(complementarity(FLOWS, "JPN", "IND", 2024))}
    assert set(rows) == {"850511", "283691", "711011"}  # 740311: India exports none, Japan is the importer
    magnets = rows["850511"]
    # HHI = 10,000 (0.9² + 0.1²) = 8,200; top CHN 900 USD, 9 t; Japan already sells India 100 USD / 1 t
    # spare = 400 − 100 = 300 USD and 3 − 1 = 2 t → covers 300/900 = 1/3 of the value, 2/9 of the tonnes
    assert (magnets["hhi"], magnets["top_supplier"], magnets["top_share"], magnets["partner_share"]) == \
        (8200.0, "CHN", 0.9, 0.1)
    assert (magnets["spare_export_value_usd"], magnets["spare_export_tonnes"]) == (300, 2.0)
    assert magnets["cover_top_share_value"] == pytest.approx(1 / 3)
    assert magnets["cover_top_share_tonnes"] == pytest.approx(2 / 9)
    assert magnets["cover_imports_share_value"] == pytest.approx(0.3)
    assert (magnets["covered_value_usd"], magnets["concentrated"]) == (300, True)
    lithium = rows["283691"]
    # HHI 6,800; top CHL 80; spare 50 USD (no tonnes reported by Japan) → 50/80 of the value, tonnes unknown
    assert (lithium["hhi"], lithium["top_supplier"], lithium["partner_share"]) == (6800.0, "CHL", 0.0)
    assert lithium["cover_top_share_value"] == pytest.approx(0.625) and lithium["cover_top_share_tonnes"] is None
    platinum = rows["711011"]
    # Japan is India's top supplier already: nothing to replace; all of Japan's exports go to India (spare 0)
    assert (platinum["top_supplier"], platinum["cover_top_share_value"], platinum["covered_value_usd"]) == \
        ("JPN", None, 0.0)
    assert platinum["spare_export_value_usd"] == 0
    assert [r["product"] for r in run(complementarity(FLOWS, "JPN", "IND", 2024))][:2] == ["850511", "283691"]


def test_the_other_direction():
    rows = run(complementarity(FLOWS, "IND", "JPN", 2024))
    assert rows == []  # India exports none of what Japan imports here


def _bundled_rows(product: str) -> list[tuple[str, str, float, float | None]]:
    """(exporter ISO3, importer ISO3, USD, tonnes) of one product in 2024, read with the csv module."""
    import csv
    import io
    import zipfile

    from setu.reference import tables

    iso3 = {}
    with open(tables.data_path("baci", "baci_country_codes_V202601.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            iso3.setdefault(int(row["country_code"]), row["country_iso3"])
    with zipfile.ZipFile(tables.data_path("baci", "baci_critical_materials_V202601.zip")) as archive:
        text = archive.read("BACI_HS17_Y2024_V202601_critical.csv").decode("utf-8")
    return [(iso3[int(r["i"])], iso3[int(r["j"])], round(float(r["v"]) * 1000), None if r["q"] == "NA" else float(r["q"]))
            for r in csv.DictReader(io.StringIO(text)) if r["k"] == product]


def test_japan_india_on_the_bundled_extract_equals_a_direct_computation(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from setu.cli.main import app

    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["complementarity", "JPN", "IND", "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    row = next(r for r in document["rows"] if (r["exporter"], r["importer"], r["product"]) == ("JPN", "IND", "850511"))
    flows = _bundled_rows("850511")
    from_china = next((v, q) for e, i, v, q in flows if (e, i) == ("CHN", "IND"))
    spare_value = sum(v for e, i, v, q in flows if e == "JPN" and i != "IND")
    spare_tonnes = sum(q or 0 for e, i, v, q in flows if e == "JPN" and i != "IND")
    assert row["top_supplier"] == "CHN" and row["top_value_usd"] == from_china[0]
    assert row["spare_export_value_usd"] == spare_value
    assert row["cover_top_share_value"] == pytest.approx(min(1, spare_value / from_china[0]))
    assert row["cover_top_share_tonnes"] == pytest.approx(min(1, spare_tonnes / from_china[1]))
    assert all(r["hhi"] > 1800 for r in document["rows"])  # concentrated only, by default
    assert {r["exporter"] for r in document["rows"]} == {"JPN", "IND"}  # both directions
