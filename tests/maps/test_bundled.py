"""Every bundled map loads, validates and cites its figures; generated figures trace to their files."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest
import yaml

from setu.domain.supply_map import Sector
from setu.reference import concordance
from setu.services.maps import MapService, bundled_map_files
from setu.sources import cset
from setu.sources.fda_establishments import api_site_counts

DATA = Path(str(resources.files("setu.data.maps")))
MAP_IDS = sorted(bundled_map_files())


def test_all_five_sectors_are_covered():
    sectors = {MapService().load(map_id).sector for map_id in MAP_IDS}
    node_sectors = {node.sector for map_id in MAP_IDS for node in MapService().load(map_id).nodes}
    assert sectors | node_sectors == set(Sector)
    assert {"semiconductors", "batteries", "magnets", "solar-pv", "hydrogen-ammonia", "ict", "pharmaceuticals"} <= set(
        MAP_IDS
    )


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_bundled_map_loads_and_every_figure_is_cited(map_id, resolver):
    supply_map = MapService(resolver=resolver).load(map_id)
    assert supply_map.id == map_id
    assert supply_map.end_products
    for node in supply_map.nodes:
        for supply in (
            [node.supply] + [entry.supply for entry in node.imports]
            if node.supply
            else [entry.supply for entry in node.imports]
        ):
            assert supply.citation.source and supply.year >= 2019
            assert supply.citation.year >= supply.year
            assert supply.measure
        if node.supply is None and not node.imports:
            assert node.no_figure or node.providers, f"{map_id}:{node.id} has no figures and does not say why"


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_bundled_map_validates_as_a_user_file(map_id):
    summary = MapService().validate(bundled_map_files()[map_id])
    assert summary.nodes > 0 and summary.edges > 0


def test_usgs_references_reach_the_resolver(resolver):
    supply_map = MapService(resolver=resolver).load("ict")
    assert ("gallium", "primary", 2023) in resolver.calls
    gallium = supply_map.node("gallium").supply
    assert gallium.shares[0].country == "CHN" and gallium.shares[0].share == pytest.approx(600 / 610)


def test_semiconductor_map_is_what_the_converter_builds_from_the_bundled_csv():
    built = cset.build_document(DATA / "cset")
    on_disk = yaml.safe_load((DATA / "semiconductors.yaml").read_text(encoding="utf-8"))
    assert built == on_disk


def test_semiconductor_shares_trace_to_provision_csv():
    with (DATA / "cset" / "provision.csv").open(encoding="utf-8") as handle:
        rows = {(r["provider_name"], r["provided_name"]): r for r in csv.DictReader(handle)}
    supply_map = MapService().load("semiconductors")
    euv = supply_map.node("euv-lithography-tools").supply
    assert [(s.country, s.share) for s in euv.shares] == [("NLD", 1.0)]
    assert float(rows[("NLD", "EUV lithography tools")]["share_provided"]) == 100.0
    wafer = {s.country: s.share for s in supply_map.node("wafer").supply.shares}
    assert wafer["JPN"] == float(rows[("JPN", "Wafer")]["share_provided"]) / 100
    fab = supply_map.node("fabricated-wafer").proxy  # CSET's all-node capacity: a proxy for advanced logic
    assert dict(fab.others)["Europe"] == pytest.approx(0.08) and "EUR" not in {s.country for s in fab.shares}
    assert supply_map.licence.startswith("CC BY-NC 4.0") and "CSET" in supply_map.attribution
    assert (DATA / "cset" / "LICENSE.md").exists()


def test_pharmaceutical_api_shares_are_the_fda_site_counts():
    counts = api_site_counts()
    assert counts.total == 2452 and counts.unattributed == 1
    assert (counts.by_country["USA"], counts.by_country["IND"], counts.by_country["CHN"]) == (539, 527, 499)
    node = MapService().load("pharmaceuticals").node("amoxicillin-api")
    assert node.supply is None  # a count of sites for all APIs is a proxy for a molecule: shown, not ranked
    supply = node.proxy
    for share in supply.shares:
        assert share.share == pytest.approx(counts.share(share.country), abs=5e-5)
    listed = {s.country for s in supply.shares}
    rest = sum(v for c, v in counts.by_country.items() if c not in listed) / counts.total
    assert dict(supply.others)["41 other countries with fewer than 20 sites each"] == pytest.approx(rest, abs=5e-5)


def test_unconfirmed_figures_are_marked():
    supply_map = MapService().load("pharmaceuticals")
    india = supply_map.node("bulk-drugs-india").imports[0]
    assert india.importer == "IND" and india.supply.citation.confirmed is False
    assert supply_map.node("amoxicillin-api").proxy.citation.confirmed is True


def test_usgs_references_name_series_the_catalog_knows():
    """Checked against the catalog's series table when it is present in this tree."""
    table = resources.files("setu.data.reference").joinpath("usgs_series.csv")
    if not table.is_file():
        pytest.skip("the catalog's USGS series table is not in this tree")
    with table.open(encoding="utf-8") as handle:
        known = {(row["material_id"], row["series"]) for row in csv.DictReader(handle)}
    for map_id in MAP_IDS:
        for node in MapService().load(map_id).nodes:
            if node.supply is not None and node.supply.usgs is not None:
                reference = node.supply.usgs
                assert (reference.material, reference.series) in known, f"{map_id}:{node.id}"


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_node_hs_codes_agree_with_the_material_concordance(map_id):
    """Where the one material concordance knows a node's HS 2017 code, the code is that of the node's
    material (when the node names one), and of a material at all."""
    known = {link.hs6 for link in concordance.links()}
    for node in MapService().load(map_id).nodes:
        for code in (c.code for c in node.hs if c.revision == "HS2017" and c.code in known):
            materials = {link.material_id for link in concordance.for_code(code)}
            assert materials - {None}, (map_id, node.id, code)
            assert node.material is None or node.material in materials, (map_id, node.id, code, materials)
