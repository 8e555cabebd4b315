from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from setu.cli.main import app
from setu.errors import UnknownNameError


@pytest.fixture
def runner(built_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SETU_DATA_DIR", str(built_catalog))
    return CliRunner()


def test_concentration_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["concentration", "gallium", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for key in ("material", "stage", "year", "unit", "world_total", "hhi", "shares", "sources"):
        assert key in report
    assert report["shares"][0]["country"] == "CHN" and report["shares"][0]["value"] == 600_000
    assert report["world_total"] == 610_000
    shares = [s["share"] for s in report["shares"]]
    assert shares == sorted(shares, reverse=True) and all(0 <= s <= 1 for s in shares)


def test_concentration_csv_and_table(runner: CliRunner) -> None:
    csv_out = runner.invoke(app, ["concentration", "rare earths", "--csv"])
    assert csv_out.exit_code == 0 and csv_out.output.splitlines()[1].startswith("CHN,China,240000.0")
    table = runner.invoke(app, ["concentration", "REE", "--stage", "mine"])
    assert table.exit_code == 0 and "China" in table.output and "usgs-mcs2024" in table.output


def test_rank_dependence_sources_materials(runner: CliRunner) -> None:
    ranked = json.loads(runner.invoke(app, ["rank", "--by", "gw_exposure", "--country", "India", "--top", "5",
                                            "--json"]).output)
    assert len(ranked) == 5 and all(r["country"] == "IND" and r["bottleneck_stage"] for r in ranked)
    renamed = runner.invoke(app, ["rank", "--by", "risk", "--country", "India"])
    assert isinstance(renamed.exception, UnknownNameError) and "gw_exposure" in str(renamed.exception)
    dependence = json.loads(runner.invoke(app, ["dependence", "JPN", "--json"]).output)
    assert dependence["country"] == "JPN" and dependence["materials"]
    sources = runner.invoke(app, ["sources", "--csv"]).output
    assert "usgs-mcs2024" in sources and "Public domain" in sources
    materials = json.loads(runner.invoke(app, ["materials", "--json"]).output)
    assert len(materials) == 77


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SETU_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-c", "from setu.cli.main import run; run()", *args], capture_output=True, text=True, env=env, check=False)


def test_unknown_names_exit_2_with_suggestions(built_catalog: Path) -> None:
    result = _run("concentration", "galium", data_dir=built_catalog)
    assert result.returncode == 2 and "gallium" in result.stderr
    result = _run("dependence", "Indai", data_dir=built_catalog)
    assert result.returncode == 2 and "India" in result.stderr


def test_briefing_names_japan_india_and_sources(built_catalog: Path) -> None:
    result = _run("briefing", "--json", data_dir=built_catalog)
    assert result.returncode == 0, result.stderr
    briefing = json.loads(result.stdout)
    assert [c["country"] for c in briefing["countries"]] == ["JPN", "IND"]
    assert briefing["countries"][0]["materials"][0]["material"] == "gallium"
    assert {s["source_id"] for s in briefing["sources"]} >= {"usgs-mcs2024", "wgi-2023"}


def test_dependence_and_concentration_from_trade_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`setu dependence JPN --product 810420` answers from imported BACI data (values in thousands of USD)."""
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    baci = tmp_path / "BACI_HS17_Y2022_V202301.csv"
    baci.write_text("t,i,j,k,v,q\n2022,156,392,810420,100.5,2\n2022,842,392,810420,50.25,1\n2022,156,699,810420,10,1\n")
    runner = CliRunner()
    assert runner.invoke(app, ["import", "baci", str(baci)]).exit_code == 0
    result = runner.invoke(app, ["dependence", "Japan", "--product", "810420", "--year", "2022", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert (document["importer"], document["product"], document["year"]) == ("JPN", "810420", 2022)
    assert document["total_value"] == pytest.approx(150_750)
    assert document["hhi"] == pytest.approx(10_000 * ((2 / 3) ** 2 + (1 / 3) ** 2))
    assert [s["country"] for s in document["suppliers"]] == ["CHN", "USA"]
    exporters = json.loads(runner.invoke(app, ["concentration", "810420", "--json"]).output)
    assert exporters["rows"][0]["exporter"] == "CHN" and exporters["rows"][0]["share"] == pytest.approx(110.5 / 160.75)
