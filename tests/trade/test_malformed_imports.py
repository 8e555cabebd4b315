"""Malformed trade files, each an error with its place (file:line:field), never a traceback or a silent
acceptance, and nothing written: a non-UTF-8 byte in a number, a line over the CSV field limit or a
mebibyte, a value that overflows once scaled, a repeated row, and zip archives beyond the import limits."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from setu.cli.main import run
from setu.errors import DataFormatError
from setu.services.trade import TradeService
from setu.settings import Settings
from setu.sources import trade_csv
from setu.store.trade import TradeCatalog
from .trade_samples import COMTRADE_COLUMNS, comtrade_row

BACI_HEADER = "t,i,j,k,v,q\n"
BACI_ROW = "2022,156,392,810420,600.000,12.500\n"


def baci(tmp_path: Path, body: bytes | str, name: str = "BACI_HS17_Y2022_V202301.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((BACI_HEADER + BACI_ROW).encode() + (body if isinstance(body, bytes) else body.encode()))
    return path


def comtrade(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "TradeData_JPN_2023.csv"
    path.write_text(COMTRADE_COLUMNS + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def latin1_comtrade(tmp_path: Path) -> Path:
    path = tmp_path / "TradeData_JPN_2023.csv"
    good = comtrade_row("202301", 392, "M", 156, "810420", "10", "1")
    bad = comtrade_row("202301", 392, "M", 156, "811292", "1\xe90", "1")
    path.write_bytes((COMTRADE_COLUMNS + "\n" + good + "\n" + bad + "\n").encode("latin-1"))
    return path


TRADE_CASES = {  # name -> (kind, file maker, line, field, words of the message)
    "Latin-1 byte in a BACI value": ("baci", lambda t: baci(t, "2022,156,699,811292,  2\xe950.000,1\n".encode("latin-1")),
                                     3, "v", "not UTF-8"),
    "BACI line over the field limit": ("baci", lambda t: baci(t, '2022,156,699,811292,1,"' + "9" * 200_000 + '"\n'),
                                       3, "q", "quantity must be"),
    "BACI line over a mebibyte": ("baci", lambda t: baci(t, "2022,156,699,811292," + " " * (2 << 20) + "x,1\n"),
                                  3, None, "longer than"),  # located without reading the line whole
    "BACI value overflowing once scaled": ("baci", lambda t: baci(t, "2022,156,699,811292,1e306,1\n"), 3, "v",
                                           "at most"),
    "BACI quantity overflowing": ("baci", lambda t: baci(t, "2022,156,699,811292,1,1e309\n"), 3, "q", "from 0 to"),
    "Latin-1 byte in a Comtrade value": (
        "comtrade", latin1_comtrade, 3, "cifvalue", "not UTF-8"),
    "Comtrade value overflowing": ("comtrade", lambda t: comtrade(t, comtrade_row("202301", 392, "M", 156, "810420",
                                                                                  "1e400", "10")), 2,
                                   "primaryValue", "at most"),
    "Comtrade weight overflowing": ("comtrade", lambda t: comtrade(t, comtrade_row("202301", 392, "M", 156, "810420",
                                                                                   "10", "1e400")), 2, "netWgt",
                                    "net weight"),
    "repeated Comtrade row": ("comtrade", lambda t: comtrade(t, *[comtrade_row("202301", 392, "M", 156, "810420",
                                                                               "10", "1")] * 2), 3,
                              "reporterCode,partnerCode,cmdCode", "first at line 2"),
}


@pytest.mark.parametrize("case", list(TRADE_CASES))
def test_a_malformed_trade_file_is_located_and_nothing_is_written(tmp_path, case):
    kind, make, line, field, words = TRADE_CASES[case]
    path = make(tmp_path)
    settings = Settings(data_dir=tmp_path / "data", bundled_trade=False)
    service = TradeService(settings)
    with pytest.raises(DataFormatError) as raised:
        (service.import_baci if kind == "baci" else service.import_comtrade)([path])
    error = raised.value
    assert len(str(error)) < 400  # a megabyte-long field is not quoted whole
    assert (error.file, error.line, error.field) == (str(path), line, field), str(error)
    assert words in str(error)
    catalog = TradeCatalog(settings.trade_dir)
    assert catalog.datasets() == [] and not list((settings.trade_dir / "parts").rglob("*.parquet"))


def test_the_cli_reports_a_malformed_import_in_one_line(tmp_path, monkeypatch, capsys):
    path = TRADE_CASES["Latin-1 byte in a BACI value"][1](tmp_path)
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SETU_BUNDLED_TRADE", "0")
    monkeypatch.setattr(sys, "argv", ["setu", "import", "baci", str(path)])
    with pytest.raises(SystemExit) as exited:
        run()
    assert exited.value.code == 2
    assert capsys.readouterr().err == (f"error: {path}:3: field 'v': byte 0xE9 at column 24 is not UTF-8; save the "
                                       "file as UTF-8\n")


# -- zip archives -----------------------------------------------------------------------------------
def zipped(tmp_path: Path, member: str, data: bytes) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    path = tmp_path / "download.zip"
    path.write_bytes(buffer.getvalue())
    return path


def test_a_zip_that_expands_a_thousand_times_is_refused_before_reading(tmp_path, monkeypatch):
    data = (BACI_HEADER + BACI_ROW).encode() + b" " * (40 << 20)  # 40 MiB of spaces: ~40 KiB compressed
    path = zipped(tmp_path, "BACI_HS17_Y2022_V202301.csv", data)
    opened = []
    monkeypatch.setattr(trade_csv.InputFile, "open", lambda self: opened.append(self) or io.BytesIO(b""))
    with pytest.raises(DataFormatError, match=r"expands [\d,]+ times .* over the limit of 100") as raised:
        TradeService(Settings(data_dir=tmp_path / "data", bundled_trade=False)).import_baci([path])
    assert raised.value.file == f"{path}!BACI_HS17_Y2022_V202301.csv"
    assert opened == []  # refused from the archive's directory: not one byte decompressed


def test_a_zip_member_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = zipped(tmp_path, "BACI_HS17_Y2022_V202301.csv", (BACI_HEADER + BACI_ROW * 1000).encode())
    monkeypatch.setattr(trade_csv, "MAX_MEMBER_BYTES", 10_000)
    with pytest.raises(DataFormatError, match="over the import limit of 10,000"):
        trade_csv.expand_inputs([path])


def test_a_zip_within_the_limits_imports(tmp_path):
    path = zipped(tmp_path, "BACI_HS17_Y2022_V202301.csv", (BACI_HEADER + BACI_ROW).encode())
    datasets = TradeService(Settings(data_dir=tmp_path / "data", bundled_trade=False)).import_baci([path])
    assert [(d.year, d.rows) for d in datasets] == [(2022, 1)]


def test_a_damaged_zip_is_an_error_naming_it(tmp_path):
    path = zipped(tmp_path, "BACI_HS17_Y2022_V202301.csv", (BACI_HEADER + BACI_ROW).encode())
    data = bytearray(path.read_bytes())
    data[-30:-20] = b"\xff" * 10  # the central directory's end record
    path.write_bytes(bytes(data))
    with pytest.raises(DataFormatError) as raised:
        TradeService(Settings(data_dir=tmp_path / "data", bundled_trade=False)).import_baci([path])
    assert str(path) in str(raised.value)
