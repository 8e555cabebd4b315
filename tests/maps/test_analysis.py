"""Analysis values on the diamond map, worked out by hand (see diamond.yaml for the figures).

ore (AUS .5, CHN .3, IND .2) --2 t/t--> left (CHN .2, JPN .8) --0.5 t/unit-->  part (IND .6, various .4)
    \\--3 t/t--> right (AUS 1.0) --0.25 t/unit, substitutable--/
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from setu.domain.supply_map import Citation, Share, Substitutes, Substitution
from setu.errors import UnknownNameError
from setu.maps import (
    chokepoints,
    concentration,
    country_dependence,
    country_requirements,
    essential,
    hhi,
    node_vulnerabilities,
    product_exposure,
    single_points_of_failure,
    stage_vulnerabilities,
    structural_cuts,
    tiers,
    to_graph,
    top_shares,
    total_requirements,
)
from setu.services.maps import resolve_product


def test_hhi_and_top_shares_by_hand():
    assert hhi([0.5, 0.3, 0.2]) == pytest.approx(2500 + 900 + 400)
    assert hhi([1.0]) == pytest.approx(10_000)
    assert top_shares([0.2, 0.5, 0.1, 0.3], 3) == pytest.approx(1.0)
    assert top_shares([0.2, 0.5], 1) == pytest.approx(0.5)


def test_governance_weighted_hhi_by_hand(diamond):
    conc = concentration(diamond.node("ore").supply.shares, risk={"AUS": 0.2, "CHN": 0.6})
    # 50^2 * 0.2 + 30^2 * 0.6 = 500 + 540; IND has no score, so 0.8 of the listed shares were scored
    assert conc.governance_hhi == pytest.approx(1040)
    assert conc.governance_coverage == pytest.approx(0.8)


def test_structure_of_the_diamond(diamond):
    graph = to_graph(diamond)
    assert essential(graph, "part") == {"part", "left", "ore"}  # right reaches part only via a substitute
    assert tiers(graph, "part") == {"part": 0, "left": 1, "right": 1, "ore": 2}
    assert structural_cuts(graph, "part") == ["ore"]
    assert total_requirements(graph, "part") == pytest.approx(
        {"part": 1.0, "left": 0.5, "right": 0.25, "ore": 2 * 0.5 + 3 * 0.25}
    )


def test_exposure_through_tiers_by_hand(diamond):
    exposure = product_exposure(diamond, to_graph(diamond), "part")
    table = {e.country: (e.weakest_link, e.weakest_node, e.any_stage) for e in exposure.countries}
    assert [e.country for e in exposure.countries] == ["JPN", "IND", "AUS", "CHN"]
    assert table["JPN"] == pytest.approx((0.8, "left", 0.8))
    assert table["IND"][:2] == (0.6, "part") and table["IND"][2] == pytest.approx(1 - 0.8 * 0.4)
    assert table["AUS"] == pytest.approx((0.5, "ore", 0.5))  # right is substitutable: not counted
    assert table["CHN"][2] == pytest.approx(1 - 0.7 * 0.8)
    assert exposure.nodes_without_shares == ()


def test_a_node_reached_by_two_paths_counts_once(diamond):
    """With both edges essential the diamond's shared ore is one market, not two."""
    firm = replace(diamond, edges=tuple(replace(e, substitutes=Substitutes.NO) for e in diamond.edges))
    table = {e.country: e for e in product_exposure(firm, to_graph(firm), "part").countries}
    assert table["CHN"].any_stage == pytest.approx(1 - (1 - 0.3) * (1 - 0.2))  # not 1 - 0.7**2 * 0.8
    assert table["AUS"].weakest_link == 1.0 and table["AUS"].weakest_node == "right"
    assert table["AUS"].any_stage == pytest.approx(1.0)


def test_vulnerability_scores_by_hand(diamond):
    # right -> part says a substitute exists but cites no degree: unknown substitution lowers nothing, so
    # right (AUS 100 %) keeps V = 10,000 / 10,000 = 1.0 and carries a warning saying so
    vulnerabilities = node_vulnerabilities(diamond)
    scores = {v.node: v.concentration_score for v in vulnerabilities}
    assert scores == pytest.approx({"left": 0.68, "ore": 0.38, "part": 0.36, "right": 1.0})
    right = next(v for v in vulnerabilities if v.node == "right")
    assert right.substitutability == 0.0 and "degree is not cited" in right.warnings[0]
    stages = stage_vulnerabilities(vulnerabilities, diamond.stages)
    assert [(s.stage, s.weakest_node) for s in stages] == [
        ("refining", "right"),
        ("mining", "ore"),
        ("assembly", "part"),
    ]
    assert stages[0].concentration_score == pytest.approx(1.0)


def _with_substitution(diamond, substitution):
    edges = tuple(replace(e, substitution=substitution) if e.input == "right" else e for e in diamond.edges)
    return replace(diamond, edges=edges)


def test_a_partial_cited_substitution_scores_between_none_and_full(diamond):
    cited = Citation(source="hand-worked", year=2024)
    none = {v.node: v.concentration_score for v in node_vulnerabilities(diamond)}["right"]
    full = {v.node: v.concentration_score for v in node_vulnerabilities(
        _with_substitution(diamond, Substitution("share-of-uses", cited, share_of_uses=1.0, years_to_switch=0.0))
    )}["right"]
    # 40 % of the use can switch, over 2 years: within the 1-year horizon 0.4 * 1/2 = 0.2 of the risk goes
    partial_map = _with_substitution(
        diamond, Substitution("share-of-uses", cited, share_of_uses=0.4, years_to_switch=2.0)
    )
    partial = next(v for v in node_vulnerabilities(partial_map) if v.node == "right")
    assert (none, full) == (pytest.approx(1.0), pytest.approx(0.0))
    assert full < partial.concentration_score < none
    assert partial.concentration_score == pytest.approx(1.0 * (1 - 0.2)) and partial.warnings == ()
    assert partial.substitutions[0][0] == "part" and partial.substitutions[0][1].citation.source == "hand-worked"
    # the EU CRM basis: SI_SR multiplies the risk, so V = HHI/10,000 * SI_SR
    eu = _with_substitution(diamond, Substitution("si-sr", cited, si_sr=0.9))
    assert {v.node: v.concentration_score for v in node_vulnerabilities(eu)}["right"] == pytest.approx(0.9)


def test_unknown_substitution_changes_nothing(diamond):
    unknown = replace(diamond, edges=tuple(replace(e, substitutes=Substitutes.UNKNOWN) for e in diamond.edges))
    without = replace(diamond, edges=tuple(replace(e, substitutes=Substitutes.NO) for e in diamond.edges))
    assert [(v.node, v.concentration_score) for v in node_vulnerabilities(unknown)] == [
        (v.node, v.concentration_score) for v in node_vulnerabilities(without)
    ]
    assert [(v.node, v.concentration_score) for v in node_vulnerabilities(diamond)] == [
        (v.node, v.concentration_score) for v in node_vulnerabilities(without)
    ]


def test_shares_above_one_hundred_percent_are_a_warning(diamond):
    ore = diamond.node("ore")
    inflated = replace(ore, supply=replace(ore.supply, shares=(
        Share("AUS", 0.5), Share("CHN", 0.326), Share("IND", 0.2)
    )))
    supply_map = replace(diamond, nodes=tuple(inflated if n.id == "ore" else n for n in diamond.nodes))
    warned = next(v for v in node_vulnerabilities(supply_map) if v.node == "ore")
    assert "102.6%, above 100 %" in warned.warnings[0]


def test_chokepoints_by_hand(diamond):
    rows = chokepoints(diamond, to_graph(diamond), "part")
    assert [(c.node, c.country, c.loss_share, c.tier) for c in rows] == [
        ("left", "JPN", 0.8, 1),
        ("part", "IND", 0.6, 0),
        ("ore", "AUS", 0.5, 2),
        ("ore", "CHN", 0.3, 2),
        ("left", "CHN", 0.2, 1),
        ("ore", "IND", 0.2, 2),
    ]
    assert {c.node for c in rows if c.structural_cut} == {"ore"}


def test_single_points_of_failure_by_hand(diamond):
    graph = to_graph(diamond)
    assert [(p.node, p.country) for p in single_points_of_failure(diamond, graph, "part")] == [("left", "JPN")]
    assert [p.node for p in single_points_of_failure(diamond, graph, "part", threshold=0.5)] == ["left", "part", "ore"]
    with pytest.raises(ValueError):
        single_points_of_failure(diamond, graph, "part", threshold=0)


def test_country_dependence_by_hand(diamond):
    rows = country_dependence(diamond, "JPN")
    assert [(r.node, r.own_share, r.top_other_country) for r in rows] == [
        ("right", 0.0, "AUS"),
        ("part", 0.0, "IND"),
        ("ore", 0.0, "AUS"),
        ("left", 0.8, "CHN"),
    ]
    assert rows[-1].outside_share == pytest.approx(0.2)
    assert rows[0].basis.startswith("world supply shares")


def test_unknown_product_lists_close_names(diamond):
    with pytest.raises(UnknownNameError) as caught:
        resolve_product(diamond, "prt")
    assert "part" in caught.value.suggestions
    assert resolve_product(diamond, None) == "part"


def test_country_supply_propagated_by_the_coefficients(diamond):
    rows = country_requirements(diamond, to_graph(diamond), "part", "AUS")
    # right: r = 0.25 t per unit, all of it Australian; ore: r = 2 x 0.5 + 3 x 0.25 = 1.75 t, half Australian
    assert [(r.node, r.tier, r.unit) for r in rows] == [("right", 1, "t"), ("ore", 2, "t")]
    assert [r.from_country for r in rows] == pytest.approx([0.25, 0.875])


def test_governance_risks_replace_the_hhi_in_the_score(diamond):
    risk = {"AUS": 0.2, "CHN": 0.6, "IND": 0.5, "JPN": 0.1}
    scores = {v.node: v.governance_weighted_score for v in node_vulnerabilities(diamond, risk)}
    # ore: 50^2 x 0.2 + 30^2 x 0.6 + 20^2 x 0.5 = 500 + 540 + 200; left: 20^2 x 0.6 + 80^2 x 0.1 = 240 + 640
    assert scores["ore"] == pytest.approx(1240 / 10_000)
    assert scores["left"] == pytest.approx(880 / 10_000)
