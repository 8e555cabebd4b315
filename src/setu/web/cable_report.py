"""A self-contained HTML report of one cable cut scenario: a world map of the routes (cut cables in red,
cables of a lost station in orange, the other cables of the affected countries in grey, landing stations),
the country pairs that lose routes, the countries cut off, the repair-time assumption and the source.

It opens offline: Setu's bundled partial plotly.js (``static/plotly``, MIT) and the Natural Earth 110m
boundaries (``static/topojson``, public domain) are written into the page; plotly.js finds the boundaries
in ``window.PlotlyGeoAssets`` and fetches nothing. Routes are TeleGeography's schematic drawing
(CC BY-NC-SA 3.0, as the page says).
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

STATIC = Path(str(resources.files("setu.web"))) / "static"
CUT, DAMAGED, CONTEXT, STATION, LOST = "#D55E00", "#E69F00", "#9a9a9a", "#0072B2", "#000000"  # Okabe–Ito

GROUPS = {"damaged": "cables of a lost station", "context": "other cables of the affected countries"}

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;max-width:1100px;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.lost{color:#b00020;font-weight:600}.note{color:#555;font-size:.85rem}
#map{width:100%;height:560px}
"""


def _lines_trace(items: list[dict[str, Any]], colour: str, width: float, group: str) -> list[dict[str, Any]]:
    """One scattergeo line trace per cable (lines of a MultiLineString joined with gaps); cut cables are
    named one by one in the legend, the others by their group."""
    traces = []
    for n, item in enumerate(items):
        lon: list[float | None] = []
        lat: list[float | None] = []
        for line in item["lines"]:
            lon += [p[0] for p in line] + [None]
            lat += [p[1] for p in line] + [None]
        traces.append({"type": "scattergeo", "mode": "lines", "lon": lon, "lat": lat,
                       "name": item["name"] if group == "cut" else GROUPS[group], "text": item["name"],
                       "legendgroup": group, "showlegend": n == 0 or group == "cut",
                       "line": {"color": colour, "width": width}, "hoverinfo": "text"})
    return traces


def figure(document: dict[str, Any], layers: dict[str, Any]) -> dict[str, Any]:
    """The Plotly figure of the report's map (also usable as a JSON twin)."""
    data = (_lines_trace(layers["context"], CONTEXT, 1.0, "context")
            + _lines_trace(layers["damaged"], DAMAGED, 2.0, "damaged")
            + _lines_trace(layers["cut"], CUT, 3.0, "cut"))
    for lost, colour, label in ((False, STATION, "landing stations"), (True, LOST, "lost stations")):
        points = [s for s in layers["stations"] if s["lost"] == lost]
        if points:
            data.append({"type": "scattergeo", "mode": "markers", "name": label,
                         "lon": [s["lon"] for s in points], "lat": [s["lat"] for s in points],
                         "text": [s["name"] for s in points], "hoverinfo": "text",
                         "marker": {"size": 9 if lost else 5, "color": colour, "symbol": "x" if lost else "circle"}})
    source = f"{document['source']} ({document['data_as_of']}), {document['licence']}"
    return {
        "data": data,
        "layout": {
            "title": {"text": "Cut scenario: cut cables (red) and the affected countries' other cables (grey)"},
            "meta": {"source": source},
            "geo": {"projection": {"type": "natural earth"}, "showcountries": True, "showcoastlines": True,
                    "showland": True, "landcolor": "#f4f4f4", "countrycolor": "#cccccc", "resolution": 110},
            "margin": {"l": 0, "r": 0, "t": 40, "b": 0},
            "legend": {"orientation": "h"},
        },
    }


def _table(headers: list[str], rows: list[list[Any]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(f"<tr class='{classes[i] if classes else ''}'>"
                   + "".join(f"<td>{escape('' if c is None else str(c))}</td>" for c in row) + "</tr>"
                   for i, row in enumerate(rows))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _script_safe(text: str) -> str:
    return text.replace("</", "<\\/")


def render_cut_report(document: dict[str, Any], layers: dict[str, Any]) -> str:
    """The whole report as one HTML string (about 1.7 MB, most of it plotly.js)."""
    plotly_js = (STATIC / "plotly" / "plotly.min.js").read_text(encoding="utf-8")
    world = (STATIC / "topojson" / "world_110m.json").read_text(encoding="utf-8")
    fig = figure(document, layers)
    cut_names = ", ".join(c["name"] for c in document["cut_cables"]) or "none"
    lost_names = ", ".join(s["name"] for s in document["lost_stations"]) or "none"
    repair = document["repair_assumption"]
    pair_rows = [[r["country"], r["other"], r["direct_before"], r["direct_after"], r["routes_before"],
                  r["routes_after"], "yes" if r["loses_all_routes"] else "", "" if r["reachable_after"] else "no"]
                 for r in document["rows"]]
    classes = ["lost" if r["loses_all_routes"] or not r["reachable_after"] else "" for r in document["rows"]]
    cut_off = [[c["country"], "yes" if c["isolated"] else "", len(c["unreachable"]), ", ".join(c["unreachable"])]
               for c in document["countries_cut_off"]]
    restoration = (f"All cut cables back after about <strong>{document['restoration_days']} days</strong>."
                   if document["restoration_days"] else "No restoration time is assumed (a landing station is lost).")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cable cut scenario</title><style>{STYLE}</style>
<script>{_script_safe(plotly_js)}</script>
<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {{topojson: {{}}}};
window.PlotlyGeoAssets.topojson["world_110m"] = {_script_safe(world)};</script>
</head><body>
<h1>Cable cut scenario</h1>
<p>Cables cut: <strong>{escape(cut_names)}</strong>. Landing stations lost: <strong>{escape(lost_names)}</strong>.
Affected countries: {escape(', '.join(document['affected_countries']) or 'none')}. Focus: {escape(', '.join(document['focus']))}.</p>
<div id="map" role="img" aria-label="World map of the cut cables and the affected countries' other cables"></div>
<p class="note">Routes as drawn by TeleGeography (schematic, not surveyed). Source: {escape(fig['layout']['meta']['source'])}.
{escape(document['attribution'])}</p>
<h2>Repair time (assumption)</h2>
<p>{repair['days_per_cable']} days per cut cable: {escape(repair['source'])}, {repair['year']},
<a href="{escape(repair['url'])}">{escape(repair['url'])}</a>{'' if repair['confirmed'] else ' (a published summary, not an operator measurement)'}.
{escape(repair['note'])} {restoration}</p>
<h2>Country pairs</h2>
<p class="note">{escape(document['method'])}. Counted: {escape(document['cables_counted'])}.</p>
{_table(["country", "other", "direct cables before", "after", "routes before", "after", "loses all routes",
         "reachable after"], pair_rows, classes)}
<h2>Countries cut off from others (no route of any length)</h2>
{_table(["country", "isolated", "countries unreachable", "which"], cut_off) if cut_off else "<p>None.</p>"}
<script>
(function () {{
  var fig = {_script_safe(json.dumps(fig))};
  var node = document.getElementById("map");
  Plotly.newPlot(node, fig.data, fig.layout, {{displaylogo: false, responsive: true}}).then(function () {{
    node.dataset.drawn = "true";
  }});
}})();
</script>
</body></html>
"""
