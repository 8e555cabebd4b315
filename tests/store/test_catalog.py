from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from setu.store import catalog


def _table_digest(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT * FROM observations ORDER BY file, line, measure, year, qualifier").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_build_is_idempotent(tmp_path: Path) -> None:
    first = catalog.build(tmp_path)
    assert first.rebuilt and first.observations > 7000 and first.materials == 77
    digest = _table_digest(first.path)
    second = catalog.build(tmp_path)
    assert not second.rebuilt and second.inputs_sha256 == first.inputs_sha256
    forced = catalog.build(tmp_path, force=True)
    assert forced.rebuilt and _table_digest(forced.path) == digest


def test_a_failed_build_leaves_the_previous_catalog_intact(tmp_path: Path) -> None:
    catalog.build(tmp_path)
    digest = _table_digest(tmp_path / "catalog.duckdb")

    def crash() -> None:
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        catalog.build(tmp_path, force=True, _after_write=crash)
    assert _table_digest(tmp_path / "catalog.duckdb") == digest
    assert [p.name for p in tmp_path.iterdir() if p.name != catalog.LOCK] == ["catalog.duckdb"]  # the lock stays


def test_latest_edition_supersedes_earlier_estimates(built_catalog: Path) -> None:
    with catalog.connect(built_catalog) as con:
        rows = catalog.records(
            con,
            """SELECT edition, value FROM current_observations WHERE material_id = 'gallium' AND iso3 = 'CHN'
               AND measure = 'production' AND year = 2022""",
        )
        both = catalog.records(
            con,
            """SELECT edition, value FROM observations WHERE material_id = 'gallium' AND iso3 = 'CHN'
               AND measure = 'production' AND year = 2022 ORDER BY edition""",
        )
    assert rows == [{"edition": 2024, "value": 600_000.0}]
    assert both == [{"edition": 2023, "value": 540_000.0}, {"edition": 2024, "value": 600_000.0}]


def test_values_keep_source_edition_unit_stage_and_estimate_flag(built_catalog: Path) -> None:
    with catalog.connect(built_catalog) as con:
        row = catalog.records(
            con,
            """SELECT source_id, edition, unit, stage, series, is_estimate, file, line FROM current_observations
               WHERE material_id = 'cobalt' AND iso3 = 'COD' AND measure = 'production' AND year = 2023""",
        )[0]
        withheld = con.execute(
            "SELECT count(*) FROM observations WHERE value_status = 'withheld' AND value IS NOT NULL"
        ).fetchone()[0]
        zeros_from_w = con.execute("SELECT count(*) FROM observations WHERE value_text = 'W' AND value = 0").fetchone()[0]
    assert row == {
        "source_id": "usgs-mcs2024", "edition": 2024, "unit": "t", "stage": "mine", "series": "mine",
        "is_estimate": True, "file": "mcs2024-cobal_world.csv", "line": 5,
    }
    assert withheld == 0 and zeros_from_w == 0
