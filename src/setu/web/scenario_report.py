"""A self-contained HTML report of one scenario run: unmet demand over time (inline SVG line charts), the
hit list by importer and product (TTS against TTR), the value of cooperation, binding constraints, the
coordinated plan, and every source. No script, font or style sheet is fetched, so it opens offline.
"""

from __future__ import annotations

from html import escape
from typing import Any

from setu.domain.shares import share_text

CHART_WIDTH = 640
CHART_HEIGHT = 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 110, 14, 34
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;max-width:1000px;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.exposed{color:#b00020;font-weight:600}.note{color:#555;font-size:.85rem}
svg text{font-family:inherit}
"""


def line_chart(title: str, months: int, lines: list[tuple[str, list[float]]], y_label: str) -> str:
    """An SVG chart of one line per series over months 1..``months``; y from 0 to the largest value."""
    top = max((max(values) for _, values in lines if values), default=0.0)
    top = top if top > 0 else 1.0
    inner_w = CHART_WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = CHART_HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(month: int) -> float:
        return PAD_LEFT + (month - 1) / max(months - 1, 1) * inner_w

    def y(value: float) -> float:
        return PAD_TOP + inner_h * (1 - value / top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
             f'role="img" aria-label="{escape(title)}">',
             f'<line x1="{PAD_LEFT}" y1="{y(0)}" x2="{PAD_LEFT + inner_w}" y2="{y(0)}" stroke="#444"/>',
             f'<line x1="{PAD_LEFT}" y1="{PAD_TOP}" x2="{PAD_LEFT}" y2="{y(0)}" stroke="#444"/>']
    for fraction in (0.0, 0.5, 1.0):
        value = top * fraction
        parts.append(f'<text x="{PAD_LEFT - 4}" y="{y(value) + 4}" font-size="10" text-anchor="end">'
                     f'{value:.2g}</text>')
    step = max(1, months // 12)
    for month in range(1, months + 1, step):
        parts.append(f'<text x="{x(month)}" y="{y(0) + 14}" font-size="10" text-anchor="middle">{month}</text>')
    parts.append(f'<text x="{PAD_LEFT + inner_w / 2}" y="{CHART_HEIGHT - 4}" font-size="10" '
                 f'text-anchor="middle">month</text>')
    parts.append(f'<text x="10" y="{PAD_TOP + inner_h / 2}" font-size="10" text-anchor="middle" '
                 f'transform="rotate(-90 10 {PAD_TOP + inner_h / 2})">{escape(y_label)}</text>')
    for n, (name, values) in enumerate(lines):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{x(t + 1):.1f},{y(v):.1f}" for t, v in enumerate(values))
        parts.append(f'<polyline data-series="{escape(name)}" points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"><title>{escape(name)}</title></polyline>')
        parts.append(f'<text x="{PAD_LEFT + inner_w + 8}" y="{PAD_TOP + 12 + 14 * n}" font-size="11" '
                     f'fill="{colour}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[Any]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(f'<tr class="{escape(classes[i]) if classes else ""}">'
                   + "".join(f"<td>{escape(_text(c))}</td>" for c in row) + "</tr>" for i, row in enumerate(rows))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)


def render_report(document: dict[str, Any]) -> str:
    """HTML for the JSON twin of ``setu scenario run`` (``setu.services.documents.scenarios.run_document``)."""
    months = document["months"]
    products = sorted({row["product"] for row in document["series"]})
    charts = []
    for product in products:
        lines = []
        for importer in dict.fromkeys(r["importer"] for r in document["series"] if r["product"] == product):
            values = [r["unmet_share"] for r in document["series"]
                      if r["product"] == product and r["importer"] == importer]
            lines.append((importer, values))
        charts.append(f"<h3>{escape(product)}</h3>"
                      + line_chart(f"Unmet demand for {product}", months, lines, "unmet share of baseline"))
    hits = sorted((r for r in document["survival"] if r["end_product"]), key=lambda r: -r["unmet_months"])
    hit_rows = [[r["importer"], r["node"], r["shock_start"],
                 "beyond horizon" if r["time_to_survive"] is None else r["time_to_survive"], r["time_to_recover"],
                 "yes" if r["exposed"] else "", r["unmet_months"], r["peak_unmet_share"],
                 None if r["unmet_units"] is None else f"{r['unmet_units']:,.1f} {r['unit']}"] for r in hits]
    nodes = [r for r in document["survival"] if not r["end_product"]]
    node_rows = [[r["importer"], r["node"], "beyond horizon" if r["time_to_survive"] is None else r["time_to_survive"],
                  r["time_to_recover"], r["unmet_months"],
                  None if r["unmet_units"] is None else f"{r['unmet_units']:,.1f} {r['unit']}"] for r in nodes]
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(document['name'])}"
             f"</title><style>{STYLE}</style></head><body>",
             f"<h1>{escape(document['name'])}</h1>",
             f"<p class='note'>Scenario <code>{escape(document['scenario'])}</code> on map "
             f"<code>{escape(document['map'])}</code>, {months} months, allocation rule "
             f"<code>{escape(document['allocation'])}</code>. Time to survive (TTS) and time to recover (TTR) "
             "after Simchi-Levi et al. (Harvard Business Review 2014; Interfaces 2015); a pair is exposed when "
             "TTS &lt; TTR.</p>",
             "<h2>Unmet demand over time</h2>", *charts,
             "<h2>Hit list: end products by importer</h2>",
             _table(["importer", "product", "shock starts", "TTS (months)", "TTR (months)", "exposed",
                     "unmet (months of demand)", "peak monthly shortfall", "unmet (units)"], hit_rows,
                    ["exposed" if r["exposed"] else "" for r in hits]),
             "<h2>Every affected node</h2>",
             _table(["importer", "node", "TTS", "TTR", "unmet (months)", "unmet (units)"], node_rows)]
    cooperation = document.get("cooperation")
    if cooperation:
        share = "" if cooperation["value_share"] is None else f" ({share_text(cooperation['value_share'])})"
        unit = escape(cooperation["unit"])
        parts += ["<h2>Best response: every country for itself against partners coordinating</h2>",
                  _table(["outcome", f"unmet demand ({cooperation['unit']})"],
                         [["allocation rule, no planning", cooperation["simulated"]],
                          ["every country for itself (LP)", cooperation["autarky"]],
                          ["partners coordinate (LP)", cooperation["coordinated"]]]),
                  f"<p>Value of cooperation: <strong>{cooperation['value']:,.1f} {unit}{escape(share)}</strong>.</p>",
                  "<h3>Binding constraints when partners coordinate</h3>",
                  _table(["constraint", "who", "node", "shadow price", "binding months", "used", "available"],
                         [[b["constraint"], b["who"], b["node"], b["shadow_price"], b["binding_months"], b["used"],
                           b["available"]] for b in cooperation["binding"]]),
                  "<p class='note'>Shadow price: unmet demand avoided per extra unit of capacity a month (summed "
                  "over months), or per extra day of stock.</p>",
                  "<h3>Coordinated plan</h3>",
                  _table(["from", "to", "node", "kind", "units"],
                         [[p["from"], p["to"], p["node"], p["kind"], p["units"]]
                          for p in cooperation["plan"]["coordinated"]])]
    parts += ["<h2>Sources</h2>",
              _table(["source", "year", "table", "url", "confirmed"],
                     [[s["source"], s["year"], s["table"], s["url"], "yes" if s["confirmed"] else
                       "no (assumption or secondary report)"] for s in document["sources"]]),
              "</body></html>"]
    return "".join(parts)
