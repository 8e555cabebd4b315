"""The loaders reject malformed library and rules files with errors that name the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from setu.errors import DataFormatError
from setu.sources.policy import load_library, load_regime

LIBRARY = """format: setu-policy/1
jurisdiction: IND
version: "1"
sources:
  doc: {title: A list, publisher: A ministry, date: "2023-06"}
lists:
  - id: l
    name: L
    kind: critical
    citation: {source: doc, article: Annex}
    entries:
      - {id: a, name: A, materials: [{material: lithium}]}
"""

RULES = """format: setu-screening/1
regime: X
name: X
jurisdiction: IND
authority: Someone
version: "1"
sources:
  doc: {title: A rule, publisher: A ministry, date: "2020-04-17"}
country_sets:
  neighbours: {countries: [CHN, PAK]}
flags:
  brownfield: an existing company
definitions:
  - name: neighbour
    when: {acquirer: neighbours}
rules:
  - id: r1
    text: Neighbours need approval.
    effective: {from: "2020-04-22"}
    when: {use: neighbour}
    then: {requirement: approval}
    citation: {source: doc, article: para 1}
coverage: [{sectors: [defence], from: "2017-01-01"}]
"""


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def library_error(tmp_path: Path, old: str, new: str) -> DataFormatError:
    assert old in LIBRARY, old
    with pytest.raises(DataFormatError) as caught:
        load_library([write(tmp_path, LIBRARY.replace(old, new))])
    return caught.value


def rules_error(tmp_path: Path, old: str, new: str) -> DataFormatError:
    assert old in RULES, old
    with pytest.raises(DataFormatError) as caught:
        load_regime(write(tmp_path, RULES.replace(old, new)), ["mining-metal-ores", "defence"])
    return caught.value


def test_the_valid_files_load(tmp_path):
    library = load_library([write(tmp_path, LIBRARY)])
    assert library.lists[0].entries[0].citation.article == "Annex"  # inherited from the list
    regime = load_regime(write(tmp_path, RULES, "r.yaml"), ["mining-metal-ores", "defence"])
    assert [r.id for r in regime.rules] == ["r1"]


@pytest.mark.parametrize(("old", "new", "line", "field", "words"), [
    ("format: setu-policy/1", "format: setu-policy/9", 1, "format", "setu-policy/1"),
    ("{material: lithium}", "{material: lithum}", 12, "material", "did you mean lithium"),
    ("{id: a, name: A,", "{id: a, nmae: A,", 12, "nmae", "did you mean 'name'"),
    ("materials: [{material: lithium}]}", "hs: [{code: 8112, revision: HS2017}]}", 12, "code", "six digits"),
    ("materials: [{material: lithium}]}", 'hs: [{code: "811292", revision: HS2019}]}', 12, "revision", "HS2017"),
    ('date: "2023-06"', 'date: "June 2023"', 5, "date", "YYYY-MM-DD"),
    ("{source: doc, article: Annex}", "{source: dco, article: Annex}", 10, "source", "did you mean doc"),
    ("kind: critical", "kind: vital", 9, "kind", "specified-critical-product"),
    ("jurisdiction: IND", "jurisdiction: India", 2, "jurisdiction", "ISO3"),
    ("materials: [{material: lithium}]}", "nodes: [batteries/cell]}", 12, "nodes", "map:node"),
])
def test_library_rejections_are_located(tmp_path, old, new, line, field, words):
    error = library_error(tmp_path, old, new)
    assert error.file.endswith("bad.yaml")
    assert (error.line, error.field) == (line, field)
    assert words in str(error)


def test_a_list_without_citation_is_rejected(tmp_path):
    error = library_error(tmp_path, "    citation: {source: doc, article: Annex}\n", "")
    assert error.line == 7 and "no citation" in str(error)


def test_yaml_syntax_error_names_the_line(tmp_path):
    error = library_error(tmp_path, "      - {id: a,", "      - {id: [a,")
    assert error.line is not None and "not valid YAML" in str(error)


@pytest.mark.parametrize(("old", "new", "line", "field", "words"), [
    ("then: {requirement: approval}", "then: {requirement: forbidden}", 21, "requirement", "prohibited"),
    ("when: {use: neighbour}", "when: {use: neighbor}", 20, "use", "did you mean neighbour"),
    ("when: {use: neighbour}", "when: {sector: [mining]}", 20, "sector", "did you mean mining-metal-ores"),
    ("when: {use: neighbour}", "when: {flag: greenfield}", 20, "flag", "not declared"),
    ("when: {use: neighbour}", "when: {acquirer: neighbors}", 20, "acquirer", "did you mean neighbours"),
    ("when: {use: neighbour}", "when: {stake_above: 74}", 20, "stake_above", "fraction in 0-1"),
    ("when: {use: neighbour}", "when: {owner: {in: neighbours, share_above: 0.1, basis: [national]}}", 20,
     "basis", "citizen or situated"),
    ("when: {use: neighbour}", "when: {stake_over: 0.1}", 20, "stake_over", "did you mean 'stake_above'"),
    ('effective: {from: "2020-04-22"}', 'effective: {from: "2020-04-22", until: "2019-01-01"}', 19, "until",
     "before it starts"),
    ("countries: [CHN, PAK]", "countries: [CHN, PAKI]", 10, "countries", "ISO3"),
])
def test_rules_rejections_are_located(tmp_path, old, new, line, field, words):
    error = rules_error(tmp_path, old, new)
    assert (error.line, error.field) == (line, field), str(error)
    assert words in str(error)


def test_duplicate_rule_ids_and_definition_cycles_are_rejected(tmp_path):
    rule = RULES[RULES.index("  - id: r1"):RULES.index("coverage:")]
    twice = RULES.replace(rule, rule + rule)
    with pytest.raises(DataFormatError, match="used twice"):
        load_regime(write(tmp_path, twice), ["defence"])
    cycle = RULES.replace("    when: {acquirer: neighbours}", "    when: {use: neighbour}")
    with pytest.raises(DataFormatError, match="cycle"):
        load_regime(write(tmp_path, cycle), ["defence"])


def test_an_id_used_in_two_files_is_rejected(tmp_path):
    first = write(tmp_path, LIBRARY, "one.yaml")
    second = write(tmp_path, LIBRARY, "two.yaml")
    with pytest.raises(DataFormatError, match="already used in") as caught:
        load_library([first, second])
    assert caught.value.file.endswith("two.yaml")
