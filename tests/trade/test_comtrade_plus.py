"""Comtrade+ annual files as users download them (real files, tests/trade/comtrade_plus/SOURCE.md): the camelCase
API/bulk header and the PascalCase header of the web download import; refMonth 52 is annual; World (partner 0) is
never a supplier; H4/H5/H6 rows of one file go to their own partitions; a malformed row is file:line:field, exit 2,
catalog unchanged. Expected figures are recomputed here from the files with the csv module."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from setu.cli.trade import import_app
from setu.errors import DataFormatError
from setu.services.trade import TradeService
from setu.store.trade import TradeCatalog

HERE = Path(__file__).parent / "comtrade_plus"
GALLIUM = HERE / "gallium_trade_data.csv"
COBALT = HERE / "cobalt_trade_data.csv"

root = typer.Typer()
root.add_typer(import_app, name="import")
runner = CliRunner()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pascal_case(path: Path, tmp_path: Path) -> Path:
    """The same file under the web download's header (ReporterCode, PrimaryValue, Cifvalue ...)."""
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    target = tmp_path / f"TradeData_{path.stem}.csv"
    target.write_text(",".join(n[0].upper() + n[1:] for n in header.split(",")) + "\n" + rest, encoding="utf-8")
    return target


def expected_imports(path: Path, reporter: str, partner: str, product: str, year: str) -> tuple[float, float]:
    (row,) = [r for r in rows(path) if (r["reporterCode"], r["partnerCode"], r["cmdCode"], r["refYear"],
                                        r["flowCode"]) == (reporter, partner, product, year, "M")]
    return float(row["primaryValue"]), float(row["netWgt"]) / 1000


def test_camel_case_file_imports_by_revision_and_year(settings):
    datasets = TradeService(settings).import_comtrade([GALLIUM])
    by_partition = {(d.hs_revision, d.year): d.rows for d in datasets}
    assert set(by_partition) == {("HS2017", 2020), ("HS2017", 2021), ("HS2022", 2022), ("HS2022", 2023),
                                 ("HS2022", 2024)}
    # kept: six-digit rows whose partner is a country (World rows are the reporter's totals)
    kept = [r for r in rows(GALLIUM) if len(r["cmdCode"]) == 6 and r["partnerCode"] != "0"]
    assert sum(by_partition.values()) == len(kept) == 20
    world = sum(1 for r in rows(GALLIUM) if r["partnerCode"] == "0" and r["refYear"] in ("2020", "2021"))
    hs2017 = next(d for d in datasets if (d.hs_revision, d.year) == ("HS2017", 2020))
    assert hs2017.inputs[0].skipped_rows == {"partner is not a country": world}


def test_world_is_never_a_supplier_and_values_trace_to_the_file(settings):
    service = TradeService(settings)
    service.import_comtrade([GALLIUM])
    result = service.dependence("USA", "811292", year=2024, source="comtrade")
    value, tonnes = expected_imports(GALLIUM, "842", "156", "811292", "2024")
    assert [(s.country, s.value, s.share) for s in result.suppliers] == [("CHN", value, 1.0)]
    assert value == 53_325_054.0 and result.total_value == value
    china = service.dependence("CHN", "811292", year=2022, source="comtrade")
    assert [s.country for s in china.suppliers] == ["USA"]
    assert china.total_value == expected_imports(GALLIUM, "156", "842", "811292", "2022")[0]
    (partition,) = [d for d in TradeCatalog(settings.trade_dir).datasets() if d.year == 2024]
    stored = pq.read_table(settings.trade_dir / partition.files[0]).to_pylist()
    assert {"year": 2024, "month": None, "flow": "M", "exporter": "CHN", "importer": "USA", "product": "811292",
            "value_usd": value, "quantity_tonnes": tonnes} in stored  # refMonth 52: annual, no month
    assert not {r["exporter"] for r in stored} & {"WLD", "W00"} and tonnes == pytest.approx(239.849)


def test_a_reporter_in_hs2012_gets_its_own_partitions(settings):
    datasets = TradeService(settings).import_comtrade([COBALT])
    congo = [r for r in rows(COBALT) if r["reporterCode"] == "180" and len(r["cmdCode"]) == 6]
    assert {r["classificationCode"] for r in congo} == {"H4"}
    assert sorted(d.year for d in datasets if d.hs_revision == "HS2012") == sorted(int(r["refYear"]) for r in congo)
    four_digit = sum(1 for r in rows(COBALT) if r["cmdCode"] == "8105")
    counted = sum(i.skipped_rows.get("not a six-digit product", 0) for d in datasets for i in d.inputs)
    assert four_digit > 0 and counted >= four_digit  # 8105 is skipped and counted, not an error


def test_pascal_case_web_download_imports_the_same_flows(settings, tmp_path):
    camel = TradeService(settings).import_comtrade([GALLIUM])
    other = type(settings)(data_dir=tmp_path / "pascal")
    pascal = TradeService(other).import_comtrade([pascal_case(GALLIUM, tmp_path)])
    assert [(d.hs_revision, d.year, d.rows) for d in pascal] == [(d.hs_revision, d.year, d.rows) for d in camel]
    result = TradeService(other).dependence("USA", "811292", year=2024, source="comtrade")
    assert result.total_value == expected_imports(GALLIUM, "842", "156", "811292", "2024")[0]


def corrupt(path: Path, tmp_path: Path, line: int, column: str, value: str, name: str = "bad.csv") -> Path:
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    fields = lines[line - 1].split(",")
    fields[[h.lower() for h in header].index(column.lower())] = value
    lines[line - 1] = ",".join(fields)
    target = tmp_path / name
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("refMonth", "13", "refMonth '13' does not match period '2020'"),
        ("refMonth", "1", "52 for annual data"),
        ("refYear", "2019", "refYear '2019' does not match period '2020'"),
        ("primaryValue", "-5", "≥ 0"),
        ("partnerCode", "999", "unknown country code 999"),
        ("classificationCode", "H6", "differs from the declared HS2017"),
        ("classificationCode", "S4", "not an HS revision"),
    ],
)
@pytest.mark.parametrize("spelling", ["camel", "pascal"])
def test_malformed_row_in_a_real_file_is_located_exit_2_catalog_unchanged(settings, tmp_path, monkeypatch,
                                                                           column, value, message, spelling):
    TradeService(settings).import_comtrade([COBALT])
    before = TradeCatalog(settings.trade_dir).datasets()
    line = 58  # USA imports of 282200 from China, 2020 (H5)
    bad = corrupt(COBALT, tmp_path, line, column, value)
    if spelling == "pascal":
        bad = pascal_case(bad, tmp_path)
    monkeypatch.setenv("SETU_DATA_DIR", str(settings.data_dir))
    result = runner.invoke(root, ["import", "comtrade", str(bad)])
    error = result.exception
    assert isinstance(error, DataFormatError), result.output
    expected_field = column if spelling == "camel" else column[0].upper() + column[1:]
    assert (Path(error.file).name, error.line, error.field) == (bad.name, line, expected_field)
    assert message in str(error)
    assert TradeCatalog(settings.trade_dir).datasets() == before


def test_malformed_row_exits_2_through_the_setu_command(settings, tmp_path):
    bad = corrupt(GALLIUM, tmp_path, 12, "primaryValue", "abc")
    env = {**os.environ, "SETU_DATA_DIR": str(settings.data_dir)}
    result = subprocess.run([sys.executable, "-c", "from setu.cli.main import run; run()", "import", "comtrade",
                             str(bad)], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 2
    assert f"{bad}:12: field 'primaryValue': not a number: 'abc'" in result.stderr
    assert TradeCatalog(settings.trade_dir).datasets() == []
