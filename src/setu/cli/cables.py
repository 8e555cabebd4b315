"""`setu cables ...`: submarine cables and landing stations, from the optional `submarine-cables` data pack.

Every command needs the pack (`setu data add submarine-cables`); without it each one says so and exits 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from setu.cli.options import CsvOption, JsonOption
from setu.cli.render import emit_document, percent
from setu.services import cable_answers
from setu.settings import Settings

if TYPE_CHECKING:
    from setu.services.cables import CableService

app = typer.Typer(
    help="Submarine cables (TeleGeography late-2022, CC BY-NC-SA 3.0 data pack): routes, suppliers, "
    "single points of failure, cut scenarios.",
    no_args_is_help=True,
)

PlannedOption = Annotated[bool, typer.Option("--include-planned", help="Count planned cables too.")]
CountryArgument = Annotated[str, typer.Argument(help="Country: ISO3 code or name (JPN, India).")]


def _service(include_planned: bool = False) -> CableService:
    from setu.services.cables import CableService  # the pack's reader and the analysis: not for stored answers

    return CableService(Settings.from_env(), include_planned=include_planned)


def _stored(question: str, parameters: dict[str, Any], compute: Any) -> dict[str, Any]:
    """The answer from the derived store (:mod:`setu.services.cable_answers`), as JSON gives it back."""
    import json

    def fresh() -> dict[str, Any]:
        return json.loads(json.dumps(compute()))

    return cable_answers.stored(Settings.from_env().data_dir, question, parameters, fresh)


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "share" and isinstance(value, float):
        return percent(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _emit(document: dict[str, Any], title: str, as_json: bool, as_csv: bool, columns: list[str] | None = None) -> None:
    rows = document["rows"]
    if columns and not as_json:
        rows = [{k: row[k] for k in columns} for row in rows]
    extra = {k: v for k, v in document.items() if k != "rows"}
    if not as_json:
        extra = {k: v for k, v in extra.items() if not isinstance(v, (list, dict))}
    emit_document(rows, title, as_json, as_csv, extra, cell=_cell)


@app.command()
def country(name: CountryArgument, include_planned: PlannedOption = False, as_json: JsonOption = False,
            as_csv: CsvOption = False) -> None:
    """A country's cables, landing stations and international routes by destination."""
    document = _stored("country", {"name": name, "include_planned": include_planned},
                       lambda: _service(include_planned).country_document(name))
    _emit(document, f"Submarine cables of {document['name']}: international routes by destination", as_json,
          as_csv, ["destination", "name", "direct_cables", "cables"])


@app.command()
def stations(name: CountryArgument, include_planned: PlannedOption = False, as_json: JsonOption = False,
             as_csv: CsvOption = False) -> None:
    """Single points of failure: the share of a country's international cables landing at each station."""
    document = _service(include_planned).stations_document(name)
    _emit(document, f"Landing stations of {document['name']}", as_json, as_csv)


@app.command()
def suppliers(
    name: Annotated[str | None, typer.Argument(help="Country (ISO3 or name); omit for the world.")] = None,
    owners: Annotated[bool, typer.Option("--owners", help="Shares by owner instead of supplier.")] = False,
    include_planned: PlannedOption = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Shares of a country's cables by system supplier (ASN, SubCom, NEC, HMN Tech ...) or owner, with HHI."""
    role = "owner" if owners else "supplier"
    document = _service(include_planned).suppliers_document(name, role)
    _emit(document, f"Cables of {document['scope']} by {role}", as_json, as_csv)
    if not as_json and not as_csv and document.get("home_countries"):
        typer.echo("home countries of suppliers: " + ", ".join(
            f"{k} {percent(v)}" for k, v in document["home_countries"].items()))


@app.command()
def routes(first: CountryArgument, second: CountryArgument, include_planned: PlannedOption = False,
           as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Direct cables and independent (cable- and station-disjoint) routes between two countries."""
    document = _stored("routes", {"first": first, "second": second, "include_planned": include_planned},
                       lambda: _service(include_planned).routes_document(first, second))
    _emit(document, f"Independent routes {document['country']}-{document['other']} (at most two cables)",
          as_json, as_csv)
    if not as_json and not as_csv:
        typer.echo("direct cables: " + (", ".join(document["direct_cables"]) or "none"))
        for strait in document["straits_of_direct_cables"]:
            every = " (every direct cable)" if strait["all_routes"] else ""
            typer.echo(f"drawn through {strait['name']}: {len(strait['cables'])} direct cables{every}")


@app.command()
def cut(
    cable: Annotated[list[str] | None, typer.Option("--cable", help="A cable cut (id or name); repeat.")] = None,
    station: Annotated[list[str] | None, typer.Option("--station", help="A landing station lost; repeat.")] = None,
    focus: Annotated[list[str] | None, typer.Option("--country", help="Focus country (default JPN and IND).")] = None,
    repair_days: Annotated[int | None, typer.Option("--repair-days", min=1, max=3650,
                                                    help="Days to repair one cable (default: the cited 30).")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write an offline HTML map report here.")] = None,
    include_planned: PlannedOption = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Cut scenario: which country pairs lose routes or all routes when cables are cut or stations lost."""
    if not cable and not station:
        raise typer.BadParameter("name at least one --cable or --station")
    arguments = (cable or [], station or [], focus or ["JPN", "IND"], repair_days)
    if report is not None:
        from setu.web.cable_report import render_cut_report

        service = _service(include_planned)
        document = service.cut_document(*arguments)
        report.write_text(render_cut_report(document, service.map_layers(document)), encoding="utf-8")
    else:
        document = _stored("cut", {"arguments": arguments, "include_planned": include_planned},
                           lambda: _service(include_planned).cut_document(*arguments))
    _emit(document, "Cut scenario: country pairs", as_json, as_csv)
    if not as_json and not as_csv:
        for loss in document["countries_cut_off"]:
            typer.echo(f"{loss['country']} can no longer reach {len(loss['unreachable'])} countries"
                       + (" (isolated)" if loss["isolated"] else ""))
        days = document["restoration_days"]
        typer.echo(f"repair assumption: {document['repair_assumption']['days_per_cable']} days per cable "
                   f"({document['repair_assumption']['source']}, {document['repair_assumption']['year']})"
                   + (f"; all cut cables back after about {days} days" if days else ""))
        if report is not None:
            typer.echo(f"report written to {report}")
