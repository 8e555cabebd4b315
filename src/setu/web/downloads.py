"""Downloads of what a chart shows: the rows behind each figure, and the CSV of them with their provenance.

Every figure of a page document carries ``table``: the columns and rows its traces draw, in the order they
are drawn (bars top first). ``label`` also gives each figure its ``part``, the dotted path to it in the
document (``figures.map``, ``imports.figure``, ``trade.products.0.figure``), so that the JSON twin of a page
answers ``?csv=<part>`` with that figure's rows as CSV. The JSON twin holds the very rows the CSV holds.

Provenance: each CSV row ends with ``source`` (the figure's source line), ``edition`` and ``licence`` of the
bundled datasets that line names, read from ``data/SOURCES.yaml``; a dataset not listed there (an authored
scenario, an imported file) says so rather than leaving the licence blank.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import yaml
from fastapi.responses import Response

from setu.errors import NotFoundError
from setu.reference import tables

#: which SOURCES.yaml entry a figure's source line names (a source line is free text written for readers)
#: (a line naming no edition of the USGS summaries may rest on either bundled edition: both are listed)
NAMED_SOURCES = (
    (re.compile(r"Mineral Commodity Summaries(?! 2023)"), "usgs-mcs2024"),
    (re.compile(r"Mineral Commodity Summaries(?! 2024)"), "usgs-mcs2023"),
    (re.compile(r"BACI"), "cepii-baci-v202601"),
    (re.compile(r"\bWGI\b|Worldwide Governance"), "wgi-2023"),
    (re.compile(r"\bIEA\b"), "iea-critical-minerals-2025"),
)
NOT_LISTED = "not listed in the bundled data sources (see the page's Sources)"
PROVENANCE_COLUMNS = ("source", "edition", "licence")


# -- the rows a figure draws ------------------------------------------------------------------------------
def _axis_title(layout: dict[str, Any], axis: str, default: str) -> str:
    title = (layout.get(axis) or {}).get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return str(text) if text else default


def _trace_rows(trace: dict[str, Any], layout: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    kind = trace.get("type", "scatter")
    if kind == "treemap":
        return (["id", "parent", "label", "value"],
                [list(r) for r in zip(trace["ids"], trace["parents"], trace["labels"], trace["values"], strict=True)])
    if kind == "choropleth":
        bar = (trace.get("colorbar") or {}).get("title") or {}
        value = bar.get("text", "value") if isinstance(bar, dict) else str(bar)
        names = trace.get("text") or [None] * len(trace["locations"])
        return (["country", "name", value],
                [list(r) for r in zip(trace["locations"], names, trace["z"], strict=True)])
    if kind == "scattergeo":
        names = trace.get("text") or [None] * len(trace["lat"])
        names = names if isinstance(names, list) else [names] * len(trace["lat"])
        return (["name", "latitude", "longitude"],  # lines are drawn with gaps (None) between their pieces
                [list(r) for r in zip(names, trace["lat"], trace["lon"], strict=True) if r[1] is not None])
    if trace.get("orientation") == "h":  # drawn bottom up: listed top first, as read
        columns = [_axis_title(layout, "yaxis", "label"), _axis_title(layout, "xaxis", "value")]
        return columns, [list(r) for r in zip(trace["y"], trace["x"], strict=True)][::-1]
    columns = [_axis_title(layout, "xaxis", "x"), _axis_title(layout, "yaxis", "value")]
    return columns, [list(r) for r in zip(trace["x"], trace["y"], strict=True)]


def table_of(figure: dict[str, Any]) -> dict[str, Any]:
    """The columns and rows a figure's traces draw; with several traces, a first ``series`` column names each."""
    traces = figure["data"]
    parts = [(t.get("name") or f"trace {n + 1}", *_trace_rows(t, figure.get("layout", {})))
             for n, t in enumerate(traces)]
    if len(parts) == 1:
        _, columns, rows = parts[0]
        return {"columns": columns, "rows": rows}
    columns: list[str] = []
    for _, own, _ in parts:
        columns.extend(c for c in own if c not in columns)
    rows = [[name, *(dict(zip(own, row, strict=True)).get(c) for c in columns)]
            for name, own, own_rows in parts for row in own_rows]
    return {"columns": ["series", *columns], "rows": rows}


# -- figures in a document ---------------------------------------------------------------------------------
def _is_figure(value: Any) -> bool:
    return isinstance(value, dict) and "data" in value and "layout" in value and isinstance(value["data"], list)


def figures(document: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every figure in a document with its dotted path."""
    if _is_figure(document):
        yield path, document
        return
    items = document.items() if isinstance(document, dict) else enumerate(document) \
        if isinstance(document, list) else ()
    for key, value in items:
        if isinstance(value, (dict, list)):
            yield from figures(value, f"{path}.{key}" if path else str(key))


def label(document: Any) -> Any:
    """Give each figure of ``document`` its ``part`` and its ``table`` (in place, the same every time)."""
    for path, figure in figures(document):
        figure["part"] = path
        if "table" not in figure:
            figure["table"] = table_of(figure)
    return document


def figure_at(document: Any, part: str) -> dict[str, Any]:
    found = dict(figures(document))
    if part not in found:
        raise NotFoundError(f"no chart {part!r} on this page; charts: {', '.join(sorted(found)) or 'none'}")
    return found[part]


# -- provenance and CSV -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _bundled_sources() -> dict[str, dict[str, Any]]:
    entries = yaml.safe_load(tables.data_path("SOURCES.yaml").read_text(encoding="utf-8"))["sources"]
    return {str(e["source_id"]): e for e in entries}


def provenance(source: str) -> dict[str, str]:
    """Source line, editions and licences of the bundled datasets a figure's source line names."""
    known = _bundled_sources()
    named = [known[sid] for pattern, sid in NAMED_SOURCES if pattern.search(source) and sid in known]
    if not named:
        return {"source": source, "edition": NOT_LISTED, "licence": NOT_LISTED}
    return {"source": source,
            "edition": "; ".join(f"{e['source_id']}: {e.get('edition', 'n/a')}" for e in named),
            "licence": "; ".join(f"{e['source_id']}: {' '.join(str(e['licence']).split())}" for e in named)}


def figure_provenance(figure: dict[str, Any]) -> dict[str, str]:
    """A figure's own edition and licence where it carries them (a data pack's), else those its source names."""
    source = str(figure.get("source") or figure["layout"].get("meta", {}).get("source", ""))
    own = figure.get("provenance")
    return {"source": source, **own} if own else provenance(source)


def page_sources(document: Any) -> list[dict[str, str]]:
    """The provenance of every figure of a page (what its tables' CSVs carry too)."""
    seen: dict[str, dict[str, str]] = {}
    for _, figure in figures(document):
        about = figure_provenance(figure)
        if about["source"] and about["source"] not in seen:
            seen[about["source"]] = about
    return list(seen.values())


def csv_text(figure: dict[str, Any]) -> str:
    """The CSV of a figure's rows, each ending with the source, edition and licence."""
    table = figure.get("table") or table_of(figure)
    about = figure_provenance(figure)
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180 line ends: a field holding \r or \n is quoted
    writer.writerow([*table["columns"], *PROVENANCE_COLUMNS])
    for row in table["rows"]:
        writer.writerow([*("" if v is None else v for v in row), *(about[c] for c in PROVENANCE_COLUMNS)])
    return out.getvalue()


def csv_response(document: Any, part: str, name: str) -> Response:
    """The figure at ``part`` as a CSV download named after the page and the chart."""
    text = csv_text(figure_at(label(document), part))
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{name}-{part}").strip("-") + ".csv"
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
