"""Scenario files with mistakes are rejected with the file, line, field and the closest valid names."""

from __future__ import annotations

import json

import pytest
import yaml

from setu.errors import DataFormatError, UnknownNameError, ValidationError
from setu.scenarios import Baseline, Scenario, Shock, check_scenario, compile_scenario, parse_scenario

from .chains import CITE, HERE, two_tier_map

GOOD = (HERE / "two_tier.yaml").read_text(encoding="utf-8")


def parse(text: str):
    supply_map = two_tier_map()

    def load_map(map_id: str):
        if map_id != "two_tier_map.yaml":
            raise UnknownNameError("map", map_id, ["two-tier"])
        return supply_map

    return parse_scenario(text, file="bad.yaml", load_map=load_map)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def rejected(old: str, new: str) -> tuple[DataFormatError, str]:
    assert old in GOOD, old
    text = GOOD.replace(old, new, 1)
    with pytest.raises(DataFormatError) as caught:
        parse(text)
    return caught.value, text


def test_the_good_file_reads():
    scenario, supply_map = parse(GOOD)
    assert scenario.importers == ("JPN", "IND")
    assert scenario.shocks[0].time_to_recover == 6
    assert scenario.responses.stockpiles[0].citation.source == "Worked example (invented figures)"
    assert supply_map.id == "two-tier"


def test_json_reads_too():
    document = yaml.safe_load(GOOD)
    scenario, _ = parse(json.dumps(document, indent=1))
    assert scenario.baseline("IND", "ore") == 50


def test_unknown_node_names_the_line_and_closest_nodes():
    error, text = rejected("node: ore, cut: 1.0", "node: oar, cut: 1.0")
    assert error.file == "bad.yaml" and error.line == line_of(text, "node: oar") and error.field == "node"
    assert "'oar' is not in map 'two-tier'" in str(error) and "did you mean ore" in str(error)


def test_restricting_country_that_does_not_supply_the_node():
    error, text = rejected("restricting: [CHN]", "restricting: [CHA]")
    assert error.line == line_of(text, "restricting: [CHA]") and error.field == "restricting"
    assert "CHA does not supply 'ore' (suppliers: AUS, CHN)" in str(error) and "did you mean CHN" in str(error)


def test_not_an_iso3_code():
    error, text = rejected("{country: IND, node: ore, units_per_month: 50",
                           "{country: India, node: ore, units_per_month: 50")
    assert error.line == line_of(text, "country: India") and "ISO3" in str(error)


def test_unknown_key_suggests_the_right_one():
    error, _ = rejected("cut: 1.0", "cutt: 1.0")
    assert error.field == "cutt" and "did you mean 'cut'" in str(error)


def test_cut_out_of_range():
    error, text = rejected("cut: 1.0", "cut: 1.5")
    assert error.field == "cut" and error.line == line_of(text, "cut: 1.5") and "at most 1" in str(error)


def test_missing_source():
    error, text = rejected("{country: JPN, node: ore, days: 30.436875, source: example}",
                           "{country: JPN, node: ore, days: 30.436875}")
    assert error.line == line_of(text, "days: 30.436875") and "has no source" in str(error)


def test_spare_capacity_outside_the_partner_group():
    error, _ = rejected("partners: [AUS, JPN, IND]", "partners: [JPN, IND]")
    assert "AUS has spare capacity but is not in `partners:`" in str(error)


def test_stockpile_of_a_country_without_baseline():
    error, text = rejected("{country: JPN, node: ore, days", "{country: KOR, node: ore, days")
    assert error.line == line_of(text, "country: KOR") and "KOR has no `baseline:` entry" in str(error)


def test_substitution_only_where_the_map_allows_it():
    text = GOOD + "  substitution:\n    - {input: ore, output: metal, share: 0.5, source: example}\n"
    with pytest.raises(DataFormatError) as caught:
        parse(text)
    assert caught.value.line == line_of(text, "input: ore, output: metal")
    assert "has substitutes: no" in str(caught.value)


def test_demand_reduction_only_on_end_products():
    text = GOOD + "  demand_reduction:\n    - {node: metal, share: 0.1, source: example}\n"
    with pytest.raises(DataFormatError, match="end products: gadget, widget"):
        parse(text)


def test_material_with_no_node_in_the_map():
    error, _ = rejected("node: ore, cut: 1.0", "material: gallium, cut: 1.0")
    assert "no node of map 'two-tier' is made of material 'gallium'" in str(error)


def test_start_after_the_horizon():
    error, _ = rejected("start_month: 1", "start_month: 13")
    assert "after the horizon of 12 months" in str(error)


def test_unknown_allocation_rule():
    error, text = rejected("months: 12", "months: 12\nallocation: first-come")
    assert "use one of: baseline, max-min, pro-rata" in str(error)
    assert error.line == line_of(text, "allocation:") and error.field == "allocation"


def test_bad_yaml_and_wrong_format():
    with pytest.raises(DataFormatError) as caught:
        parse(GOOD.replace("shocks:", "shocks: [", 1))
    assert "not valid YAML" in str(caught.value)
    error, _ = rejected("format: setu-scenario/1", "format: setu-scenario/9")
    assert error.line == 1 and error.field == "format"


def test_unknown_map_lists_close_matches():
    with pytest.raises(UnknownNameError, match="two-tier"):
        parse(GOOD.replace("map: two_tier_map.yaml", "map: two-tear"))


def test_python_api_errors_name_the_entry():
    supply_map = two_tier_map()
    scenario = Scenario("x", "x", "two-tier", 6, ("JPN",), (Baseline("JPN", "ore", 1.0, CITE),),
                        (Shock(("CHN",), ("oer",), 1.0, 1, 2, CITE),))
    with pytest.raises(UnknownNameError) as caught:
        check_scenario(scenario, supply_map)
    assert caught.value.suggestions == ["ore"]
    scenario = Scenario("x", "x", "two-tier", 6, ("JPN",), (Baseline("JPN", "ore", 1.0, CITE),),
                        (Shock(("IND",), ("ore",), 1.0, 1, 2, CITE),))
    with pytest.raises(ValidationError, match="Shock field 'restricting': IND does not supply 'ore'"):
        compile_scenario(scenario, supply_map)


@pytest.mark.parametrize("make", [
    lambda: Shock(("CHN",), ("ore",), 1.5, 1, 2, CITE),
    lambda: Shock(("CHN",), ("ore",), 0.5, 0, 2, CITE),
    lambda: Baseline("JPN", "ore", 0.0, CITE),
    lambda: Scenario("x", "x", "two-tier", 6, ("JPN", "IND"), (Baseline("JPN", "ore", 1.0, CITE),), ()),
])
def test_python_api_rejects_out_of_range_values(make):
    with pytest.raises(ValidationError):
        make()
