"""The vulnerability rows of a supply-chain map as JSON-ready data, shared by the CLI (`setu maps
vulnerabilities`), the supply-chain page's JSON twin and the HTML report, so every shell uses the same field
names and the same definition (``setu.maps.SCORE_DEFINITION``, docs/maps.md "Scores").

Field names say what each number is: ``concentration_hhi`` (0-10,000) and ``concentration_score`` (0-1) are
unweighted; ``governance_weighted_hhi`` and ``governance_weighted_score`` weight each country by its
governance risk. ``chokepoint`` names the single (or near-single) country or firm where there is one.
``basis`` (world supply or one importer's imports) and ``measure`` say what the shares are shares of: rows of
different bases are ranked together by how concentrated each figure is, never read as the same quantity.
``bound`` is set where a share is a bound ("almost 100 %"), with the source's words.
"""

from __future__ import annotations

from typing import Any

from setu.domain.supply_map import Substitution
from setu.maps import NodeVulnerability, StageVulnerability


def substitution_text(substitution: Substitution) -> str:
    """One line: the factor, its basis and its source."""
    if substitution.si_sr is not None:
        basis = f"EU CRM SI_SR {substitution.si_sr:g}"
    else:
        basis = f"{substitution.share_of_uses:.0%} of the use can switch in {substitution.years_to_switch:g} years"
    return f"factor {substitution.factor:.2f} ({basis}; {substitution.citation.source}, {substitution.citation.year})"


def node_row(v: NodeVulnerability) -> dict[str, Any]:
    """One node: chokepoint, both scores side by side, the concentration behind them, or why there is none."""
    conc = v.concentration
    return {
        "node": v.node,
        "stage": v.stage,
        "chokepoint": v.chokepoint,
        "concentration_score": v.concentration_score,
        "governance_weighted_score": v.governance_weighted_score,
        "concentration_hhi": conc.hhi if conc else None,
        "governance_weighted_hhi": conc.governance_hhi if conc else None,
        "basis": v.basis,
        "measure": v.measure,
        "bound": v.bound,
        "top_country": conc.top1_country if conc else None,
        "top1_share": conc.top1_share if conc else None,
        "top1_share_text": v.top_share_text if conc else None,  # with its bound where it has one
        "top3_share": conc.top3_share if conc else None,
        "coverage_share": conc.coverage if conc else None,
        "substitutability": v.substitutability,
        "substitution_sources": "; ".join(f"{output}: {substitution_text(s)}" for output, s in v.substitutions)
        or None,
        "providers": "; ".join(v.providers) or None,
        "no_score_because": v.reason,
        "warnings": "; ".join(v.warnings) or None,
    }


def stage_row(s: StageVulnerability) -> dict[str, Any]:
    """One stage: its weakest node's scores and its chokepoint nodes."""
    return {
        "stage": s.stage,
        "chokepoints": " ".join(s.chokepoints) or None,
        "concentration_score": s.concentration_score,
        "governance_weighted_score": s.governance_weighted_score,
        "weakest_node": s.weakest_node,
        "nodes_scored": s.nodes_scored,
        "nodes_unscored": s.nodes_unscored,
    }
