from __future__ import annotations

import csv

import pytest

from setu.errors import UnknownNameError
from setu.reference import tables
from setu.sources.usgs import clean_name


def test_every_country_name_in_the_usgs_files_is_in_the_explicit_table() -> None:
    table = tables.usgs_country_names()
    registry = tables.countries()
    for path in tables.data_path("usgs").glob("mcs*/*.csv"):
        with path.open(encoding="utf-8-sig") as handle:
            for row in list(csv.reader(handle))[1:]:
                if len(row) > 1 and row[1].strip():
                    entry = table[clean_name(row[1])]
                    if entry.entity == "country":
                        assert entry.iso3 in registry.countries, (path.name, row[1])
                    else:
                        assert entry.iso3 is None


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Japane", "JPN"), ("Korea, Republic ofe", "KOR"), ("Congo (Kinshasa)", "COD"), ("Burma", "MMR"),
        ("Russiae", "RUS"), ("New Caledonia11", "NCL"), ("Brazil (beneficiated)", "BRA"), ("Taiwan", "TWN"),
        ("United States1", "USA"), ("Côte d’Ivoire", "CIV"), ("Chinae", "CHN"), ("Korea, North", "PRK"),
    ],
)
def test_usgs_names(name: str, iso3: str) -> None:
    assert tables.usgs_country_names()[name].iso3 == iso3


@pytest.mark.parametrize("name", ["Other countries4", "World total (rounded)", "United States and Canada", "Other"])
def test_aggregates_are_not_countries(name: str) -> None:
    assert tables.usgs_country_names()[name].iso3 is None


def test_every_wgi_name_maps_to_a_known_iso3() -> None:
    risk = tables.wgi_risk()
    assert len(risk) == 213
    assert set(risk) <= set(tables.countries().countries)
    assert all(0.1 - 1e-9 <= value <= 10 + 1e-9 for value in risk.values())
    assert risk["JPN"] < risk["CHN"]  # better governance, lower risk


@pytest.mark.parametrize(
    ("text", "iso3"), [("India", "IND"), ("ind", "IND"), ("JAPAN", "JPN"), ("Korea, Rep.", "KOR"), ("UK", "GBR"), ("Türkiye", "TUR")]
)
def test_resolve_names_and_synonyms(text: str, iso3: str) -> None:
    assert tables.countries().resolve(text) == iso3


def test_unknown_country_suggests_close_names() -> None:
    with pytest.raises(UnknownNameError) as caught:
        tables.countries().resolve("Indai")
    assert "India" in caught.value.suggestions


def test_groups_and_their_sources() -> None:
    registry = tables.countries()
    sizes = {g: len(registry.group(g).members) for g in ["G7", "G20", "QUAD", "OECD", "EU27", "ASEAN"]}
    assert sizes == {"G7": 7, "G20": 19, "QUAD": 4, "OECD": 38, "EU27": 27, "ASEAN": 11}
    assert registry.group("quad").members == {"AUS", "IND", "JPN", "USA"}
    assert all(registry.group(g).source for g in sizes)
    assert registry.resolve_many(["QUAD", "KOR"]) == {"AUS", "IND", "JPN", "USA", "KOR"}


@pytest.mark.parametrize(("text", "material"), [("rare earths", "rare-earths"), ("REE", "rare-earths"), ("Gallium", "gallium"), ("PGMs", "platinum-group-metals")])
def test_material_synonyms(text: str, material: str) -> None:
    assert tables.materials().resolve(text) == material


def test_unknown_material_suggests() -> None:
    with pytest.raises(UnknownNameError) as caught:
        tables.materials().resolve("litium")
    assert "lithium" in caught.value.suggestions
