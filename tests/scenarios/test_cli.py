"""`setu scenario ...` on the bundled scenarios and on the two-tier example: JSON, CSV, located errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from setu.cli.scenarios import app
from setu.errors import DataFormatError, UnknownNameError
from setu.services.scenarios import ScenarioService, bundled_scenario_files, spare_capacity_from_headroom

from .chains import HERE

runner = CliRunner()
TWO_TIER = str(HERE / "two_tier.yaml")
BUNDLED = sorted(bundled_scenario_files())


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_bundled_scenarios_are_listed():
    assert set(BUNDLED) == {"china-gallium", "china-gallium-stop", "china-graphite", "china-rare-earth-magnets",
                            "indonesia-nickel-ore", "paracetamol-ksm"}
    rows = run_json("list")["rows"]
    assert {row["id"] for row in rows} == set(BUNDLED)
    assert all(row["assumed_figures"] >= 1 for row in rows)  # the illustrative assumptions are counted


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_every_bundled_scenario_runs_and_cites_every_figure(scenario_id):
    data = run_json("run", scenario_id)
    assert data["rows"], "a shock must reach some importer"
    assert all(source["source"] and source["year"] for source in data["sources"])
    cooperation = data["cooperation"]
    assert cooperation["coordinated"] <= cooperation["autarky"] + 1e-6 <= cooperation["simulated"] + 2e-6
    for row in data["rows"]:
        assert row["time_to_recover"] >= 1
        assert row["time_to_survive"] is None or row["time_to_survive"] >= 0


def test_gallium_ban_on_the_united_states():
    """USGS figures in the scenario: CHN 98.36 % of primary gallium; US use 1,583 kg/month. The US, cut by
    China, runs out of its 30 days of stock in its second month; Japan, with 60 days of stock, recycling
    and idle capacity at home, survives; coordinating lets Japan and Korea cover the US."""
    data = run_json("run", "china-gallium")
    rows = {(r["importer"], r["node"]): r for r in data["rows"]}
    assert rows["USA", "gallium"]["time_to_survive"] == 1
    assert rows["USA", "gallium"]["exposed"]
    assert rows["JPN", "radio-unit"]["time_to_survive"] is None
    cooperation = data["cooperation"]
    assert cooperation["unit"] == "kg of gallium-equivalent"
    assert cooperation["value"] > 0
    lenders = {row["from"] for row in cooperation["plan"]["coordinated"] if row["kind"] == "stock lending"}
    assert lenders and lenders <= {"JPN", "KOR"}


def test_two_tier_by_hand_through_the_cli():
    data = run_json("run", TWO_TIER)
    rows = {(r["importer"], r["node"]): r for r in data["rows"]}
    assert rows["JPN", "widget"]["unmet_units"] == pytest.approx(180.0)
    assert rows["IND", "widget"]["unmet_units"] == pytest.approx(140.0)
    binding = {(b["constraint"], b["who"]) for b in data["cooperation"]["binding"]}
    assert binding == {("partner capacity", "AUS"), ("stockpile", "JPN")}


def test_series_as_csv_and_json_file(tmp_path):
    result = runner.invoke(app, ["run", TWO_TIER, "--series", "--csv", "--out", str(tmp_path / "run.json")])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 2 * 12
    ind = [float(r["unmet_share"]) for r in rows if r["importer"] == "IND"]
    assert ind[:6] == pytest.approx([0.466667] * 6, abs=1e-6) and ind[6:] == [0.0] * 6
    saved = json.loads((tmp_path / "run.json").read_text())
    assert saved["cooperation"]["autarky"] == pytest.approx(320.0)


def test_allocation_rule_and_weights_options():
    data = run_json("run", TWO_TIER, "--allocation", "max-min", "--weight", "IND=2")
    assert data["allocation"] == "max-min"
    result = runner.invoke(app, ["run", TWO_TIER, "--allocation", "first-come"])
    assert isinstance(result.exception, UnknownNameError)


def test_text_output_and_show():
    result = runner.invoke(app, ["run", TWO_TIER])
    assert result.exit_code == 0 and "value of cooperation" in result.output
    shown = run_json("show", "china-gallium")
    assert shown["map"] == "ict" and any(row["kind"] == "spare capacity" for row in shown["rows"])


def test_validate_reports_the_line(tmp_path):
    good = runner.invoke(app, ["validate", TWO_TIER])
    assert good.exit_code == 0 and "valid setu-scenario/1" in good.output
    bad = tmp_path / "bad.yaml"
    bad.write_text((HERE / "two_tier.yaml").read_text().replace("node: ore, cut", "node: oar, cut")
                   .replace("map: two_tier_map.yaml", f"map: {HERE / 'two_tier_map.yaml'}"))
    result = runner.invoke(app, ["validate", str(bad)])
    assert isinstance(result.exception, DataFormatError)
    assert result.exception.line == 14 and "did you mean ore" in str(result.exception)


def test_injected_spare_capacity_fills_what_the_file_does_not_state():
    """The catalog's headroom arrives as {(node or material, ISO3): units/month}; stated figures win."""
    plain = ScenarioService().run(TWO_TIER, optimise=False)
    extra = ScenarioService(spare_capacity={("ore", "AUS"): 999.0, ("ore", "JPN"): 10.0}).run(TWO_TIER, optimise=False)
    assert extra.model.spare[0, extra.model.partners.index("AUS"), 0] == 20.0
    assert extra.model.spare[0, extra.model.partners.index("JPN"), 0] == 10.0
    assert extra.propagation.unmet.sum() < plain.propagation.unmet.sum()


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_every_bundled_scenario_writes_its_offline_report(scenario_id, tmp_path):
    result = runner.invoke(app, ["report", scenario_id, "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text()
    assert "<svg" in html and "<script" not in html and "<link" not in html


def test_spare_capacity_from_the_catalog_s_headroom():
    """USGS MCS 2024 gallium: capacity 10,000 and production 3,000 kg/y in Japan -> 583.3 kg/month."""
    rows = [{"country": "JPN", "capacity": 10000.0, "production": 3000.0, "headroom": 7000.0},
            {"country": "CHN", "capacity": 1.0e6, "production": 1.1e6, "headroom": -1.0e5}]
    assert spare_capacity_from_headroom("gallium", rows) == {("gallium", "JPN"): pytest.approx(583.333, abs=1e-3)}
    assert spare_capacity_from_headroom("gallium", rows, 1e-3)["gallium", "JPN"] == pytest.approx(0.583333, abs=1e-6)
