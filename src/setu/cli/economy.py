"""`setu economy ...`: economy-wide effects of a supply cut on a bundled input-output table."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from setu.services.economy import (
    DEFAULT_FOCUS,
    ExposureReport,
    Impact,
    ShockReport,
    available_tables,
    bundled_table,
    exposure_to_region,
    shock_supply,
)

app = typer.Typer(help="Economy-wide effects through input-output tables (Leontief, Ghosh, IIM).", no_args_is_help=True)

TableOption = Annotated[str, typer.Option("--table", help="Bundled table id (see `setu economy tables`).")]


@app.command()
def shock(
    region: Annotated[str, typer.Option(help="Region (ISO3 code) whose sector is cut, e.g. CHN.")],
    sector: Annotated[list[str], typer.Option(help="Sector name or unique prefix; repeat for several.")],
    cut: Annotated[float, typer.Option("--supply-cut", help="Share of the sector cut, 0-1.")],
    table: TableOption = "wiod-2011",
    model: Annotated[str, typer.Option(help="ghosh (downstream), leontief (upstream) or iim.")] = "ghosh",
    focus: Annotated[list[str] | None, typer.Option(help="Regions to list sectors for (default JPN, IND).")] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows per list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the focus sectors as CSV.")] = False,
) -> None:
    """Cut a sector's supply and list the most affected regions and, for the focus regions, sectors."""
    report = shock_supply(table, region, sector, cut, model=model, focus=focus or DEFAULT_FOCUS, top=top)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    elif as_csv:
        _write_csv([impact for impacts in report.focus.values() for impact in impacts], report.unit)
    else:
        _print_report(report)


@app.command()
def exposure(
    region: Annotated[str, typer.Option(help="Region (ISO3 code) whose sectors are cut one at a time, e.g. CHN.")],
    cut: Annotated[float, typer.Option("--supply-cut", help="Share of each sector cut, 0-1.")],
    table: TableOption = "wiod-2011",
    model: Annotated[str, typer.Option(help="ghosh (downstream), leontief (upstream) or iim.")] = "ghosh",
    focus: Annotated[list[str] | None, typer.Option(help="Regions exposed (default JPN, IND).")] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows per list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the lists as CSV.")] = False,
) -> None:
    """Which of a region's sectors, cut alone, would cost the focus regions most output."""
    report = exposure_to_region(table, region, cut, model=model, focus=focus or DEFAULT_FOCUS, top=top)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    elif as_csv:
        _write_csv([impact for impacts in report.exposure.values() for impact in impacts], report.unit)
    else:
        _print_exposure(report)


@app.command()
def tables(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the bundled input-output tables with their source and year."""
    rows = [
        {
            "table_id": t.table_id,
            "table": t.release,
            "year": t.year,
            "unit": t.unit,
            "publisher": t.publisher,
            "licence": t.licence,
        }
        for t in available_tables()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['table_id']}: {row['table']}, {row['year']} ({row['unit']}); {row['publisher']}")


@app.command()
def sectors(
    table: TableOption = "wiod-2011",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the regions and sectors of a bundled table."""
    io_table = bundled_table(table)
    payload = {"regions": io_table.regions, "sectors": io_table.sectors}
    if as_json:
        typer.echo(json.dumps(payload, indent=2))
        return
    typer.echo("regions: " + " ".join(payload["regions"]))
    for name in payload["sectors"]:
        typer.echo(f"  {name}")


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{100 * share:+.3f} %"


def _print_report(report: ShockReport) -> None:
    console = Console()
    shocked = "; ".join(f"{s['region']} {s['sector']}" for s in report.shocked)
    console.print(f"[bold]{report.model}[/bold]: {report.cut_share:.0%} cut in {shocked}")
    console.print(f"Table: {report.table}, {report.year} ({report.unit}). Source: {report.publisher}.")
    regions = Table("region", f"change, {report.unit}", "change", title="Most affected regions")
    for impact in report.regions:
        regions.add_row(impact.region, f"{impact.change:,.1f}", _percent(impact.change_share))
    console.print(regions)
    for region, impacts in report.focus.items():
        listing = Table("sector", f"change, {report.unit}", "change", title=f"Most affected sectors in {region}")
        for impact in impacts:
            listing.add_row(impact.sector or "", f"{impact.change:,.1f}", _percent(impact.change_share))
        console.print(listing)


def _print_exposure(report: ExposureReport) -> None:
    console = Console()
    console.print(
        f"[bold]{report.model}[/bold]: each sector of {report.source_region} cut by {report.cut_share:.0%}, alone"
    )
    console.print(f"Table: {report.table}, {report.year} ({report.unit}). Source: {report.publisher}.")
    for region, impacts in report.exposure.items():
        listing = Table(
            f"sector of {report.source_region} cut", "change in output", "change", title=f"Exposure of {region}"
        )
        for impact in impacts:
            listing.add_row(impact.sector or "", f"{impact.change:,.1f}", _percent(impact.change_share))
        console.print(listing)


def _write_csv(impacts: list[Impact], unit: str) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["region", "sector", "output", "change", "change_share", "unit"])
    for impact in impacts:
        writer.writerow([impact.region, impact.sector, impact.output, impact.change, impact.change_share, unit])
