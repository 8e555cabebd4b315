import json

from typer.testing import CliRunner

from setu.cli.economy import app
from setu.errors import UnknownNameError

runner = CliRunner()


def test_shock_json():
    result = runner.invoke(
        app,
        ["shock", "--region", "CHN", "--sector", "basic metals", "--supply-cut", "0.2", "--model", "ghosh", "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["year"] == 2011 and payload["model"] == "ghosh"
    assert set(payload["focus"]) == {"JPN", "IND"}
    assert len(payload["focus"]["JPN"]) == 10
    assert payload["focus"]["JPN"][0]["change"] < 0


def test_shock_text_names_the_source():
    result = runner.invoke(
        app, ["shock", "--region", "chn", "--sector", "Basic metals", "--supply-cut", "0.1", "--top", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "2011" in result.output and "World Input-Output Database" in result.output
    assert "Most affected sectors in JPN" in result.output and "Most affected sectors in IND" in result.output


def test_shock_csv():
    result = runner.invoke(
        app,
        [
            "shock",
            "--region",
            "CHN",
            "--sector",
            "Basic metals",
            "--supply-cut",
            "0.2",
            "--model",
            "iim",
            "--csv",
            "--top",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "region,sector,output,change,change_share,unit"
    assert len(lines) == 1 + 2 * 2


def test_unknown_sector_raises_input_error_with_suggestion():
    result = runner.invoke(app, ["shock", "--region", "CHN", "--sector", "Basic metal x", "--supply-cut", "0.2"])
    assert isinstance(result.exception, UnknownNameError)
    assert "Basic Metals and Fabricated Metal" in str(result.exception)


def test_tables_and_sectors():
    tables = json.loads(runner.invoke(app, ["tables", "--json"]).output)
    assert tables[0]["table_id"] == "wiod-2011" and tables[0]["year"] == 2011
    listing = json.loads(runner.invoke(app, ["sectors", "--json"]).output)
    assert "JPN" in listing["regions"] and len(listing["sectors"]) == 35


def test_exposure_json_and_text():
    result = runner.invoke(app, ["exposure", "--region", "CHN", "--supply-cut", "0.1", "--model", "leontief", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["source_region"] == "CHN" and payload["year"] == 2011
    assert len(payload["exposure"]["JPN"]) == 10 and payload["exposure"]["JPN"][0]["change"] < 0
    text = runner.invoke(app, ["exposure", "--region", "chn", "--supply-cut", "0.1", "--focus", "IND", "--top", "3"])
    assert text.exit_code == 0 and "Exposure of IND" in text.output and "2011" in text.output


def test_shock_text_shows_the_realised_cut_the_caveat_and_the_focus_totals():
    result = runner.invoke(
        app, ["shock", "--region", "CHN", "--sector", "Basic metals", "--supply-cut", "0.2", "--model", "ghosh",
              "--top", "2"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "How the model realises the cut" in result.output and "-20.000 %" in result.output
    assert "Oosterhaven 1988" in result.output and "Focus regions" in result.output


def test_multipliers_json_text_and_csv():
    result = runner.invoke(app, ["multipliers", "--region", "JPN", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["region"] == "JPN" and payload["year"] == 2011
    multipliers = [row["output_multiplier"] for row in payload["rows"]]
    assert multipliers == sorted(multipliers, reverse=True) and min(multipliers) >= 1.0
    assert {"backward_index", "forward_index", "sensitivity_index", "key_sector"} <= set(payload["rows"][0])
    text = runner.invoke(app, ["multipliers", "--region", "jpn", "--top", "3"], terminal_width=200)
    assert text.exit_code == 0 and "Multipliers and linkages, JPN" in text.output
    lines = runner.invoke(app, ["multipliers", "--region", "IND", "--csv", "--sort", "forward_index",
                                "--top", "4"]).output.strip().splitlines()
    assert lines[0].startswith("sector,output,direct_backward") and len(lines) == 5
    bad = runner.invoke(app, ["multipliers", "--region", "JPN", "--sort", "forward"])
    assert isinstance(bad.exception, UnknownNameError)
