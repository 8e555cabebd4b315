import hashlib
import re
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from setu.errors import CatalogError, DataFormatError, UnknownNameError, ValidationError
from setu.sources import wiod


@pytest.fixture(scope="module")
def bundled_path():
    with resources.as_file(resources.files("setu.data").joinpath("io", wiod.BUNDLED_TABLES["wiod-2011"].file)) as path:
        yield path


@pytest.fixture(scope="module")
def io():
    return wiod.load_bundled("wiod-2011")


@pytest.fixture(scope="module")
def raw(bundled_path):
    return pd.read_parquet(bundled_path)


def test_recorded_sha256_matches_the_file_and_source_md(bundled_path):
    digest = hashlib.sha256(bundled_path.read_bytes()).hexdigest()
    assert digest == wiod.BUNDLED_TABLES["wiod-2011"].sha256
    folder = resources.files("setu.data").joinpath("io")
    source_md = folder.joinpath("SOURCE.md").read_text(encoding="utf-8")
    assert digest in source_md
    names_digest = hashlib.sha256(folder.joinpath("wiod2013_sectors.csv").read_bytes()).hexdigest()
    assert names_digest in source_md


def test_source_md_lists_every_file_with_its_sha256():
    """The "| file | sha256 |" table of SOURCE.md covers each file of data/io and its digest is current."""
    folder = resources.files("setu.data").joinpath("io")
    rows = re.findall(
        r"^\|\s*`?([^|`]+?)`?\s*\|.*?\b([0-9a-f]{64})\b.*\|\s*$",
        folder.joinpath("SOURCE.md").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    listed = dict(rows)
    on_disk = {entry.name for entry in folder.iterdir() if entry.is_file() and entry.name != "SOURCE.md"}
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256(folder.joinpath(name).read_bytes()).hexdigest() == digest, name


def test_shape_labels_and_units(io):
    assert io.Z.shape == (1435, 1435)
    assert io.Y.shape == (1435, 205)
    regions = list(io.get_regions())
    assert len(regions) == 41 and {"JPN", "IND", "CHN", "ROU", "RoW"} <= set(regions)
    assert "ROM" not in regions
    sectors = list(io.get_sectors())
    assert len(sectors) == 35
    assert sectors[11] == "Basic Metals and Fabricated Metal"
    assert set(io.unit["unit"]) == {wiod.UNIT}


def test_values_are_the_published_ones(io, raw):
    np.testing.assert_array_equal(io.x.to_numpy().ravel(), raw["x||output"].to_numpy())
    jpn_steel_to_jpn_cars = raw.loc[("JPN", "c12"), "Z|JPN|c15"]
    assert (
        io.Z.loc[("JPN", "Basic Metals and Fabricated Metal"), ("JPN", "Transport Equipment")] == jpn_steel_to_jpn_cars
    )
    assert io.Y.loc[("IND", "Mining and Quarrying"), ("IND", "CONS_h")] == raw.loc[("IND", "c2"), "Y|IND|CONS_h"]


def test_table_balances_within_the_documented_tolerance(io):
    gap = np.abs(io.x.to_numpy().ravel() - io.Z.to_numpy().sum(axis=1) - io.Y.to_numpy().sum(axis=1))
    assert gap.max() <= wiod.TRUNCATION_PER_CELL * (io.Z.shape[1] + io.Y.shape[1])
    assert gap.sum() <= wiod.AGGREGATE_IMBALANCE * io.x.to_numpy().sum()
    assert gap.max() == 108.0  # as recorded in SOURCE.md


def test_unknown_table_suggests(monkeypatch):
    with pytest.raises(UnknownNameError) as error:
        wiod.table_info("wiod-2010")
    assert "wiod-2011" in error.value.suggestions


def test_changed_file_is_refused(monkeypatch):
    info = wiod.BUNDLED_TABLES["wiod-2011"]
    monkeypatch.setitem(wiod.BUNDLED_TABLES, "wiod-2011", info.__class__(**{**info.__dict__, "sha256": "0" * 64}))
    with pytest.raises(CatalogError, match="sha256"):
        wiod.load_bundled("wiod-2011")


def _write(frame, tmp_path):
    path = tmp_path / "wiot.parquet"
    frame.to_parquet(path)
    return path


def test_negative_flow_is_located(raw, tmp_path):
    frame = raw.copy()
    frame.loc[("JPN", "c3"), "Z|IND|c2"] = -5.0
    with pytest.raises(DataFormatError) as error:
        wiod.read_wiod2013(_write(frame, tmp_path))
    assert error.value.line == frame.index.get_loc(("JPN", "c3")) + 1
    assert error.value.field == "Z|IND|c2"


def test_missing_value_is_located(raw, tmp_path):
    frame = raw.copy()
    frame.loc[("IND", "c9"), "Y|IND|GFCF"] = np.nan
    with pytest.raises(DataFormatError) as error:
        wiod.read_wiod2013(_write(frame, tmp_path))
    assert error.value.field == "Y|IND|GFCF"
    assert error.value.line == frame.index.get_loc(("IND", "c9")) + 1


def test_unbalanced_row_is_located(raw, tmp_path):
    frame = raw.copy()
    frame.loc[("CHN", "c12"), "x||output"] += 10_000
    with pytest.raises(DataFormatError, match="does not balance") as error:
        wiod.read_wiod2013(_write(frame, tmp_path))
    assert error.value.line == frame.index.get_loc(("CHN", "c12")) + 1


def test_missing_columns_and_unreadable_file(raw, tmp_path):
    with pytest.raises(DataFormatError, match="x\\|\\|output"):
        wiod.read_wiod2013(_write(raw.drop(columns=["x||output"]), tmp_path))
    bad = tmp_path / "broken.parquet"
    bad.write_text("not parquet")
    with pytest.raises(DataFormatError, match="Parquet"):
        wiod.read_wiod2013(bad)


def test_many_small_gaps_fail_the_aggregate_check(raw, tmp_path):
    frame = raw.copy()
    frame["x||output"] = frame["x||output"] + 500.0  # within the per-row bound, too much over the table
    with pytest.raises(ValidationError, match="does not balance") as error:
        wiod.read_wiod2013(_write(frame, tmp_path))
    assert not isinstance(error.value, DataFormatError)  # a table-level rule, not one located cell


def test_rows_out_of_order_are_located(raw, tmp_path):
    columns = list(raw.columns)
    columns[3], columns[4] = columns[4], columns[3]  # swap two Z columns
    with pytest.raises(DataFormatError, match="same order") as error:
        wiod.read_wiod2013(_write(raw[columns], tmp_path))
    assert error.value.line == 4 and error.value.field == "Z"
