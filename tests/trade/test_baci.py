"""BACI importer: the real file layout, located errors, nothing loaded on error."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from setu.errors import DataFormatError
from setu.services.trade import TradeService
from setu.sources import baci, trade_csv
from setu.sources.trade_csv import InputFile
from .trade_samples import BACI_2022, write


def rows_of(path: Path) -> pa.Table:
    return pa.Table.from_batches(list(baci.read(baci.describe(InputFile(path)))))


def test_file_name_declares_revision_year_and_edition(baci_file):
    described = baci.describe(InputFile(baci_file))
    assert (described.hs_revision, described.year, described.edition) == ("HS2017", 2022, "V202301")


def test_rows_are_resolved_padded_and_in_whole_dollars(baci_file):
    table = rows_of(baci_file)
    assert table.num_rows == 10
    first = table.slice(0, 1).to_pylist()[0]
    assert first == {"year": 2022, "month": None, "flow": None, "exporter": "CHN", "importer": "JPN",
                     "product": "810420", "value_usd": 600_000.0, "quantity_tonnes": 12.5}
    assert table.column("quantity_tonnes").to_pylist()[1:3] == [None, None]  # padded NA, blank
    assert table.column("exporter").to_pylist()[2] == "TWN"  # 490 "Other Asia, nes", N/A in CEPII's table: Taiwan
    assert set(table.column("product").to_pylist()) == {"810420", "811292", "010121"}  # 10121 padded


def test_zip_of_baci_files_is_read_member_by_member(tmp_path, baci_file, settings):
    archive = tmp_path / "BACI_HS17_V202301.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(baci_file, baci_file.name)
        handle.writestr("Readme.txt", "not data")
    datasets = TradeService(settings).import_baci([archive])
    assert [(d.year, d.rows) for d in datasets] == [(2022, 10)]


def test_file_name_without_declaration_needs_explicit_revision(tmp_path, settings):
    path = write(tmp_path, "trade.csv", BACI_2022)
    with pytest.raises(DataFormatError) as error:
        TradeService(settings).import_baci([path])
    assert error.value.field == "file name"
    datasets = TradeService(settings).import_baci([path], hs_revision="HS17", year=2022, edition="V202301")
    assert datasets[0].rows == 10


@pytest.mark.parametrize(
    ("line", "bad", "field", "message"),
    [
        ("2022,156,392,810420,abc,1", 2, "v", "not a number"),
        ("2022,156,392,810420,-5,1", 2, "v", "≥ 0"),
        ("2022,156,392,810420,NA,1", 2, "v", "finite"),
        ("2021,156,392,810420,5,1", 2, "t", "differs from the file's year 2022"),
        ("2022,999,392,810420,5,1", 2, "i", "unknown country code 999 (not in CEPII BACI country_codes"),
        ("2022,156,998,810420,5,1", 2, "j", "unknown country code 998"),
        ("2022,156,392,30910,5,1", 2, "k", "030910 is not an HS2017 product code (it is a HS2022 code"),
        ("2022,156,392,81042X,5,1", 2, "k", "not an HS6 product code"),
        ("2022,156,392,810420,5,-1", 2, "q", "quantity"),
        ("2022,156,392,810420,5", 2, "q", "expected 6 fields, found 5"),
        ("", 2, None, "blank line"),
    ],
)
def test_malformed_line_is_located(tmp_path, settings, line, bad, field, message):
    path = write(tmp_path, "BACI_HS17_Y2022_V202301.csv", "t,i,j,k,v,q\n" + line + "\n2022,156,392,810420,5,1\n")
    with pytest.raises(DataFormatError) as error:
        TradeService(settings).import_baci([path])
    assert (error.value.line, error.value.field) == (bad, field)
    assert message in str(error.value)
    assert str(path) in str(error.value)
    assert not (settings.trade_dir / "manifest.json").exists()


def test_wrong_header_is_rejected(tmp_path, settings):
    path = write(tmp_path, "BACI_HS17_Y2022_V202301.csv", "year,i,j,k,v,q\n2022,156,392,810420,5,1\n")
    with pytest.raises(DataFormatError) as error:
        TradeService(settings).import_baci([path])
    assert (error.value.line, error.value.field) == (1, "year")


VALID = st.tuples(
    st.sampled_from([156, 392, 699, 842, 490, 36]),
    st.sampled_from([392, 699, 842, 410]),
    st.sampled_from(["810420", "811292", "10121", "250410"]),
    st.integers(0, 10**7).map(lambda n: f"{n / 1000:10.3f}"),
    st.one_of(st.just("NA"), st.just(""), st.integers(0, 10**5).map(lambda n: f"{n / 1000:.3f}")),
)
BAD_VALUES = {
    "t": st.sampled_from(["2021", "20x2", "", "2023"]),
    "i": st.sampled_from(["999", "abc", "", "1"]),
    "j": st.sampled_from(["997", "-", ""]),
    "k": st.sampled_from(["1234", "1234567", "ABCDEF", "30910", "999998", ""]),
    "v": st.sampled_from(["-1", "NA", "abc", "nan", "inf", "", "1e400", "--1"]),
    "q": st.sampled_from(["-5", "abc", "1.2.3", "nan"]),
}


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(VALID, min_size=1, max_size=40),
    data=st.data(),
)
def test_any_malformed_row_is_rejected_with_its_line_and_nothing_loaded(tmp_path_factory, monkeypatch, rows, data):
    monkeypatch.setattr(trade_csv, "BLOCK_SIZE", 256)  # many blocks: line numbers must carry across them
    root = tmp_path_factory.mktemp("baci")
    lines = [",".join(["2022", str(i), str(j), k, v, q]) for i, j, k, v, q in rows]
    index = data.draw(st.integers(0, len(lines) - 1), label="bad row")
    field = data.draw(st.sampled_from(list(BAD_VALUES)), label="field")
    values = lines[index].split(",")
    values["tijkvq".index(field)] = data.draw(BAD_VALUES[field], label="bad value")
    lines[index] = ",".join(values)
    path = write(root, "BACI_HS17_Y2022_V202301.csv", "t,i,j,k,v,q\n" + "\n".join(lines) + "\n")
    settings = __import__("setu.settings", fromlist=["Settings"]).Settings(data_dir=root / "data")
    service = TradeService(settings)
    service.import_baci([write(root, "BACI_HS17_Y2021_V202301.csv", "t,i,j,k,v,q\n2021,156,392,810420,1,1\n")])
    before = (settings.trade_dir / "manifest.json").read_bytes()
    with pytest.raises(DataFormatError) as error:
        service.import_baci([path])
    assert error.value.line == index + 2
    assert error.value.field == field
    assert (settings.trade_dir / "manifest.json").read_bytes() == before
    assert len(list((settings.trade_dir / "parts").iterdir())) == 1


def test_byte_order_mark_and_crlf_line_ends_are_accepted_and_lines_still_located(tmp_path, settings):
    text = "\ufeff" + BACI_2022.replace("\n", "\r\n")
    path = tmp_path / "BACI_HS17_Y2022_V202301.csv"
    path.write_bytes(text.encode("utf-8"))
    assert TradeService(settings).import_baci([path])[0].rows == 10
    path.write_bytes((text + "2022,156,392,810420,oops,1\r\n").encode("utf-8"))
    with pytest.raises(DataFormatError) as error:
        TradeService(settings).import_baci([path])
    assert (error.value.line, error.value.field) == (12, "v")


def test_a_repeated_flow_is_located_at_its_second_row(tmp_path, settings):
    text = BACI_2022 + "2022,842,392,810420,     1.000,    0.100\n"  # repeats line 3 (USA -> JPN, 810420)
    path = write(tmp_path, "BACI_HS17_Y2022_V202301.csv", text)
    with pytest.raises(DataFormatError) as error:
        TradeService(settings).import_baci([path])
    assert (error.value.line, error.value.field) == (12, "i,j,k")
    assert "first at line 3" in str(error.value)
    assert not (settings.trade_dir / "manifest.json").exists()


def test_baci_partitions_are_marked_keyed(baci_file, settings):
    assert TradeService(settings).import_baci([baci_file])[0].keyed
