"""Render results as a Rich table, JSON or CSV. One place, so every command behaves the same."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

import typer

from setu.domain.shares import share_text
from setu.services.documents.json_text import json_text


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def output_format(as_json: bool, as_csv: bool) -> Format:
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    return Format.json if as_json else Format.csv if as_csv else Format.table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.1f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def emit_json(value: Any) -> None:
    typer.echo(json_text(value, indent=2))


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    *,
    title: str | None = None,
    caption: str | None = None,
    formatters: dict[str, Callable[[Any], str]] | None = None,
) -> None:
    """Print rows: a Rich table (default), a JSON list, or CSV with the given columns."""
    if fmt is Format.json:
        emit_json(list(rows))
        return
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_flat(row.get(c)) for c in columns])
        typer.echo(buffer.getvalue(), nl=False)
        return
    from rich.console import Console  # Rich loads for a table, not for --json or --csv
    from rich.table import Table

    table = Table(title=title, caption=caption, caption_justify="left")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    formatters = formatters or {}
    for row in rows:
        table.add_row(*(formatters.get(c, _cell)(row.get(c)) for c in columns))
    Console(width=160).print(table)


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json_text(value)
    return value


percent = share_text  # the one share formatter, under the name the commands' formatters use


def _plain_cell(key: str, value: Any) -> str:
    return "" if value is None else str(value)


def emit_document(
    rows: Sequence[dict[str, Any]],
    title: str,
    as_json: bool,
    as_csv: bool,
    extra: dict[str, Any] | None = None,
    *,
    cell: Callable[[str, Any], str] = _plain_cell,
) -> None:
    """Print rows with document-level fields: JSON ``{**extra, "rows": [...]}``, CSV of the rows (columns
    from the first row), or a Rich table followed by the scalar extras as ``key: value`` lines."""
    if as_json:
        typer.echo(json_text({**(extra or {}), "rows": list(rows)}, indent=2))
        return
    if as_csv:
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in rows[0] if rows else ["(none)"]:
        table.add_column(column)
    for row in rows:
        table.add_row(*(cell(key, value) for key, value in row.items()))
    Console(width=160).print(table)
    for key, value in (extra or {}).items():
        if not isinstance(value, (dict, list)):
            typer.echo(f"{key}: {value}")
