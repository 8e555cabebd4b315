"""Malformed production and YAML files, each an error with its place (file:line:field), never a traceback
or a silent acceptance, and nothing written: a non-UTF-8 byte, a field over the CSV limit, a value that
overflows in its base unit, a repeated row, duplicate YAML keys, nesting past reason, and a groups file whose
root is a list."""

from __future__ import annotations

from pathlib import Path

import pytest

from setu.errors import DataFormatError
from setu.reference import tables
from setu.services import catalog_admin
from setu.settings import Settings
from setu.sources import production_csv
from setu.sources.supply_map import load_map

PRODUCTION_HEADER = "material,country,year,measure,value,unit,source\n"


# -- production files -----------------------------------------------------------------------------------
PRODUCTION_CASES = {
    "repeated row": ("lithium,AUS,2023,production,86000,t,USGS\nlithium,Australia,2023,production,1,t,USGS\n", 3,
                     "material,country,year,measure", "first at line 2"),
    "value overflowing in the base unit": ("lithium,AUS,2023,production,1e300,Mt,USGS\n", 2, "value", "check the"),
    "field over the csv limit": ('lithium,AUS,2023,production,1,t,"' + "x" * 200_000 + '"\n', 2, None,
                                 "not a CSV line"),
}


@pytest.mark.parametrize("case", list(PRODUCTION_CASES))
def test_a_malformed_production_file_is_located_and_nothing_is_stored(tmp_path, case):
    body, line, field, words = PRODUCTION_CASES[case]
    path = tmp_path / "production.csv"
    path.write_text(PRODUCTION_HEADER + body, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    with pytest.raises(DataFormatError) as raised:
        catalog_admin.import_production(settings, path)
    assert (raised.value.line, raised.value.field) == (line, field) and words in str(raised.value), str(raised.value)
    assert not (settings.data_dir / "imports" / "production" / "production.csv").exists()


def test_a_latin1_production_file_names_line_and_field(tmp_path):
    path = tmp_path / "production.csv"
    path.write_bytes((PRODUCTION_HEADER + "lithium,AUS,2023,production,86000,t,Ministère\n").encode("latin-1"))
    with pytest.raises(DataFormatError) as raised:
        production_csv.parse(path, tables.materials(), tables.countries())
    assert (raised.value.line, raised.value.field) == (2, "source") and "0xE8" in str(raised.value)


# -- YAML ---------------------------------------------------------------------------------------------
def groups_file(settings: Settings, text: str | bytes) -> Path:
    path = catalog_admin.user_groups_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


GROUPS_CASES = {
    "root is a list": ("- JPN\n- IND\n", 1, None, "expected a mapping"),
    "duplicate key": ("format: setu-groups/1\ngroups:\n  MINE: {source: me, members: [JPN]}\n"
                      "  MINE: {source: me, members: [IND]}\n", 4, "MINE", "given twice"),
    "Latin-1": ("format: setu-groups/1\ngroups:\n  MINE: {source: Minist\xe8re, members: [JPN]}\n".encode("latin-1"),
                3, None, "not UTF-8"),
    "deeply nested": ("format: setu-groups/1\ngroups: " + "[" * 5000 + "]" * 5000 + "\n", 2, None, "nested more"),
    "groups not a mapping": ("format: setu-groups/1\ngroups: [JPN]\n", None, "groups", "must map"),
}


@pytest.mark.parametrize("case", list(GROUPS_CASES))
def test_a_malformed_groups_file_is_an_error_naming_it_for_every_command(tmp_path, case):
    text, line, field, words = GROUPS_CASES[case]
    settings = Settings(data_dir=tmp_path / "data")
    path = groups_file(settings, text)
    with pytest.raises(DataFormatError) as raised:
        catalog_admin.country_registry(settings)
    assert (raised.value.file, raised.value.line, raised.value.field) == (str(path), line, field), str(raised.value)
    assert words in str(raised.value)
    before = path.read_bytes()
    with pytest.raises(DataFormatError):
        catalog_admin.add_group(settings, "OTHER", ["JPN"], source="me")
    assert path.read_bytes() == before  # nothing written over the user's file


def test_a_map_with_a_duplicate_key_is_refused_at_the_second(tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text("id: m\nname: first\nname: second\n", encoding="utf-8")
    with pytest.raises(DataFormatError) as raised:
        load_map(path)
    assert (raised.value.line, raised.value.field) == (3, "name") and "first on line 2" in str(raised.value)
