"""The `setu policy` commands: JSON output of a screening, help text, and errors for unknown names."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from setu.cli.policy import app
from setu.errors import DataFormatError, UnknownNameError

runner = CliRunner()


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_screen_json_has_the_documented_shape():
    data = run_json("screen", "--acquirer", "Singapore", "--owner", "CHN:5", "--target", "IND", "--sector",
                    "batteries", "--stake", "20", "--date", "2025-06-01")
    assert data["transaction"]["owners"] == [{"country": "CHN", "share": 0.05, "control": False, "basis": "citizen"}]
    assert data["transaction"]["stake"] == 0.2
    (india,) = data["regimes"]
    assert india["regime"] == "IND-FDI" and india["requirement"] == "approval"
    assert {"id", "text", "citation", "facts", "requirement"} <= set(india["rules"][0])
    assert any(change["requirement"] == "report" for change in india["would_change"])
    assert data["not_applicable"] == [{"regime": "JPN-FEFTA", "reason": "the target is in IND, not JPN"}]
    nodes = {row["node"]: row for row in data["context"]}
    assert nodes["batteries:anode"]["chokepoint"] is True
    assert nodes["batteries:anode"]["top_country"] == "CHN"
    assert "not legal advice" in data["notice"]
    assert [i["id"] for i in data["instruments"]] == ["ind-pli-acc-2021"]  # the ACC PLI scheme concerns the cell


def test_screen_by_hs_code_and_node():
    by_hs = run_json("screen", "--acquirer", "USA", "--target", "JPN", "--hs", "850511", "--stake", "5", "--listed",
                     "--date", "2024-01-01")
    assert by_hs["transaction"]["sectors"] == ["permanent-magnets"]
    assert by_hs["regimes"][0]["requirement"] == "notification"
    by_node = run_json("screen", "--acquirer", "USA", "--target", "JPN", "--node", "magnets:ndfeb-magnets",
                       "--stake", "5", "--listed", "--date", "2024-01-01")
    assert by_node["regimes"][0]["requirement"] == "notification"


def test_help_documents_every_field():
    text = runner.invoke(app, ["screen", "--help"], terminal_width=200).output
    for option in ("--acquirer", "--owner", "--target", "--sector", "--hs", "--node", "--stake", "--listed",
                   "--unlisted", "--date", "--flag", "--json"):
        assert option in text, option


@pytest.mark.parametrize(("args", "kind", "suggestion"), [
    (["--sector", "batteris"], "sector", "battery-manufacturing"),
    (["--sector", "batteries", "--owner", "Chinaa"], "country", "China"),
])
def test_unknown_names_get_the_closest_valid_ones(args, kind, suggestion):
    result = runner.invoke(app, ["screen", "--acquirer", "USA", "--target", "IND", "--stake", "10", *args])
    assert isinstance(result.exception, UnknownNameError)
    assert result.exception.kind == kind and suggestion in result.exception.suggestions


def test_lists_show_instruments_rules_and_compare(tmp_path):
    assert {row["id"] for row in run_json("lists")["rows"]} >= {"ind-critical-minerals-2023", "eu-crma-critical-2024"}
    assert len(run_json("show", "ind-critical-minerals-2023")["rows"]) == 30
    assert any(row["id"] == "ind-ncmm-2025" for row in run_json("instruments", "--jurisdiction", "IND")["rows"])
    assert any(row["rule"] == "ind-pn2-land-border" for row in run_json("rules", "IND-FDI")["rows"])
    svg = tmp_path / "compare.svg"
    data = run_json("compare", "--date", "2026-06-01", "--svg", str(svg))
    assert data["rows"][0]["standing"] == "both"
    assert svg.read_text(encoding="utf-8").startswith("<svg")


def test_compare_reads_a_concentration_file(tmp_path):
    path = tmp_path / "conc.csv"
    path.write_text("material,hhi,top_country,top_share,basis\nhelium,4000,USA,0.5,test\n", encoding="utf-8")
    rows = {row["material"]: row for row in run_json("compare", "--concentration", str(path))["rows"]}
    assert rows["helium"]["gap"] is True
    path.write_text("material,hhi\nhelium,lots\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", "--concentration", str(path)])
    assert isinstance(result.exception, DataFormatError) and result.exception.line == 2


def test_validate_a_user_file(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text('format: setu-policy/1\njurisdiction: IND\nversion: "1"\nsources:\n'
                    '  d: {title: T, publisher: P, date: "2024"}\nlists:\n  - id: mine\n    name: Mine\n'
                    '    kind: critical\n    citation: {source: d, article: s. 1}\n'
                    '    entries: [{id: li, name: Li, materials: [{material: lithium}], nodes: [batteries:cell]}]\n',
                    encoding="utf-8")
    assert run_json("validate", str(good))["valid"] is True
    good.write_text(good.read_text(encoding="utf-8").replace("batteries:cell", "batteries:celll"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(good)])
    assert "not in map 'batteries'" in str(result.exception)


def test_users_add_their_own_rules(tmp_path):
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        'format: setu-screening/1\nregime: IND-STATE\nname: A state rule\njurisdiction: IND\nauthority: A state\n'
        'version: "1"\ncoverage: [{sectors: [mining-metal-ores], from: "2025-01-01"}]\n'
        'sources:\n  d: {title: State order, publisher: A state, date: "2025-01-01"}\n'
        'rules:\n  - id: state-mining\n    text: Mining needs a state licence.\n    when: {sector: [mining-metal-ores]}\n'
        '    then: {requirement: approval}\n    citation: {source: d, article: s. 2}\n', encoding="utf-8")
    data = run_json("screen", "--acquirer", "USA", "--target", "IND", "--sector", "mining", "--stake", "10",
                    "--date", "2025-06-01", "--rules", str(rules))
    assert {r["regime"]: r["requirement"] for r in data["regimes"]} == {"IND-FDI": "report", "IND-STATE": "approval"}
    # the user's regime encodes mining from 2025 only: earlier, it says so instead of answering
    early = run_json("screen", "--acquirer", "USA", "--target", "IND", "--sector", "mining", "--stake", "10",
                     "--date", "2024-06-01", "--rules", str(rules))
    state = next(r for r in early["regimes"] if r["regime"] == "IND-STATE")
    assert state["requirement"] == "not covered" and state["at_least"] is None and state["rules"] == []
    assert state["not_covered"] == ["2024-06-01 is before the period the rules encode (from 2025-01-01)"]
    assert state["would_change"] == []


@pytest.mark.parametrize(("change", "message"), [
    ('coverage: [{sectors: [mining-metal-ores], from: "2025-01-01"}]\n', "declares no `coverage:`"),
    ("when: {sector: [mining-metal-ores]}", "holds for every investment"),
    ("when: {sector: [mining-metal-ores]}", "names defence, which `coverage:` does not list"),
])
def test_a_regime_must_declare_its_coverage_and_no_rule_may_answer_for_everything(tmp_path, change, message):
    text = ('format: setu-screening/1\nregime: IND-STATE\nname: A state rule\njurisdiction: IND\nauthority: A\n'
            'version: "1"\ncoverage: [{sectors: [mining-metal-ores], from: "2025-01-01"}]\n'
            'sources:\n  d: {title: State order, publisher: A state, date: "2025-01-01"}\n'
            'rules:\n  - id: state-mining\n    text: Mining needs a state licence.\n    when: {sector: [mining-metal-ores]}\n'
            '    then: {requirement: approval}\n    citation: {source: d, article: s. 2}\n')
    path = tmp_path / "bad.yaml"
    replacement = ("" if not change.startswith("when") else "when: {}" if "every" in message
                   else "when: {sector: [mining-metal-ores, defence]}")
    path.write_text(text.replace(change, replacement), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert isinstance(result.exception, DataFormatError), result.output
    assert message in str(result.exception) and str(path) in str(result.exception)


def test_screen_prints_not_covered_with_the_reason():
    result = runner.invoke(app, ["screen", "--acquirer", "USA", "--target", "IND", "--sector", "launch vehicles",
                                 "--stake", "30", "--date", "2023-01-01"], terminal_width=200)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # the console wraps long lines
    assert "NOT COVERED by the encoded rules" in text
    assert "not covered: space-launch-vehicles on 2023-01-01: the rules encode its law only from 2024-04-16" in text
    assert "would be" not in text  # no what-if outside the encoded period
    early = run_json("screen", "--acquirer", "USA", "--target", "JPN", "--sector", "defence", "--stake", "30",
                     "--date", "2016-05-01")
    assert early["regimes"][0]["requirement"] == "not covered" and early["regimes"][0]["rules"] == []


def test_prohibited_activities_by_name_and_hs_and_indirect_owners():
    data = run_json("screen", "--acquirer", "IND", "--owner", "CHN:60", "--owner", "IND:40", "--target", "IND",
                    "--hs", "2402", "--stake", "10", "--date", "2023-01-01")
    assert data["transaction"]["sectors"] == ["tobacco-manufacturing"]
    (india,) = data["regimes"]
    assert india["requirement"] == "prohibited"
    assert india["basis"] == ["indirect foreign investment: the acquirer is from IND but owners outside India (CHN) "
                              "hold 60 % of the investor, at least 50 %"]
    domestic = run_json("screen", "--acquirer", "IND", "--target", "IND", "--sector", "lottery", "--stake", "10")
    assert domestic["regimes"] == [] and "give its owners with --owner" in domestic["not_applicable"][0]["reason"]


def test_reading_and_unconfirmed_notes_reach_the_json():
    data = run_json("screen", "--acquirer", "Hong Kong", "--target", "IND", "--sector", "chips", "--stake", "10",
                    "--date", "2022-01-01")
    rule = next(r for r in data["regimes"][0]["rules"] if r["id"] == "ind-pn3-land-border")
    assert rule["readings"][0].startswith("HKG is counted by a reading, not by the text")
    assert rule["citation"]["confirmed"] is True and rule["unconfirmed"] is None
    mining = run_json("screen", "--acquirer", "AUS", "--target", "JPN", "--sector", "mining", "--stake", "20",
                      "--date", "2022-01-01")
    assert "4 November 2021" in mining["regimes"][0]["rules"][0]["unconfirmed"]


@pytest.mark.parametrize(("sector", "flag", "expected"), [
    ("electronic components", None, "electronic-components"),
    ("Electronic_Components", None, "electronic-components"),
    ("ELECTRONIC-components", None, "electronic-components"),
    ("defence", "New Industrial Licence", "defence"),
    ("pharma", "BROWNFIELD", "pharmaceuticals"),
])
def test_names_are_the_same_whatever_the_separators_and_case(service, sector, flag, expected):
    tx, _ = service.transaction(acquirer="united_states", target="india", sectors=[sector], stake_pct=10,
                                listed=False, day=dt.date(2023, 1, 1), flags=[flag] if flag else [])
    assert tx.sectors == {expected} and tx.acquirer == "USA" and tx.target == "IND"
    assert tx.flags == ({"new-industrial-licence"} if flag == "New Industrial Licence" else
                        {"brownfield"} if flag else set())


def test_the_cli_takes_the_same_names():
    data = run_json("screen", "--acquirer", "united_states", "--target", "india", "--stake", "10", "--date",
                    "2023-01-01", "--sector", "Electronic_Components", "--flag", "BrownField")
    assert data["transaction"]["sectors"] == ["electronic-components"] and data["transaction"]["flags"] == ["brownfield"]


@pytest.mark.parametrize(("name", "kind", "allowed"), [
    ("lotery", "sector", ["lottery"]),
    ("gamblng", "sector", ["gambling-betting"]),
    ("hotels", "sector", []),  # nothing genuinely close: no suggestion rather than a far one
])
def test_unknown_names_get_only_genuinely_close_suggestions(name, kind, allowed):
    result = runner.invoke(app, ["screen", "--acquirer", "USA", "--target", "IND", "--stake", "10", "--sector", name])
    assert isinstance(result.exception, UnknownNameError) and result.exception.kind == kind
    assert result.exception.suggestions == allowed


def test_coverage_lists_the_encoded_activities_and_periods():
    rows = run_json("coverage")["rows"]
    india = [r for r in rows if r["regime"] == "IND-FDI"]
    assert india[0]["from"] == "2017-01-01" and "lottery" in india[0]["sectors"]
    assert {r["from"] for r in rows if "space-launch-vehicles" in r["sectors"]} == {"2024-04-16", "2017-01-01"}
