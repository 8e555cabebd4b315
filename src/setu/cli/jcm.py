"""`setu jcm ...`: the Joint Crediting Mechanism's records, unit ledger and Article 6.2 report.

Reads are open to the operator. Writes act as a named register account (``--as USERNAME``), so the JCM's roles
apply exactly as over the API: the secretariat records the Joint Committee's decisions, a registry's administrator
issues, allocates and moves government units, an account holder moves only its own units. Every write is in the
audit log with who, when and why (``--reason``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from setu.cli.options import CsvOption as Csv
from setu.cli.options import JsonOption as Json
from setu.cli.render import emit_json, emit_rows, output_format
from setu.errors import DataFormatError, InputError, NotFoundError
from setu.jcm import model
from setu.jcm.service import JcmService, Operation
from setu.register.accounts import principal_of, validated
from setu.register.fields import GOVERNMENT_KINDS, OrganisationKind, Role
from setu.register.service import RegisterService
from setu.register.visibility import Principal
from setu.settings import Settings

app = typer.Typer(help="The Joint Crediting Mechanism: records, unit ledger and Article 6.2 (AEF) report.",
                  no_args_is_help=True)  # fmt: skip

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", envvar="SETU_DATABASE_URL", help="SQLAlchemy URL; default: SQLite in the data dir"),
]
AsUser = Annotated[str, typer.Option("--as", help="the register account acting (its JCM role decides what it may do)")]
Reason = Annotated[str, typer.Option("--reason", help="why: kept in the ledger and the audit log")]
OPERATOR = Principal(account_id="cli", username="cli", role=Role.ADMIN, organisation_id=None, government=True)
ILLUSTRATIVE = "ILLUSTRATIVE sample data: not real JCM projects or issuances"

RECORDS = {
    "methodology": (model.MethodologyCreate, "add_methodology"),
    "project": (model.ProjectCreate, "add_project"),
    "monitoring-period": (model.MonitoringPeriodCreate, "add_monitoring_period"),
    "notice": (model.NoticeCreate, "add_notice"),
    "account": (model.AccountCreate, "open_account"),
    "authorisation": (model.AuthorisationCreate, "authorise"),
}


def _open(database_url: str | None) -> tuple[RegisterService, JcmService]:
    register = RegisterService.open(database_url or Settings.from_env().register_database_url)
    return register, register.jcm


def _principal(register: RegisterService, username: str) -> Principal:
    with register.database.transaction(write=False) as tx:
        account = tx.account(username=username)
        if account is None:
            raise NotFoundError(f"no register account {username!r}")
        org = tx.get("organisations", account["organisation_id"]) if account["organisation_id"] else None
    return principal_of(account, org is not None and OrganisationKind(org["kind"]) in GOVERNMENT_KINDS)


def _operation(operation: Operation, as_json: bool) -> None:
    if as_json:
        emit_json({"operation_id": operation.operation_id, "kind": operation.kind.value, "quantity": operation.quantity,
                   "movements": [m.model_dump(mode="json") for m in operation.movements]})  # fmt: skip
        return
    typer.echo(f"operation {operation.operation_id}: {operation.quantity:,} tCO2e in {len(operation.movements)} movement(s)")
    for m in operation.movements:
        first = " (first transfer)" if m.first_transfer else ""
        typer.echo(f"  {m.kind.value}: {m.unit_identifier} {m.source_account or '-'} -> {m.target_account}{first}")


def _load(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataFormatError(f"{path}: cannot read ({error})") from None
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise DataFormatError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {error}") from None


@app.command("sample")
def sample(database_url: DatabaseUrl = None, as_json: Json = False) -> None:
    """Fill the register with the ILLUSTRATIVE Japan–India JCM sample (accounts, projects, issuance, transfers)."""
    from setu.jcm.sample import SAMPLE_PASSWORD, build_sample

    register, jcm = _open(database_url)
    try:
        built = build_sample(register, jcm)
    finally:
        register.close()
    payload = {"illustrative": True, "accounts": sorted(built.principals), "password": SAMPLE_PASSWORD,
               "operations": built.operations}  # fmt: skip
    if as_json:
        emit_json(payload)
        return
    typer.echo(f"{ILLUSTRATIVE}. Accounts (password {SAMPLE_PASSWORD!r}): {', '.join(payload['accounts'])}")


@app.command("grant")
def grant(
    username: Annotated[str, typer.Argument(help="a register account")],
    role: Annotated[model.GrantRole, typer.Argument(help="registry_admin or secretariat")],
    party: Annotated[str | None, typer.Option("--party", help="JPN or IND (registry administrators)")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Name the Joint Committee secretariat or a registry's administrator (the machine's operator does this)."""
    register, jcm = _open(database_url)
    try:
        jcm.grant(OPERATOR, validated(model.GrantCreate, username=username, role=role, party=party))
    finally:
        register.close()
    typer.echo(f"{username}: {role.value}{' of ' + party if party else ''}")


@app.command("record")
def record(
    kind: Annotated[str, typer.Argument(help=f"one of: {', '.join(RECORDS)}")],
    file: Annotated[Path, typer.Argument(help="a YAML or JSON file with the record's fields (see docs/jcm.md)")],
    as_user: AsUser,
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Record a methodology, project, monitoring period, notification of issuance, account or authorisation."""
    if kind not in RECORDS:
        import difflib

        close = difflib.get_close_matches(kind, list(RECORDS), n=3)
        raise InputError(f"unknown record {kind!r}" + (f"; did you mean {', '.join(close)}?" if close else f"; use one of {', '.join(RECORDS)}"))
    schema, method = RECORDS[kind]
    values = _load(file)
    if not isinstance(values, dict):
        raise DataFormatError(f"{file}: a record is a mapping of fields, not {type(values).__name__}")
    data = validated(schema, **values)
    register, jcm = _open(database_url)
    try:
        row = getattr(jcm, method)(_principal(register, as_user), data)
    finally:
        register.close()
    if as_json:
        emit_json(row)
    else:
        typer.echo(f"{kind} {row.get('reference') or row.get('number') or row.get('code') or row['id']} recorded")


def _run(database_url: str | None, as_user: str, call: Any, as_json: bool) -> None:
    register, jcm = _open(database_url)
    try:
        operation = call(jcm, _principal(register, as_user))
    finally:
        register.close()
    _operation(operation, as_json)


Project = Annotated[str, typer.Option("--project", help="the JCM project's reference")]
Vintage = Annotated[int, typer.Option("--vintage")]
Quantity = Annotated[int, typer.Option("--quantity", help="tCO2e (credits)")]
Source = Annotated[str, typer.Option("--from", help="the account the units leave")]
Target = Annotated[str, typer.Option("--to", help="the account the units enter")]
SerialStart = Annotated[int | None, typer.Option("--serial-start", help="take exactly this range (default: lowest serials first)")]
PeriodStart = Annotated[str, typer.Option("--period-start", help="the monitoring period's first day (YYYY-MM-DD)")]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--period-start: {text!r} is not a date (YYYY-MM-DD)") from None


@app.command("issue")
def issue(project: Project, period_start: PeriodStart, as_user: AsUser, reason: Reason = "Issuance per the notification",
          database_url: DatabaseUrl = None, as_json: Json = False) -> None:  # fmt: skip
    """Issue a notification's credits into the host registry's issuance account."""
    _run(database_url, as_user, lambda jcm, p: jcm.issue(p, project, _day(period_start), reason), as_json)


@app.command("allocate")
def allocate(project: Project, period_start: PeriodStart, as_user: AsUser, reason: Reason = "Allocation per the notification",
             database_url: DatabaseUrl = None, as_json: Json = False) -> None:  # fmt: skip
    """Allocate issued credits to the two governments and the participants, as the notification says."""
    _run(database_url, as_user, lambda jcm, p: jcm.allocate(p, project, _day(period_start), reason), as_json)


@app.command("transfer")
def transfer(project: Project, vintage: Vintage, quantity: Quantity, source: Source, target: Target, as_user: AsUser,
             reason: Reason, serial_start: SerialStart = None, database_url: DatabaseUrl = None,
             as_json: Json = False) -> None:  # fmt: skip
    """Transfer units between holding accounts (an external transfer when the accounts are in different registries)."""
    request = validated(model.TransferRequest, project=project, vintage=vintage, quantity=quantity, source=source,
                        target=target, reason=reason, serial_start=serial_start)  # fmt: skip
    _run(database_url, as_user, lambda jcm, p: jcm.transfer(p, request), as_json)


@app.command("cancel")
def cancel(project: Project, vintage: Vintage, quantity: Quantity, source: Source, target: Target, as_user: AsUser,
           reason: Reason, purpose: Annotated[model.CancellationPurpose, typer.Option("--purpose")] = model.CancellationPurpose.VOLUNTARY,
           serial_start: SerialStart = None, database_url: DatabaseUrl = None, as_json: Json = False) -> None:  # fmt: skip
    """Cancel units (voluntary, or for overall mitigation in global emissions): they never move again."""
    request = validated(model.CancellationRequest, project=project, vintage=vintage, quantity=quantity, source=source,
                        target=target, reason=reason, purpose=purpose, serial_start=serial_start)  # fmt: skip
    _run(database_url, as_user, lambda jcm, p: jcm.cancel(p, request), as_json)


@app.command("retire")
def retire(project: Project, vintage: Vintage, quantity: Quantity, source: Source, target: Target, as_user: AsUser,
           reason: Reason, purpose: Annotated[model.RetirementPurpose, typer.Option("--purpose")] = model.RetirementPurpose.NDC,
           serial_start: SerialStart = None, database_url: DatabaseUrl = None, as_json: Json = False) -> None:  # fmt: skip
    """Retire units towards the registry's Party's NDC (its registry administrator, from a government account) or
    for OIMP: a use; the using Party subtracts the ITMOs among them (first-transferred units) it uses for its NDC."""
    request = validated(model.RetirementRequest, project=project, vintage=vintage, quantity=quantity, source=source,
                        target=target, reason=reason, purpose=purpose, serial_start=serial_start)  # fmt: skip
    _run(database_url, as_user, lambda jcm, p: jcm.retire(p, request), as_json)


def _read(database_url: str | None, call: Any) -> Any:
    register, jcm = _open(database_url)
    try:
        return call(jcm)
    finally:
        register.close()


@app.command("list")
def list_records(
    kind: Annotated[str, typer.Argument(help="methodologies, projects, monitoring_periods, notices, accounts, authorisations")],
    database_url: DatabaseUrl = None, as_json: Json = False, as_csv: Csv = False,
) -> None:  # fmt: skip
    """List one kind of the JCM's records."""
    kinds = ("methodologies", "projects", "monitoring_periods", "notices", "accounts", "authorisations")
    if kind not in kinds:
        raise InputError(f"unknown kind {kind!r}; use one of {', '.join(kinds)}")
    rows = _read(database_url, lambda jcm: jcm.records(kind))
    columns = [c for c in (rows[0] if rows else {"id": ""}) if c not in ("created_by",)]
    emit_rows(rows, columns, output_format(as_json, as_csv), title=f"JCM {kind}")


@app.command("holdings")
def holdings(
    at: Annotated[str | None, typer.Option("--at", help="an instant (ISO 8601, e.g. 2026-12-31T23:59:59Z): holdings then")] = None,
    database_url: DatabaseUrl = None, as_json: Json = False, as_csv: Csv = False,
) -> None:  # fmt: skip
    """Units held per account, project and vintage, block by block, with their unit identifiers."""
    instant = None
    if at is not None:
        try:
            instant = datetime.fromisoformat(at)
        except ValueError:
            raise InputError(f"--at: {at!r} is not an ISO 8601 instant") from None
        if instant.tzinfo is None:
            raise InputError("--at needs a time zone (e.g. 2026-12-31T23:59:59Z)")
    rows = _read(database_url, lambda jcm: jcm.holdings(at=instant))
    columns = ["registry", "account", "account_kind", "project", "vintage", "unit_identifier", "tco2e", "authorised",
               "first_transferred", "illustrative"]  # fmt: skip
    caption = ILLUSTRATIVE if any(row["illustrative"] for row in rows) else None
    emit_rows(rows, columns, output_format(as_json, as_csv), title="JCM holdings", caption=caption)


@app.command("transactions")
def transactions(
    registry: Annotated[str | None, typer.Option("--registry", help="JPN or IND")] = None,
    account: Annotated[str | None, typer.Option("--account")] = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    database_url: DatabaseUrl = None, as_json: Json = False, as_csv: Csv = False,
) -> None:  # fmt: skip
    """The ledger's movements (append-only), oldest first, with who did each and why."""
    rows = [m.model_dump(mode="json") for m in _read(database_url, lambda jcm: jcm.movements(registry=registry, account=account, year=year))]
    columns = ["id", "at", "kind", "unit_identifier", "quantity", "source_account", "target_account", "first_transfer",
               "purpose", "actor", "reason"]  # fmt: skip
    emit_rows(rows, columns, output_format(as_json, as_csv), title="JCM transactions")


@app.command("adjustments")
def adjustments(database_url: DatabaseUrl = None, as_json: Json = False, as_csv: Csv = False) -> None:
    """Corresponding adjustments per Party, vintage and year: added on first transfer, subtracted on use."""
    rows = [{"party": t.party, "vintage": t.vintage, "year": t.year, "first_transfer_tco2e": t.first_transfer_tco2e,
             "use_tco2e": t.use_tco2e, "net_tco2e": t.net_tco2e} for t in _read(database_url, lambda jcm: jcm.adjustments())]  # fmt: skip
    emit_rows(rows, list(rows[0]) if rows else ["party"], output_format(as_json, as_csv), title="Corresponding adjustments")


@app.command("verify")
def verify(database_url: DatabaseUrl = None, as_json: Json = False) -> None:
    """Replay the ledger from its first movement and compare with the holdings and adjustments the store keeps."""
    problems = _read(database_url, lambda jcm: jcm.verify())
    if as_json:
        emit_json({"consistent": not problems, "problems": problems})
    else:
        typer.echo("the ledger is consistent" if not problems else "\n".join(problems))
    if problems:
        raise typer.Exit(1)


@app.command("aef")
def aef_report(
    party: Annotated[str, typer.Argument(help="JPN or IND")],
    year: Annotated[int, typer.Argument(help="the reported year")],
    out: Annotated[Path | None, typer.Option("--out", help="write the workbook (.xlsx) or CSV (.csv)")] = None,
    database_url: DatabaseUrl = None, as_json: Json = False,
) -> None:  # fmt: skip
    """A Party's Article 6.2 annual information in the Agreed Electronic Format's five tables, from the ledger."""
    from setu.sources import aef as aef_files

    report = _read(database_url, lambda jcm: jcm.aef(party.upper(), year))
    if out is not None:
        if out.suffix == ".xlsx":
            aef_files.write_xlsx(report.tables, report.party, year, out)
        elif out.suffix == ".csv":
            out.write_text(aef_files.to_csv(report.tables, report.party, year), encoding="utf-8")
        else:
            raise InputError(f"--out: write a .xlsx or a .csv file, not {out.name!r}")
    if as_json:
        emit_json({"party": report.party, "year": year, "illustrative": report.illustrative, "totals": report.totals(),
                   "tables": report.tables})  # fmt: skip
        return
    if report.illustrative:
        typer.echo(ILLUSTRATIVE)
    for kind, tonnes in report.totals().items():
        typer.echo(f"{kind}: {tonnes:,} tCO2e")
    if out is not None:
        typer.echo(f"written: {out}")


@app.command("aef-check")
def aef_check(
    file: Annotated[Path, typer.Argument(help="an AEF workbook (.xlsx) or CSV written by `setu jcm aef --out`")],
    database_url: DatabaseUrl = None, as_json: Json = False,
) -> None:  # fmt: skip
    """Read an AEF file and check it against the ledger row by row (exit 1 on a difference)."""
    from setu.sources import aef as aef_files

    tables = aef_files.read_xlsx(file) if file.suffix == ".xlsx" else aef_files.read_csv(file)
    expected, problems = _read(database_url, lambda jcm: jcm.check_aef(tables))
    if as_json:
        emit_json({"matches": not problems, "problems": problems, "totals": expected.totals()})
    else:
        typer.echo("the file matches the ledger" if not problems else "\n".join(problems))
    if problems:
        raise typer.Exit(1)

