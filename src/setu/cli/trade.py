"""`setu import baci|comtrade FILE...` and `setu trade dependence|exporters|concentration|monthly|sources`.

Thin shell over :class:`setu.services.trade.TradeService`: parse, call, render (Rich table, --json, --csv).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from setu.cli.options import CsvOption, JsonOption
from setu.cli.render import json_text
from setu.settings import Settings

if TYPE_CHECKING:
    from setu.services.trade import Dependence, SourceInfo, Table, TradeService

import_app = typer.Typer(help="Import trade data you bring (BACI, UN Comtrade) into the trade catalog.",
                         no_args_is_help=True)
app = typer.Typer(help="Trade dependence and concentration from the trade catalog (DuckDB or Spark).",
                  no_args_is_help=True)


class Engine(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


Files = Annotated[list[Path], typer.Argument(help="CSV files, or zip archives holding them", exists=True,
                                             dir_okay=False)]
EngineOption = Annotated[Engine, typer.Option("--engine", envvar="SETU_ENGINE", help="Query engine",
                                              case_sensitive=False)]
MasterOption = Annotated[str | None, typer.Option(
    "--spark-master", envvar="SETU_SPARK_MASTER",
    help="Spark master URL (local[2], spark://host:7077, yarn) or Spark Connect address (sc://host:15002)")]
YearOption = Annotated[int | None, typer.Option("--year", help="Year (default: latest in the catalog)")]
SourceOption = Annotated[str | None, typer.Option("--source", help="baci or comtrade (default: baci if loaded)")]
HsOption = Annotated[str | None, typer.Option("--hs", help="HS revision, e.g. HS2017 (default: newest loaded)")]
AsHsOption = Annotated[str | None, typer.Option(
    "--as-hs", help="Convert to this HS revision first (UNSD table; HS2022 data to HS2017)")]


def _service(engine: Engine = Engine.duckdb, spark_master: str | None = None) -> TradeService:
    """The one place this shell reaches the trade service, which brings Ibis and PyArrow: imported when a
    trade command runs, so that commands sharing these options (concentration, dependence) start without them."""
    from setu.services.trade import TradeService

    return TradeService(Settings.from_env(), engine=engine.value, spark_master=spark_master)


def _check_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")


def source_json(source: SourceInfo) -> dict[str, Any]:
    return {"dataset": source.dataset, "source": source.source, "edition": source.edition,
            "hs_revision": source.hs_revision, "converted_to": source.converted_to, "years": list(source.years),
            "files": list(source.files), "bundled": source.bundled, "attribution": source.attribution}


def _emit(rows: list[dict], columns: list[str], as_json: bool, as_csv: bool, *, title: str,
          caption: str, document: dict | None = None) -> None:
    if as_json:
        typer.echo(json_text(document if document is not None else rows, indent=2))
    elif as_csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        from rich.console import Console  # Rich loads for a table, not for --json or --csv
        from rich.table import Table as RichTable

        table = RichTable(title=title, caption=caption, caption_justify="left")
        for column in columns:
            table.add_column(column.replace("_", " "), justify="right" if rows and isinstance(
                rows[0].get(column), (int, float)) else "left")
        for row in rows:
            table.add_row(*(_cell(column, row.get(column)) for column in columns))
        Console(width=160).print(table)


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if "share" in column:
        return f"{100 * value:.2f}%"
    if isinstance(value, float):
        if column == "tonnes":
            return f"{value:,.{1 if value >= 1 else 3}f}"
        return f"{value:,.2f}" if column in {"hhi", "usd_per_kg"} else f"{value:,.0f}"
    return str(value)


def _caption(source: SourceInfo) -> str:
    return _caption_of(source_json(source))


def _caption_of(source: dict[str, Any]) -> str:
    """The source line under a table, from a document's ``source`` (:func:`source_json`)."""
    converted = f" converted to {source['converted_to']} (UNSD)" if source["converted_to"] else ""
    return (f"Source: {source['dataset']} {source['edition']}, {source['hs_revision']}{converted}, "
            f"{', '.join(map(str, source['years']))}; values in US dollars"
            + (f" ({source['attribution']})" if source["attribution"] else ""))


def _progress_import(run) -> None:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                  transient=True) as progress:
        tasks: dict[str, Any] = {}

        def on_progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=total)
            progress.update(tasks[name], completed=done)

        datasets = run(on_progress)
    rows = [{"source": d.source, "edition": d.edition, "hs_revision": d.hs_revision, "year": d.year,
             "month": d.month, "rows": d.rows,
             "skipped": sum(v for i in d.inputs for v in i.skipped_rows.values())} for d in datasets]
    _emit(rows, list(rows[0]) if rows else ["source"], False, False, title="Imported",
          caption="The trade catalog now holds these partitions (see `setu trade sources`).")


@import_app.command("baci")
def import_baci(files: Files,
                hs: Annotated[str | None, typer.Option("--hs", help="HS revision if not in the file name")] = None,
                year: Annotated[int | None, typer.Option("--year", help="Year if not in the file name")] = None,
                edition: Annotated[str | None, typer.Option("--edition", help="BACI release, e.g. V202301")] = None
                ) -> None:
    """Import CEPII BACI yearly CSVs (BACI_HS17_Y2022_V202301.csv) or the zip that holds them."""
    service = _service()
    _progress_import(lambda progress: service.import_baci(files, hs_revision=hs, year=year, edition=edition,
                                                          on_progress=progress))


@import_app.command("comtrade")
def import_comtrade(files: Files,
                    hs: Annotated[str | None, typer.Option("--hs", help="HS revision if the file has no "
                                                           "classificationCode column")] = None,
                    edition: Annotated[str | None, typer.Option("--edition", help="Label for this extract")] = None
                    ) -> None:
    """Import UN Comtrade bulk CSV/TSV files (annual or monthly) or zips of them."""
    service = _service()
    _progress_import(lambda progress: service.import_comtrade(files, hs_revision=hs, edition=edition,
                                                              on_progress=progress))


def dependence_document(result: Dependence, engine: str) -> dict[str, Any]:
    document = {
        "importer": result.importer, "product": result.product, "year": result.year,
        "unit": result.unit, "total_value": result.total_value, "hhi": result.hhi,
        "supplier_count": result.supplier_count,
        "suppliers": [{"country": s.country, "name": s.name, "value": s.value, "share": s.share}
                      for s in result.suppliers],
        "source": source_json(result.source), "engine": engine,
    }
    if result.group:
        document["group"] = {"members": result.group, "value": result.group_value, "share": result.group_share}
    return document


@app.command("dependence")
def dependence(importer: Annotated[str, typer.Argument(help="Importing country: ISO3 code or name")],
               product: Annotated[str, typer.Argument(help="HS6 product code, e.g. 811292")],
               year: YearOption = None, source: SourceOption = None, hs: HsOption = None,
               group: Annotated[str | None, typer.Option("--group", help="Comma-separated countries whose "
                                                         "combined share to report, e.g. CHN,RUS")] = None,
               top: Annotated[int | None, typer.Option("--top", help="Show only the N largest suppliers")] = None,
               as_hs: AsHsOption = None, engine: EngineOption = Engine.duckdb, spark_master: MasterOption = None,
               as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """A country's imports of one product: suppliers' values and shares, HHI (0–10,000), group share."""
    _check_format(as_json, as_csv)
    members = [m for m in (group or "").split(",") if m.strip()]

    def compute() -> dict[str, Any]:
        service = _service(engine, spark_master)
        try:
            result = service.dependence(importer, product, year=year, source=source, hs_revision=hs,
                                        group=members, top=top, as_hs=as_hs)
            screen = service.unit_values(result.importer, result.product, year=result.year,
                                         source=result.source.source, hs_revision=result.source.hs_revision,
                                         as_hs=as_hs)
        finally:
            service.close()
        return {**dependence_document(result, engine.value), "unit_values": screen}

    if engine is Engine.duckdb:  # the embedded default, kept in the derived store; Spark always computes
        from setu.services import trade_answers

        document = trade_answers.stored(Settings.from_env(), "dependence-product", {
            "importer": importer, "product": product, "year": year, "source": source, "hs": hs, "group": members,
            "top": top, "as_hs": as_hs}, compute)
    else:
        document = compute()
    screen = document["unit_values"]
    rows = []
    for s in document["suppliers"]:
        seen = screen["suppliers"].get(s["country"], {})
        rows.append({"country": s["country"], "name": s["name"], "value": s["value"], "share": s["share"],
                     "tonnes": seen.get("tonnes"), "usd_per_kg": seen.get("unit_value_usd_per_kg"),
                     "unit_value_flag": seen.get("reason") or ""})
    caption = (_caption_of(document["source"])
               + f"\nHHI {document['hhi']:,.1f} of 10,000; total {document['total_value']:,.0f} USD")
    if document.get("group"):
        caption += (f"\nShare from {', '.join(document['group']['members'])}: "
                    f"{100 * (document['group']['share'] or 0):.1f}%")
    caption += ("\nUnit values: world median USD {:,.2f}/kg over {} flows with a quantity; flagged where the "
                "modified z on logs exceeds 3.5 and the value is more than 3 times off".format(
                    screen["world_median_usd_per_kg"], screen["quantified_flows"]) if screen["screened"] else
                "\nUnit values: a customs basket of several goods, not screened" if screen["basket"] else
                "\nUnit values: too few flows with a quantity to screen")
    _emit(rows, ["country", "name", "value", "share", "tonnes", "usd_per_kg", "unit_value_flag"], as_json, as_csv,
          title=f"Imports of {document['product']} by {document['importer']}, {document['year']}", caption=caption,
          document=document)


def _emit_table(result: Table, as_json: bool, as_csv: bool, title: str, engine: str) -> None:
    document = {"rows": result.rows, "source": source_json(result.source), "engine": engine}
    _emit(result.rows, result.columns, as_json, as_csv, title=title, caption=_caption(result.source),
          document=document)


@app.command("exporters")
def exporters(product: Annotated[str, typer.Argument(help="HS6 product code")],
              year: YearOption = None, source: SourceOption = None, hs: HsOption = None,
              top: Annotated[int | None, typer.Option("--top", help="Show only the N largest exporters")] = None,
              as_hs: AsHsOption = None, engine: EngineOption = Engine.duckdb, spark_master: MasterOption = None,
              as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Exporters' shares of world exports of one product."""
    _check_format(as_json, as_csv)
    service = _service(engine, spark_master)
    try:
        result = service.exporters(product, year=year, source=source, hs_revision=hs, top=top, as_hs=as_hs)
    finally:
        service.close()
    _emit_table(result, as_json, as_csv, f"World exporters of {product}", engine.value)


@app.command("concentration")
def concentration(importer: Annotated[str | None, typer.Option("--importer", help="Only this importer")] = None,
                  product: Annotated[str | None, typer.Option("--product", help="Only this HS6 product")] = None,
                  year: YearOption = None, source: SourceOption = None, hs: HsOption = None,
                  min_hhi: Annotated[float | None, typer.Option("--min-hhi", help="Only pairs with HHI ≥ this")] = None,
                  limit: Annotated[int | None, typer.Option("--limit", help="At most N rows")] = 50,
                  as_hs: AsHsOption = None, engine: EngineOption = Engine.duckdb, spark_master: MasterOption = None,
                  as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Import concentration (HHI, top supplier) of every (importer, product) pair, most concentrated first."""
    _check_format(as_json, as_csv)
    service = _service(engine, spark_master)
    try:
        result = service.concentration(year=year, importer=importer, product=product, source=source,
                                       hs_revision=hs, min_hhi=min_hhi, limit=limit or None, as_hs=as_hs)
    finally:
        service.close()
    _emit_table(result, as_json, as_csv, "Import concentration", engine.value)


@app.command("monthly")
def monthly(product: Annotated[str, typer.Argument(help="HS6 product code")],
            exporter: Annotated[str | None, typer.Option("--exporter", help="Exporting country")] = None,
            importer: Annotated[str | None, typer.Option("--importer", help="Importing country")] = None,
            flow: Annotated[str, typer.Option("--flow", help="M: as reported by importers; X: by exporters")] = "M",
            engine: EngineOption = Engine.duckdb, spark_master: MasterOption = None,
            as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Monthly value and quantity of a product (monthly Comtrade data), optionally for one partner pair."""
    _check_format(as_json, as_csv)
    service = _service(engine, spark_master)
    try:
        result = service.monthly(product, exporter=exporter, importer=importer, flow=flow.upper())
    finally:
        service.close()
    _emit_table(result, as_json, as_csv, f"Monthly trade in {product}", engine.value)


@app.command("sources")
def sources(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """The trade data held in the catalog: source, edition, HS revision, period, rows, input files."""
    _check_format(as_json, as_csv)
    datasets = _service().sources()
    rows = [{"source": d.source, "dataset": d.dataset, "edition": d.edition, "hs_revision": d.hs_revision,
             "year": d.year, "month": d.month, "rows": d.rows, "imported_at": d.imported_at,
             "files": ";".join(i.name for i in d.inputs),
             "sha256": ";".join(i.sha256 for i in d.inputs)} for d in datasets]
    document = [asdict(d) for d in datasets]
    _emit(rows, ["source", "dataset", "edition", "hs_revision", "year", "month", "rows", "imported_at", "files"],
          as_json, as_csv, title="Trade data in the catalog",
          caption="BACI: CEPII, Etalab Open Licence 2.0. UN Comtrade: UN Comtrade terms of use.",
          document=document)


@app.command("history")
def history(importer: Annotated[str, typer.Argument(help="Importing country: ISO3 code or name")],
            product: Annotated[str, typer.Argument(help="HS6 product code (one of the bundled 30), e.g. 850511")],
            top: Annotated[int, typer.Option("--top", help="Largest suppliers shown per year")] = 3,
            as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """A PARTIAL series, 2002–2024: an importer's largest suppliers from the bundled top-6 history, with coverage."""
    _check_format(as_json, as_csv)
    service = _service()
    try:
        document = service.history(importer, product, top=top)
    finally:
        service.close()
    rows = [{"year": y["year"], "listed_value_usd": y["listed_value_usd"], "listed_suppliers": y["listed_suppliers"],
             "top_suppliers": "; ".join(f"{s['country']} {100 * s['share_of_listed']:.1f}%" for s in y["top_suppliers"]),
             "coverage": "" if y["coverage"] is None else f"{100 * y['coverage']:.1f}%"} for y in document["years"]]
    _emit(rows, ["year", "listed_value_usd", "listed_suppliers", "top_suppliers", "coverage"], as_json, as_csv,
          title=f"PARTIAL series: {document['importer']}'s listed suppliers of {document['product']}, by year",
          caption=(f"Not a total: {document['coverage_note']}. Shares are of the listed flows. Coverage = listed / "
                   f"complete imports, where a complete year is in the catalog. Source: "
                   f"{document['source']['dataset']} ({document['source']['attribution']})."),
          document=document)
