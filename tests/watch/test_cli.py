"""`setu watch ...` through Typer's runner: JSON/CSV output and located input errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import setu.watch
from setu.cli.watch import app
from setu.errors import DataFormatError, InputError, UnknownNameError
from setu.sources.measures import bundled_paths, load_register

runner = CliRunner()


def test_measures_json_and_csv():
    result = runner.invoke(app, ["measures", "--country", "chn", "--material", "graphite", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["id"] for r in rows} >= {"cn-2023-graphite-licensing", "cn-2024-graphite-end-use-review-usa"}
    assert all(r["issuer"] == "CHN" for r in rows)
    csv_out = runner.invoke(app, ["measures", "--since", "2025-01", "--csv"]).output.splitlines()
    assert csv_out[0].startswith("id,issuer,kind")


def test_unknown_material_and_measure_suggest_names():
    result = runner.invoke(app, ["measures", "--material", "galium"])
    assert isinstance(result.exception, UnknownNameError) and "gallium" in str(result.exception)
    result = runner.invoke(app, ["show", "cn-2023-graphite"])
    assert isinstance(result.exception, UnknownNameError)


def test_validate_reports_file_line_field(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: setu-measures/1\nmeasures:\n  - id: Bad Id\n")
    result = runner.invoke(app, ["validate", str(bad)])
    assert isinstance(result.exception, DataFormatError)
    assert f"{bad}:3: field 'measures.0.id'" in str(result.exception)


def test_scan_a_user_csv(tmp_path: Path):
    rows = ["period,reporter,partner,hs6,value,quantity"]
    for index in range(48):
        year, month = 2021 + index // 12, index % 12 + 1
        value = 1_000_000 if index < 36 else 200_000
        rows.append(f"{year}-{month:02d},CHN,JPN,250410,{value},{value / 2}")
    file = tmp_path / "series.csv"
    file.write_text("\n".join(rows) + "\n")
    result = runner.invoke(app, ["scan", str(file), "--detector", "level_shift", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    periods = {(a["period"], a["partner"], a["variable"]) for a in payload["alerts"]}
    assert ("2024-01", "JPN", "value_usd") in periods
    bad = runner.invoke(app, ["scan", str(file), "--detector", "nope"])
    assert isinstance(bad.exception, UnknownNameError)
    assert isinstance(runner.invoke(app, ["scan", "--since", "2024-99"]).exception, InputError)


def test_backtest_json_table():
    result = runner.invoke(app, ["backtest", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    graphite = {m["hs6"]: m for m in payload["events"] if m["measure_id"] == "cn-2023-graphite-licensing"}
    assert set(graphite) == {"250410", "380110"} and {m["status"] for m in graphite.values()} == {"tuning"}
    assert graphite["250410"]["flagged"] and graphite["250410"]["lag_months"] == 1
    figures = payload["figures"]
    assert figures["recall"]["value"] is None  # no evaluable held-out event in the bundled data
    assert figures["false_alerts_per_product_year"]["method"] == "exact Poisson (Garwood)"
    assert payload["tuning_measures"] == ["cn-2023-graphite-licensing"] and payload["held_out"] == []


def test_public_api():
    for name in setu.watch.__all__:
        assert hasattr(setu.watch, name)


def test_digest_html_file_and_markdown(tmp_path: Path):
    out = tmp_path / "digest.html"
    result = runner.invoke(app, ["digest", "--until", "2024-01", "--months", "2", "--html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "cn-2023-graphite-licensing" in page and "<svg" in page
    markdown = runner.invoke(app, ["digest", "--until", "2023-12", "--months", "1"]).output
    assert markdown.startswith("# Watch digest 2023-12 – 2023-12")
    assert "| 2023-12-01 | effective | cn-2023-graphite-licensing |" in markdown


def test_scan_explain_lists_japan_and_india_first():
    result = runner.invoke(app, ["scan", "--since", "2023-12", "--near-measures", "-d", "level_shift", "--explain", "--json"])
    payload = json.loads(result.output)
    total = next(a for a in payload["alerts"] if a["partner"] == "ALL" and a["hs6"] == "250410")
    exposed = total["consequences"]["exposed"]
    assert [e["country"] for e in exposed[:2]] == ["JPN", "IND"]
    assert total["consequences"]["materials"] == ["graphite"]
    assert abs(sum(e["share"] for e in exposed) - 1.0) < 0.2  # top destinations only


def test_backtest_csv_cells_are_flat():
    lines = runner.invoke(app, ["backtest", "--csv"]).output.splitlines()
    graphite = next(line for line in lines if line.startswith("cn-2023-graphite-licensing,250410"))
    assert "change_point;level_shift;slump" in graphite and "2504101000;2504109100" in graphite


def test_scan_of_a_short_file_gives_no_alerts_not_an_error(tmp_path: Path):
    file = tmp_path / "short.csv"
    file.write_text("period,reporter,partner,hs6,value\n2024-01,IDN,CHN,260400,5\n2024-02,IDN,CHN,260400,0\n")
    result = runner.invoke(app, ["scan", str(file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["alerts"] == []


def test_validate_the_bundled_folder_itself():
    result = runner.invoke(app, ["validate", str(bundled_paths()[0].parent), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["measures"] == len(load_register())


def test_digest_ranks_graphite_first_and_says_why():
    # The data are cut at January 2024: the fall of December 2023 is known with January's data.
    result = runner.invoke(app, ["digest", "--until", "2024-01", "--months", "2", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    first = payload["ranked"][0]
    assert (first["hs6"], first["measures"][0]["measure_id"]) == ("250410", "cn-2023-graphite-licensing")
    # 30 tests: 2 months x 5 testable totals x 3 anchoring detectors. Of the 6 totals (3 codes x value,
    # quantity), HS 811292's quantity lacks all of 2017 (12 of 85 months, over the 10 % a vintage may miss).
    assert first["q_value"] <= 0.05 and any("Benjamini-Hochberg over 30 tests" in why for why in first["why"])
    markdown = runner.invoke(app, ["digest", "--until", "2024-01", "--months", "2"]).output
    assert "## Ranked alerts" in markdown and "| 1 | 2023-10 – 2023-12 | CHN | 250410 |" in markdown
