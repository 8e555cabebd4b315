"""The derived store behind `maps vulnerabilities` and `scenario run`: the stored answer equals the one
computed afresh, and a changed input file is a new answer, never the stored one."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from setu.cli.main import app
from setu.services import map_scores, scenario_runs

runner = CliRunner()


def _entries(data_dir: Path, namespace: str) -> list[Path]:
    return sorted((data_dir / "derived" / namespace).glob("*.json"))


def _json(*args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_map_scores_stored_equal_fresh_and_follow_the_file(built_catalog: Path, tmp_path: Path):
    source = Path(str(resources.files("setu.data.maps").joinpath("batteries.yaml")))
    mine = tmp_path / "mine.yaml"
    mine.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    first = _json("maps", "vulnerabilities", str(mine), "--json")
    assert len(_entries(built_catalog, map_scores.NAMESPACE)) >= 1
    assert _json("maps", "vulnerabilities", str(mine), "--json") == first  # read back
    computed = map_scores.stored(tmp_path / "no-store", str(mine), lambda: {"fresh": True})  # no catalog: computes
    assert computed == {"fresh": True}
    text = source.read_text(encoding="utf-8")
    assert "shares: {CHN: 0.70}" in text
    mine.write_text(text.replace("shares: {CHN: 0.70}", "shares: {CHN: 0.60}"), encoding="utf-8")
    changed = _json("maps", "vulnerabilities", str(mine), "--json")
    assert changed != first
    key = map_scores.derived.key(map_scores.NAMESPACE, inputs=map_scores.inputs(built_catalog, mine),
                                 code=map_scores.CODE, parameters={"map": str(mine), "file": str(mine)})
    assert (built_catalog / "derived" / map_scores.NAMESPACE / f"{key}.json").exists()


def test_scenario_run_stored_equal_fresh_and_follow_the_file(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    source = scenario_runs.bundled_scenario_files()["china-gallium"]
    mine = tmp_path / "scenario.yaml"
    text = source.read_text(encoding="utf-8")
    mine.write_text(text, encoding="utf-8")
    first = _json("scenario", "run", str(mine), "--json")
    assert _json("scenario", "run", "china-gallium", "--json") == first  # the same scenario, its own entry
    assert len(_entries(tmp_path / "data", scenario_runs.NAMESPACE)) == 2
    assert _json("scenario", "run", str(mine), "--json") == first
    assert "cut: 1.0" in text
    changed_text = text.replace("cut: ", "cut: 0.5 #", 1)
    mine.write_text(changed_text, encoding="utf-8")
    changed = _json("scenario", "run", str(mine), "--json")
    assert changed != first
    assert len(_entries(tmp_path / "data", scenario_runs.NAMESPACE)) == 3
