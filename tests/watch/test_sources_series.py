"""Parsers of the bundled China series and of the monitoring CSV; series building."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import pytest

from setu.errors import DataFormatError
from setu.sources.comtrade_monthly import bundled_path, parse_bundled, parse_monitoring_csv, read_monitoring_csv
from setu.watch.series import Variable, build_series

GOOD = "period,reporter,partner,hs6,value,quantity\n2024-01,CHN,JPN,250410,100,50\n2024-02,CHN,JPN,250410,80,\n"


def test_bundled_file_is_the_documented_one():
    digest = hashlib.sha256(bundled_path().read_bytes()).hexdigest()
    assert digest == "dc86066e942106447328a3fb233dd5b984c63c641ae5f7ced01ce96446a9471f"
    assert digest in (bundled_path().parent / "SOURCE.md").read_text()


def test_bundled_totals_match_an_independent_read(bundled_flows):
    # Independent check with the csv module: China's exports of HS 250410 in 2023-12 over all listed partners.
    with bundled_path().open() as handle:
        expected = sum(float(r["val"]) for r in csv.DictReader(handle) if r["period_dt"] == "2023-12-01" and r["hs6"] == "250410")
    got = bundled_flows.query("period == '2023-12' and hs6 == '250410'")["value_usd"].sum()
    assert got == pytest.approx(expected)
    assert set(bundled_flows["reporter"]) == {"CHN"}
    assert len(bundled_flows) == 6442
    assert bundled_flows["quantity_kg"].isna().sum() > 0  # qty 0 read as "not reported"


def test_monitoring_csv_parses():
    flows = parse_monitoring_csv(GOOD, file="f.csv")
    assert list(flows["period"]) == ["2024-01", "2024-02"]
    assert np.isnan(flows["quantity_kg"][1])


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (GOOD.replace("2024-02", "2024-13"), 3, "period"),
        (GOOD.replace("CHN,JPN,250410,80", "CHN,Japan,250410,80"), 3, "partner"),
        (GOOD.replace("250410,100", "25041,100"), 2, "hs6"),
        (GOOD.replace(",100,", ",-5,"), 2, "value"),
        (GOOD.replace(",100,", ",abc,"), 2, "value"),
        (GOOD.replace(",50\n", ",x\n"), 2, "quantity"),
        (GOOD.replace("value,", "val,"), 1, "value"),
    ],
)
def test_monitoring_csv_errors_are_located(text, line, field):
    with pytest.raises(DataFormatError) as caught:
        parse_monitoring_csv(text, file="f.csv")
    assert (caught.value.file, caught.value.line, caught.value.field) == ("f.csv", line, field)


def test_duplicate_rows_and_missing_file(tmp_path: Path):
    with pytest.raises(DataFormatError) as caught:
        parse_monitoring_csv(GOOD + "2024-01,CHN,JPN,250410,1,1\n", file="f.csv")
    assert caught.value.line == 4
    with pytest.raises(DataFormatError):
        read_monitoring_csv(tmp_path / "absent.csv")


def test_unknown_partner_name_in_bundled_format():
    text = "period_dt,partner_name,hs6,val,qty,uv\n2017-01-01,Atlantis,250410,1,1,1\n"
    with pytest.raises(DataFormatError) as caught:
        parse_bundled(text, file="b.csv")
    assert (caught.value.line, caught.value.field) == (2, "partner_name")


def test_absent_months_are_zero_trade_and_unit_value_is_undefined():
    text = "period,reporter,partner,hs6,value,quantity\n2024-01,CHN,JPN,250410,100,50\n2024-03,CHN,JPN,250410,90,30\n"
    series = {s.key.variable: s for s in build_series(parse_monitoring_csv(text, file="f"), min_active_months=1)
              if s.key.partner == "JPN"}
    assert series[Variable.VALUE].periods == ("2024-01", "2024-02", "2024-03")
    assert list(series[Variable.VALUE].values) == [100.0, 0.0, 90.0]
    assert list(series[Variable.QUANTITY].values) == [50.0, 0.0, 30.0]
    unit = series[Variable.UNIT_VALUE].values
    assert unit[0] == 2.0 and np.isnan(unit[1]) and unit[2] == 3.0
