"""`setu policy ...`: the policy library (critical lists, instruments), investment screening and list comparison."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from setu.domain.shares import share_text
from setu.cli.options import CsvOption, JsonOption
from setu.services.maps import MapService
from setu.services.production import usgs_supply_resolver
from setu.settings import Settings
from rich.console import Console
from rich.table import Table

from setu.errors import DataFormatError, UnknownNameError, ValidationError
from setu.policy.compare import HIGHLY_CONCENTRATED_HHI, MaterialConcentration
from setu.policy.library import NOTICE
from setu.services.policy import (
    PolicyService,
    ScreeningReport,
    bundled_library_files,
    bundled_rule_files,
    report_document,
)
from setu.services.policy import citation_document as _citation
from setu.web.policy_chart import render_comparison_svg

app = typer.Typer(help="Policy library (critical lists, laws, programmes), investment screening and list "
                       "comparison. Informs; not legal advice.", no_args_is_help=True)

LibraryOption = Annotated[list[Path] | None, typer.Option(
    "--library", help="Your own setu-policy/1 file, added to the bundled library (repeatable).")]
RulesOption = Annotated[list[Path] | None, typer.Option(
    "--rules", help="Your own setu-screening/1 file, added to the bundled regimes (repeatable).")]


def _service(library: list[Path] | None = None, rules: list[Path] | None = None,
             concentration: dict[str, MaterialConcentration] | None = None) -> PolicyService:
    """The bundled library and rules, plus the user's files; maps resolved against the catalog's USGS
    figures, which also feed the comparison's concentration figures."""
    maps = MapService(resolver=usgs_supply_resolver(Settings.from_env().data_dir))
    return PolicyService(library_files=[*bundled_library_files(), *(library or [])],
                         rule_files=[*bundled_rule_files(), *(rules or [])], concentration=concentration, maps=maps)


def _emit(rows: Sequence[dict[str, Any]], title: str, as_json: bool, as_csv: bool, extra: dict | None = None) -> None:
    if as_json:
        typer.echo(json.dumps({**(extra or {}), "rows": list(rows), "notice": NOTICE}, indent=2, ensure_ascii=False))
        return
    if as_csv:
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    table = Table(title=title)
    for column in rows[0] if rows else ["(none)"]:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else ", ".join(v) if isinstance(v, list)
                        else f"{v:,.0f}" if isinstance(v, float) and v > 1 else str(v) for v in row.values()))
    Console().print(table)
    typer.echo(NOTICE)


@app.command("lists")
def lists(jurisdiction: Annotated[str | None, typer.Option(help="IND, JPN, EU or USA.")] = None,
          library_file: LibraryOption = None, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Critical lists in the library, with their official citations."""
    library = _service(library_file).library
    rows = [{"id": c.id, "jurisdiction": c.jurisdiction, "kind": c.kind.value, "name": c.name,
             "entries": len(c.entries), "in_force": str(c.in_force),
             "citation": _citation(c.citation) if as_json else c.citation.short,
             "confirmed": c.confirmed} for c in library.lists if jurisdiction in (None, c.jurisdiction)]
    _emit(rows, "Critical lists", as_json, as_csv)


@app.command()
def show(list_id: Annotated[str, typer.Argument(help="A list id (see `setu policy lists`).")],
         library_file: LibraryOption = None, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """The entries of one list: catalog materials, HS codes, map nodes, citation and confirmation."""
    service = _service(library_file)
    critical = service.library.critical_list(list_id)
    if critical is None:
        ids = [c.id for c in service.library.lists]
        raise UnknownNameError("list", list_id, difflib.get_close_matches(list_id, ids, n=3, cutoff=0.4))
    rows = [{"entry": e.id, "name": e.name,
             "materials": [f"{m.material} ({m.relation.value})" for m in e.materials],
             "hs": [f"{h.code}/{h.revision}" for h in e.hs], "nodes": list(e.nodes), "in_force": str(e.in_force),
             "citation": _citation(e.citation) if as_json else e.citation.short, "confirmed": e.confirmed,
             "note": e.note} for e in critical.entries]
    _emit(rows, critical.name, as_json, as_csv, {"list": critical.id, "citation": _citation(critical.citation)})


@app.command()
def instruments(jurisdiction: Annotated[str | None, typer.Option(help="IND or JPN.")] = None,
                material: Annotated[str | None, typer.Option(help="Only those concerning this material slug.")] = None,
                library_file: LibraryOption = None, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Laws, programmes, incentives, agencies and stockpiles, with dates, body and citation."""
    rows = [{"id": i.id, "jurisdiction": i.jurisdiction, "kind": i.kind.value, "name": i.name, "body": i.body,
             "in_force": str(i.in_force), "materials": list(i.materials), "nodes": list(i.nodes),
             "summary": i.summary, "citation": _citation(i.citation) if as_json else i.citation.short,
             "confirmed": i.confirmed}
            for i in _service(library_file).library.instruments
            if jurisdiction in (None, i.jurisdiction) and material in (None, *i.materials)]
    _emit(rows, "Laws, programmes and instruments", as_json, as_csv)


@app.command()
def sectors(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Target activities that `screen --sector` accepts, and the flags each regime asks about."""
    service = PolicyService()
    rows = [{"sector": s.id, "name": s.name, "synonyms": list(s.synonyms), "hs_prefixes": list(s.hs_prefixes),
             "nodes": len(s.nodes)} for s in service.sectors.sectors]
    flags = {f"{regime.id}:{flag}": meaning for regime in service.regimes for flag, meaning in regime.flags.items()}
    _emit(rows, "Screening activities", as_json, as_csv, {"flags": flags} if as_json else None)
    if not as_json and not as_csv:
        for key, meaning in flags.items():
            typer.echo(f"--flag {key.split(':', 1)[1]}  ({key.split(':', 1)[0]}): {meaning}")


@app.command()
def rules(regime: Annotated[str | None, typer.Argument(help="IND-FDI or JPN-FEFTA (default: all).")] = None,
          rules_file: RulesOption = None, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """The screening rules, with their effective dates, requirement and citation."""
    rows = [{"regime": r.id, "rule": rule.id, "requirement": rule.requirement.value, "route": rule.route,
             "effective": str(rule.effective), "text": rule.text,
             "citation": _citation(rule.citation) if as_json else rule.citation.short,
             "unconfirmed": rule.unconfirmed}
            for r in _service(rules=rules_file).regimes if regime in (None, r.id) for rule in r.rules]
    _emit(rows, "Screening rules", as_json, as_csv)


@app.command()
def coverage(regime: Annotated[str | None, typer.Argument(help="IND-FDI or JPN-FEFTA (default: all).")] = None,
             rules_file: RulesOption = None, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """The activities and periods whose law each regime encodes; outside them `screen` answers "not covered"."""
    rows = [{"regime": r.id, "from": str(c.start), "until": str(c.end) if c.end else None,
             "sectors": sorted(c.sectors), "checked": str(r.checked) if r.checked else None, "note": c.note}
            for r in _service(rules=rules_file).regimes if regime in (None, r.id) for c in r.coverage]
    _emit(rows, "Encoded coverage of the screening rules", as_json, as_csv)


def _print_report(report: ScreeningReport) -> None:
    console = Console()
    for decision in report.decisions:
        if decision.requirement is None:
            console.print(f"[bold]{decision.name}[/bold]: [bold]NOT COVERED[/bold] by the encoded rules")
            for gap in decision.not_covered:
                console.print(f"  not covered: {gap}", markup=False)
            if decision.at_least is not None:
                console.print(f"  the rules that fired require at least: {decision.at_least.value}")
        else:
            console.print(f"[bold]{decision.name}[/bold]: [bold]{decision.requirement.value.upper()}[/bold]"
                          + (f" ({decision.route})" if decision.route else ""))
        for line in decision.basis:
            console.print(f"  applies as {line}", markup=False)
        for rule in decision.rules:
            console.print(f"  rule {rule.id} -> {rule.requirement.value}: {rule.text}", markup=False)
            for fact in rule.facts:
                console.print(f"      because {fact}", markup=False)
            for reading in rule.readings:
                console.print(f"      reading: {reading}", markup=False)
            console.print(f"      cite: {rule.citation}", markup=False)
            if rule.unconfirmed:
                console.print(f"      unconfirmed: {rule.unconfirmed}", markup=False)
        for change in decision.changes:
            console.print(f"  would be {change.requirement.value} if {change.description}", markup=False)
        for caveat in decision.caveats:
            console.print(f"  caveat: {caveat}", markup=False)
    for skipped in report.not_applicable:
        console.print(f"{skipped.regime}: does not apply ({skipped.reason})")
    if report.context:
        table = Table(title="Economic-security context (supply maps)")
        for column in ("node", "HHI", "top supplier", "acquirer share", "chokepoint", "critical lists"):
            table.add_column(column)
        for c in report.context:
            table.add_row(c.node, "" if c.hhi is None else f"{c.hhi:,.0f}",
                          "" if c.top_country is None else f"{c.top_country} {share_text(c.top_share, 0)}",
                          share_text(c.acquirer_share, 0), "yes" if c.chokepoint else "",
                          ", ".join(c.listed_in))
        console.print(table)
    for instrument in report.instruments:
        console.print(f"programme in {report.transaction.target}: {instrument.name} ({instrument.body}; "
                      f"{instrument.in_force}) - {instrument.citation}")
    typer.echo(NOTICE)


@app.command()
def screen(
    acquirer: Annotated[str, typer.Option(help="Country of the investing entity (ISO3 or name), e.g. SGP.")],
    target: Annotated[str, typer.Option(help="Country of the target company (ISO3 or name): IND or JPN.")],
    stake: Annotated[float, typer.Option(help="Stake after the transaction, in per cent of shares or voting "
                                              "rights (0-100).")],
    owner: Annotated[list[str] | None, typer.Option(
        "--owner", help="Owner (beneficial owner) of the acquirer, repeatable: COUNTRY[:PCT][:control][:situated], "
                        "e.g. CHN:15 (a citizen of, or an entity incorporated in, China holding 15 per cent of the "
                        "acquirer), CHN:30:control, CHN:5:situated (situated/resident there, not a citizen). "
                        "Without PCT the share is unknown and treated as above any threshold. For an acquirer "
                        "incorporated in the target's country, its owners decide whether the deal is indirect "
                        "foreign investment (e.g. --acquirer IND --owner CHN:60 --owner IND:40).")] = None,
    sector: Annotated[list[str] | None, typer.Option(
        "--sector", help="Target activity, repeatable: id, name or synonym (see `setu policy sectors`).")] = None,
    hs: Annotated[list[str] | None, typer.Option("--hs", help="Target product as an HS code (2-6 digits), "
                                                              "repeatable.")] = None,
    node: Annotated[list[str] | None, typer.Option("--node", help="Target product as a supply-map node "
                                                                  "map:node (e.g. batteries:cell), repeatable.")] = None,
    listed: Annotated[bool, typer.Option("--listed/--unlisted", help="Whether the target's shares are listed on "
                                                                     "a stock exchange.")] = False,
    date: Annotated[str | None, typer.Option(help="Transaction date YYYY-MM-DD; rules in force that day apply "
                                                  "(default: today).")] = None,
    flag: Annotated[list[str] | None, typer.Option(
        "--flag", help="A fact a regime asks about, repeatable: brownfield, new-industrial-licence, "
                       "exemption-conditions-met, "
                       "core-exemption-conditions-met, foreign-financial-institution, state-owned, accredited-soe, "
                       "infectious-disease-medicine, highly-controlled-device (`setu policy sectors` explains "
                       "each).")] = None,
    library_file: LibraryOption = None,
    rules_file: RulesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Screen a proposed investment: for each regime the requirement (prohibited, approval, notification,
    report, none) or "not covered" with what the encoded rules lack, the rules that fired with the facts and
    citations, what would change the outcome, and the supply-map context of the target's products. Informs;
    not legal advice."""
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        raise ValidationError(f"--date {date!r} must be written YYYY-MM-DD") from None
    service = _service(library_file, rules_file)
    tx, nodes = service.transaction(acquirer=acquirer, target=target, owners=owner or [], sectors=sector or [],
                                    hs=hs or [], nodes=node or [], stake_pct=stake, listed=listed, day=day,
                                    flags=flag or [])
    report = service.screen(tx, nodes)
    if as_json:
        typer.echo(json.dumps(report_document(report), indent=2, ensure_ascii=False))
    else:
        _print_report(report)


def _read_concentration(path: Path) -> dict[str, MaterialConcentration]:
    """CSV with columns material, hhi, top_country, top_share, basis (e.g. from the catalog's production)."""
    result = {}
    with path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                result[row["material"]] = MaterialConcentration(float(row["hhi"]), row["top_country"],
                                                                float(row["top_share"]), row["basis"])
            except (KeyError, ValueError) as error:
                raise DataFormatError(f"bad concentration row ({error}); columns: material, hhi, top_country, "
                                      "top_share, basis", file=str(path), line=line) from None
    return result


@app.command()
def compare(first: Annotated[str, typer.Option(help="First jurisdiction.")] = "IND",
            second: Annotated[str, typer.Option(help="Second jurisdiction.")] = "JPN",
            date: Annotated[str | None, typer.Option(help="Lists in force on YYYY-MM-DD (default today).")] = None,
            concentration: Annotated[Path | None, typer.Option(help="CSV of material concentration (material, hhi, "
                                                               "top_country, top_share, basis) to use instead of "
                                                               "the maps' figures.")] = None,
            svg: Annotated[Path | None, typer.Option(help="Also write the comparison chart as an SVG file.")] = None,
            library_file: LibraryOption = None, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Materials critical for the first, the second, both or neither; gaps = neither but highly
    concentrated (HHI > 1,800)."""
    day = dt.date.fromisoformat(date) if date else dt.date.today()
    service = _service(library_file, concentration=_read_concentration(concentration) if concentration else None)
    rows = service.compare(first, second, day)
    out = [{"material": r.material, "standing": r.standing.value, "gap": r.gap,
            "hhi": r.concentration.hhi if r.concentration else None,
            "top_country": r.concentration.top_country if r.concentration else None,
            "first_entries": list(r.first), "second_entries": list(r.second),
            "basis": r.concentration.basis if r.concentration else None} for r in rows]
    if svg is not None:
        svg.write_text(render_comparison_svg(rows, first.upper(), second.upper(), HIGHLY_CONCENTRATED_HHI), "utf-8")
    _emit(out, f"Critical for {first.upper()} and {second.upper()} on {day}", as_json, as_csv,
          {"first": first.upper(), "second": second.upper(), "date": day.isoformat(),
           "highly_concentrated_hhi": HIGHLY_CONCENTRATED_HHI} if as_json else None)


@app.command()
def validate(path: Annotated[Path, typer.Argument(help="A setu-policy/1 or setu-screening/1 YAML file.")],
             as_json: JsonOption = False) -> None:
    """Check a library or rules file; prints the first problem with file and line (exit code 2) or a summary."""
    summary = PolicyService().validate(path)
    typer.echo(json.dumps({"valid": True, "summary": summary}) if as_json else f"{path}: {summary}")
