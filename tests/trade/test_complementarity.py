"""Complementarity on a hand-worked two-country table (metrics.complementarity, executed on DuckDB)."""

from __future__ import annotations

import pytest

from setu.metrics.complementarity import complementarity
from trade.test_import_profile import table
from trade.test_metrics import run

# India imports 850511 from CHN (900 USD, 9 t) and JPN (100 USD, 1 t); Japan exports 850511 to IND (100, 1 t)
# and to USA (300, 2 t). India imports 283691 from CHL (80, 8 t) and ARG (20, 2 t); Japan exports 283691 to KOR
# (50 USD, no tonnes) and imports 20 USD (2 t) of it from CHL. Japan imports 740311 from CHL (100, 10 t); India
# exports 740311 to ARE (30, 3 t) but imports 200 (20 t) of it from CHL: a net importer.
# India imports 711011 from JPN (60, 1 t) and ZAF (40, 1 t); Japan exports 711011 to IND only (60, 1 t).
FLOWS = table([
    ("CHN", "IND", "850511", 900, 9.0), ("JPN", "IND", "850511", 100, 1.0), ("JPN", "USA", "850511", 300, 2.0),
    ("CHL", "IND", "283691", 80, 8.0), ("ARG", "IND", "283691", 20, 2.0), ("JPN", "KOR", "283691", 50, None),
    ("CHL", "JPN", "283691", 20, 2.0),
    ("CHL", "JPN", "740311", 100, 10.0), ("IND", "ARE", "740311", 30, 3.0), ("CHL", "IND", "740311", 200, 20.0),
    ("JPN", "IND", "711011", 60, 1.0), ("ZAF", "IND", "711011", 40, 1.0),
])


def test_two_country_table_by_hand():
    rows = {r["product"]: r for r in run(complementarity(FLOWS, "JPN", "IND", 2024, min_value_usd=100))}
    assert set(rows) == {"850511", "283691", "711011"}  # 740311: Japan exports none of it
    magnets = rows["850511"]
    # HHI = 10,000 (0.9² + 0.1²) = 8,200; top CHN 900 USD, 9 t; Japan already sells India 100 USD / 1 t and
    # imports none: net exports 400 USD, 3 t; available = min(400, 400 − 100) = 300 USD, min(3, 3 − 1) = 2 t
    # → covers 300/900 = 1/3 of the value, 2/9 of the tonnes
    assert (magnets["hhi"], magnets["top_supplier"], magnets["top_share"], magnets["partner_share"]) == \
        (8200.0, "CHN", 0.9, 0.1)
    assert (magnets["net_export_value_usd"], magnets["net_exporter"], magnets["reexport_share"]) == (400, True, 0.0)
    assert (magnets["available_value_usd"], magnets["available_tonnes"]) == (300, 2.0)
    assert magnets["cover_top_share_value"] == pytest.approx(1 / 3)
    assert magnets["cover_top_share_tonnes"] == pytest.approx(2 / 9)
    assert magnets["cover_imports_share_value"] == pytest.approx(0.3)
    assert (magnets["covered_value_usd"], magnets["concentrated"], magnets["small"]) == (300, True, False)
    lithium = rows["283691"]
    # HHI 6,800; top CHL 80. Japan exports 50 and imports 20 (all from CHL): net 30, available min(30, 50) = 30
    # → 30/80 of the value; up to 20/50 = 40 % of Japan's exports can be re-exports, all of Chilean origin,
    # i.e. of the very supplier to be replaced; tonnes unknown (Japan's exports report none)
    assert (lithium["hhi"], lithium["top_supplier"], lithium["partner_share"]) == (6800.0, "CHL", 0.0)
    assert (lithium["net_export_value_usd"], lithium["available_value_usd"]) == (30, 30)
    assert lithium["reexport_share"] == pytest.approx(0.4) and lithium["origin_top_share"] == pytest.approx(0.4)
    assert lithium["cover_top_share_value"] == pytest.approx(0.375) and lithium["cover_top_share_tonnes"] is None
    assert lithium["available_tonnes"] is None and lithium["net_export_tonnes"] is None
    platinum = rows["711011"]
    # Japan is India's top supplier already: nothing to replace; all of Japan's exports go to India (available 0)
    assert (platinum["top_supplier"], platinum["cover_top_share_value"], platinum["covered_value_usd"]) == \
        ("JPN", None, 0.0)
    assert platinum["available_value_usd"] == 0 and platinum["small"]
    # ordered for action: material rows first, then by covered value
    assert [r["product"] for r in run(complementarity(FLOWS, "JPN", "IND", 2024, min_value_usd=100))] == \
        ["850511", "283691", "711011"]


def test_a_net_importer_is_never_offered():
    # India exports 30 USD of cathodes but imports 200: gross "spare exports" of 30 would cover 30 % of Japan's
    # Chilean cathodes; on net exports India offers nothing
    (cathodes,) = run(complementarity(FLOWS, "IND", "JPN", 2024))
    assert (cathodes["product"], cathodes["net_exporter"], cathodes["net_export_value_usd"]) == ("740311", False, -170)
    assert (cathodes["available_value_usd"], cathodes["covered_value_usd"]) == (0, 0.0)
    assert cathodes["cover_top_share_value"] is None and cathodes["cover_imports_share_value"] is None
    assert cathodes["small"]


def test_volumes_below_the_thresholds_are_marked_small():
    rows = {r["product"]: r for r in run(complementarity(FLOWS, "JPN", "IND", 2024))}  # USD 1 million default
    assert all(r["small"] for r in rows.values())
    rows = {r["product"]: r for r in run(complementarity(FLOWS, "JPN", "IND", 2024, min_value_usd=0, min_share=0.31))}
    # magnets cover 300/1,000 = 30 % of India's imports, lithium 30/100 = 30 %: both under a 31 % floor
    assert rows["850511"]["small"] and rows["283691"]["small"]


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
    row = next(r for r in document["rows"] if (r["exporter"], r["importer"], r["product"]) == ("JPN", "IND", "810820"))
    flows = _bundled_rows("810820")  # unwrought titanium: India buys it mostly from Kazakhstan; Japan is a net exporter
    top = max((v, e) for e, i, v, q in flows if i == "IND")
    exported = sum(v for e, i, v, q in flows if e == "JPN")
    imported = sum(v for e, i, v, q in flows if i == "JPN")
    to_india = sum(v for e, i, v, q in flows if (e, i) == ("JPN", "IND"))
    available = max(0, min(exported - imported, exported - to_india))
    assert (row["top_supplier"], row["top_value_usd"]) == (top[1], top[0])
    assert row["net_export_value_usd"] == exported - imported and row["available_value_usd"] == available
    assert row["cover_top_share_value"] == pytest.approx(min(1, available / top[0]))
    assert row["reexport_share"] == pytest.approx(min(1, imported / exported))
    # Japan imports more permanent magnets (850511) than it exports: not offered to India, whatever it ships
    magnets = _bundled_rows("850511")
    assert sum(v for e, i, v, q in magnets if i == "JPN") > sum(v for e, i, v, q in magnets if e == "JPN")
    assert any((r["exporter"], r["product"]) == ("JPN", "850511") for r in document["not_offered"])
    assert all(r["hhi"] > 1800 for r in document["rows"])  # concentrated only, by default
    # India is a large net importer of refined copper cathodes (740311): never offered to Japan
    cathodes = _bundled_rows("740311")
    assert sum(v for e, i, v, q in cathodes if i == "IND") > sum(v for e, i, v, q in cathodes if e == "IND")
    assert not any((r["exporter"], r["product"]) == ("IND", "740311") for r in document["rows"])
    assert any((r["exporter"], r["importer"], r["product"]) == ("IND", "JPN", "740311")
               for r in document["not_offered"])
    assert {r["exporter"] for r in document["rows"]} == {"JPN", "IND"}  # both directions


def test_the_importers_largest_supplier_is_not_offered_as_its_own_alternative(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from setu.cli.main import app

    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["complementarity", "JPN", "IND", "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    # Japan is India's largest supplier of copper cathodes (740311) and a net exporter of them: nothing to
    # replace, so not a row to act on (it was ranked as "too small" beside billions of spare exports)
    cathodes = _bundled_rows("740311")
    to_india = {}
    for e, i, v, _q in cathodes:
        if i == "IND":
            to_india[e] = to_india.get(e, 0) + v
    assert max(to_india, key=to_india.get) == "JPN"
    assert all(r["top_supplier"] != r["exporter"] for r in document["rows"])
    held = next(r for r in document["not_offered"] if (r["exporter"], r["importer"], r["product"]) == ("JPN", "IND", "740311"))
    assert held["net_export_value_usd"] > 0 and "largest supplier" in held["reason"]
