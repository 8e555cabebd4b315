"""Map nodes that take the IEA Critical Minerals Data Explorer's mining and refining shares: the shares equal
the bundled file's volumes over its world total (recomputed here with the json module only), older figures
stay as dated history, and bad references are located errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.errors import DataFormatError, ValidationError
from setu.reference.tables import data_path
from setu.services.maps import MapService
from setu.sources import iea_minerals
from setu.sources.supply_map import parse_map

IEA = json.loads(data_path("iea", "iea_critical_minerals_data_explorer.json").read_text(encoding="utf-8"))


def expected(sheet: str, stage: str, country: str) -> float:
    table = IEA["supply"][sheet][stage]
    return table["countries"][country]["2024"] / table["total"]["2024"]


def shares(map_id: str, node_id: str) -> dict[str, float]:
    supply = MapService().load(map_id).node(node_id).supply
    return {s.country: s.share for s in supply.shares}


def test_refined_cobalt_is_the_iea_2024_refining_table():
    got = shares("batteries", "refined-cobalt")
    assert got["CHN"] == pytest.approx(expected("Cobalt", "refining", "China"))
    assert got["FIN"] == pytest.approx(expected("Cobalt", "refining", "Finland"))
    assert got["JPN"] == pytest.approx(expected("Cobalt", "refining", "Japan"))
    assert round(got["CHN"], 3) == 0.784  # 196.1 of 250.1 kt
    assert set(got) == {"CHN", "FIN", "JPN", "IDN", "CAN"}


def test_separated_rare_earths_and_lithium_chemicals():
    oxides = shares("magnets", "rare-earth-oxides")
    assert oxides == pytest.approx({
        "CHN": expected("Rare Earth Elements", "refining", "China"),
        "MYS": expected("Rare Earth Elements", "refining", "Malaysia"),
        "USA": expected("Rare Earth Elements", "refining", "United States"),
    })  # Australia's 0.0 is left out
    lithium = shares("batteries", "lithium-chemicals")
    assert lithium["CHN"] == pytest.approx(expected("Lithium", "refining", "China"))
    assert lithium["CHL"] == pytest.approx(expected("Lithium", "refining", "Chile"))


def test_nickel_mining_shares_are_of_the_iea_total_not_of_the_rows():
    """The listed rows add up to 3,961 kt against a total of 3,861 kt: 'Rest of world' still holds Australia."""
    supply = MapService().load("batteries").node("nickel").supply
    got = {s.country: s.share for s in supply.shares}
    assert got["IDN"] == pytest.approx(2463 / 3861)
    assert got["AUS"] == pytest.approx(expected("Nickel", "mining", "Australia"))
    listed = sum(v["2024"] for k, v in IEA["supply"]["Nickel"]["mining"]["countries"].items() if k != "Rest of world")
    assert dict(supply.others)["Rest of world"] == pytest.approx(1 - listed / 3861)
    assert supply.coverage + dict(supply.others)["Rest of world"] == pytest.approx(1.0)


def test_older_figures_stay_as_dated_history():
    supply = MapService().load("batteries").node("refined-cobalt").supply
    assert supply.year == 2024 and supply.measure == "refining volume"
    assert "Critical Minerals Data Explorer" in supply.citation.source and "2024" in supply.citation.source
    assert supply.iea is not None and "base year 2024" in supply.iea.edition
    (past,) = supply.history
    assert past.year == 2019 and past.citation.source.startswith("IEA (2021)") and not past.citation.confirmed
    assert {s.country: s.share for s in past.shares} == {"CHN": 0.65, "FIN": 0.10, "BEL": 0.05}
    assert "BEL" not in {s.country for s in supply.shares}


def test_usgs_history_is_still_resolved(resolver):
    supply = MapService(resolver=resolver).load("magnets").node("rare-earth-ore").supply
    assert supply.year == 2024 and supply.shares[0].country == "CHN"
    (past,) = supply.history
    assert past.usgs is not None and past.year == 2023
    assert past.shares[0].share == pytest.approx(240_000 / 350_000)
    assert ("rare-earths", "mine", 2023) in resolver.calls


MAP = """format: setu-map/1
id: t
name: T
sector: critical-minerals
version: "1"
nodes:
  - id: ore
    name: Ore
    kind: raw
    unit: t
    supply:
{supply}
  - id: metal
    name: Metal
    kind: refined
    unit: t
edges:
  - {{input: ore, output: metal, substitutes: no}}
"""


def load(supply: str):
    return parse_map(MAP.format(supply=supply), file="t.yaml")


def test_a_projection_year_is_rejected_at_its_line():
    with pytest.raises(DataFormatError) as error:
        load("      iea: {material: cobalt, stage: refining, year: 2030}")
    assert error.value.line == 12 and error.value.field == "year"
    assert "projection" in str(error.value) and "2024" in str(error.value)


def test_an_unknown_mineral_names_the_closest():
    with pytest.raises(DataFormatError) as error:
        load("      iea: {material: cobolt, stage: mining, year: 2024}")
    assert error.value.line == 12 and error.value.field == "material" and "cobalt" in str(error.value)
    with pytest.raises(DataFormatError) as error:
        load("      iea: {material: cobalt, stage: refning, year: 2024}")
    assert error.value.field == "stage" and "refining" in str(error.value)


def test_history_must_be_older_than_the_current_figure():
    with pytest.raises(ValidationError) as error:
        load(
            "      iea: {material: cobalt, stage: mining, year: 2024}\n"
            "      history:\n"
            "        - {year: 2025, measure: mine production, source: a report, shares: {COD: 0.7}}"
        )
    assert "t.yaml:14: field 'year'" in str(error.value) and "not older" in str(error.value)


def test_iea_reference_and_listed_shares_are_not_mixed():
    with pytest.raises(DataFormatError) as error:
        load("      iea: {material: cobalt, stage: mining, year: 2024}\n      shares: {COD: 0.7}")
    assert error.value.line == 13 and error.value.field == "shares"


def test_history_inside_history_is_rejected():
    with pytest.raises(DataFormatError) as error:
        load(
            "      iea: {material: cobalt, stage: mining, year: 2024}\n"
            "      history:\n"
            "        - year: 2019\n"
            "          measure: mine production\n"
            "          source: a report\n"
            "          shares: {COD: 0.7}\n"
            "          history: []"
        )
    assert error.value.field == "history" and error.value.line == 18


def test_an_unknown_country_name_in_the_file_is_rejected(tmp_path: Path):
    broken = json.loads(json.dumps(IEA))
    rows = broken["supply"]["Cobalt"]["mining"]["countries"]
    rows["DR Kongo"] = rows.pop("Democratic Republic of Congo")
    path = tmp_path / "iea.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(DataFormatError) as error:
        iea_minerals.load_supply(path)
    assert error.value.field == "supply.Cobalt.mining.countries" and "DR Kongo" in str(error.value)


TABLES = sorted(iea_minerals.load_supply())


@given(st.sampled_from(TABLES))
def test_every_table_shares_and_residual_make_the_whole(key):
    table = iea_minerals.load_supply()[key]
    assert all(0 < c.share <= 1 for c in table.countries)
    assert sum(c.share for c in table.countries) <= 1 + 1e-9  # listed countries never exceed the world total
    assert sum(c.share for c in table.countries) + table.residual == pytest.approx(1.0)
    assert [c.volume_kt for c in table.countries] == sorted((c.volume_kt for c in table.countries), reverse=True)
