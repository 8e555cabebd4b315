"""`setu economy ...`: economy-wide effects of a supply cut on a bundled input-output table."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from setu.cli.options import JsonOption
from setu.services.economy import (
    DEFAULT_FOCUS,
    ExposureReport,
    Impact,
    LinkageReport,
    ShockReport,
    available_tables,
    bundled_table,
    exposure_to_region,
    sector_linkages,
    shock_supply,
)

app = typer.Typer(help="Economy-wide effects through input-output tables (Leontief, Ghosh, IIM).", no_args_is_help=True)

TableOption = Annotated[str, typer.Option("--table", help="Bundled table id (see `setu economy tables`).")]


@app.command()
def shock(
    region: Annotated[str, typer.Option(help="Region (ISO3 code) whose sector is cut, e.g. CHN.")],
    sector: Annotated[list[str], typer.Option(help="Sector name or unique prefix; repeat for several.")],
    cut: Annotated[float, typer.Option("--supply-cut", help="Share by which the sector's own output falls, 0-1.")],
    table: TableOption = "wiod-2011",
    model: Annotated[str, typer.Option(help="ghosh (downstream), leontief (upstream) or iim.")] = "ghosh",
    focus: Annotated[list[str] | None, typer.Option(help="Regions to list sectors for (default JPN, IND).")] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows per list.")] = 10,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the focus sectors as CSV.")] = False,
) -> None:
    """Cut a sector's output by a share and list the most affected regions and, for the focus regions, sectors.

    Every model realises the same cut (the sector's own output falls by the share) through its own
    exogenous variable; the report shows that change, the realised cut and the model's caveat.
    """
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
    cut: Annotated[float, typer.Option("--supply-cut", help="Share by which each sector's own output falls, 0-1.")],
    table: TableOption = "wiod-2011",
    model: Annotated[str, typer.Option(help="ghosh (downstream), leontief (upstream) or iim.")] = "ghosh",
    focus: Annotated[list[str] | None, typer.Option(help="Regions exposed (default JPN, IND).")] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows per list.")] = 10,
    as_json: JsonOption = False,
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
def multipliers(
    region: Annotated[str, typer.Option(help="Region (ISO3 code) whose sectors are listed, e.g. JPN.")],
    table: TableOption = "wiod-2011",
    sort: Annotated[str, typer.Option(help="Column to rank by, largest first (e.g. forward_index).")] = "output_multiplier",
    top: Annotated[int | None, typer.Option(min=1, help="Rows to list (default all).")] = None,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the table as CSV.")] = False,
) -> None:
    """Output multipliers, backward and forward linkages and Rasmussen indices of a region's sectors."""
    report = sector_linkages(table, region, sort=sort, top=top)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    elif as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(report.columns)
        writer.writerows([[row[column] for column in report.columns] for row in report.rows])
    else:
        _print_linkages(report)


@app.command()
def tables(as_json: JsonOption = False) -> None:
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
    as_json: JsonOption = False,
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
    console.print(f"[bold]{report.model}[/bold]: output of {shocked} falls by {report.cut_share:.0%}")
    console.print(f"Table: {report.table}, {report.year} ({report.unit}). Source: {report.publisher}.")
    realised = Table("shocked sector", f"output, {report.unit}", f"change in {report.exogenous}", "of its base",
                     "realised output change", title="How the model realises the cut")
    for s in report.shocked:
        flag = " (deeper than the whole base)" if s["exceeds_base"] else ""
        realised.add_row(f"{s['region']} {s['sector']}", f"{s['output']:,.1f}", f"{s['exogenous_change']:,.4g}",
                         _percent(s["exogenous_share"]) + flag, _percent(s["realised_share"]))
    console.print(realised)
    console.print(f"Caveat: {report.caveat}")
    totals = Table("region", f"output, {report.unit}", f"change, {report.unit}", "change", title="Focus regions")
    for impact in report.focus_totals:
        totals.add_row(impact.region, f"{impact.output:,.1f}", f"{impact.change:,.1f}", _percent(impact.change_share))
    console.print(totals)
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
        f"[bold]{report.model}[/bold]: output of each sector of {report.source_region} falls by "
        f"{report.cut_share:.0%}, alone (realised through {report.exogenous})"
    )
    console.print(f"Table: {report.table}, {report.year} ({report.unit}). Source: {report.publisher}.")
    console.print(f"Caveat: {report.caveat}")
    for region, impacts in report.exposure.items():
        listing = Table(
            f"sector of {report.source_region} cut", "change in output", "change", title=f"Exposure of {region}"
        )
        for impact in impacts:
            listing.add_row(impact.sector or "", f"{impact.change:,.1f}", _percent(impact.change_share))
        console.print(listing)


def _print_linkages(report: LinkageReport) -> None:
    console = Console()
    console.print(f"[bold]Multipliers and linkages, {report.region}[/bold] (indices: 1 = table average)")
    console.print(f"Table: {report.table}, {report.year} ({report.unit}). Source: {report.publisher}.")
    listing = Table("sector", "output multiplier", "backward index", "total forward", "forward index",
                    "sensitivity index", "key sector")
    for row in report.rows:
        listing.add_row(row["sector"], f"{row['output_multiplier']:.3f}", f"{row['backward_index']:.3f}",
                        f"{row['total_forward']:.3f}", f"{row['forward_index']:.3f}",
                        f"{row['sensitivity_index']:.3f}", "yes" if row["key_sector"] else "")
    console.print(listing)


def _write_csv(impacts: list[Impact], unit: str) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["region", "sector", "output", "change", "change_share", "unit"])
    for impact in impacts:
        writer.writerow([impact.region, impact.sector, impact.output, impact.change, impact.change_share, unit])
