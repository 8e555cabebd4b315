"""The early-warning page: the watch document (``setu.services.documents.watch``) with its figure.

The figure is the monthly series with the flagged anomalies as markers and a vertical line at every dated
event of a covering measure; every figure names its source and months.
"""

from __future__ import annotations

from typing import Any

from setu.services.documents import watch as watch_documents
from setu.settings import Settings
from setu.watch.series import Variable
from setu.web import charts


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
                        shapes=[charts.vertical_line(e["month"], e["event"]) for e in document["measures"]])


def trade_watch_document(settings: Settings, hs6: str, exporter: str | None, importer: str | None,
                         variable: str = Variable.VALUE.value) -> dict[str, Any]:
    """The early-warning view of loaded monthly trade data, with its figure."""
    document = watch_documents.trade_watch_document(settings, hs6, exporter, importer, variable)
    return {**document, "figure": series_figure(document)}


def watch_document(hs6: str | None = None, partner: str | None = None,
                   variable: str = Variable.VALUE.value) -> dict[str, Any]:
    """The bundled series of China's exports of ``hs6`` with its figure (the document is built once)."""
    document = watch_documents.watch_document(hs6, partner, variable)
    return {**document, "figure": series_figure(document)}
