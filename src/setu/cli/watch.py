"""`setu watch ...`: the measures register, alert scans and the backtest."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from setu.errors import InputError
from setu.services import watch_digest
from setu.settings import Settings

app = typer.Typer(help="Export-restriction measures and early-warning alerts on trade flows.", no_args_is_help=True)


def _service():
    """The watch service, imported on first use: the digest's stored answers need none of it (pandas, the
    detectors)."""
    from setu.services import watch

    return watch

RegisterOption = typer.Option(None, "--register", "-r", help="extra measures file or folder (repeatable)")
JsonOption = typer.Option(False, "--json", help="print JSON")
CsvOption = typer.Option(False, "--csv", help="print CSV")


def _emit(
    payload: object, rows: list[dict], columns: list[str], *, as_json: bool, as_csv: bool, title: str,
    table_columns: list[str] | None = None,
) -> None:
    if as_json and as_csv:
        raise InputError("choose one of --json and --csv")
    if as_json:
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if as_csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        typer.echo(buffer.getvalue().rstrip("\n"))
        return
    shown = table_columns or columns
    table = Table(title=title)
    for column in shown:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in shown))
    console = Console()
    Console(width=max(console.width, 160)).print(table)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    month = watch_digest.parse_month(text, option=option)
    if len(text) == 10:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{option}: expected YYYY-MM or YYYY-MM-DD, got {text!r}") from None
    return dt.date.fromisoformat(f"{month}-01")


@app.command("measures")
def measures_command(
    country: str = typer.Option(None, "--country", help="issuing country (ISO3)"),
    target: str = typer.Option(None, "--target", help="targeted country (ISO3); untargeted measures included"),
    material: str = typer.Option(None, "--material", help="material slug, e.g. gallium"),
    hs6: str = typer.Option(None, "--hs6", help="HS six-digit code"),
    since: str = typer.Option(None, "--since", help="YYYY-MM[-DD]: some event on or after"),
    until: str = typer.Option(None, "--until", help="YYYY-MM[-DD]: some event on or before"),
    register: list[Path] = RegisterOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """List measures in the register (bundled plus --register files)."""
    rows = _service().list_measures(
        register or [], issuer=country.upper() if country else None, target=target.upper() if target else None,
        material=material, hs6=hs6, since=_date(since, "--since"), until=_date(until, "--until"),
    )
    columns = ["id", "issuer", "kind", "targets", "materials", "hs6", "announced", "effective", "suspended",
               "lifted", "unconfirmed"]
    _emit(rows, rows, columns, as_json=as_json, as_csv=as_csv, title="Export-restriction measures",
          table_columns=["id", "issuer", "kind", "targets", "announced", "effective", "suspended", "lifted"])


@app.command("show")
def show_command(measure_id: str, register: list[Path] = RegisterOption, as_json: bool = JsonOption) -> None:
    """Show one measure in full (goods, dates, sources, notes)."""
    record = _service().show_measure(measure_id, register or [])
    if as_json:
        typer.echo(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        typer.echo(_yaml_like(record))


@app.command("validate")
def validate_command(paths: list[Path], as_json: bool = JsonOption) -> None:
    """Validate measures files/folders (with the bundled register); errors name file, line and field."""
    result = _service().validate(paths)
    typer.echo(json.dumps(result, indent=2) if as_json else f"ok: {result['measures']} measures valid")


FileHelp = ("monthly CSV: period,reporter,partner,hs6,value[,quantity] (hs6 may hold a national 8- or 10-digit "
            "line), or the bundled file's own columns period_dt,partner_name,hs6,val,qty")


@app.command("scan")
def scan_command(
    file: Path = typer.Argument(None, help=FileHelp),
    file_option: Path = typer.Option(None, "--file", help="the same as FILE"),
    detector: list[str] = typer.Option(None, "--detector", "-d", help="detector to run (repeatable)"),
    since: str = typer.Option(None, "--since", help="only alerts known from this month on (YYYY-MM)"),
    near_measures: bool = typer.Option(False, "--near-measures", help="only alerts near a register measure"),
    explain: bool = typer.Option(False, "--explain", help="add materials, nodes and exposed destinations (JSON)"),
    register: list[Path] = RegisterOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Run the detectors on FILE (default: the bundled China export series) and show alerts next to measures.

    Every alert is computed as of the month it is known (from the data up to that month only)."""
    if file is not None and file_option is not None:
        raise InputError("give the file once: as FILE or as --file")
    result = _service().run_scan(
        file or file_option, registers=register or [], detectors=detector or None,
        since=watch_digest.parse_month(since, option="--since"), near_measures_only=near_measures, explain=explain,
    )
    rows = [
        {**row, "measures": [f"{m['measure_id']} ({m['event']} {m['lag_months']:+d}m)" for m in row["measures"]]}
        for row in result["alerts"]
    ]
    columns = ["as_of", "period", "detector", "reporter", "partner", "hs6", "variable", "direction",
               "percent_change", "magnitude", "magnitude_unit", "score", "duration_months", "measures"]
    _emit(result, rows, columns, as_json=as_json, as_csv=as_csv, title=f"Alerts — {result['source']}",
          table_columns=["as_of", "period", "detector", "partner", "hs6", "variable", "percent_change",
                         "duration_months", "measures"])


@app.command("backtest")
def backtest_command(
    file: Path = typer.Option(None, "--file", help=FileHelp + " (default: the bundled series)"),
    max_lag: int = typer.Option(3, "--max-lag", min=0, help="months after entry into force that count"),
    partners: bool = typer.Option(False, "--partners", help="scan partner series too (per-detector table; slower)"),
    register: list[Path] = RegisterOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    as_markdown: bool = typer.Option(False, "--markdown", help="print the tables as Markdown"),
) -> None:
    """Replay the monthly digest as of each month and score it against the register: recall and precision
    on held-out events, false alerts per product-year and placebo windows, each with its 95 % interval."""
    result = _service().run_backtest(file=file, registers=register or [], max_lag=max_lag, partners=partners)
    if as_markdown:
        typer.echo(_service().backtest_markdown(result), nl=False)
        return
    columns = ["measure_id", "hs6", "announced", "effective", "status", "flagged", "lag_months", "detectors",
               "finer_codes", "reason"]
    _emit(result, result["events"], columns, as_json=as_json, as_csv=as_csv, title="Backtest: register events",
          table_columns=["measure_id", "hs6", "effective", "status", "flagged", "lag_months", "detectors"])
    if not as_json and not as_csv:
        rows = [{"figure": name, **values} for name, values in result["figures"].items() if isinstance(values, dict)]
        _emit(rows, rows, ["figure", "value", "low", "high", "count", "base", "method"], as_json=False,
              as_csv=False, title="Figures (95 % intervals)")


@app.command("digest")
def digest_command(
    until: str = typer.Option(..., "--until", help="last month of the period (YYYY-MM)"),
    months: int = typer.Option(3, "--months", help="length of the period in months"),
    file: Path = typer.Option(None, "--file", help="monthly CSV to scan instead of the bundled series"),
    as_html: bool = typer.Option(False, "--html", help="self-contained HTML with charts instead of Markdown"),
    output: Path = typer.Option(None, "--output", "-o", help="write to this file instead of printing"),
    limit: int = typer.Option(10, "--limit", min=1, help="ranked alerts to show"),
    register: list[Path] = RegisterOption,
    as_json: bool = JsonOption,
) -> None:
    """A period's ranked alerts (FDR-controlled, each with why), measure events and all alerts, as Markdown,
    JSON, or HTML with the series charted and measures marked."""
    text = watch_digest.digest(
        Settings.from_env().data_dir, last_month=watch_digest.parse_month(until, option="--until"), months=months,
        file=file, registers=register or [], html=as_html, as_json=as_json, limit=limit,
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")


@app.command("schema")
def schema_command() -> None:
    """Print the JSON schema of the measures file format."""
    typer.echo(json.dumps(_service().measures_schema(), indent=2))


def _yaml_like(record: dict, indent: int = 0) -> str:
    lines = []
    pad = "  " * indent
    for key, value in record.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.append(_yaml_like(value, indent + 1))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{pad}{key}:")
            for item in value:
                lines.append(f"{pad}  -")
                lines.append(_yaml_like(item, indent + 2))
        else:
            lines.append(f"{pad}{key}: {_cell(value)}")
    return "\n".join(lines)
