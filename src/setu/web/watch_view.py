"""The early-warning page: the watch document (``setu.services.documents.watch``) with its figure.

The figure is the monthly series with the flagged anomalies as markers and a vertical line at every dated
event of a covering measure; every figure names its source and months.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from setu.settings import Settings
from setu.web import charts

#: the default variable, ``setu.watch.series.Variable.VALUE`` (the page loads the detectors only when it is opened)
VALUE = "value_usd"


def series_figure(document: dict[str, Any]) -> dict[str, Any]:
    """The plotly figure of a watch document."""
    alerts = document["alerts"]
    by_period = dict(zip(document["periods"], document["values"], strict=True))
    marker = {"type": "scatter", "mode": "markers", "name": "flagged anomaly",
              "x": [a["period"] for a in alerts], "y": [by_period.get(a["period"]) for a in alerts],
              "text": [f"{a['detector']} ({a['direction']}), score {a['score']}" for a in alerts],
              "hovertemplate": "%{x}: %{text}<extra></extra>",
              "marker": {"symbol": "diamond", "size": 11, "color": "#D55E00", "line": {"color": "#000", "width": 1}}}
    variable, unit = document["variable"], document["unit"]
    return charts.lines([(document["series_name"], list(document["periods"]), document["values"])],
                        f"{document['title']}, monthly ({unit})", document["source"],
                        x_axis="month", y_axis=f"{variable} ({unit})", markers=[marker],
                        shapes=event_lines(document["measures"]))


def event_lines(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dashed line per month with a measure event, labelled with every event of that month; labels of
    lines within three months of the previous one move down the line (top, middle, bottom) so they never
    print over each other (the graphite controls were announced in October and took effect in December)."""
    by_month: dict[str, list[str]] = {}
    for event in sorted(events, key=lambda e: (e["month"], e["event"], e["measure"])):
        by_month.setdefault(event["month"], []).append(event["event"])
    lines = []
    previous: str | None = None
    slot = 0
    for month, names in by_month.items():
        slot = (slot + 1) % len(LABEL_SLOTS) if previous is not None and _months_apart(previous, month) <= 3 else 0
        line = charts.vertical_line(month, " & ".join(dict.fromkeys(names)) + f" {month}")
        line["label"] = {**line["label"], "textposition": LABEL_SLOTS[slot]}
        lines.append(line)
        previous = month
    return lines


LABEL_SLOTS = ("end", "middle", "start")  # plotly's positions along a vertical line: top, middle, bottom


def _months_apart(first: str, second: str) -> int:
    from setu.watch.series import month_index

    return abs(month_index(second) - month_index(first))


def watch_twin_href(path: str, **query: str | None) -> str:
    """The JSON twin's address with every choice the page was opened with (partner, variable ...)."""
    kept = {k: v for k, v in query.items() if v}
    return f"{path}?{urlencode(kept)}" if kept else path


def loaded_product_available(settings: Settings, hs6: str) -> bool:
    """Whether the loaded trade data hold the product (the page links to them only then)."""
    from setu.services.documents import watch as watch_documents

    return watch_documents.loaded_product_available(settings, hs6)


def trade_watch_document(settings: Settings, hs6: str, exporter: str | None, importer: str | None,
                         variable: str = VALUE) -> dict[str, Any]:
    """The early-warning view of loaded monthly trade data, with its figure."""
    from setu.services.documents import watch as watch_documents

    document = watch_documents.trade_watch_document(settings, hs6, exporter, importer, variable)
    return {**document, "figure": series_figure(document)}


def watch_document(hs6: str | None = None, partner: str | None = None,
                   variable: str = VALUE) -> dict[str, Any]:
    """The bundled series of China's exports of ``hs6`` with its figure (the document is built once)."""
    from setu.services.documents import watch as watch_documents

    document = watch_documents.watch_document(hs6, partner, variable)
    return {**document, "figure": series_figure(document)}
