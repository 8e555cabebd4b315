"""Plotly figure specifications, built as plain dictionaries (no plotting library at run time).

The pages embed each figure as JSON and the bundled plotly.js draws it; the JSON twins return the same
dictionaries. Every figure carries its source and year in ``layout.meta`` and in a caption under the
plot, so a screenshot never loses its provenance. Colours are from the Okabe–Ito palette (Okabe & Ito
2008, "Color Universal Design"), distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
#: Sequential scale for shares (light to dark blue), readable on white.
SHARE_SCALE = [[0.0, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]

Figure = dict[str, Any]


def compact(value: float | None) -> str:
    """A figure in compact units for labels (24,637,483,661 -> "24.6 bn"); the full figure goes in the hover.
    Units: thousand (k), million (m), billion (bn), trillion (tn), as the Financial Times style guide writes them."""
    if value is None:
        return "n/a"
    for size, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g} {unit}"
    return readable(value)


def readable(value: float) -> str:
    """A figure as a reader (or a screen reader) says it: never in exponent notation ("5.5e+03" is "5,498")."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if abs(value) < 0.001:
        return "under 0.001" if value > 0 else "over −0.001"
    return f"{value:.3f}".rstrip("0")


def _layout(title: str, source: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "meta": {"source": source},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "font": {"family": "system-ui, sans-serif", "color": "#1a1a1a"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        **extra,
    }


def figure(data: list[dict[str, Any]], title: str, source: str, *, alt: str, **layout: Any) -> Figure:
    """One figure: ``alt`` is the text alternative read out by screen readers."""
    return {"data": data, "layout": _layout(title, source, **layout), "alt": alt, "source": source}


def choropleth(shares: Sequence[dict[str, Any]], title: str, source: str) -> Figure:
    """World map of producers' shares (0–1) by ISO3, on the bundled Natural Earth 110m boundaries.

    A country that reports production 0 is not a small producer: it is drawn in its own trace (white, outlined,
    named in the legend) and kept off the colour scale, whose lightest tint then means the smallest producer."""
    ranked = ", ".join(f"{s['name']} {s['share']:.0%}" for s in shares[:5])
    producing = [s for s in shares if s["share"] > 0]
    zero = [s for s in shares if not s["share"] > 0]
    data = [
        {
            "type": "choropleth",
            "name": "share of world",
            "locationmode": "ISO-3",
            "locations": [s["country"] for s in producing],
            "z": [round(100 * s["share"], 2) for s in producing],
            "text": [s["name"] for s in producing],
            "hovertemplate": "%{text}: %{z:.1f}% of world<extra></extra>",
            "colorscale": SHARE_SCALE,
            "zmin": 0,
            "colorbar": {"title": {"text": "% of world"}},
            "marker": {"line": {"color": "#555", "width": 0.4}},
        }
    ]
    if zero:
        data.append({
            "type": "choropleth", "name": "reports production 0", "showlegend": True, "showscale": False,
            "locationmode": "ISO-3", "locations": [s["country"] for s in zero], "z": [0] * len(zero),
            "text": [s["name"] for s in zero], "hovertemplate": "%{text}: reports production 0<extra></extra>",
            "colorscale": [[0, "#ffffff"], [1, "#ffffff"]], "marker": {"line": {"color": "#1a1a1a", "width": 1.2}},
            "colorbar": {"title": {"text": "% of world"}},  # not drawn (showscale false): names the CSV column
        })
    return figure(
        data,
        title,
        source,
        alt=f"World map of shares of world supply. Largest: {ranked}."
        + (f" Reporting production 0: {', '.join(s['name'] for s in zero)}." if zero else ""),
        geo={"showframe": False, "showcoastlines": True, "projection": {"type": "natural earth"},
             "lonaxis": {"range": [-180, 180]}, "lataxis": {"range": [-58, 84]},
             "showcountries": True, "countrycolor": "#bbb", "landcolor": "#f4f4f4", "showland": True},
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        legend={"orientation": "h", "y": 0, "x": 0},
        height=480,
    )


def ranked_bars(labels: Sequence[str], values: Sequence[float], title: str, source: str, *,
                axis: str, percent: bool = False) -> Figure:
    """Horizontal bars, largest on top."""
    shown = ", ".join(f"{label} {value:.0%}" if percent else f"{label} {readable(value)}"
                      for label, value in list(zip(labels, values, strict=True))[:5])
    return figure(
        [{"type": "bar", "orientation": "h", "y": list(labels)[::-1], "x": list(values)[::-1],
          "marker": {"color": PALETTE[0]},
          "hovertemplate": "%{y}: %{x" + (":.1%" if percent else ":,.4~r") + "}<extra></extra>"}],
        title,
        source,
        alt=f"{title}. {shown}.",
        xaxis={"title": {"text": axis}, "tickformat": ".0%" if percent else ",", "gridcolor": "#e5e5e5"},
        yaxis={"automargin": True},
        height=max(260, 28 * len(labels) + 90),
    )


def lines(series: Sequence[tuple[str, Sequence[Any], Sequence[float | None]]], title: str, source: str, *,
          x_axis: str, y_axis: str, percent: bool = False, whole_x: bool = False, markers: Sequence[dict[str, Any]] = (),
          shapes: Sequence[dict[str, Any]] = ()) -> Figure:
    """One line per ``(name, x, y)``; optional marker traces (anomalies) and vertical lines (measures)."""
    data = [
        {"type": "scatter", "mode": "lines+markers" if len(x) < 15 else "lines", "name": name,
         "x": list(x), "y": list(y), "line": {"color": PALETTE[n % len(PALETTE)], "width": 2}}
        for n, (name, x, y) in enumerate(series)
    ]
    data.extend(markers)
    names = ", ".join(name for name, _, _ in series[:6])
    return figure(
        data,
        title,
        source,
        alt=f"{title}: lines for {names}" + (f"; {len(shapes)} dated events marked" if shapes else "") + ".",
        xaxis={"title": {"text": x_axis}, "gridcolor": "#e5e5e5",
               **({"dtick": 1, "tickformat": "d"} if whole_x else {})},
        yaxis={"title": {"text": y_axis}, "tickformat": ".0%" if percent else ",", "gridcolor": "#e5e5e5",
               "rangemode": "tozero", "automargin": True},
        shapes=list(shapes),
        legend={"orientation": "h", "y": -0.25},
    )


def grouped_bars(categories: Sequence[str], groups: Sequence[tuple[str, Sequence[float | None]]], title: str,
                 source: str, *, axis: str) -> Figure:
    """Bars side by side per category (e.g. time to survive against time to recover)."""
    data = [
        {"type": "bar", "name": name, "x": list(categories), "y": list(values),
         "marker": {"color": PALETTE[n % len(PALETTE)]}}
        for n, (name, values) in enumerate(groups)
    ]
    return figure(
        data, title, source, alt=f"{title}: {', '.join(g for g, _ in groups)} for {len(categories)} items.",
        barmode="group", yaxis={"title": {"text": axis}, "gridcolor": "#e5e5e5", "automargin": True},
        xaxis={"automargin": True}, legend={"orientation": "h", "y": -0.35},
    )


def vertical_line(x: Any, label: str, colour: str = "#D55E00") -> dict[str, Any]:
    """A dashed vertical line across the plot at ``x`` (a measure's date), labelled at the top."""
    return {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
            "line": {"color": colour, "width": 1.5, "dash": "dash"}, "label": {"text": label, "textangle": -90,
                                                                            "font": {"size": 10}}}


def treemap(groups: Sequence[tuple[str, str, Sequence[tuple[str, str, float]]]], title: str, source: str, *,
            unit: str = "USD") -> Figure:
    """Nested rectangles, OEC-style: one box per group (a product) holding one box per member (a supplier).

    ``groups`` are ``(id, label, [(member id, member label, value), ...])``; a group's area is the sum of its
    members (``branchvalues="total"``), so boxes compare across products as well as within one.
    """
    ids, labels, parents, values = [], [], [], []
    for group_id, label, members in groups:
        ids.append(group_id)
        labels.append(label)
        parents.append("")
        values.append(float(sum(value for _, _, value in members)))
        for member_id, member_label, value in members:
            ids.append(f"{group_id}/{member_id}")
            labels.append(member_label)
            parents.append(group_id)
            values.append(float(value))
    largest = ", ".join(label for _, label, _ in list(groups)[:4])
    return figure(
        [{"type": "treemap", "ids": ids, "labels": labels, "parents": parents, "values": values,
          "text": [compact(v) for v in values], "branchvalues": "total",
          "texttemplate": "%{label}<br>%{text} · %{percentParent:.0%}",
          "hovertemplate": "%{label}: %{value:,.0f} " + unit + " (%{percentParent:.1%} of %{parent})<extra></extra>",
          "tiling": {"packing": "squarify"}}],
        title, source, alt=f"{title}. Largest boxes: {largest}.",
        margin={"l": 5, "r": 5, "t": 50, "b": 5}, height=560,
    )
