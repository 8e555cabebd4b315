"""`setu scenario uncertainty ...`: JSON, CSV, text, seeds, the LP subsample and errors with exit code 2."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from setu.cli.scenarios import app
from setu.errors import InputError

from .chains import HERE

runner = CliRunner()


def run_json(*args: str) -> dict:
    result = runner.invoke(app, ["uncertainty", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_has_percentiles_for_every_reached_pair_and_the_sampled_inputs():
    data = run_json("china-gallium", "--samples", "300", "--seed", "7")
    assert (data["samples"], data["seed"], data["allocation"]) == (300, 7, "pro-rata")
    rows = {(r["importer"], r["node"]): r for r in data["rows"]}
    assert {("USA", "radio-unit"), ("JPN", "gallium"), ("IND", "gan-rf")} <= set(rows)
    usa = rows["USA", "gallium"]
    assert usa["unmet_units"]["p5"] <= usa["unmet_units"]["p50"] <= usa["unmet_units"]["p95"]
    assert usa["exposed_probability"] > 0.9 and usa["central"]["time_to_survive"] == 1
    figures = {i["figure"]: i for i in data["inputs"]}
    assert figures["stockpile of JPN at gallium"]["stated"] == 60
    assert 30 <= figures["stockpile of JPN at gallium"]["p5"] <= figures["stockpile of JPN at gallium"]["p95"] <= 60
    assert all(i["source"] for i in data["inputs"])
    assert data["total_unmet"]["unit"] == "kg of gallium-equivalent"
    assert "cooperation" not in data


def test_the_same_seed_prints_the_same_result_and_the_file_seed_is_the_default():
    first = run_json("china-graphite", "--samples", "200", "--seed", "3")
    assert first == run_json("china-graphite", "--samples", "200", "--seed", "3")
    assert first != run_json("china-graphite", "--samples", "200", "--seed", "4")
    assert run_json("china-graphite", "--samples", "50")["seed"] == 2026


def test_csv_has_one_row_per_pair_with_percentile_columns():
    result = runner.invoke(app, ["uncertainty", "china-gallium", "--samples", "100", "--seed", "1", "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 12
    assert {"unmet_units_p5", "unmet_units_p50", "unmet_units_p95", "unmet_units_mean", "time_to_survive_p50",
            "exposed_probability", "central_time_to_survive"} <= set(rows[0])


def test_text_output_and_the_value_of_coordination(tmp_path):
    out = tmp_path / "mc.json"
    result = runner.invoke(app, ["uncertainty", "china-gallium", "--samples", "50", "--seed", "2", "--lp-samples",
                                 "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "value of coordination over 3 samples" in result.output and "seed: 2" in result.output
    assert json.loads(out.read_text())["cooperation"]["samples"] == 3


def test_errors_are_input_errors():
    """Input errors, which `setu` (cli.main.run) turns into exit code 2."""
    for args in (["uncertainty", "china-rare-earth-magnets"],  # no uncertainty block
                 ["uncertainty", "china-gallium", "--samples", "0"],
                 ["uncertainty", "china-gallium", "--allocation", "pro-rat"],
                 ["uncertainty", str(HERE / "two_tier.yaml")]):
        result = runner.invoke(app, args)
        assert isinstance(result.exception, InputError), (args, result.output)


def test_show_lists_the_distributions_with_their_sources():
    result = runner.invoke(app, ["show", "china-gallium", "--json"])
    rows = [r for r in json.loads(result.output)["rows"] if r["kind"].startswith("uncertain")]
    assert {r["detail"] for r in rows} >= {"pert(0.1, 0.3, 0.6)", "lognormal(sigma 0.3)", "dirichlet(concentration 500)"}
    assert all(r["source"] for r in rows)


def test_without_a_seed_a_fresh_one_is_drawn_and_reported(tmp_path):
    block = ("uncertainty:\n  cut:\n    - {shock: 1, distribution: uniform, low: 0.5, high: 1.0, source: example}\n")
    (tmp_path / "two_tier_map.yaml").write_text((HERE / "two_tier_map.yaml").read_text())
    path = tmp_path / "mc.yaml"
    path.write_text((HERE / "two_tier.yaml").read_text() + block)
    first = run_json(str(path), "--samples", "40")
    again = run_json(str(path), "--samples", "40", "--seed", str(first["seed"]))
    assert first == again
    assert first["inputs"][0]["figure"] == "cut of shock 1" and first["inputs"][0]["stated"] == 1.0
