"""The bundled BACI extract: loaded on first use through the BACI importer, and its answers equal a direct
reading of the bundled file (stdlib csv, no Setu code) and the publisher-side spot checks."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from setu.cli.main import app
from setu.errors import NotFoundError
from setu.reference import tables
from setu.services.trade import TradeService
from setu.sources import baci_bundle
from setu.settings import Settings
from setu.store.trade import TradeCatalog
from .trade_samples import BACI_2022, write

ARCHIVE = tables.data_path("baci", "baci_critical_materials_V202601.zip")


def direct_shares(year: int, importer: str, product: str) -> dict[str, float]:
    """Supplier shares read straight from the bundled archive with the csv module (Taiwan: S19 → TWN)."""
    with open(tables.data_path("baci", "baci_country_codes_V202601.csv"), encoding="utf-8", newline="") as handle:
        iso3 = {}
        for row in csv.DictReader(handle):
            iso3.setdefault(int(row["country_code"]), "TWN" if row["country_iso3"] == "S19" else row["country_iso3"])
    values: dict[str, float] = defaultdict(float)
    with zipfile.ZipFile(ARCHIVE) as archive:
        text = archive.read(f"BACI_HS17_Y{year}_V202601_critical.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        if iso3[int(row["j"])] == importer and row["k"] == product and float(row["v"]) > 0:
            values[iso3[int(row["i"])]] += round(float(row["v"]) * 1000)
    total = sum(values.values())
    return {country: value / total for country, value in values.items()}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("bundled") / "data")


@pytest.mark.parametrize(("importer", "product", "year"), [
    ("JPN", "850511", 2024), ("IND", "283691", 2024), ("IND", "850511", 2024), ("JPN", "711011", 2024),
    ("JPN", "811292", 2024), ("IND", "260200", 2022),
])
def test_shares_equal_a_direct_reading_of_the_bundled_file(fresh, importer, product, year):
    result = TradeService(fresh).dependence(importer, product, year=year)
    expected = direct_shares(year, importer, product)
    assert {s.country: s.share for s in result.suppliers} == pytest.approx(expected, abs=1e-12)
    assert result.source.bundled and result.source.edition == "V202601"
    assert "Gaulier & Zignago 2010" in result.source.attribution


def test_spot_checks_published_with_the_extract(fresh):
    """SOURCE.txt of the extract: India buys 84.2 % of its magnets from China, Japan 79.9 % of its platinum
    from South Africa; Japan's magnets come mostly from the Philippines and Viet Nam (the issue's example)."""
    service = TradeService(fresh)
    assert round(100 * service.dependence("IND", "850511", year=2024).suppliers[0].share, 1) == 84.2
    platinum = service.dependence("JPN", "711011", year=2024).suppliers[0]
    assert (platinum.country, round(100 * platinum.share, 1)) == ("ZAF", 79.9)
    magnets = service.dependence("JPN", "850511", year=2024).suppliers
    assert [s.country for s in magnets[:2]] == ["PHL", "VNM"]


def test_cli_answers_on_a_fresh_data_dir_with_no_import(tmp_path, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SETU_BUNDLED_TRADE", raising=False)
    result = CliRunner().invoke(app, ["dependence", "JPN", "--product", "850511", "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert {s["country"]: s["share"] for s in document["suppliers"]} == \
        pytest.approx(direct_shares(2024, "JPN", "850511"), abs=1e-12)
    assert document["source"]["bundled"] is True
    missing = CliRunner().invoke(app, ["dependence", "JPN", "--product", "810420", "--year", "2024"])
    assert isinstance(missing.exception, NotFoundError)  # exit code 2 through setu.cli.main.run
    assert "bundled extract holds 30" in str(missing.exception)


def test_loaded_once_and_never_over_the_users_own_year(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    service = TradeService(settings)
    service.import_baci([write(tmp_path, "BACI_HS17_Y2022_V202301.csv", BACI_2022)])
    loaded = service.ensure_bundled()
    assert [d.year for d in loaded] == [2024]  # 2022 is the user's: left alone
    assert service.ensure_bundled() == []  # the marker: not loaded twice
    by_year = {d.year: d for d in TradeCatalog(settings.trade_dir).datasets()}
    assert (by_year[2022].bundled, by_year[2022].edition, by_year[2024].bundled) == (False, "V202301", True)
    # without a year, the user's own latest year is chosen over the newer extract
    assert service.dependence("JPN", "810420").year == 2022


def test_can_be_switched_off(tmp_path):
    settings = Settings.from_env({"SETU_DATA_DIR": str(tmp_path / "data"), "SETU_BUNDLED_TRADE": "0"})
    assert TradeService(settings).ensure_bundled() == []
    assert TradeCatalog(settings.trade_dir).datasets() == []


def test_two_threads_starting_together_load_it_once(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    settings = Settings(data_dir=tmp_path / "data")
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: TradeService(settings).ensure_bundled(), range(2)))
    assert sorted(len(r) for r in results) == [0, 2]  # one loads 2022 and 2024, the other finds it loaded
    assert len(list((settings.trade_dir / "parts").iterdir())) == 1
    assert TradeService(settings).dependence("JPN", "850511", year=2024).suppliers[0].country == "PHL"


def test_top6_history_is_a_labelled_partial_series_with_coverage(fresh):
    import gzip

    document = TradeService(fresh).history("JPN", "850511")
    assert (document["series"], document["complete"]) == ("partial", False)
    assert "partial by construction" in document["coverage_note"]
    years = {y["year"]: y for y in document["years"]}
    assert min(years) == 2002 and max(years) == 2024
    assert all("total" not in key for y in document["years"] for key in y if key != "complete_value_usd")
    # 2024 listed value by hand from the gzip (ISO2: JP importer), de-duplicated over material labels
    listed: dict[tuple, float] = {}
    with gzip.open(tables.data_path("baci", "bilateral_flows_2002_2024_top6_long.csv.gz"), "rt") as handle:
        for row in csv.DictReader(handle):
            if row["year"] == "2024" and row["hs6"] == "850511" and row["importer_iso2"] == "JP":
                listed[row["exporter_iso2"]] = float(row["value_usd"])
    assert years[2024]["listed_value_usd"] == pytest.approx(sum(listed.values()))
    complete = TradeService(fresh).dependence("JPN", "850511", year=2024).total_value
    assert years[2024]["coverage"] == pytest.approx(sum(listed.values()) / complete)
    assert 0.95 <= years[2024]["coverage"] <= 1.0
    assert years[2010]["coverage"] is None  # no complete year to compare with: unknown, not 100 %


def test_without_trade_data_the_country_list_falls_back_to_the_production_side(tmp_path, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SETU_BUNDLED_TRADE", "0")
    result = CliRunner().invoke(app, ["dependence", "JPN", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert "products" not in document and document["materials"] and document["country"] == "JPN"


def test_an_import_landing_while_the_bundled_extract_loads_is_kept(tmp_path, monkeypatch):
    """The race of `setu import baci FILE &` with the first question: the bundled load has decided which
    years it may write (the catalog held none) when the user's BACI 2022 lands; the load must not replace it.
    The interleaving is forced (no timing): the user's import runs inside the bundled load, just before its
    write takes the writer lock."""
    settings = Settings(data_dir=tmp_path / "data")
    first = TradeService(settings)
    user = TradeService(settings)
    user_file = write(tmp_path, "BACI_HS17_Y2022_V202301.csv", BACI_2022)
    original = TradeCatalog.write_import
    landed = []

    def import_first(catalog, items):
        if not landed:
            landed.append(user_file)
            user.import_baci([user_file])  # through the original write_import (landed is set)
        return original(catalog, items)

    monkeypatch.setattr(TradeCatalog, "write_import", import_first)
    loaded = first.ensure_bundled()
    assert landed and sorted(d.year for d in loaded) == [2024]  # 2022 is the user's: the extract skipped it
    catalog = TradeCatalog(settings.trade_dir)
    by_year = {d.year: d for d in catalog.datasets() if d.source == "baci"}
    assert not by_year[2022].bundled and by_year[2022].inputs[0].name == user_file.name
    assert by_year[2024].bundled
    assert catalog.verify() == []  # the user's Parquet files are all there
    assert json.loads((settings.trade_dir / "bundled.json").read_text())["years"] == [2024]


def test_the_bundled_extract_does_not_replace_a_user_year_imported_by_another_process(tmp_path):
    """The same race through two processes' worth of state: a catalog whose manifest gained the user's year
    after the bundled load's pre-check. Writing the extract directly through the catalog keeps the user's."""
    settings = Settings(data_dir=tmp_path / "data")
    TradeService(settings).import_baci([write(tmp_path, "BACI_HS17_Y2022_V202301.csv", BACI_2022)])
    service = TradeService(settings)
    written = service._write_baci(list(baci_bundle.files()), dataset=baci_bundle.DATASET, bundled=True)
    assert sorted(d.year for d in written) == [2024]
    catalog = TradeCatalog(settings.trade_dir)
    assert [d.bundled for d in catalog.datasets() if d.year == 2022] == [False]
    assert catalog.verify() == []
    files = {p.relative_to(catalog.root).as_posix() for p in (catalog.root / "parts").rglob("*.parquet")}
    assert files == {f for d in catalog.datasets() for f in d.files}  # the skipped year left no file behind
