"""UN Comtrade bulk importer: Comtrade+ columns, breakdown totals only, located errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from setu.errors import DataFormatError
from setu.services.trade import TradeService
from setu.settings import Settings
from setu.store.trade import TradeCatalog
from .trade_samples import COMTRADE_COLUMNS, comtrade_row, write


def test_monthly_file_becomes_monthly_partitions_with_skips_counted(comtrade_file, settings):
    datasets = TradeService(settings).import_comtrade([comtrade_file])
    assert [(d.year, d.month, d.rows, d.hs_revision) for d in datasets] == [(2023, 1, 2, "HS2017"),
                                                                            (2023, 2, 2, "HS2017")]
    skipped = datasets[0].inputs[0].skipped_rows
    assert skipped == {"not a six-digit product": 1, "flow other than M or X": 1,
                       "partner is not a country": 1, "partner2Code breakdown": 1}


def test_reporter_and_partner_become_importer_and_exporter_by_flow(comtrade_file, settings):
    service = TradeService(settings)
    service.import_comtrade([comtrade_file])
    imports = service.monthly("810420", importer="JPN").rows
    # 700,000 + 300,000.4 (whole dollars: 300,000) in January; net weight kg -> tonnes
    assert imports == [{"year": 2023, "month": 1, "value_usd": 1_000_000.0, "quantity_tonnes": 20.0},
                       {"year": 2023, "month": 2, "value_usd": 400_000.0, "quantity_tonnes": 10.0}]
    exports = service.monthly("810420", exporter="JPN", importer="IND", flow="X").rows
    assert exports == [{"year": 2023, "month": 2, "value_usd": 25_000.0, "quantity_tonnes": 0.5}]


def test_tab_separated_bulk_file_is_read(tmp_path, settings):
    text = "\n".join(line.replace(",", "\t") for line in [
        COMTRADE_COLUMNS, comtrade_row("2022", 392, "M", 156, "811292", "1000", "10")]) + "\n"
    text = text.replace('"Other\tincl. n.e.s.\titems"', "Other")
    datasets = TradeService(settings).import_comtrade([write(tmp_path, "bulk.txt", text)])
    assert [(d.year, d.month, d.rows) for d in datasets] == [(2022, None, 1)]


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (comtrade_row("202301", 392, "M", 156, "810420", "abc"), "primaryValue", "not a number"),
        (comtrade_row("202301", 392, "M", 156, "810420", "-3"), "primaryValue", "≥ 0"),
        (comtrade_row("202313", 392, "M", 156, "810420", "3"), "period", "YYYY or YYYYMM"),
        (comtrade_row("202301", 392, "M", 156, "030910", "3"), "cmdCode", "it is a HS2022 code"),
        (comtrade_row("202301", 392, "M", 156, "810420", "3").replace(",392,", ",391,", 1), "reporterCode",
         "unknown country code 391"),
        (comtrade_row("202301", 392, "M", 156, "810420", "3").replace(",H5,H5,", ",H6,H6,"),
         "classificationCode", "differs from the declared HS2017"),
    ],
)
def test_malformed_row_is_located_and_nothing_loaded(tmp_path, settings, row, field, message):
    good = comtrade_row("202301", 392, "M", 156, "810420", "1")
    path = write(tmp_path, "bulk.csv", "\n".join([COMTRADE_COLUMNS, good, good, row, good]) + "\n")
    with pytest.raises(DataFormatError) as error:
        TradeService(settings).import_comtrade([path])
    assert (error.value.line, error.value.field) == (4, field)
    assert message in str(error.value)
    assert TradeCatalog(settings.trade_dir).datasets() == []


def test_missing_columns_are_named(tmp_path, settings):
    path = write(tmp_path, "bulk.csv", "period,reporterCode,flowCode\n2022,392,M\n")
    with pytest.raises(DataFormatError) as error:
        TradeService(settings).import_comtrade([path])
    assert (error.value.line, error.value.field) == (1, "partnerCode")


BAD_COMTRADE = {
    "period": ["202313", "20231", "2023-01", ""],
    "reporterCode": ["391", "abc", ""],
    "partnerCode": ["123456", "x"],
    "cmdCode": ["030910", "999998"],
    "primaryValue": ["-1", "abc", "", "nan"],
    "netWgt": ["-2", "heavy"],
}
FIELD_INDEX = {name: COMTRADE_COLUMNS.split(",").index(name) for name in BAD_COMTRADE}


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 12), st.data())
def test_any_malformed_comtrade_row_is_located_and_nothing_loaded(tmp_path_factory, size, data):
    root = tmp_path_factory.mktemp("comtrade")
    rows = [comtrade_row(f"2023{month:02d}", 392, "M", 156, "810420", str(1000 * month), "5")
            for month in data.draw(st.lists(st.integers(1, 12), min_size=size, max_size=size), label="months")]
    index = data.draw(st.integers(0, len(rows) - 1), label="bad row")
    field = data.draw(st.sampled_from(sorted(BAD_COMTRADE)), label="field")
    values = rows[index].split(",")
    values[FIELD_INDEX[field]] = data.draw(st.sampled_from(BAD_COMTRADE[field]), label="bad value")
    rows[index] = ",".join(values)
    settings = Settings(data_dir=root / "data")
    with pytest.raises(DataFormatError) as error:
        TradeService(settings).import_comtrade([write(root, "bulk.csv", "\n".join([COMTRADE_COLUMNS, *rows]) + "\n")])
    assert (error.value.line, error.value.field) == (index + 2, field)
    assert TradeCatalog(settings.trade_dir).datasets() == []
