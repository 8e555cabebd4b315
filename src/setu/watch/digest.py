"""A period's digest of alerts and measures, as Markdown or as one self-contained HTML page.

The HTML has no external resources (no CDN, no scripts): each charted series is an inline SVG line with
the measures' event months drawn as labelled vertical rules and the period's alerts as dots, so the file
can be mailed or archived and opened offline. Pure: takes values, returns strings.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from setu.watch.measures import Measure
from setu.watch.ranking import Incident
from setu.watch.series import ALL_PARTNERS, Alert, MonthlySeries, month_index


@dataclass(frozen=True)
class MeasureEvent:
    measure: Measure
    event: str
    date: str


@dataclass(frozen=True)
class Digest:
    first_month: str
    last_month: str
    source: str
    events: tuple[MeasureEvent, ...]
    alerts: tuple[Alert, ...]
    charts: tuple[tuple[MonthlySeries, tuple[MeasureEvent, ...], tuple[Alert, ...]], ...]
    ranked: tuple[Incident, ...] = ()  # FDR-controlled incidents of the period, best first (setu.watch.ranking)


def build_digest(
    series: Sequence[MonthlySeries],
    alerts: Sequence[Alert],
    measures: Sequence[Measure],
    *,
    first_month: str,
    last_month: str,
    source: str,
    near_measures_only: bool = True,
    ranked: Sequence[Incident] = (),
    limit: int = 10,
) -> Digest:
    """Collect the period's ranked incidents (at most ``limit``), measure events, alerts known in the period
    (near a measure, or on totals) and charts."""
    lo, hi = month_index(first_month), month_index(last_month)
    events = tuple(
        MeasureEvent(m, name.value, event.date)
        for m in measures
        for name, event in m.events()
        if lo <= month_index(event.month) <= hi
    )
    kept = tuple(
        a for a in alerts
        if lo <= month_index(a.as_of) <= hi and (a.measures or a.series.partner is None or not near_measures_only)
    )
    charts = []
    for one in series:
        key = one.key
        if key.partner is not None or key.variable.value != "value_usd":
            continue
        own = tuple(a for a in kept if a.series == key)
        if not own:
            continue
        start, end = month_index(one.periods[0]), month_index(one.periods[-1])
        marks = tuple(
            MeasureEvent(m, name.value, event.date)
            for m in measures
            if m.covers(reporter=key.reporter, partner=None, hs6=key.hs6)
            for name, event in m.events()
            if start <= month_index(event.month) <= end
        )
        charts.append((one, marks, own))
    period_incidents = tuple(
        i for i in ranked if any(lo <= month_index(a.as_of) <= hi for a in i.alerts)
    )[:limit]  # an incident belongs to the period its alerts are known in, whatever their onset
    return Digest(first_month, last_month, source, events, kept, tuple(charts), period_incidents)


RANKED_HEADER = ["rank", "months", "reporter", "HS6", "score", "q", "why"]


def _ranked_cells(position: int, incident: Incident) -> list[str]:
    months = incident.first_month if incident.first_month == incident.last_month else (
        f"{incident.first_month} – {incident.last_month}")
    return [str(position), months, incident.reporter, incident.hs6, f"{incident.score:.1f}",
            f"{incident.q_value:.2g}", "; ".join(incident.reasons)]


def _alert_cells(alert: Alert) -> list[str]:
    change = alert.percent_change
    size = f"{change:+.0f} %" if change is not None else f"{alert.magnitude:+.2f} share pts"
    near = "; ".join(f"{m.measure_id} ({m.event} {m.lag_months:+d} m)" for m in alert.measures) or "—"
    key = alert.series
    return [alert.as_of, alert.period, alert.detector, f"{key.reporter}→{key.partner or ALL_PARTNERS}", key.hs6,
            key.variable.value, size, str(alert.duration_months), near]


ALERT_HEADER = ["known", "onset", "detector", "flow", "HS6", "variable", "change", "months", "near measures"]
EVENT_HEADER = ["date", "event", "measure", "issuer", "kind", "targets", "notice"]


def _event_cells(event: MeasureEvent) -> list[str]:
    m = event.measure
    notice = m.official.notice or "—"
    if not m.official.confirmed:
        notice += " (unconfirmed)"
    return [event.date, event.event, m.id, m.issuer, m.kind.value, ", ".join(m.targets) or "all", notice]


def to_markdown(digest: Digest) -> str:
    lines = [f"# Watch digest {digest.first_month} – {digest.last_month}", "", f"Data: {digest.source}.", ""]
    lines += ["## Ranked alerts", "",
              "Lasting falls of a reporter's total, false-discovery rate 5 % (Benjamini-Hochberg), best first; "
              "partner series, surges and price moves count as agreement (docs/watch.md, Digest).", ""]
    lines += _markdown_table(RANKED_HEADER, [_ranked_cells(n, i) for n, i in enumerate(digest.ranked, start=1)])
    lines += ["", "## Measures with an event in the period", ""]
    lines += _markdown_table(EVENT_HEADER, [_event_cells(e) for e in sorted(digest.events, key=lambda e: e.date)])
    lines += ["", "## All alerts in the period", ""]
    lines += _markdown_table(ALERT_HEADER, [_alert_cells(a) for a in digest.alerts])
    lines += ["", "Charts: see the HTML digest (`--html`)." if digest.charts else ""]
    return "\n".join(lines).rstrip() + "\n"


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["_None._"]
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return out


def to_html(digest: Digest) -> str:
    title = f"Watch digest {digest.first_month} – {digest.last_month}"
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}"
        "th{background:#f3f3f3}svg{border:1px solid #ddd;margin:0.5em 0}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p>Data: {html.escape(digest.source)}.</p>",
        "<h2>Ranked alerts</h2><p>Lasting falls of a reporter's total, false-discovery rate 5 % "
        "(Benjamini-Hochberg), best first; partner series, surges and price moves count as agreement.</p>",
        _html_table(RANKED_HEADER, [_ranked_cells(n, i) for n, i in enumerate(digest.ranked, start=1)]),
        "<h2>Measures with an event in the period</h2>",
        _html_table(EVENT_HEADER, [_event_cells(e) for e in sorted(digest.events, key=lambda e: e.date)]),
        "<h2>All alerts in the period</h2>",
        _html_table(ALERT_HEADER, [_alert_cells(a) for a in digest.alerts]),
    ]
    if digest.charts:
        parts.append("<h2>Series</h2>")
    for series, marks, alerts in digest.charts:
        parts.append(f"<h3>{html.escape(series.key.label)} (US dollars per month)</h3>")
        parts.append(_svg_chart(series, marks, alerts))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "<p><em>None.</em></p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _svg_chart(series: MonthlySeries, marks: Sequence[MeasureEvent], alerts: Sequence[Alert]) -> str:
    width, height, pad = 1000, 260, 40
    values = np.nan_to_num(np.asarray(series.values, dtype=float), nan=0.0)
    top = float(values.max()) or 1.0
    n = len(values)

    def x(i: int) -> float:
        return pad + (width - 2 * pad) * (i / max(n - 1, 1))

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * (v / top)

    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    first = month_index(series.periods[0])
    items = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>",
        f"<line x1='{pad}' y1='{height - pad}' x2='{width - pad}' y2='{height - pad}' stroke='#999'/>",
        f"<text x='{pad}' y='{pad - 10}' font-size='11'>max {top:,.0f}</text>",
        f"<text x='{pad}' y='{height - 10}' font-size='11'>{series.periods[0]}</text>",
        f"<text x='{width - pad}' y='{height - 10}' font-size='11' text-anchor='end'>{series.periods[-1]}</text>",
    ]
    for mark in marks:
        i = month_index(mark.date) - first
        label = html.escape(f"{mark.measure.id} {mark.event} {mark.date}")
        items.append(f"<line x1='{x(i):.1f}' y1='{pad}' x2='{x(i):.1f}' y2='{height - pad}' stroke='#c33' "
                     f"stroke-dasharray='4 3'><title>{label}</title></line>")
    items.append(f"<polyline fill='none' stroke='#246' stroke-width='1.5' points='{points}'/>")
    for alert in alerts:
        i = month_index(alert.period) - first
        label = html.escape(f"{alert.detector} {alert.period} {alert.direction}")
        items.append(f"<circle cx='{x(i):.1f}' cy='{y(values[i]):.1f}' r='5' fill='#e80'><title>{label}</title></circle>")
    items.append("</svg>")
    return "".join(items)
