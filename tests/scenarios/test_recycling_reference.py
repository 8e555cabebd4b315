"""Current recycling at the EU's end-of-life recycling input rate (``eol_rir: from_reference``), worked by hand.

The two-tier example of docs/scenarios.md with its ore made of a material whose EoL_RIR the factors table
holds as confirmed, 0.2 here (a test table: ``Test document, 2023 assessment, Table 1, p. 7``), the EU's rate
used as a proxy for JPN. EoL_RIR is the share of use already met from old scrap (inside JPN's 100 t a month
of ore: 20 t), so it adds no flow: CHN (60 % of the ore) stops exports for months 1-6 and cuts only the
primary part of JPN's supply, 0.6 x (1 - 0.2) = 0.48 of baseline, as the SR's (1 - EoL_RIR) term does.

* JPN's gap after recycling: 0.6 x 0.8 = 0.48 of baseline, 48 t; IND's (no recycling): 0.6, 30 t.
* AUS's 20 t spare, pro-rata: 20/78 = 10/39 of each request: JPN 480/39 t = 160/13 t = 8/65 of its baseline,
  IND 300/39 t = 100/13 t = 2/13 of its 50 t.
* JPN's gap after re-sourcing: 0.48 - 8/65 = 156/325 - 40/325 = 116/325 of baseline a month, drawn from its
  1.0 month of stock: 116/325 in months 1 and 2 (232/325), the last 93/325 in month 3 (23/325 unmet), then
  116/325 unmet in months 4, 5 and 6: unmet 23/325 + 348/325 = 371/325 month = 114.15 widgets, TTS 2 months
  (as without recycling: docs/scenarios.md; subtracting 0.2 as a new flow would have given 3).
* IND: unmet 0.6 - 2/13 = 29/65 a month for six months = 174/65 months = 133.85 widgets, TTS 0.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from setu.domain.supply_map import UsgsReference
from setu.errors import DataFormatError
from setu.reference import sr_factors
from setu.scenarios import compile_scenario, parse_scenario, propagate, survival_table
from setu.sources.supply_map import load_map

from .chains import HERE

HEADER = "material_id,factor,value,document,edition,table,page,status,note\n"
CONFIRMED = HEADER + "gallium,EoL_RIR,0.2,Test document,2023,Table 1,7,confirmed,\n"
UNCONFIRMED = HEADER + "gallium,EoL_RIR,,Test document,2023,,,not_confirmed,the table could not be read\n"


def scenario_text(entry: str) -> str:
    text = (HERE / "two_tier.yaml").read_text(encoding="utf-8")
    return text + "  recycling:\n    " + entry + "\n"


def ore_map(tmp_path, material: str | None = "gallium"):
    text = (HERE / "two_tier_map.yaml").read_text(encoding="utf-8")
    if material:
        text = text.replace("    kind: raw\n    unit: t\n    supply: {year: 2023, measure: production, source: example, "
                            "shares: {CHN: 0.6, AUS: 0.4}}",
                            f"    kind: raw\n    unit: t\n    material: {material}\n    supply: {{year: 2023, "
                            "measure: production, source: example, shares: {CHN: 0.6, AUS: 0.4}}", 1)
        assert f"material: {material}" in text
    path = tmp_path / "two_tier_map.yaml"
    path.write_text(text, encoding="utf-8")
    return load_map(path)


def parse(text: str, supply_map, factors: str = CONFIRMED):
    return parse_scenario(text, file="recycled.yaml", load_map=lambda _id: supply_map,
                          factors=sr_factors.parse(factors, file="factors.csv"))


def test_the_recycled_part_of_use_is_the_cited_rate_times_baseline_use(tmp_path):
    scenario, _ = parse(scenario_text("- {country: JPN, node: ore, eol_rir: from_reference}"), ore_map(tmp_path))
    (entry,) = scenario.responses.recycling
    assert entry.units_per_month == pytest.approx(20.0) and entry.from_month == 1
    assert entry.eol_rir == pytest.approx(0.2)
    assert entry.citation.source.startswith("Test document, 2023 assessment, Table 1, p. 7: EU end-of-life "
                                            "recycling input rate of gallium, 20.0%, used as a proxy for JPN")
    assert "already met from old scrap" in entry.citation.source
    assert entry.citation.year == 2023 and entry.citation.confirmed
    assert entry.citation.table == ("0.2 x 100.000 t = 20.000 t a month of current use from old scrap (inside the "
                                    "baseline, not added)")


def test_months_survived_with_recycling_at_the_eol_rir(tmp_path):
    supply_map = ore_map(tmp_path)
    scenario, _ = parse(scenario_text("- {country: JPN, node: ore, eol_rir: from_reference}"), supply_map)
    rows = {(r.importer, r.node): r for r in survival_table(propagate(compile_scenario(scenario, supply_map)))}
    assert rows["JPN", "widget"].time_to_survive == 2
    assert rows["JPN", "widget"].unmet_units == pytest.approx(371 / 325 * 100)
    assert rows["IND", "widget"].time_to_survive == 0
    assert rows["IND", "widget"].unmet_units == pytest.approx(174 / 65 * 50)


def test_a_material_without_a_confirmed_figure_is_an_error_naming_file_entry_and_material(tmp_path):
    text = scenario_text("- {country: JPN, node: ore, eol_rir: from_reference}")
    with pytest.raises(DataFormatError) as caught:
        parse(text, ore_map(tmp_path), UNCONFIRMED)
    error = caught.value
    assert error.file == "recycled.yaml" and error.field == "eol_rir"
    assert error.line == next(i for i, line in enumerate(text.splitlines(), 1) if "eol_rir" in line)
    assert "recycling of JPN at 'ore'" in str(error) and "material 'gallium'" in str(error)
    assert "the table could not be read" in str(error)
    with pytest.raises(DataFormatError, match="material 'cobalt'"):
        parse(text, ore_map(tmp_path, "cobalt"))  # not in the table at all


@pytest.mark.parametrize("entry, field, words", [
    ("- {country: JPN, node: ore, eol_rir: 0.2}", "eol_rir", "takes `from_reference`"),
    ("- {country: JPN, node: ore, eol_rir: from_reference, units_per_month: 5}", "units_per_month", "remove"),
    ("- {country: JPN, node: ore, eol_rir: from_reference, source: example}", "source", "remove"),
    ("- {country: AUS, node: ore, eol_rir: from_reference}", "country", "baseline"),
])
def test_bad_entries_are_located(tmp_path, entry, field, words):
    with pytest.raises(DataFormatError) as caught:
        parse(scenario_text(entry), ore_map(tmp_path))
    assert caught.value.field == field and words in str(caught.value)


def test_a_node_without_a_material_takes_no_rate(tmp_path):
    with pytest.raises(DataFormatError, match="names no material"):
        parse(scenario_text("- {country: JPN, node: ore, eol_rir: from_reference}"), ore_map(tmp_path, None))


def test_the_bundled_table_decides_by_default(tmp_path):
    """With the bundled table, a material is accepted exactly when its EoL_RIR is confirmed there."""
    supply_map = ore_map(tmp_path)
    text = scenario_text("- {country: JPN, node: ore, eol_rir: from_reference}")
    row = sr_factors.confirmed("gallium", "EoL_RIR")
    if row is None:
        with pytest.raises(DataFormatError, match="no confirmed EoL_RIR of material 'gallium'"):
            parse_scenario(text, file="recycled.yaml", load_map=lambda _id: supply_map)
    else:
        scenario, _ = parse_scenario(text, file="recycled.yaml", load_map=lambda _id: supply_map)
        assert scenario.responses.recycling[0].units_per_month == pytest.approx(row.value * 100)


def test_recycling_at_the_eol_rir_lowers_the_exposed_share_as_the_sr_factor_does(tmp_path):
    """Peer: the same scenario with a stated recycling of 0.6 x 0.2 x 100 = 12 t a month, which leaves JPN's
    gap at 0.48 of baseline."""
    supply_map = ore_map(tmp_path)
    by_rate, _ = parse(scenario_text("- {country: JPN, node: ore, eol_rir: from_reference}"), supply_map)
    stated, _ = parse(scenario_text("- {country: JPN, node: ore, units_per_month: 12, source: example}"),
                      supply_map)
    unmet = [{(r.importer, r.node): r.unmet_units
              for r in survival_table(propagate(compile_scenario(s, supply_map)))}[("JPN", "widget")]
             for s in (by_rate, stated)]
    assert unmet[0] == pytest.approx(unmet[1])


def test_a_member_s_own_row_wins_and_a_group_row_applies_only_said_so(tmp_path):
    """A node whose shares are USGS's palladium series reads palladium's row; with only the PGM group's
    confirmed value, that value applies and the citation says it is the group's; a node of the whole group
    reads the group row with no such note."""
    text = scenario_text("- {country: JPN, node: ore, eol_rir: from_reference}")
    palladium = ore_map(tmp_path, "platinum-group-metals")
    ore = palladium.node("ore")
    palladium = replace(palladium, nodes=tuple(
        replace(n, supply=replace(n.supply, usgs=UsgsReference("platinum-group-metals", "palladium", 2023)))
        if n.id == "ore" else n for n in palladium.nodes))
    assert ore.supply is not None
    own = HEADER + ("palladium,EoL_RIR,0.3,Doc P,2023,Table 2,5,confirmed,\n"
                    "platinum-group-metals,EoL_RIR,0.1,Doc G,2023,Table 1,4,confirmed,\n")
    (entry,) = parse(text, palladium, own)[0].responses.recycling
    assert entry.eol_rir == pytest.approx(0.3) and "Doc P" in entry.citation.source
    assert "group" not in entry.citation.source
    group = HEADER + "platinum-group-metals,EoL_RIR,0.1,Doc G,2023,Table 1,4,confirmed,\n"
    (entry,) = parse(text, palladium, group)[0].responses.recycling
    assert entry.eol_rir == pytest.approx(0.1)
    assert "no value for palladium itself is bundled; the document's value for the group" in entry.citation.source
    (entry,) = parse(text, ore_map(tmp_path, "platinum-group-metals"), own)[0].responses.recycling
    assert entry.eol_rir == pytest.approx(0.1) and "itself" not in entry.citation.source
