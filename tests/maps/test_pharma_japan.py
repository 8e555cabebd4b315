"""Japan's stable-supply medicines of category A and its beta-lactam specified critical materials in the
pharmaceutical map: every member found says where it was read, every node of its chain has a cited figure
or says why it has none, MHLW's one molecule-level figure sits on one node and outranks every proxy, and the
count bundled is the count `data/maps/SOURCE.md` says was found."""

from __future__ import annotations

import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest

from setu.domain.supply_map import Citation, Share, Supply
from setu.errors import DataFormatError
from setu.maps import country_dependence, node_vulnerabilities, product_exposure, to_graph
from setu.services.maps import MapService
from setu.sources import pharma_map

DATA = Path(str(resources.files("setu.data.maps")))
TABLE = DATA / "pharma" / "molecules.csv"
BETA_LACTAMS = {"Cefazolin sodium", "Cefmetazole sodium", "Ampicillin sodium and sulbactam sodium",
                "Tazobactam and piperacillin"}


@pytest.fixture(scope="module")
def molecules():
    return pharma_map.read_molecules(TABLE)


@pytest.fixture(scope="module")
def japanese(molecules):
    return [m for m in molecules if m.list in pharma_map.JAPANESE]


@pytest.fixture(scope="module")
def pharma():
    return MapService().load("pharmaceuticals")


def _source_section() -> str:
    text = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    return text.split("### Japan's category A", 1)[1].split("\n## ", 1)[0]


def test_the_count_bundled_is_the_count_the_source_says_it_found(molecules):
    section = _source_section()
    found, total = map(int, re.search(r"Category A medicines found in a document: (\d+) of (\d+)\.", section).groups())
    listed = [m for m in molecules if m.list == "JPN-A"]
    assert (found, total) == (len(listed), 21) == (pharma_map.CATEGORY_A_FOUND, pharma_map.CATEGORY_A_TOTAL)
    # the SOURCE table names the same ingredients, in Japanese as listed, each with category A
    block = section.split("| ingredient (as listed) |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1:-1] for line in block.splitlines()[2:]]  # after the header's rest and the rule
    table = {cells[0].strip(): cells[2].strip() for cells in rows}
    assert table == {m.name_ja: "A" for m in listed}
    assert "Not found in a document: the other 17 members of category A" in section


def test_the_specified_critical_materials_are_the_four_beta_lactams_and_not_counted_as_category_a(molecules):
    inferred = {m.product for m in molecules if m.list == "JPN-SCM"}
    assert inferred | {"Cefazolin sodium"} == BETA_LACTAMS
    assert not inferred & {m.product for m in molecules if m.list == "JPN-A"}
    for api in ("cefmetazole-api", "ampicillin-sulbactam-api", "tazobactam-piperacillin-api"):
        assert pharma_map.INFERRED_A in MapService().load("pharmaceuticals").node(api).notes, api


def test_every_japanese_member_names_its_document(japanese, pharma):
    assert len(japanese) == 7
    for molecule in japanese:
        stage = pharma_map.PRODUCT_STAGE[molecule.product_stage]
        node_id = next(i for (i, _), s in zip(molecule.chain, molecule.stages, strict=True) if s == stage)
        notes = pharma.node(node_id).notes
        assert f"{molecule.product} ({molecule.name_ja})" in notes, molecule.product
        document = pharma_map.SEEN_IN[molecule.seen_in]
        assert f"list membership read in: {document}" in notes, molecule.product
        assert "https://" in document, molecule.seen_in
        assert re.search(r"\b20\d\d\b", document) or "date not shown" in document, molecule.seen_in  # never guessed


def test_every_japanese_chain_node_has_a_cited_figure_or_says_why_not(japanese, pharma):
    scores = {v.node: v for v in node_vulnerabilities(pharma)}
    for molecule in japanese:
        for (node_id, _name), stage in zip(molecule.chain, molecule.stages, strict=True):
            score = scores[node_id]
            assert score.concentration_score is None, node_id
            assert score.reason.startswith(("no figure", "only a proxy, not ranked")), node_id
            if stage != "finished dose":  # MHLW surveyed the raw materials and the API, not the formulation
                assert "does not publish them by ingredient" in pharma.node(node_id).no_figure, node_id
    for api in pharma_map.BETA_LACTAM_APIS:
        inputs = {e.input for e in pharma.edges if e.output == api}
        assert "beta-lactam-raw-materials-japan" in inputs, api
        assert "single country" in pharma.node(api).notes


def test_mhlw_raw_material_figure_is_cited_once_and_is_a_chokepoint_for_japan(pharma):
    node = pharma.node("beta-lactam-raw-materials-japan")
    (entry,) = node.imports
    assert (entry.importer, entry.supply.year, entry.supply.shares) == (
        "JPN", 2023, (Share("CHN", 1.0, bound="upper", as_written="almost 100 % (ほぼ100%)"),))
    assert "meeting" in entry.supply.note and "older" in entry.supply.note  # what the year means
    citation = entry.supply.citation
    assert "24 Jan 2025" in citation.source and citation.url == "https://www.mhlw.go.jp/stf/newpage_49702.html"
    assert citation.confirmed is True and "almost 100 %" in entry.supply.measure
    assert "category A" not in node.name  # three of the four memberships are inferred, not read
    assert {e.output for e in pharma.edges if e.input == node.id} == set(pharma_map.BETA_LACTAM_APIS)
    score = next(v for v in node_vulnerabilities(pharma) if v.node == node.id)
    assert score.basis == "imports of JPN" and score.chokepoint.startswith("near-single supplier country of JPN")
    assert "CHN ≤100% (upper bound, as written: almost 100 % (ほぼ100%))" in score.chokepoint
    assert score.measure.startswith("share of the raw materials") and "upper bounds" in score.bound
    assert score.concentration_score == pytest.approx(1.0)
    row = next(r for r in country_dependence(pharma, "JPN") if r.node == node.id)
    assert (row.top_other_country, row.top_other_share, row.outside_share) == ("CHN", 1.0, 1.0)


def test_no_proxy_outranks_the_cited_figures_on_japanese_chains(japanese, pharma):
    apis = {i for m in japanese for (i, _), s in zip(m.chain, m.stages, strict=True) if s == "API"}
    assert len(apis) == 7
    ranked = node_vulnerabilities(pharma)
    order = [v.node for v in ranked]
    cited = [i for i, v in enumerate(ranked) if v.concentration_score is not None]
    for api in apis:
        node = pharma.node(api)
        assert node.supply is None and node.proxy is not None and node.proxy.shares[0].country == "USA"
        assert "proxy" in ranked[order.index(api)].reason and max(cited) < order.index(api)
    # even a proxy claiming 100 % for one supplier stays unranked, below the cited figure
    monopoly = Supply(2025, Citation("site counts", 2025), "sites (proxy)", (Share("USA", 1.0),))
    nodes = tuple(replace(n, proxy=monopoly) if n.id in apis else n for n in pharma.nodes)
    both = replace(pharma, nodes=nodes)
    again = node_vulnerabilities(both)
    assert again[0].node == "beta-lactam-raw-materials-japan"
    assert all(v.chokepoint is None and v.concentration_score is None for v in again if v.node in apis)
    for product in ("ciclosporin-formulations", "cefmetazole-injection", "tazobactam-piperacillin-injection"):
        assert "USA" not in {c.country for c in product_exposure(both, to_graph(both), product).countries}


def test_a_japanese_row_without_its_japanese_name_is_rejected(tmp_path):
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    row = next(r for r in rows if r.startswith("JPN-A,") and "シクロスポリン" in r)
    broken = tmp_path / "molecules.csv"
    broken.write_text("\n".join([header, row.replace("シクロスポリン", "")]) + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError) as error:
        pharma_map.read_molecules(broken)
    assert (error.value.line, error.value.field) == (2, "name_ja") and str(broken) in str(error.value)
