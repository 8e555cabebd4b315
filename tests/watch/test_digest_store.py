"""The digest's stored answers (setu.services.watch_digest): the stored text equals the one computed
afresh, and changing the flows file, the register or an option gives a new answer, never the stored one."""

from __future__ import annotations

from pathlib import Path

from setu.services import watch, watch_digest
from setu.sources.watch_files import bundled_series_path

OPTIONS = {"last_month": "2024-01", "months": 2, "as_json": True}


def _entries(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "derived" / watch_digest.NAMESPACE).glob("*.json"))


def test_stored_digest_equals_the_fresh_one(tmp_path: Path):
    fresh = watch.digest(**OPTIONS)
    assert watch_digest.digest(tmp_path, **OPTIONS) == fresh  # computed and stored
    assert len(_entries(tmp_path)) == 1
    assert watch_digest.digest(tmp_path, **OPTIONS) == fresh  # read back
    markdown = watch_digest.digest(tmp_path, last_month="2024-01", months=2)
    assert markdown == watch.digest(last_month="2024-01", months=2) and len(_entries(tmp_path)) == 2


def test_changed_flows_file_is_a_new_answer(tmp_path: Path):
    flows = tmp_path / "flows.csv"
    text = bundled_series_path().read_text(encoding="utf-8")
    flows.write_text(text, encoding="utf-8")
    first = watch_digest.digest(tmp_path / "data", file=flows, **OPTIONS)
    assert first == watch.digest(file=flows, **OPTIONS)
    lines = text.splitlines(keepends=True)
    kept = [lines[0], *(line for line in lines[1:] if "811292" not in line)]  # drop one product's rows
    flows.write_text("".join(kept), encoding="utf-8")
    second = watch_digest.digest(tmp_path / "data", file=flows, **OPTIONS)
    assert second == watch.digest(file=flows, **OPTIONS)
    assert second != first
    assert len(_entries(tmp_path / "data")) == 2


def test_extra_register_is_a_new_answer(tmp_path: Path):
    register = tmp_path / "mine.yaml"
    register.write_text("format: setu-measures/1\nmeasures: []\n", encoding="utf-8")
    watch_digest.digest(tmp_path / "data", **OPTIONS)
    with_register = watch_digest.digest(tmp_path / "data", registers=[register], **OPTIONS)
    assert with_register == watch.digest(registers=[register], **OPTIONS)
    assert len(_entries(tmp_path / "data")) == 2
