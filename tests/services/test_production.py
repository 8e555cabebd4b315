from __future__ import annotations

from pathlib import Path

import pytest

from setu.errors import DataFormatError, NotFoundError, UnknownNameError
from setu.services import catalog_admin, production
from setu.settings import Settings
from setu.store import catalog
from setu.services.documents.production import concentration_document
from setu.store.catalog_reader import open_catalog


def _report(reader, material, **options):
    """The concentration document, as `setu concentration --json` prints it."""
    return concentration_document(production.concentration_report(reader, material, **options))


def test_gallium_report(built_catalog: Path) -> None:
    with open_catalog(built_catalog) as reader:
        report = _report(reader, "Gallium")
    assert (report["material"], report["series"], report["year"], report["unit"]) == ("gallium", "primary", 2023, "kg")
    assert report["world_total"] == 610_000
    assert report["shares"][0] == {"country": "CHN", "name": "China", "value": 600_000, "share": pytest.approx(0.983607), "is_estimate": True}
    assert report["hhi"] == pytest.approx(9675.8398, abs=1e-3)
    assert report["group_shares"]["QUAD"] == pytest.approx(3_000 / 610_000, abs=1e-6)
    headroom = {h["country"]: h["headroom"] for h in report["capacity_headroom"]}
    assert headroom["CHN"] == 400_000 and headroom["KOR"] == 14_000
    assert {s["source_id"] for s in report["sources"]} >= {"usgs-mcs2024", "wgi-2023"}


def test_rare_earths_by_synonym_and_year(built_catalog: Path) -> None:
    with open_catalog(built_catalog) as reader:
        latest = _report(reader, "REE")
        earlier = _report(reader, "rare earths", year=2021)
    assert latest["hhi"] == pytest.approx(10_000 * 61_283_874_400 / 122_500_000_000, rel=1e-6)
    assert earlier["year"] == 2021 and earlier["sources"][0]["source_id"] == "usgs-mcs2023"


def test_platinum_group_metals_have_two_series(built_catalog: Path) -> None:
    with open_catalog(built_catalog) as reader:
        platinum = _report(reader, "pgm")
        palladium = _report(reader, "pgm", series="palladium")
        with pytest.raises(UnknownNameError) as caught:
            _report(reader, "pgm", series="rhodium")
    assert platinum["series"] == "platinum" and platinum["shares"][0]["country"] == "ZAF"
    assert palladium["shares"][0]["country"] in {"RUS", "ZAF"}
    assert "palladium" in caught.value.suggestions


def test_germanium_has_no_country_figures(built_catalog: Path) -> None:
    with open_catalog(built_catalog) as reader, pytest.raises(NotFoundError):
        _report(reader, "germanium")


def test_ranking_by_exposure_discounts_own_production(built_catalog: Path) -> None:
    with open_catalog(built_catalog) as reader:
        ranked = production.rank_materials(reader, by="gw_exposure", country="JPN", materials=["gallium", "cobalt"])
    gallium = next(r for r in ranked if r["material"] == "gallium")
    assert gallium["own_share"] == pytest.approx(3_000 / 610_000, abs=1e-6)
    # one stage held (USGS primary gallium): it is the bottleneck
    assert gallium["bottleneck_stage"] == "processing: USGS primary 2023" and len(gallium["stages"]) == 1
    assert gallium["gw_exposure"] == pytest.approx(gallium["gw_hhi_scaled"] * (1 - gallium["own_share"]), rel=1e-4)
    assert ranked[0]["gw_exposure"] >= ranked[1]["gw_exposure"]


def test_the_old_risk_name_is_refused_with_the_new_one(built_catalog: Path) -> None:
    from setu.errors import UnknownNameError

    with open_catalog(built_catalog) as reader, pytest.raises(UnknownNameError, match="gw_exposure"):
        production.rank_materials(reader, by="risk", country="JPN")


def test_exposure_takes_the_bottleneck_of_extraction_and_processing(built_catalog: Path) -> None:
    """Copper: USGS holds mine and refinery production; lithium: USGS mine, IEA refining 2024. Each stage's
    exposure is recomputed from its own table, and the higher is retained."""
    from setu.reference.tables import wgi_risk
    from setu.sources import iea_minerals

    with open_catalog(built_catalog) as reader:
        ranked = {r["material"]: r for r in production.rank_materials(
            reader, by="gw_exposure", country="IND", materials=["copper", "lithium"])}
        refinery = production.concentration_report(reader, "copper", series="refinery", detail=False)
        mine = production.concentration_report(reader, "copper", series="mine", detail=False)
    copper = {s["stage"]: s for s in ranked["copper"]["stages"]}
    assert set(copper) == {"mine", "refinery"}
    for stage, report in (("mine", mine), ("refinery", refinery)):
        assert copper[stage]["exposure"] == pytest.approx(
            report.gw_hhi_scaled * (1 - report.share_of_country("IND")), abs=1e-3)
    assert ranked["copper"]["gw_exposure"] == max(s["exposure"] for s in copper.values())
    refining = iea_minerals.stage_supply("lithium", "refining", 2024)
    risk = wgi_risk()
    by_hand = sum((100 * c.share) ** 2 * risk[c.country] for c in refining.countries if c.country in risk) / 10
    lithium = {s["stage"]: s for s in ranked["lithium"]["stages"]}
    assert lithium["refining"]["gw_hhi_scaled"] == pytest.approx(by_hand, abs=1e-3)
    assert lithium["refining"]["own_share"] == 0.0  # India refines no lithium in the IEA table
    assert ranked["lithium"]["gw_exposure"] == lithium["refining"]["exposure"] > lithium["mine"]["exposure"]
    assert ranked["lithium"]["bottleneck_stage"] == "processing: IEA refining 2024"


GOOD_CSV = (
    "material,country,year,measure,value,unit,source,series\n"
    "gallium,JPN,2024,production,4000,kg,Example ministry yearbook 2025 table 3,primary\n"
    "gallium,China,2024,production,650000,kg,Example ministry yearbook 2025 table 3,primary\n"
    "gallium,World total,2024,production,660000,kg,Example ministry yearbook 2025 table 3,primary\n"
)


def test_import_production_then_query(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "my-gallium.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    result = catalog_admin.import_production(settings, path)
    assert result["rows"] == 3 and result["source_id"] == "user:my-gallium"
    with open_catalog(settings.data_dir) as reader:
        report = _report(reader, "gallium", year=2024)
    assert report["world_total"] == 660_000 and report["sources"][0]["source_id"] == "user:my-gallium"


@pytest.mark.parametrize(
    ("bad_line", "field"),
    [
        ("gallium,Atlantis,2024,production,1,kg,x,primary", "country"),
        ("galium,JPN,2024,production,1,kg,x,primary", "material"),
        ("gallium,JPN,24,production,1,kg,x,primary", "year"),
        ("gallium,JPN,2024,production,-5,kg,x,primary", "value"),
        ("gallium,JPN,2024,production,1,bushel,x,primary", "unit"),
        ("gallium,JPN,2024,production,1,kg,,primary", "source"),
        ("gallium,JPN,2024,output,1,kg,x,primary", "measure"),
    ],
)
def test_a_bad_import_is_located_and_changes_nothing(settings: Settings, tmp_path: Path, bad_line: str, field: str) -> None:
    catalog.build(settings.data_dir)
    before = (settings.data_dir / "catalog.duckdb").read_bytes()
    path = tmp_path / "bad.csv"
    path.write_text(GOOD_CSV + bad_line + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError) as caught:
        catalog_admin.import_production(settings, path)
    assert caught.value.line == 5 and caught.value.field == field
    assert (settings.data_dir / "catalog.duckdb").read_bytes() == before
    assert not (settings.data_dir / "imports" / "production" / "bad.csv").exists()


def test_user_groups(settings: Settings) -> None:
    group = catalog_admin.add_group(settings, "partners", ["QUAD", "Korea"], source="analyst's working set")
    assert group.members == {"AUS", "IND", "JPN", "USA", "KOR"} and group.user_defined
    assert catalog_admin.country_registry(settings).group("PARTNERS").members == group.members
    with pytest.raises(UnknownNameError):
        catalog_admin.add_group(settings, "bad", ["Atlantis"], source="x")


def test_maps_and_catalog_agree_on_governance_weighted_concentration(built_catalog: Path) -> None:
    """A map node that refers to USGS figures gets the catalog's shares, and its governance-weighted HHI
    (0–1 risk) equals the catalog's gw_hhi_scaled (EU 0.1–10 risk, divided by 10)."""
    from setu.maps.vulnerability import node_vulnerabilities
    from setu.reference.tables import wgi_risk_fraction
    from setu.services.maps import MapService

    service = MapService(resolver=production.usgs_supply_resolver(built_catalog), governance_risk=wgi_risk_fraction())
    ict = service.load("ict")
    node = next(v for v in node_vulnerabilities(ict, wgi_risk_fraction()) if v.node == "gallium")
    with open_catalog(built_catalog) as reader:
        report = _report(reader, "gallium", series="primary", year=2023)
    assert node.concentration is not None
    assert node.concentration.hhi == pytest.approx(report["hhi"], rel=1e-6)
    assert node.concentration.governance_hhi == pytest.approx(report["gw_hhi_scaled"], rel=1e-6)
    # a USGS figure kept as dated history (rare-earth mining 2023, under the IEA's 2024 figure) is resolved too
    (past,) = service.load("magnets").node("rare-earth-ore").supply.history
    with open_catalog(built_catalog) as reader:
        rare_earths = _report(reader, "rare-earths", year=2023)
    assert past.usgs is not None and past.shares[0].country == rare_earths["shares"][0]["country"] == "CHN"
    assert past.shares[0].share == pytest.approx(rare_earths["top1_share"], rel=1e-5)


@pytest.mark.parametrize("name", ["palladium", "Pd", "PALLADIUM"])
def test_a_name_that_means_a_series_selects_it(built_catalog: Path, name: str) -> None:
    with open_catalog(built_catalog) as reader:
        report = _report(reader, name)
    # MCS 2024, platinum-group metals table, palladium mine production 2023 (estimated): Russia 92,000 kg
    assert (report["material"], report["series"], report["year"]) == ("platinum-group-metals", "palladium", 2023)
    assert report["shares"][0]["country"] == "RUS" and report["shares"][0]["value"] == 92_000


def test_alumina_selects_the_refinery_series_not_bauxite(built_catalog: Path) -> None:
    with open_catalog(built_catalog) as reader:
        alumina = _report(reader, "alumina")
        bauxite = _report(reader, "bauxite")
        platinum = _report(reader, "Pt")
    assert alumina["series"] == "alumina" and bauxite["series"] == "bauxite" and platinum["series"] == "platinum"
    # MCS 2024: China's alumina refinery output 82,000 kt of a rounded 140,000 kt world total in 2023
    assert alumina["shares"][0]["value"] == 82_000 and alumina["world_total"] == 140_000


def test_silicon_2021_and_2022_follow_the_usgs_combined_table(built_catalog: Path) -> None:
    """MCS 2023's silicon table is one table (ferrosilicon and silicon metal combined); the rows of countries
    making only ferrosilicon belong to it: its world total, 9,150 kt in 2021, includes them."""
    expected_2021 = {"USA": 313, "AUS": 50, "BTN": 85, "BRA": 389, "CAN": 49, "CHN": 6400, "FRA": 127, "DEU": 63,
                     "ISL": 111, "IND": 59, "KAZ": 122, "MYS": 85, "NOR": 362, "POL": 49, "RUS": 644, "ESP": 60,
                     "UKR": 49}
    with open_catalog(built_catalog) as reader:
        report = _report(reader, "silicon", year=2021)
        of_2022 = _report(reader, "silicon", series="silicon-content-all", year=2022)
    assert report["series"] == "silicon-content-all" and report["world_total"] == 9150
    assert {s["country"]: s["value"] for s in report["shares"]} == expected_2021
    assert {s["country"]: s["value"] for s in of_2022["shares"]}["BTN"] == 85
    assert {s["country"]: s["value"] for s in of_2022["shares"]}["UKR"] == 19
