"""The Parquet trade catalog: manifest, partitions, atomic imports."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from setu.errors import DataFormatError, NotFoundError, ValidationError
from setu.services.trade import TradeService
from setu.sources import baci, trade_csv
from setu.store.trade import ImportedPart, InputRecord, TradeCatalog, TradeEngine
from .trade_samples import BACI_2021, COMTRADE_COLUMNS, comtrade_row, write


def snapshot(root):
    """Every file under the catalog with its bytes (the lock file aside)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and p.name != ".lock"}


def test_manifest_records_source_edition_revision_checksums_and_rows(baci_file, settings):
    TradeService(settings).import_baci([baci_file])
    manifest = json.loads((settings.trade_dir / "manifest.json").read_text())
    [entry] = manifest["datasets"]
    assert (entry["source"], entry["edition"], entry["hs_revision"], entry["year"], entry["rows"]) == \
        ("baci", "V202301", "HS2017", 2022, 10)
    assert entry["inputs"][0]["name"] == baci_file.name and len(entry["inputs"][0]["sha256"]) == 64
    assert entry["files"][0].endswith(".parquet") and "source=baci/hs=HS2017/year=2022" in entry["files"][0]
    assert TradeCatalog(settings.trade_dir).verify() == []


def test_reimport_replaces_the_partition_and_removes_the_old_files(baci_file, settings):
    service = TradeService(settings)
    first = service.import_baci([baci_file])[0]
    second = service.import_baci([baci_file])[0]
    assert first.files != second.files
    assert not (settings.trade_dir / first.files[0]).exists()
    assert [d.key for d in service.sources()] == [("baci", "HS2017", 2022, None)]


def test_failed_import_leaves_catalog_unchanged(tmp_path, baci_file, settings):
    service = TradeService(settings)
    service.import_baci([baci_file])
    before = snapshot(settings.trade_dir)
    good = write(tmp_path, "BACI_HS17_Y2021_V202301.csv", BACI_2021)
    bad = write(tmp_path, "BACI_HS17_Y2020_V202301.csv", "t,i,j,k,v,q\n2020,156,392,810420,1,1\n2020,1,2,3\n")
    with pytest.raises(DataFormatError):
        service.import_baci([good, bad])  # the good file is written first, then the bad one fails
    assert snapshot(settings.trade_dir) == before
    assert [d.year for d in service.sources()] == [2022]


def test_interruption_mid_write_leaves_previous_catalog_readable(monkeypatch, baci_file, settings):
    service = TradeService(settings)
    service.import_baci([baci_file])
    before = snapshot(settings.trade_dir)
    monkeypatch.setattr(trade_csv, "BLOCK_SIZE", 64)  # several batches, so the writer is mid-file

    def interrupted():
        batches = iter(baci.read(baci.describe(trade_csv.InputFile(baci_file))))
        yield next(batches)
        raise KeyboardInterrupt

    part = ImportedPart("baci", "CEPII BACI", "V202301", "HS2017", (InputRecord("x.csv", "0" * 64),))
    with pytest.raises(KeyboardInterrupt):
        TradeCatalog(settings.trade_dir).write_import([(part, interrupted())])
    assert snapshot(settings.trade_dir) == before
    assert service.dependence("JPN", "810420").total_value == 1_000_000


def test_orphans_of_a_killed_import_are_removed_by_the_next_one(baci_file, settings):
    service = TradeService(settings)
    service.import_baci([baci_file])
    orphan = settings.trade_dir / "parts" / "19990101T000000-deadbeef"
    orphan.mkdir()
    (orphan / "part-0.parquet").write_bytes(b"half written")
    (settings.trade_dir / ".manifest.json.abc.tmp").write_text("{")
    service.import_baci([baci_file])
    assert not orphan.exists()
    assert not list(settings.trade_dir.glob(".manifest.json.*.tmp"))


def test_selection_prefers_baci_and_the_newest_revision_and_names_missing_years(loaded_settings):
    catalog = TradeCatalog(loaded_settings.trade_dir)
    assert [(d.source, d.hs_revision, d.year) for d in catalog.select()] == [("baci", "HS2022", 2022)]
    assert [(d.source, d.hs_revision) for d in catalog.select(hs_revision="HS2017", year=2021)] == \
        [("baci", "HS2017")]
    assert [d.month for d in catalog.select(source="comtrade")] == [1, 2]
    with pytest.raises(NotFoundError, match="years held: 2021, 2022"):
        catalog.select(source="baci", hs_revision="HS2017", year=2019)


def test_a_year_without_a_source_picks_the_source_that_holds_it(loaded_settings):
    catalog = TradeCatalog(loaded_settings.trade_dir)
    assert {(d.source, d.year) for d in catalog.select(year=2023)} == {("comtrade", 2023)}
    assert {d.source for d in catalog.select(year=2022)} == {"baci"}  # BACI first where both could answer
    with pytest.raises(NotFoundError, match="no trade data for 2019 in any source; years held: baci 2021, 2022; "
                                           "comtrade 2023"):
        catalog.select(year=2019)


def test_empty_catalog_says_how_to_import(settings):
    with pytest.raises(NotFoundError, match="setu import baci"):
        TradeService(settings).dependence("JPN", "810420")


def test_unknown_engine_is_refused(settings):
    with pytest.raises(ValidationError):
        TradeEngine(TradeCatalog(settings.trade_dir), "polars")


def test_engine_reads_only_files_listed_in_manifest(baci_file, settings):
    service = TradeService(settings)
    service.import_baci([baci_file])
    stray = settings.trade_dir / "parts" / "stray.parquet"
    pq.write_table(pa.table({"x": [1]}), stray)
    assert service.dependence("JPN", "810420").total_value == 1_000_000


def test_comtrade_files_of_different_reporters_add_up_and_a_reimported_file_replaces_itself(tmp_path, settings):
    japan = write(tmp_path, "japan.csv", "\n".join([COMTRADE_COLUMNS,
                                                     comtrade_row("2023", 392, "M", 156, "810420", "600")]) + "\n")
    india = write(tmp_path, "india.csv", "\n".join([COMTRADE_COLUMNS,
                                                     comtrade_row("2023", 699, "M", 156, "810420", "100")]) + "\n")
    service = TradeService(settings)
    service.import_comtrade([japan])
    service.import_comtrade([india])
    service.import_comtrade([japan])
    [dataset] = service.sources()
    assert (dataset.rows, sorted(i.name for i in dataset.inputs)) == (2, ["india.csv", "japan.csv"])
    assert service.dependence("JPN", "810420").total_value == 600
    assert service.dependence("IND", "810420").total_value == 100
    assert TradeCatalog(settings.trade_dir).verify() == []


def test_two_baci_files_for_one_year_in_one_import_are_refused(tmp_path, baci_file, settings):
    copy = tmp_path / "copy"
    copy.mkdir()
    twin = write(copy, baci_file.name, baci_file.read_text())
    with pytest.raises(ValidationError, match="both BACI HS2017 2022"):
        TradeService(settings).import_baci([baci_file, twin])


def test_verify_names_a_partition_file_that_changed_after_import(baci_file, settings):
    [dataset] = TradeService(settings).import_baci([baci_file])
    with open(settings.trade_dir / dataset.files[0], "ab") as handle:
        handle.write(b"tampered")
    assert TradeCatalog(settings.trade_dir).verify() == [dataset.files[0]]
