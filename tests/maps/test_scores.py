"""What an expert reads off `maps vulnerabilities`: one score definition, chokepoints first whatever the
governance, every figure cited and its own, producers named where shares are not, and a reason where there
is no figure."""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import pairwise
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from setu.cli.maps import app
from setu.domain.supply_map import Citation, Provider, Providers, Share, Substitutes, Supply
from setu.maps import SCORE_DEFINITION, chokepoints, node_vulnerabilities, to_graph
from setu.services.maps import MapService, bundled_map_files
from setu.sources import pharma_map
from setu.sources.supply_map import parse_map
from setu.web.chain import chain_document
from setu.web.map_report import risk_colour

DATA = Path(str(resources.files("setu.data.maps")))
MAP_IDS = sorted(bundled_map_files())
runner = CliRunner()


def by_node(supply_map, risk=None):
    return {v.node: v for v in node_vulnerabilities(supply_map, risk)}


@pytest.mark.parametrize("risk", [0.0, 0.01, 1.0])
def test_a_single_country_stage_is_a_chokepoint_whatever_its_governance(diamond, risk):
    """right: AUS 100 %. Governance risk 0 makes its governance-weighted score 0, and it still ranks first."""
    everyone = {"AUS": risk, "CHN": 1.0, "IND": 1.0, "JPN": 1.0}
    ranked = node_vulnerabilities(diamond, everyone)
    assert ranked[0].node == "right" and ranked[0].chokepoint.startswith("single country: AUS 100%")
    assert ranked[0].concentration_score == pytest.approx(1.0)
    assert ranked[0].governance_weighted_score == pytest.approx(risk)
    assert all(v.chokepoint is None for v in ranked[1:])
    needed = replace(diamond, edges=tuple(replace(e, substitutes=Substitutes.NO) for e in diamond.edges))
    rows = chokepoints(needed, to_graph(needed), "part")
    assert rows[0].node == "right" and rows[0].single_source
    assert all(row.single_source == (row.node == "right") for row in rows)


def test_only_the_single_supplier_row_of_a_chokepoint_ranks_first():
    """Crystal machining tools: Japan 99.7 %, the United States 0.1 %. Japan's row is the chokepoint; the
    0.1 % row ranks by its own loss share, below electrochemical plating's 99.4 %."""
    semis = MapService().load("semiconductors")
    rows = chokepoints(semis, to_graph(semis), "finished-logic-chip")
    machining = {r.country: r for r in rows if r.node == "crystal-machining-tools"}
    assert machining["JPN"].single_source and not machining["USA"].single_source
    order = [(r.node, r.country) for r in rows]
    assert order.index(("crystal-machining-tools", "JPN")) < order.index(("electrochemical-plating-tools", "USA"))
    assert order.index(("electrochemical-plating-tools", "USA")) < order.index(("crystal-machining-tools", "USA"))
    assert all(r.loss_share >= 0.995 for r in rows if r.single_source)


def test_euv_lithography_is_a_single_firm_chokepoint_ranked_above_the_mined_inputs():
    semis = MapService().load("semiconductors")
    risk = {"NLD": 0.05, "CHN": 0.7, "USA": 0.2}  # reliable NLD: a low governance-weighted score
    ranked = node_vulnerabilities(semis, risk)
    order = [v.node for v in ranked]
    euv = ranked[order.index("euv-lithography-tools")]
    assert euv.chokepoint.startswith("single firm: ASML (NLD) 100%")
    assert euv.governance_weighted_score == pytest.approx(0.05) and euv.concentration_score == pytest.approx(1.0)
    assert order.index("euv-lithography-tools") < 5 and all(v.chokepoint for v in ranked[: order.index(
        "euv-lithography-tools")])
    scored = [i for i, v in enumerate(ranked) if v.concentration_score is not None]
    assert order.index("germanium") in scored and max(scored) < order.index("electronic-gases")
    assert "silicon" not in order  # silicon metal is not chip-grade polysilicon
    poly = ranked[order.index("electronic-grade-polysilicon")]
    assert poly.concentration_score is None and "electronic-grade polysilicon" in poly.reason


def test_a_stage_with_providers_but_no_share_figure_lists_them_and_says_so():
    semis = MapService().load("semiconductors")
    gases = by_node(semis)["electronic-gases"]
    assert gases.concentration_score is None and gases.reason.startswith("no share figure")
    assert {"Showa Denka (JPN)", "Linde (DEU)", "Air Liquide (FRA)"} <= set(gases.providers)
    assert gases.chokepoint is None  # six countries named
    rows = json.loads(runner.invoke(app, ["vulnerabilities", "semiconductors", "--json"]).output)["rows"]
    row = next(r for r in rows if r["node"] == "electronic-gases")
    assert "Showa Denka (JPN)" in row["providers"] and "no share figure" in row["no_score_because"]


def test_photoresists_carry_the_cited_japanese_share_beside_the_producers_cset_names():
    """CSET names the resist makers without shares; Nikkei (via TrendForce, 2025, unconfirmed) gives Japanese
    producers about 91 % of the market: a lower bound of 0.91^2 = 0.8281, ranked with the other figures."""
    semis = MapService().load("semiconductors")
    resists = by_node(semis)["photoresists"]
    assert resists.concentration_score == pytest.approx(0.8281) and resists.basis == "world supply"
    assert {"JSR (JPN)", "Tokyo Ohka Kogyo (JPN)", "Shin-Etsu (JPN)", "Fujifilm (JPN)"} <= set(resists.providers)
    supply = semis.node("photoresists").supply
    assert supply.citation.confirmed is False and "TrendForce" in supply.citation.source


def test_providers_all_in_one_country_make_a_chokepoint_without_a_share():
    semis = MapService().load("semiconductors")
    named = Providers(2019, Citation("a source", 2019), (Provider("JPN", "JSR"), Provider("JPN", "TOK")))
    nodes = tuple(replace(n, providers=named) if n.id == "electronic-gases" else n for n in semis.nodes)
    resists = by_node(replace(semis, nodes=nodes))["electronic-gases"]
    assert resists.chokepoint.startswith("single country: JPN") and resists.concentration_score is None


def test_a_proxy_never_outranks_a_cited_figure_even_at_one_hundred_percent():
    pharma = MapService().load("pharmaceuticals")
    monopoly = Supply(2025, Citation("site counts", 2025), "sites (proxy)", (Share("USA", 1.0),))
    nodes = tuple(replace(n, proxy=monopoly) if n.id == "paracetamol-api" else n for n in pharma.nodes)
    ranked = node_vulnerabilities(replace(pharma, nodes=nodes))
    order = [v.node for v in ranked]
    api = ranked[order.index("paracetamol-api")]
    assert api.chokepoint is None and api.concentration_score is None and "proxy" in api.reason
    cited = [i for i, v in enumerate(ranked) if v.concentration_score is not None]
    assert cited and max(cited) < order.index("paracetamol-api")


def _figures(supply_map):
    """Every scored figure of a map: world supply, a USGS or IEA reference, and importer shares."""
    for node in supply_map.nodes:
        supply = node.supply
        if supply is not None and (supply.usgs or supply.iea):
            yield node.id, ("reference", supply.usgs, supply.iea)
        elif supply is not None:
            yield node.id, (supply.citation.source, supply.year, supply.shares, supply.firms)
        for entry in node.imports:
            yield node.id, (entry.importer, entry.supply.citation.source, entry.supply.year, entry.supply.shares)


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_no_figure_is_copied_from_one_node_to_another(map_id):
    holders = defaultdict(list)
    for node_id, figure in _figures(MapService().load(map_id)):
        holders[figure].append(node_id)
    copied = {nodes[0]: nodes for nodes in holders.values() if len(nodes) > 1}
    assert not copied, f"{map_id}: the same figure on several nodes: {copied}"


def test_a_copied_figure_is_caught():
    """The check above would catch the old solar map, where four stages shared one "China > 80 %" figure."""
    text = (DATA / "solar-pv.yaml").read_text(encoding="utf-8").replace("CHN: 0.85", "CHN: 0.97")
    holders = defaultdict(list)
    for node_id, figure in _figures(parse_map(text, file="solar-pv.yaml")):
        holders[figure].append(node_id)
    assert ["wafers", "cells"] in holders.values()


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_every_node_has_a_cited_figure_or_says_why_not(map_id, resolver):
    for v in node_vulnerabilities(MapService(resolver=resolver).load(map_id)):
        if v.concentration_score is None:
            assert v.reason and ("no figure" in v.reason or "no share figure" in v.reason), (map_id, v.node)
            assert "catalog not loaded" not in v.reason  # the resolver ran: say what the catalog lacks
            assert not v.reason.endswith("the map gives none"), (map_id, v.node)
        else:
            assert v.basis in ("world supply",) or v.basis.startswith("imports of"), (map_id, v.node)


def test_a_usgs_series_without_country_figures_says_so_once_the_catalog_is_there():
    text = """
format: setu-map/1
id: ge
name: Germanium
sector: semiconductors
version: "1"
nodes:
  - {id: germanium, name: Germanium, kind: raw, unit: kg, supply: {usgs: {material: germanium, series: refinery, year: 2023}}}
  - {id: chip, name: Chip, kind: end-product, unit: unit}
edges:
  - {input: germanium, output: chip, substitutes: no}
"""
    without = by_node(parse_map(text, file="ge.yaml"))["germanium"]
    assert "catalog not loaded" in without.reason
    built = by_node(parse_map(text, file="ge.yaml", resolver=lambda material, series, year: []))["germanium"]
    assert "the catalog has no country shares for germanium" in built.reason


def test_solar_stages_carry_their_own_iea_figures_wafers_highest():
    solar = MapService().load("solar-pv")
    china = {stage: solar.node(stage).supply.shares[0] for stage in ("polysilicon", "wafers", "cells", "modules")}
    assert {k: (s.country, s.share) for k, s in china.items()} == {
        "polysilicon": ("CHN", 0.79), "wafers": ("CHN", 0.97), "cells": ("CHN", 0.85), "modules": ("CHN", 0.75)}
    ranked = [v.node for v in node_vulnerabilities(solar)]
    assert ranked[0] == "wafers" and ranked.index("cells") < ranked.index("polysilicon") < ranked.index("modules")


def test_silver_sits_with_the_cells_it_feeds_not_in_the_silicon_metal_stage():
    """Silver paste metallises cells; counting it in "silicon metal" made that stage's row speak for silver."""
    solar = MapService().load("solar-pv")
    assert solar.node("silver").stage == "cell materials"
    assert {e.output for e in solar.edges if e.input == "silver"} == {"cells"}
    members = {stage: [n.id for n in solar.nodes if n.stage == stage] for stage in {n.stage for n in solar.nodes}}
    assert members["silicon metal"] == ["silicon"]


def test_magnets_carry_heavy_rare_earths_and_say_why_boron_ranks_where_it_does():
    magnets = MapService().load("magnets")
    heavy = by_node(magnets)["heavy-rare-earths"]
    assert heavy.chokepoint.startswith("single country: CHN 99.9%") and heavy.concentration_score > 0.99
    assert "heavy-rare-earths" in {e.input for e in magnets.edges if e.output == "rare-earth-metals"}
    assert "Why boron ranks" in magnets.node("boron").notes
    metals = by_node(magnets)["rare-earth-metals"]  # no world figure: one importer's, labelled as such
    assert metals.basis == "imports of USA" and metals.concentration.top1_country == "CHN"
    assert metals.concentration_score == pytest.approx(78.2**2 / 10_000)
    assert [h.year for h in magnets.node("rare-earth-metals").imports[0].supply.history] == [2023]


def test_the_pharmaceutical_map_covers_the_pli_list_at_molecule_level():
    molecules = pharma_map.read_molecules(DATA / "pharma" / "molecules.csv")
    pli = [m for m in molecules if m.list == "IND-PLI"]
    assert len(pli) == 41 and len({m.product for m in pli}) == 41
    assert {s: sum(m.segment == s for m in pli) for s in ("I", "II", "III", "IV")} == {
        "I": 4, "II": 10, "III": 4, "IV": 23}
    # category A (21 ingredients): the four the documents checked name
    assert {m.product for m in molecules if m.list == "JPN-A"} == {
        "Cefazolin sodium", "Ciclosporin (cyclosporine)", "Adrenaline (epinephrine)", "Acetaminophen (rectal)"}
    pharma = MapService().load("pharmaceuticals")
    graph = to_graph(pharma)
    for molecule in molecules:
        ids = [node_id for node_id, _name in molecule.chain]
        assert [pharma.node(i).stage for i in ids] == list(molecule.stages)
        assert molecule.stages[0] == "key starting material" and molecule.stages[-2:] == ("API", "finished dose")
        assert all(graph.has_edge(a, b) for a, b in pairwise(ids)), molecule.product
    scores = by_node(pharma)
    for molecule in molecules:
        for node_id, _name in molecule.chain:
            assert scores[node_id].concentration_score is None and "no figure" in scores[node_id].reason


def test_pharmaceutical_map_is_what_the_generator_builds():
    built = pharma_map.build_document(DATA / "pharma" / "molecules.csv")
    assert yaml.safe_load((DATA / "pharmaceuticals.yaml").read_text(encoding="utf-8")) == built


def test_importer_figures_are_scored_with_their_basis():
    india = by_node(MapService().load("pharmaceuticals"))["bulk-drugs-india"]
    assert india.basis == "imports of IND" and india.concentration.top1_country == "CHN"
    assert india.concentration_score == pytest.approx(67.56**2 / 10_000)  # a lower bound: only China listed


def test_one_definition_in_cli_help_json_web_and_docs():
    assert "HHI/10,000" in SCORE_DEFINITION and "governance" in SCORE_DEFINITION
    help_text = " ".join(runner.invoke(app, ["vulnerabilities", "--help"], terminal_width=400).output.split())
    assert "concentration score = HHI/10,000 x (1 - substitutability)" in help_text
    document = json.loads(runner.invoke(app, ["vulnerabilities", "magnets", "--json"]).output)
    assert document["score_definition"] == SCORE_DEFINITION
    assert {"concentration_score", "governance_weighted_score", "concentration_hhi", "governance_weighted_hhi",
            "chokepoint"} <= set(document["rows"][0]) and "hhi" not in document["rows"][0]
    docs = (Path(__file__).parents[2] / "docs" / "maps.md").read_text(encoding="utf-8")
    quoted = " ".join(line.removeprefix("> ") for line in docs.splitlines())  # the docs quote it as a block
    assert SCORE_DEFINITION in " ".join(quoted.split())


def test_the_page_document_shows_both_scores_and_colours_by_concentration():
    service = MapService(governance_risk={"NLD": 0.05})
    semis = service.load("semiconductors")
    nodes, stages = service.vulnerabilities(semis)
    document = chain_document(semis, to_graph(semis), nodes, stages, [])
    euv = next(n for n in document["nodes"] if n["id"] == "euv-lithography-tools")
    assert euv["chokepoint"].startswith("single firm: ASML")
    assert (euv["concentration_score"], euv["governance_weighted_score"]) == (pytest.approx(1.0), pytest.approx(0.05))
    assert euv["colour"] == risk_colour(1.0) != risk_colour(0.05)
    assert SCORE_DEFINITION in document["method"] and "hhi" not in euv and "score" not in euv
    gases = next(n for n in document["nodes"] if n["id"] == "electronic-gases")
    assert "Showa Denka (JPN)" in gases["providers"] and gases["no_score_reason"].startswith("no share figure")
    assert document["stages"][0]["chokepoints"]


def test_each_pharmaceutical_no_figure_reason_names_its_own_node_whole():
    """The reason names the node as its name reads, commas inside a chemical name or brackets kept
    ('1,1-cyclohexane diacetic acid (CDA)', 'clavulanic acid (fermentation, crude)')."""
    pharma = MapService().load("pharmaceuticals")
    reasons = {n.id: n.no_figure for n in pharma.nodes if n.no_figure and " production were found" in n.no_figure}
    assert reasons["cda"] == "no public country shares of 1,1-cyclohexane diacetic acid (CDA) production were found"
    assert "clavulanic acid (fermentation, crude) production" in reasons["clavulanic-acid"]
    for node_id, reason in reasons.items():
        assert reason.count("(") == reason.count(")"), node_id
        named = reason.split("country shares of ", 1)[1].rsplit(" production", 1)[0]
        if not named.startswith(("key starting materials of", "drug intermediates of")):
            assert pharma.node(node_id).name.lower().startswith(named.lower()), (node_id, named)
