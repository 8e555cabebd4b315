"""The supply-chain page's document: a layered graph coloured by risk, and per node its suppliers and
chokepoint status, ready for the page's script to show when a node is chosen.

The layout is the one of the map report (:func:`setu.web.map_report.layout`: columns by longest path to an
end product, rows by barycentre); here it is returned as coordinates so the page draws focusable nodes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


from setu.domain.supply_map import Supply, SupplyMap, share_label
from setu.maps import SCORE_DEFINITION, NodeVulnerability, StageVulnerability
from setu.reference import concordance, tables
from setu.services.documents.maps import node_row, stage_row
from setu.services.maps import ProductReport
from setu.web.map_report import LAYER_WIDTH, MARGIN, NODE_HEIGHT, NODE_WIDTH, layout, risk_colour

if TYPE_CHECKING:  # networkx loads with the first graph drawn
    import networkx as nx

#: The score fields of a node, named as in `setu maps vulnerabilities --json`.
SCORE_FIELDS = ("chokepoint", "concentration_score", "governance_weighted_score", "concentration_hhi",
                "governance_weighted_hhi", "basis", "measure", "bound")


def _supply(supply: Supply) -> dict[str, Any]:
    citation = supply.citation
    names = tables.countries()
    return {
        "measure": supply.measure,
        "year": supply.year,
        "source": citation.source,
        "source_year": citation.year,
        "confirmed": citation.confirmed,
        "url": citation.url,
        "shares": [{"country": s.country, "name": names.name_of(s.country) if len(s.country) == 3 else s.country,
                    "share": s.share, "firm": s.firm, "bound": s.bound, "as_written": s.as_written,
                    "label": share_label(s)} for s in supply.shares],
        "note": supply.note,
        "firms": [{"firm": s.firm or s.country, "country": s.country, "share": s.share} for s in supply.firms],
        "edition": supply.iea.edition if supply.iea else None,
        "history": [_supply(past) for past in supply.history],
    }


def _status(node_id: str, products: list[ProductReport]) -> dict[str, Any]:
    """Where the node is a chokepoint, a single point of failure or a structural cut, per end product."""
    rows = []
    for report in products:
        chokes = [c for c in report.chokepoints if c.node == node_id]
        singles = [s for s in report.single_points if s.node == node_id]
        cut = node_id in report.structural_cuts
        if chokes or singles or cut:
            rows.append({
                "product": report.product,
                "structural_cut": cut,
                "tier": chokes[0].tier if chokes else (singles[0].tier if singles else None),
                "largest_loss": max(((c.country, c.loss_share, c.share_text if "bound" in c.share_text else None)
                                     for c in chokes), key=lambda p: p[1], default=None),
                "single_points": [{"country": s.country, "share": s.share, "label": s.share_text, "basis": s.basis}
                                  for s in singles],
                "basis": chokes[0].basis if chokes else (singles[0].basis if singles else None),
            })
    return {"chokepoint": bool(rows), "products": rows}


def chain_document(
    supply_map: SupplyMap,
    graph: nx.DiGraph,
    vulnerabilities: list[NodeVulnerability],
    stages: list[StageVulnerability],
    products: list[ProductReport],
) -> dict[str, Any]:
    """Everything the supply-chain page shows, as plain data (its JSON twin)."""
    positions = layout(graph)
    scores = {v.node: v for v in vulnerabilities}
    nodes = []
    for node in supply_map.nodes:
        x, y = positions[node.id]
        vulnerability = scores.get(node.id)
        score = vulnerability.concentration_score if vulnerability else None
        nodes.append({
            "id": node.id,
            "name": node.name,
            "stage": node.stage,
            "kind": node.kind.value,
            "unit": node.unit,
            "x": x,
            "y": y,
            **({key: row[key] for key in SCORE_FIELDS} if (row := node_row(vulnerability) if vulnerability else None)
               else dict.fromkeys(SCORE_FIELDS)),
            "colour": risk_colour(score),  # by concentration score (the default colouring)
            "no_score_reason": vulnerability.reason if vulnerability else None,
            "providers": list(vulnerability.providers) if vulnerability else [],
            "substitutability": vulnerability.substitutability if vulnerability else 0.0,
            "substitutions": [
                {"output": output, "factor": sub.factor, "basis": sub.basis, "si_sr": sub.si_sr,
                 "share_of_uses": sub.share_of_uses, "years_to_switch": sub.years_to_switch,
                 "source": sub.citation.source, "year": sub.citation.year}
                for output, sub in (vulnerability.substitutions if vulnerability else ())
            ],
            "warnings": list(vulnerability.warnings) if vulnerability else [],
            "inputs": sorted(graph.predecessors(node.id)),
            "outputs": sorted(graph.successors(node.id)),
            "supply": _supply(node.supply) if node.supply else None,
            "proxy_not_ranked": _supply(node.proxy) if node.proxy else None,
            "notes": node.notes,
            "hs": [{**concordance.label(h.code), "revision": h.revision} for h in node.hs],
            "imports": [{"importer": entry.importer, **_supply(entry.supply)} for entry in node.imports],
            "status": _status(node.id, products),
        })
    edges = [{"input": a, "output": b, "substitutable": bool(data["substitutable"])}
             for a, b, data in graph.edges(data=True)]
    shown = [figure for n in nodes for figure in (n["supply"], n["proxy_not_ranked"], *n["imports"]) if figure]
    years = sorted({figure["year"] for figure in shown})
    return {
        "page": "supply-chain",
        "map": supply_map.id,
        "name": supply_map.name,
        "sector": supply_map.sector.value,
        "version": supply_map.version,
        "description": supply_map.description,
        "licence": supply_map.licence,
        "attribution": supply_map.attribution,
        "method": SCORE_DEFINITION + " Colour: concentration score (see docs/maps.md).",
        "figure_years": years,
        "width": max(n["x"] for n in nodes) + NODE_WIDTH + 2 * MARGIN,
        "height": max(n["y"] for n in nodes) + NODE_HEIGHT + 2 * MARGIN,
        "node_width": NODE_WIDTH,
        "node_height": NODE_HEIGHT,
        "layer_width": LAYER_WIDTH,
        "nodes": nodes,
        "edges": edges,
        "stages": [stage_row(s) for s in stages],
        "sources": sorted({(figure["source"], figure["source_year"]) for figure in shown}),
    }
