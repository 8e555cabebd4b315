"""`setu import ...` and `setu trade ...` as a user runs them (mounted the way cli/main mounts them)."""

from __future__ import annotations

import csv
import io
import json

import pytest
import typer
from typer.testing import CliRunner

from setu.cli.trade import app, import_app
from setu.errors import DataFormatError, UnknownNameError

root = typer.Typer()
root.add_typer(import_app, name="import")
root.add_typer(app, name="trade")
runner = CliRunner()


@pytest.fixture
def env(settings, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SETU_BUNDLED_TRADE", "0")
    return settings


def invoke(*args: str):
    result = runner.invoke(root, list(args))
    return result


def test_import_then_dependence_json(env, baci_file):
    assert invoke("import", "baci", str(baci_file)).exit_code == 0
    result = invoke("trade", "dependence", "Japan", "810420", "--year", "2022", "--json", "--group", "CHN,USA")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert {k: document[k] for k in ("importer", "product", "year", "total_value", "hhi")} == \
        {"importer": "JPN", "product": "810420", "year": 2022, "total_value": 1_000_000.0, "hhi": 4600.0}
    assert [(s["country"], s["value"], s["share"]) for s in document["suppliers"]] == \
        [("CHN", 600_000.0, 0.6), ("USA", 300_000.0, 0.3), ("TWN", 100_000.0, 0.1)]
    assert document["source"]["dataset"] == "CEPII BACI" and document["source"]["edition"] == "V202301"
    assert document["source"]["hs_revision"] == "HS2017"
    assert document["group"] == {"members": ["CHN", "USA"], "value": 900_000.0, "share": 0.9}


def test_concentration_csv_and_exporters_table(env, baci_file):
    invoke("import", "baci", str(baci_file))
    result = invoke("trade", "concentration", "--csv", "--importer", "IND")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["product"], r["hhi"], r["top_supplier"]) for r in rows] == \
        [("811292", "3800.0", "CHN"), ("010121", "3600.0", "AUS")]
    table = invoke("trade", "exporters", "810420")
    assert table.exit_code == 0 and "CHN" in table.output and "CEPII BACI V202301" in table.output


def test_sources_lists_the_catalog(env, baci_file, comtrade_file):
    invoke("import", "baci", str(baci_file))
    invoke("import", "comtrade", str(comtrade_file))
    document = json.loads(invoke("trade", "sources", "--json").output)
    assert [(d["source"], d["year"], d["month"]) for d in document] == \
        [("baci", 2022, None), ("comtrade", 2023, 1), ("comtrade", 2023, 2)]


def test_bad_input_raises_setu_errors_for_exit_code_2(env, tmp_path, baci_file):
    bad = tmp_path / "BACI_HS17_Y2022_V202301.csv"
    bad.write_text("t,i,j,k,v,q\n2022,156,392,810420,x,1\n")
    result = invoke("import", "baci", str(bad))
    assert isinstance(result.exception, DataFormatError) and result.exception.line == 2
    invoke("import", "baci", str(baci_file))
    result = invoke("trade", "dependence", "Jpan", "810420")
    assert isinstance(result.exception, UnknownNameError) and "Japan" in result.exception.suggestions


def test_dependence_shows_unit_values_and_says_when_too_few_flows_to_screen(env, baci_file):
    assert invoke("import", "baci", str(baci_file)).exit_code == 0
    result = invoke("trade", "dependence", "Japan", "810420", "--year", "2022", "--json")
    screen = json.loads(result.output)["unit_values"]
    # CHN -> JPN: 600,000 USD for 12.5 t = 48 USD/kg; the USA's and Taiwan's flows report no quantity
    assert screen["suppliers"] == {"CHN": {"tonnes": 12.5, "unit_value_usd_per_kg": 48.0, "flagged": False,
                                           "reason": None}}
    assert (screen["quantified_flows"], screen["screened"]) == (2, False)  # 2 flows of 810420: no distribution
    table = invoke("trade", "dependence", "Japan", "810420", "--year", "2022")
    assert "48.00" in table.output and "too few flows with a quantity to screen" in table.output


def test_dependence_of_a_year_only_comtrade_holds_answers_from_comtrade(env, baci_file, comtrade_file):
    invoke("import", "baci", str(baci_file))
    invoke("import", "comtrade", str(comtrade_file))
    from setu.cli.main import app as setu

    result = runner.invoke(setu, ["dependence", "JPN", "--product", "810420", "--year", "2023", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["year"] == 2023 and document["source"]["source"] == "comtrade"
    missing = runner.invoke(setu, ["dependence", "JPN", "--product", "810420", "--year", "2019"])
    assert "no trade data for 2019 in any source; years held: baci 2022; comtrade 2023" in str(missing.exception)
