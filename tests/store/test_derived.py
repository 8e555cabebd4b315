"""The derived store: keys that change with every input, atomic whole entries, and unreadable entries
treated as absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from setu.store import derived


def _inputs(tmp_path: Path) -> Path:
    data = tmp_path / "flows.csv"
    data.write_text("period,value\n2024-01,1\n", encoding="utf-8")
    return data


def test_key_changes_with_inputs_code_parameters_and_namespace(tmp_path: Path):
    data = _inputs(tmp_path)
    base = derived.key("n", inputs=[data], code=["store/derived.py"], parameters={"a": 1})
    assert derived.key("n", inputs=[data], code=["store/derived.py"], parameters={"a": 1}) == base
    assert derived.key("m", inputs=[data], code=["store/derived.py"], parameters={"a": 1}) != base
    assert derived.key("n", inputs=[data], code=["store/derived.py"], parameters={"a": 2}) != base
    assert derived.key("n", inputs=[data], code=["store/files.py"], parameters={"a": 1}) != base
    data.write_text("period,value\n2024-01,2\n", encoding="utf-8")  # same size, one byte changed
    assert derived.key("n", inputs=[data], code=["store/derived.py"], parameters={"a": 1}) != base
    data.unlink()
    assert derived.key("n", inputs=[data], code=["store/derived.py"], parameters={"a": 1}) != base


def test_cached_computes_once_then_reads_back(tmp_path: Path):
    calls: list[int] = []

    def compute() -> dict:
        calls.append(1)
        return {"answer": [1, 2.5, None]}

    assert derived.cached(tmp_path, "n", "k", compute) == {"answer": [1, 2.5, None]}
    assert derived.cached(tmp_path, "n", "k", compute) == {"answer": [1, 2.5, None]}
    assert len(calls) == 1
    assert derived.cached(None, "n", "k", compute) == {"answer": [1, 2.5, None]} and len(calls) == 2
    folder = tmp_path / "derived" / "n"
    assert [p.name for p in folder.iterdir()] == ["k.json"]  # no temporary file left behind


def test_unreadable_entry_is_absent_and_rewritten(tmp_path: Path):
    store = derived.DerivedStore(tmp_path, "n")
    store.folder.mkdir(parents=True)
    store.path("k").write_text("{not json", encoding="utf-8")
    assert store.get("k") is None
    assert derived.cached(tmp_path, "n", "k", lambda: "fresh") == "fresh"
    assert json.loads(store.path("k").read_text(encoding="utf-8"))["value"] == "fresh"


def test_unwritable_data_dir_still_answers(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")  # a file where the data directory should be
    assert derived.cached(blocker, "n", "k", lambda: 7) == 7


def test_old_entries_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(derived, "KEEP", 3)
    store = derived.DerivedStore(tmp_path, "n")
    for n in range(5):
        assert store.put(f"k{n}", n)
    assert len(list(store.folder.glob("*.json"))) == 3
