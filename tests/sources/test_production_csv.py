from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.errors import DataFormatError
from setu.reference import tables
from setu.sources import production_csv

HEADER = "material,country,year,measure,value,unit,source"
ROWS = [
    "lithium,AUS,2023,production,86000,t,USGS MCS 2024",
    "lithium,Chile,2023,production,44000,t,USGS MCS 2024",
    "lithium,World total,2023,production,180000,t,USGS MCS 2024",
]
FIELDS = HEADER.split(",")
# A value for each field that the schema must reject.
BAD = {
    "material": ["unobtainium", "", "lithum-ore-x"],
    "country": ["Atlantis", "", "XXX"],
    "year": ["23", "two thousand", "20233", ""],
    "measure": ["output", "", "sales"],
    "value": ["-1", "\"1,000\"", "ten", "", "inf", "nan"],
    "unit": ["bushel", "", "tonnes"],
    "source": [""],
}


def parse(path: Path) -> list[dict]:
    return production_csv.parse(path, tables.materials(), tables.countries())


def test_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "lithium.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    rows = parse(path)
    assert [r["iso3"] for r in rows] == ["AUS", "CHL", None]
    assert rows[2]["entity"] == "world_total" and rows[0]["value"] == 86_000 and rows[0]["series"] == "mine"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(0, 2), data=st.data())
def test_any_malformed_field_is_rejected_with_line_and_field(tmp_path: Path, row: int, data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(FIELDS))
    bad = data.draw(st.sampled_from(BAD[field]))
    cells = ROWS[row].split(",")
    cells[FIELDS.index(field)] = bad
    lines = list(ROWS)
    lines[row] = ",".join(cells)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError) as caught:
        parse(path)
    assert caught.value.line == row + 2
    assert caught.value.field == field


def test_header_problems(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("material,country,year\nlithium,AUS,2023\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="missing required column"):
        parse(path)
    path.write_text(HEADER + ",colour\n" + ROWS[0] + ",red\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="unknown column"):
        parse(path)
    path.write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="no data rows"):
        parse(path)
