"""`setu register ...`: database setup, accounts, backup/restore, export/import and follow-up.

These commands act as the operator of the machine the database lives on (the "cli" actor in the
audit log), which is why the first admin can only be created here.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from setu.cli.options import CsvOption as Csv
from setu.cli.options import JsonOption as Json
from setu.errors import InputError, NotFoundError
from setu.register.accounts import AccountCreate, AccountUpdate, principal_of, validated
from setu.register.fields import GOVERNMENT_KINDS, OrganisationKind, Role
from setu.register.service import RegisterService
from setu.register.visibility import Principal
from setu.services.cables import register_checks
from setu.settings import Settings
from setu.register import backups as restored
from setu.store.register import backup as backups
from setu.store.register.database import RegisterDatabase

app = typer.Typer(help="The cooperation register: projects, Points of Contact, dialogues, follow-up.", no_args_is_help=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", envvar="SETU_DATABASE_URL", help="SQLAlchemy URL; default: SQLite in the data dir"),
]

OPERATOR = Principal(account_id="cli", username="cli", role=Role.ADMIN, organisation_id=None, government=True)


def _url(database_url: str | None) -> str:
    return database_url or Settings.from_env().register_database_url


def _open(database_url: str | None) -> RegisterService:
    return RegisterService.open(_url(database_url), external_checks=register_checks(Settings.from_env()))


def _print(payload: Any, as_json: bool, text: str) -> None:
    typer.echo(json.dumps(payload, indent=1, default=str) if as_json else text)


def _as(service: RegisterService, username: str | None) -> Principal:
    """The operator, or the named account's view (for exports that must respect its tiers)."""
    if username is None:
        return OPERATOR
    with service.database.transaction(write=False) as tx:
        account = tx.account(username=username)
        if account is None:
            raise NotFoundError(f"no account {username!r}")
        org = tx.get("organisations", account["organisation_id"]) if account["organisation_id"] else None
    return principal_of(account, org is not None and OrganisationKind(org["kind"]) in GOVERNMENT_KINDS)


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@app.command("init-db")
def init_db(database_url: DatabaseUrl = None, as_json: Json = False) -> None:
    """Create or upgrade the register's tables to the latest migration."""
    database = RegisterDatabase(_url(database_url))
    database.upgrade()
    _print({"revision": database.revision()}, as_json, f"register database at revision {database.revision()}")


@app.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help="target revision, or 'base' to drop every table")],
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Migrate the register's tables down to an older revision."""
    database = RegisterDatabase(_url(database_url))
    database.downgrade(revision)
    _print({"revision": database.revision()}, as_json, f"register database at revision {database.revision()}")


@app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="the admin's login name")],
    organisation_id: Annotated[str | None, typer.Option(help="the admin's organisation, if any")] = None,
    password_stdin: Annotated[bool, typer.Option(help="read the password from standard input")] = False,
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Create an admin account (the only way to create the first one)."""
    service = _open(database_url)
    account = service.accounts.create_admin(username, _password(password_stdin), organisation_id)
    _print(account.model_dump(mode="json"), as_json, f"created admin {account.username} ({account.id})")


@app.command("create-account")
def create_account(
    username: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option()],
    organisation_id: Annotated[str, typer.Option(help="the account's organisation id")],
    password_stdin: Annotated[bool, typer.Option(help="read the password from standard input")] = False,
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Create an editor or viewer account."""
    service = _open(database_url)
    data = validated(
        AccountCreate, username=username, password=_password(password_stdin), role=role, organisation_id=organisation_id
    )
    account = service.accounts.create(OPERATOR, data)
    _print(account.model_dump(mode="json"), as_json, f"created {account.role.value} {account.username} ({account.id})")


@app.command("accounts")
def accounts(database_url: DatabaseUrl = None, as_json: Json = False, as_csv: Csv = False) -> None:
    """List accounts."""
    rows = [a.model_dump(mode="json") for a in _open(database_url).accounts.list(OPERATOR)]
    if as_csv:
        _csv(rows, ["id", "username", "role", "organisation_id", "active"])
        return
    text = "\n".join(f"{r['username']:<24} {r['role']:<7} {'active' if r['active'] else 'inactive'}" for r in rows)
    _print(rows, as_json, text or "no accounts")


@app.command("set-account")
def set_account(
    username: Annotated[str, typer.Argument()],
    password_stdin: Annotated[bool, typer.Option(help="set a new password read from standard input")] = False,
    new_password: Annotated[bool, typer.Option(help="prompt for a new password")] = False,
    role: Annotated[Role | None, typer.Option()] = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Change an account's password, role or active flag (a new password ends its sessions)."""
    service = _open(database_url)
    with service.database.transaction(write=False) as tx:
        account = tx.account(username=username)
    if account is None:
        raise NotFoundError(f"no account {username!r}")
    changes: dict[str, Any] = {}
    if password_stdin or new_password:
        changes["password"] = _password(password_stdin)
    if role is not None:
        changes["role"] = role
    if active is not None:
        changes["active"] = active
    if not changes:
        raise InputError("nothing to change: give --new-password, --password-stdin, --role or --active/--inactive")
    updated = service.accounts.update(OPERATOR, account["id"], validated(AccountUpdate, **changes), account["version"])
    _print(updated.model_dump(mode="json"), as_json, f"updated {updated.username}")


@app.command("backup")
def backup(
    path: Annotated[Path, typer.Argument(help="backup file to write (.json.gz)")],
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Write a full backup (all records, accounts and the audit log) with its checksum, signed when
    SETU_BACKUP_KEY is set. Keep it secret (see docs/register.md)."""
    counts = backups.backup(RegisterDatabase(_url(database_url)), path, key=Settings.from_env().backup_key)
    _print(counts, as_json, f"backed up {sum(counts.values())} rows to {path}")


@app.command("restore")
def restore(
    path: Annotated[Path, typer.Argument(help="backup file written by `setu register backup`")],
    database_url: DatabaseUrl = None,
    unverified: Annotated[bool, typer.Option(
        "--unverified", help="accept a backup without a checksum (older Setu) or a signed one without the key")] = False,
    as_json: Json = False,
) -> None:
    """Restore a backup into an empty database (run init-db first): the checksum, the signature (with
    SETU_BACKUP_KEY) and every row are checked first; nothing is written unless all pass."""
    counts = restored.restore(RegisterDatabase(_url(database_url)), path, key=Settings.from_env().backup_key,
                              unverified=unverified)
    _print(counts, as_json, f"restored {sum(counts.values())} rows from {path}")


@app.command("export")
def export(
    output: Annotated[Path, typer.Argument(help="a .json file, or a directory for --format csv")],
    format: Annotated[str, typer.Option(help="json or csv")] = "json",
    as_user: Annotated[str | None, typer.Option("--as", help="export only what this account may read")] = None,
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Export the register (everything, or what one account may read)."""
    service = _open(database_url)
    principal = _as(service, as_user)
    if format == "json":
        output.write_text(service.transfer.export_json(principal), encoding="utf-8")
    elif format == "csv":
        output.mkdir(parents=True, exist_ok=True)
        for name, text in service.transfer.export_csv(principal).items():
            (output / name).write_text(text, encoding="utf-8")
    else:
        raise InputError(f"--format must be json or csv, not {format!r}")
    _print({"output": str(output), "format": format}, as_json, f"exported to {output}")


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="a .json export, or a directory of CSV files")],
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Import an export (ids, owners and timestamps kept); all or nothing."""
    service = _open(database_url)
    if source.is_dir():
        records = service.transfer.parse_csv(
            {path.name: path.read_text(encoding="utf-8") for path in sorted(source.glob("*.csv"))}
        )
    elif source.is_file():
        records = service.transfer.parse_json(source.read_text(encoding="utf-8"), file=str(source))
    else:
        raise InputError(f"{source} does not exist")
    counts = service.transfer.import_records(OPERATOR, records)
    _print(counts, as_json, f"imported {sum(counts.values())} records")


@app.command("overdue")
def overdue(
    as_of: Annotated[str | None, typer.Option(help="reference day YYYY-MM-DD (default today)")] = None,
    person_id: Annotated[str | None, typer.Option(help="only this Point of Contact")] = None,
    database_url: DatabaseUrl = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """Overdue milestones and action items, per Point of Contact."""
    groups = _open(database_url).followup.overdue(OPERATOR, as_of=_date(as_of), person_id=person_id)
    rows = [
        {"person_id": g.person_id, "person_name": g.person_name, **item.model_dump(mode="json")}
        for g in groups
        for item in g.items
    ]
    if as_csv:
        _csv(rows, ["person_id", "person_name", "kind", "id", "title", "due_date", "days_overdue"])
        return
    lines = []
    for group in groups:
        lines.append(f"{group.person_name or '(no Point of Contact)'}")
        lines += [f"  {i.due_date}  {i.days_overdue:>4} d  {i.kind:<11} {i.title}" for i in group.items]
    _print([g.model_dump(mode="json") for g in groups], as_json, "\n".join(lines) or "nothing overdue")


@app.command("digest")
def digest(
    organisation_id: Annotated[str, typer.Argument()],
    as_of: Annotated[str | None, typer.Option(help="reference day YYYY-MM-DD (default today)")] = None,
    horizon_days: Annotated[int, typer.Option(min=0, max=366)] = 30,
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """One organisation's projects, overdue items and what falls due soon."""
    result = _open(database_url).followup.digest(OPERATOR, organisation_id, as_of=_date(as_of), horizon_days=horizon_days)
    text = (
        f"{result.organisation_name} on {result.as_of}: {result.projects} projects {result.projects_by_status}, "
        f"{len(result.overdue)} overdue, {len(result.due_soon)} due within {result.horizon_days} days, "
        f"{result.open_action_items} open action items"
    )
    _print(result.model_dump(mode="json"), as_json, text)


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of must be a date like 2026-03-31, not {value!r}") from None


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
