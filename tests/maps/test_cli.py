"""The `setu maps` commands: JSON and CSV output, and located errors for bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from setu.cli.maps import app
from setu.errors import InputError

runner = CliRunner()


@pytest.fixture(autouse=True)
def _without_governance_weights(monkeypatch, built_catalog):
    """The hand-worked expectations below are for unweighted vulnerability scores."""
    from setu.cli import maps as maps_cli
    from setu.services.maps import MapService
    from setu.services.production import usgs_supply_resolver

    monkeypatch.setattr(maps_cli, "_service", lambda: MapService(resolver=usgs_supply_resolver(built_catalog)))


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_list_shows_every_bundled_map():
    ids = {row["id"] for row in run_json("list")["rows"]}
    assert {"semiconductors", "pharmaceuticals", "ict", "batteries"} <= ids


def test_exposure_of_the_diamond_map(diamond_path):
    data = run_json("exposure", str(diamond_path))
    assert data["product"] == "part"
    assert data["rows"][0] == {
        "country": "JPN",
        "weakest_link": 0.8,
        "weakest_node": "left",
        "any_stage_dependence": 0.8,
        "nodes_supplied": 1,
    }


def test_chokepoints_vulnerabilities_and_dependence(diamond_path):
    assert run_json("chokepoints", str(diamond_path), "--limit", "1")["rows"][0]["node"] == "left"
    # right's substitute has no cited degree: it lowers nothing, so right (AUS 100 %) leads, with the warning
    top = run_json("vulnerabilities", str(diamond_path))["rows"][0]
    assert top["node"] == "right" and top["concentration_score"] == 1.0 and "degree is not cited" in top["warnings"]
    assert run_json("vulnerabilities", str(diamond_path), "--stages")["rows"][0]["stage"] == "refining"
    assert run_json("dependence", str(diamond_path), "jpn")["rows"][-1]["own_share"] == 0.8


def test_csv_output_has_a_header_and_one_row_per_node(diamond_path):
    result = runner.invoke(app, ["show", str(diamond_path), "--csv"])
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("stage,node,name") and len(lines) == 5


def test_validate_reports_the_line_of_a_broken_map(tmp_path, diamond_path):
    broken = tmp_path / "broken.yaml"
    text = diamond_path.read_text().replace("output: part, substitutes: no", "output: prt, substitutes: no")
    broken.write_text(text)
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "output: prt" in row)
    result = runner.invoke(app, ["validate", str(broken)])
    assert isinstance(result.exception, InputError)
    assert f"{broken}:{line}: field 'output'" in str(result.exception)
    assert run_json("validate", str(diamond_path))["valid"] is True


@pytest.mark.parametrize("args", [["show", "semiconductor"], ["exposure", "ict"], ["dependence", "ict", "JAPAN"]])
def test_bad_input_is_an_input_error(args):
    result = runner.invoke(app, args)
    assert isinstance(result.exception, InputError)


def test_exposure_of_one_country_through_the_coefficients(diamond_path):
    data = run_json("exposure", str(diamond_path), "--country", "aus")
    assert [(r["node"], r["from_country_per_unit"]) for r in data["rows"]] == [("right", 0.25), ("ore", 0.875)]
