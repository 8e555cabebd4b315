"""A self-contained HTML vulnerability report of one map: layered graph coloured by risk, ranked tables,
sources. No script, font or style sheet is fetched: the SVG and CSS are inline, so it opens offline.

Layout: layered drawing (Sugiyama, Tagawa & Toda 1981): columns by longest path to an end product,
rows by one barycentre pass over each node's outputs.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING


from setu.domain.shares import share_text
from setu.domain.supply_map import SupplyMap
from setu.maps import SCORE_DEFINITION, NodeVulnerability, StageVulnerability
from setu.services.maps import ProductReport

if TYPE_CHECKING:  # networkx loads with the first graph drawn
    import networkx as nx

LAYER_WIDTH = 220
ROW_HEIGHT = 26
NODE_WIDTH = 170
NODE_HEIGHT = 18
MARGIN = 20


def risk_colour(score: float | None) -> str:
    """Green (0) through amber to red (1); grey where there is no score."""
    if score is None:
        return "#d0d0d0"
    score = min(max(score, 0.0), 1.0)
    red = int(60 + 195 * min(1.0, 2 * score))
    green = int(180 - 150 * max(0.0, 2 * score - 1))
    return f"#{red:02x}{green:02x}50"


def layout(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Columns by longest path to an end product (so an input sits just left of its first use), rows by the
    mean row of a node's outputs, filled from the end products leftwards."""
    import networkx as nx

    height: dict[str, int] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        height[node] = 1 + max((height[child] for child in graph.successors(node)), default=-1)
    deepest = max(height.values(), default=0)
    columns: dict[int, list[str]] = {}
    for node, value in height.items():
        columns.setdefault(deepest - value, []).append(node)
    positions: dict[str, tuple[float, float]] = {}
    for column in sorted(columns, reverse=True):

        def barycentre(node: str) -> tuple[float, str]:
            ys = [positions[child][1] for child in graph.successors(node) if child in positions]
            return (sum(ys) / len(ys) if ys else 0.0, node)

        for row, node in enumerate(sorted(columns[column], key=barycentre)):
            positions[node] = (MARGIN + column * LAYER_WIDTH, MARGIN + row * ROW_HEIGHT)
    return positions


def svg_graph(supply_map: SupplyMap, graph: nx.DiGraph, scores: dict[str, float | None]) -> str:
    positions = layout(graph)
    width = max(x for x, _ in positions.values()) + NODE_WIDTH + 2 * MARGIN
    height = max(y for _, y in positions.values()) + NODE_HEIGHT + 2 * MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="Layered graph of {escape(supply_map.name)}">'
    ]
    for source, target, data in graph.edges(data=True):
        (x1, y1), (x2, y2) = positions[source], positions[target]
        dash = ' stroke-dasharray="4 3"' if data["substitutable"] else ""
        parts.append(
            f'<path d="M{x1 + NODE_WIDTH},{y1 + NODE_HEIGHT / 2} C{x1 + NODE_WIDTH + 30},'
            f'{y1 + NODE_HEIGHT / 2} {x2 - 30},{y2 + NODE_HEIGHT / 2} {x2},{y2 + NODE_HEIGHT / 2}" '
            f'fill="none" stroke="#8a8a8a" stroke-width="1"{dash}/>'
        )
    for node in supply_map.nodes:
        x, y = positions[node.id]
        score = scores.get(node.id)
        label = node.name if len(node.name) <= 26 else node.name[:25] + "…"
        tip = f"{node.name} ({node.stage}); concentration score {'n/a' if score is None else f'{score:.2f}'}"
        parts.append(
            f'<g><title>{escape(tip)}</title><rect x="{x}" y="{y}" width="{NODE_WIDTH}" '
            f'height="{NODE_HEIGHT}" rx="4" fill="{risk_colour(score)}" stroke="#444"/>'
            f'<text x="{x + 5}" y="{y + 13}" font-size="11">{escape(label)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_report(
    supply_map: SupplyMap,
    graph: nx.DiGraph,
    nodes: list[NodeVulnerability],
    stages: list[StageVulnerability],
    products: list[ProductReport],
) -> str:
    """The whole report as one HTML string."""
    scores = {v.node: v.concentration_score for v in nodes}
    node_rows = [
        [
            v.node,
            v.stage,
            v.chokepoint or "",
            "" if v.concentration_score is None else f"{v.concentration_score:.3f}",
            "" if v.governance_weighted_score is None else f"{v.governance_weighted_score:.3f}",
            f"{v.concentration.hhi:,.0f}" if v.concentration else "",
            f"{v.concentration.top1_country} {share_text(v.concentration.top1_share)}" if v.concentration else "",
            share_text(v.concentration.coverage) if v.concentration else "",
            v.reason or "",
        ]
        for v in nodes
    ]
    stage_rows = [
        [
            s.stage,
            "" if s.concentration_score is None else f"{s.concentration_score:.3f}",
            s.weakest_node or "",
            str(s.nodes_scored),
            str(s.nodes_unscored),
        ]
        for s in stages
    ]
    product_sections = []
    for report in products:
        exposure_rows = [
            [e.country, share_text(e.weakest_link), e.weakest_node, share_text(e.any_stage), str(e.nodes_supplied)]
            for e in report.exposure.countries[:15]
        ]
        choke_rows = [
            [c.node, c.country, share_text(c.loss_share), str(c.tier), "yes" if c.structural_cut else ""]
            for c in report.chokepoints[:15]
        ]
        missing = ", ".join(report.exposure.nodes_without_shares) or "none"
        product_sections.append(
            f"<h3>{escape(supply_map.node(report.product).name)}</h3>"
            f"<p>Weakest stage: {escape(report.weakest_stage.stage if report.weakest_stage else 'n/a')}. "
            f"Essential nodes without country figures: {escape(missing)}.</p>"
            + _table(
                ["country", "weakest link W", "at node", "any-stage dependence D", "nodes supplied"], exposure_rows
            )
            + _table(["node", "country", "share of product lost", "tier", "on every raw-material path"], choke_rows)
        )
    citations = {}
    for node in supply_map.nodes:
        current = ([node.supply] if node.supply else []) + [entry.supply for entry in node.imports] \
            + ([node.proxy] if node.proxy else [])
        for supply in current + [past for entry in current for past in entry.history]:
            c = supply.citation
            key = (c.source, c.year, c.url or "", c.confirmed)
            citations.setdefault(key, []).append(node.id)
    source_rows = [
        [source, str(year), url, "yes" if confirmed else "no (secondary report)", ", ".join(ids)]
        for (source, year, url, confirmed), ids in sorted(citations.items())
    ]
    licence = (
        (
            f"<p><strong>Licence of the figures:</strong> {escape(supply_map.licence)}. "
            f"{escape(supply_map.attribution or '')}</p>"
        )
        if supply_map.licence
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(supply_map.name)} - vulnerability report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.8em 0 1.6em; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }}
.graph {{ overflow: auto; border: 1px solid #ddd; max-height: 80vh; }}
.legend span {{ display: inline-block; padding: 2px 8px; margin-right: 6px; border: 1px solid #444; }}
</style></head><body>
<h1>{escape(supply_map.name)}</h1>
<p>{escape(supply_map.description)}</p>
<p>Map <code>{escape(supply_map.id)}</code>, version {escape(supply_map.version)}, sector {escape(supply_map.sector.value)}.
{escape(SCORE_DEFINITION)} Colour: concentration score. See docs/maps.md.</p>
{licence}
<h2>Graph</h2>
<p class="legend"><span style="background:{risk_colour(0.0)}">concentration score 0</span><span style="background:{risk_colour(0.5)}">0.5</span>
<span style="background:{risk_colour(1.0)}">1</span><span style="background:{risk_colour(None)}">no figures</span>
dashed edge: a substitute exists</p>
<div class="graph">{svg_graph(supply_map, graph, scores)}</div>
<h2>End products: country exposure and chokepoints</h2>
{''.join(product_sections)}
<h2>Stages, weakest first</h2>
{_table(["stage", "concentration score (weakest node)", "weakest node", "nodes with figures", "nodes without"], stage_rows)}
<h2>Nodes: chokepoints first, then by concentration score</h2>
{_table(["node", "stage", "chokepoint", "concentration score", "governance-weighted score", "concentration HHI",
          "top supplier", "coverage of listed shares", "no score because"], node_rows)}
<h2>Sources</h2>
{_table(["source", "year", "address", "confirmed in the primary document", "nodes"], source_rows)}
</body></html>
"""
