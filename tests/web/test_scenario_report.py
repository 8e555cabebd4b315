"""The scenario report is self-contained and draws the numbers of the run."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from setu.cli.scenarios import app
from setu.services.documents.scenarios import run_document
from setu.services.scenarios import ScenarioService
from setu.web.scenario_report import CHART_HEIGHT, PAD_BOTTOM, PAD_TOP, line_chart, render_report

TWO_TIER = str(Path(__file__).parents[1] / "scenarios" / "two_tier.yaml")


def test_report_is_self_contained_and_plots_the_series():
    html = render_report(run_document(ScenarioService().run(TWO_TIER)))
    assert "<script" not in html and "<link" not in html and not re.search(r"\bsrc=", html)
    assert "@import" not in html and "url(" not in html
    points = re.search(r'data-series="IND" points="([^"]+)"', html).group(1).split()
    ys = [float(p.split(",")[1]) for p in points]
    assert len(ys) == 12
    assert len(set(ys[:6])) == 1 and len(set(ys[6:])) == 1 and ys[0] < ys[6]  # short 6 months, then none
    assert "Value of cooperation" in html and "Worked example (invented figures)" in html
    assert html.count('class="exposed"') == 2  # JPN and IND widgets


def test_chart_scales_to_the_largest_value():
    svg = line_chart("t", 3, [("A", [0.0, 0.5, 1.0])], "share")
    points = re.search(r'points="([^"]+)"', svg).group(1).split()
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[0] == CHART_HEIGHT - PAD_BOTTOM and ys[2] == PAD_TOP
    assert ys[1] == (ys[0] + ys[2]) / 2


def test_report_command_writes_html_and_json(tmp_path):
    result = CliRunner().invoke(app, ["report", TWO_TIER, "--out", str(tmp_path / "r.html"),
                                      "--json-out", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert "2 importer-product pair(s) exposed" in result.output
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert (tmp_path / "r.json").exists()


def test_report_summary_as_json(tmp_path):
    result = CliRunner().invoke(app, ["report", TWO_TIER, "--out", str(tmp_path / "r.html"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert sorted(summary["exposed"]) == [["IND", "widget"], ["JPN", "widget"]]
    assert summary["value_of_cooperation"] == 0.0
