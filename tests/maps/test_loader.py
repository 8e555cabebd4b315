"""The loader rejects broken maps with errors that name the file, the line and the fix."""

from __future__ import annotations

import pytest

from setu.domain.supply_map import NodeKind, Substitutes
from setu.errors import DataFormatError, InputError, ValidationError
from setu.sources.supply_map import load_map, parse_map

HEADER = """format: setu-map/1
id: t
name: Test
sector: ict
version: "1"
sources:
  s: {source: Test source, year: 2024}
"""

NODES = """nodes:
  - {id: a, name: A, kind: raw, unit: t, supply: {year: 2023, measure: production, source: s, shares: {CHN: 0.6, AUS: 0.4}}}
  - {id: b, name: B, kind: refined, unit: kg}
  - {id: c, name: C, kind: end-product, unit: unit}
"""


def parse(text: str):
    return parse_map(text, file="broken.yaml")


def rejection(text: str, kind: type[InputError]) -> str:
    with pytest.raises(kind) as caught:
        parse(text)
    return str(caught.value)


def test_a_valid_map_loads_with_its_lines(diamond_path):
    supply_map = load_map(diamond_path)
    assert [n.id for n in supply_map.nodes] == ["ore", "left", "right", "part"]
    assert supply_map.node("ore").kind is NodeKind.RAW
    assert supply_map.node("ore").line == 13  # line of the node's mapping in diamond.yaml
    assert supply_map.edges[3].substitutes is Substitutes.YES
    assert supply_map.node("part").supply.others == (("various", 0.4),)
    assert supply_map.node("part").supply.coverage == pytest.approx(0.6)
    assert [n.id for n in supply_map.end_products] == ["part"]


def test_cycle_is_rejected_with_the_cycle_and_the_line():
    text = (
        HEADER
        + NODES
        + """edges:
  - {input: a, output: b, substitutes: no}
  - {input: b, output: c, substitutes: no}
  - {input: c, output: a, substitutes: no}
"""
    )
    message = rejection(text, ValidationError)
    assert message.startswith("broken.yaml:15:")  # the last edge of the cycle
    assert "cycle" in message and "a -> b -> c -> a" in message and "remove or reverse" in message


def test_dangling_reference_names_the_line_and_close_matches():
    text = HEADER + NODES + "edges:\n  - {input: a, output: bb, substitutes: no}\n"
    message = rejection(text, ValidationError)
    assert message.startswith("broken.yaml:13: field 'output'")
    assert "'bb' is not a node" in message and "did you mean b" in message


def test_shares_above_100_percent_are_rejected():
    text = (
        HEADER
        + """nodes:
  - id: a
    name: A
    kind: raw
    unit: t
    supply:
      year: 2023
      measure: production
      source: s
      shares: {CHN: 0.7, AUS: 0.4}
"""
    )
    message = rejection(text, ValidationError)
    assert message.startswith("broken.yaml:17: field 'shares'")
    assert "110.0%" in message and "correct them" in message


def test_one_share_above_one_is_rejected_as_a_fraction():
    text = (
        HEADER
        + "nodes:\n  - {id: a, name: A, kind: raw, unit: t, supply: {year: 2023, measure: m, source: s, shares: {CHN: 60}}}\n"
    )
    message = rejection(text, ValidationError)
    assert "broken.yaml:9" in message and "write 0.6 for 60 %" in message


def test_unit_mismatch_names_the_expected_unit():
    text = HEADER + NODES + "edges:\n  - {input: a, output: b, quantity: {value: 2, unit: kg/kg}, source: s}\n"
    message = rejection(text, ValidationError)
    assert message.startswith("broken.yaml:13: field 'unit'")
    assert "write unit: 't/kg'" in message


def test_missing_source_of_a_supply_is_rejected():
    text = (
        HEADER
        + "nodes:\n  - {id: a, name: A, kind: raw, unit: t, supply: {year: 2023, measure: m, shares: {CHN: 0.5}}}\n"
    )
    message = rejection(text, DataFormatError)
    assert message.startswith("broken.yaml:9:") and "no source" in message and "add `source:`" in message


def test_missing_source_of_a_quantity_is_rejected():
    text = HEADER + NODES + "edges:\n  - {input: a, output: b, quantity: {value: 2, unit: t/kg}}\n"
    message = rejection(text, DataFormatError)
    assert message.startswith("broken.yaml:13:") and "no source" in message


def test_unknown_key_suggests_the_right_one():
    text = HEADER + "nodes:\n  - {id: a, name: A, kind: raw, unit: t, suply: {}}\n"
    message = rejection(text, DataFormatError)
    assert message.startswith("broken.yaml:9: field 'suply'") and "did you mean 'supply'" in message


def test_unknown_kind_lists_the_allowed_kinds():
    text = HEADER + "nodes:\n  - {id: a, name: A, kind: ore, unit: t}\n"
    message = rejection(text, DataFormatError)
    assert "broken.yaml:9" in message and "raw, refined, intermediate, component, end-product" in message


def test_region_under_shares_is_rejected_with_the_fix():
    text = (
        HEADER
        + "nodes:\n  - {id: a, name: A, kind: raw, unit: t, supply: {year: 2023, measure: m, source: s, shares: {Europe: 0.5}}}\n"
    )
    message = rejection(text, DataFormatError)
    assert "not an ISO3 code" in message and "`others:`" in message


def test_duplicate_node_ids_name_both_lines():
    text = HEADER + "nodes:\n  - {id: a, name: A, kind: raw, unit: t}\n  - {id: a, name: A2, kind: raw, unit: t}\n"
    message = rejection(text, ValidationError)
    assert message.startswith("broken.yaml:10:") and "first at line 9" in message


def test_unknown_material_suggests_slugs():
    text = HEADER + "nodes:\n  - {id: a, name: A, kind: raw, unit: t, material: galium}\n"
    message = rejection(text, DataFormatError)
    assert "broken.yaml:9" in message and "gallium" in message


def test_wrong_format_version_and_bad_yaml():
    assert "this Setu reads `format: setu-map/1`" in rejection(
        HEADER.replace("setu-map/1", "setu-map/9") + NODES, DataFormatError
    )
    message = rejection(HEADER + "nodes: [\n", DataFormatError)
    assert message.startswith("broken.yaml:") and "not valid YAML" in message


def test_hs_code_must_be_six_digits_with_a_revision():
    text = HEADER + "nodes:\n  - {id: a, name: A, kind: raw, unit: t, hs: [{code: 8112, revision: HS2017}]}\n"
    assert "six digits" in rejection(text, DataFormatError)
    text = HEADER + 'nodes:\n  - {id: a, name: A, kind: raw, unit: t, hs: [{code: "811292", revision: HS2020}]}\n'
    assert "HS2017" in rejection(text, DataFormatError)


def test_missing_file_is_a_located_error(tmp_path):
    with pytest.raises(DataFormatError) as caught:
        load_map(tmp_path / "absent.yaml")
    assert "absent.yaml" in str(caught.value)


def test_usgs_reference_is_resolved_through_the_injected_resolver(resolver):
    text = (
        HEADER
        + "nodes:\n  - {id: ga, name: Gallium, kind: raw, unit: kg, material: gallium, supply: {usgs: {material: gallium, series: primary, year: 2023}}}\n"
    )
    unresolved = parse(text).node("ga").supply
    assert unresolved.usgs.series == "primary" and unresolved.shares == () and not unresolved.resolved
    resolved = parse_map(text, file="x.yaml", resolver=resolver).node("ga").supply
    assert resolver.calls == [("gallium", "primary", 2023)]
    assert resolved.shares[0].country == "CHN"
    assert resolved.shares[0].share == pytest.approx(600_000 / 610_000)
    assert resolved.citation.year == 2024 and "Geological Survey" in resolved.citation.source


def test_import_sourcing_is_read_per_importer():
    text = (
        HEADER
        + """nodes:
  - id: a
    name: A
    kind: raw
    unit: t
    imports:
      - {importer: IND, year: 2019, measure: imports by value, source: s, shares: {CHN: 0.6756}, confirmed: false}
"""
    )
    entry = parse(text).node("a").imports[0]
    assert entry.importer == "IND" and entry.supply.shares[0].share == 0.6756
    assert entry.supply.citation.confirmed is False


def test_a_cited_quantity_needs_the_documents_year():
    text = HEADER + NODES + "edges:\n  - {input: a, output: b, quantity: {value: 2, unit: t/kg}, source: A report}\n"
    message = rejection(text, DataFormatError)
    assert message.startswith("broken.yaml:13:") and "has no year" in message
    text = text.replace("source: A report}", "source: A report, year: 2022}")
    assert parse(text).edges[0].citation.year == 2022


def test_usgs_reference_and_listed_shares_are_not_mixed():
    text = (
        HEADER
        + """nodes:
  - id: ga
    name: Gallium
    kind: raw
    unit: kg
    supply: {usgs: {material: gallium, series: primary, year: 2023}, shares: {CHN: 0.9}}
"""
    )
    message = rejection(text, DataFormatError)
    assert message.startswith("broken.yaml:13: field 'shares'") and "not both" in message


def test_a_cited_substitution_loads_with_its_factor_and_source():
    text = HEADER + NODES + (
        "edges:\n"
        "  - {input: a, output: b, substitutes: yes,\n"
        "     substitution: {share_of_uses: 0.4, years_to_switch: 2, source: s}}\n"
        "  - {input: b, output: c, substitutes: yes, substitution: {si_sr: 0.94, source: s}}\n"
    )
    supply_map = parse(text)
    first, second = supply_map.edges
    assert first.substitution.factor == pytest.approx(0.2)  # 0.4 * min(1, 1 year / 2 years)
    assert first.substitution.citation.source == "Test source" and first.substitution.citation.year == 2024
    assert second.substitution.factor == pytest.approx(0.06) and second.substitution.basis == "si-sr"


@pytest.mark.parametrize(
    ("substitution", "message"),
    [
        ("{share_of_uses: 0.4, source: s}", "needs `si_sr`"),
        ("{si_sr: 1.4, source: s}", "must be a fraction"),
        ("{si_sr: 0.9, share_of_uses: 0.4, source: s}", "give one basis"),
        ("{si_sr: 0.9}", "has no source"),
        ("{share_of_uses: 0.4, years_to_switch: -1, source: s}", "years_to_switch"),
    ],
)
def test_a_bad_substitution_is_rejected_on_its_line(substitution, message):
    text = HEADER + NODES + f"edges:\n  - {{input: a, output: b, substitutes: yes, substitution: {substitution}}}\n"
    with pytest.raises(InputError) as caught:
        parse(text)
    assert message in str(caught.value) and "broken.yaml:13" in str(caught.value)


def test_a_substitution_needs_substitutes_yes():
    text = HEADER + NODES + "edges:\n  - {input: a, output: b, substitutes: no, substitution: {si_sr: 0.9, source: s}}\n"
    assert "set `substitutes: yes`" in rejection(text, DataFormatError)
