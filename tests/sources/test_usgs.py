from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.errors import DataFormatError
from setu.reference import tables
from setu.sources import usgs

BUNDLED = tables.data_path("usgs")
MATERIALS = {m.usgs_code: m.material_id for m in tables.materials().materials.values()}


def parse(path: Path) -> list[dict]:
    return list(
        usgs.parse_world_table(
            path, materials_by_code=MATERIALS, country_names=tables.usgs_country_names(), series_table=tables.usgs_series()
        )
    )


def test_gallium_2023_figures_match_the_usgs_file() -> None:
    rows = parse(BUNDLED / "mcs2024" / "mcs2024-galli_world.csv")
    production_2023 = {
        (r["entity"], r["iso3"]): r["value"] for r in rows if r["measure"] == "production" and r["year"] == 2023
    }
    assert production_2023[("country", "CHN")] == 600_000
    assert production_2023[("world_total", None)] == 610_000
    assert production_2023[("country", "JPN")] == 3_000
    china = next(r for r in rows if r["iso3"] == "CHN" and r["measure"] == "production" and r["year"] == 2023)
    assert china["unit"] == "kg" and china["is_estimate"] and china["series"] == "primary"
    assert china["source_id"] == "usgs-mcs2024" and china["line"] == 3
    capacity = {r["iso3"]: r["value"] for r in rows if r["measure"] == "capacity" and r["entity"] == "country"}
    assert capacity["CHN"] == 1_000_000 and capacity["KOR"] == 16_000


def test_withheld_and_not_available_stay_missing_never_zero() -> None:
    rows = parse(BUNDLED / "mcs2024" / "mcs2024-barit_world.csv")
    usa = [r for r in rows if r["iso3"] == "USA" and r["measure"] == "production"]
    assert usa and all(r["value"] is None and r["value_status"] == "withheld" for r in usa)
    reserves = {r["iso3"]: r for r in rows if r["measure"] == "reserves" and r["entity"] == "country"}
    assert reserves["MAR"]["value"] is None and reserves["MAR"]["value_status"] == "not_available"
    assert reserves["CHN"]["value"] == 92_000  # quoted with a thousands separator in the file


@pytest.mark.parametrize(
    ("text", "value", "status", "estimate"),
    [
        ("1,100,000", 1_100_000.0, "reported", False),
        ("e5,000", 5_000.0, "reported", True),
        (" e24,000", 24_000.0, "reported", True),
        ("W", None, "withheld", False),
        ("        NA", None, "not_available", False),
        ("XX", None, "not_applicable", False),
        ("", None, "blank", False),
        ("Included with “Other countries.”", None, "included_elsewhere", False),
        ("<100", None, "less_than", False),
        ("Less than ½ unit.", None, "less_than_half_unit", False),
    ],
)
def test_parse_value(text: str, value: float | None, status: str, estimate: bool) -> None:
    parsed = usgs.parse_value(text)
    assert (parsed.value, parsed.status, parsed.is_estimate) == (value, status, estimate)


@pytest.mark.parametrize(
    ("name", "measure", "unit", "year", "estimate", "qualifier"),
    [
        ("Prod_kg_est_2023", "production", "kg", 2023, True, ""),
        ("Prod_kt_Est_2022", "production", "kt", 2022, True, ""),
        ("Cap_kt_2023", "capacity", "kt", 2023, False, ""),
        ("Reserves_ore_K2O_equiv_kt", "reserves", "kt", None, False, "ore k2o equiv"),
        ("Prod_Sponge_t_Est_2022", "production", "t", 2022, True, "sponge"),
        ("Reserves_mt", "reserves", "Mt", None, False, ""),
    ],
)
def test_parse_column(name, measure, unit, year, estimate, qualifier) -> None:
    column = usgs.parse_column(name)
    assert column is not None
    assert (column.measure, column.unit, column.year, column.is_estimate, column.qualifier) == (
        measure, unit, year, estimate, qualifier,
    )
    assert usgs.parse_column("Prod_notes") is None and usgs.parse_column("Prod_note") is None


def test_every_bundled_file_parses_and_covers_77_commodities_per_edition() -> None:
    by_edition: dict[int, set[str]] = {}
    for path in sorted(BUNDLED.glob("mcs*/*.csv")):
        for row in parse(path):
            by_edition.setdefault(int(row["edition"]), set()).add(str(row["material_id"]))
    assert {edition: len(ids) for edition, ids in by_edition.items()} == {2023: 77, 2024: 77}


def test_footnote_e_on_a_country_marks_an_estimate() -> None:
    rows = parse(BUNDLED / "mcs2024" / "mcs2024-galli_world.csv")
    japan_2022 = next(r for r in rows if r["iso3"] == "JPN" and r["year"] == 2022 and r["measure"] == "production")
    assert japan_2022["country_name"] == "Japane" and japan_2022["is_estimate"]


def _write(tmp_path: Path, text: str, name: str = "mcs2024-galli_world.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    "Source,Country,Type,Prod_kg_2022,Prod_kg_est_2023,Prod_notes,Cap_kg_2023,Cap_notes\n"
    "MCS2024,China,Primary production,600000,600000,,1000000,\n"
    "MCS2024,Japane,Primary production,3000,3000,,10000,\n"
    "MCS2024,World total (rounded),Primary production,610000,610000,,\"1,100,000\",\n"
)


def test_unknown_country_is_located(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("Japane", "Atlantis"))
    with pytest.raises(DataFormatError) as caught:
        parse(path)
    assert caught.value.line == 3 and caught.value.field == "Country" and "Atlantis" in str(caught.value)


def test_unknown_type_and_bad_value_are_located(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError) as caught:
        parse(_write(tmp_path, GOOD.replace("Japane,Primary production", "Japane,Secondary production")))
    assert caught.value.line == 3 and caught.value.field == "Type"
    with pytest.raises(DataFormatError) as caught:
        parse(_write(tmp_path, GOOD.replace("600000,600000", "600000,six hundred")))
    assert (caught.value.line, caught.value.field) == (2, "Prod_kg_est_2023")


def test_unknown_column_is_located(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError) as caught:
        parse(_write(tmp_path, GOOD.replace("Cap_kg_2023", "Cap_bushels_2023")))
    assert caught.value.line == 1 and caught.value.field == "Cap_bushels_2023"


_CELL_GARBAGE = st.text(alphabet="abcdfghijklmopqrsuvxyz?!#", min_size=2, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(min_value=0, max_value=2), column=st.integers(min_value=3, max_value=6), garbage=_CELL_GARBAGE)
def test_any_malformed_value_is_rejected_with_its_line_and_field(tmp_path: Path, row: int, column: int, garbage: str) -> None:
    table = list(csv.reader(io.StringIO(GOOD)))
    if column == 5:  # the notes column accepts any text
        column = 6
    table[row + 1][column] = garbage
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    path = _write(tmp_path, buffer.getvalue())
    with pytest.raises(DataFormatError) as caught:
        parse(path)
    assert caught.value.line == row + 2
    assert caught.value.field == table[0][column]
