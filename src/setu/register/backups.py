"""Restore a backup only if every row is one the register could have written itself.

A backup is a file a person can edit; restoring it writes straight into the tables, past the API. So each
row is checked with the same models the API uses (a record's ``XPublic`` schema and cross-field check, an
account's role and username rules, an audit entry's shape), every reference must name a row of the same
backup, a child record (a milestone, a decision, a Point of Contact) must be owned by its parent's organisation,
and ids, usernames and organisation names must be unique, before anything is written. The first
problem is reported as ``file: field 'tables.<table>[<row>].<field>': …`` and nothing is restored.

The checksum and the optional signature are checked by :mod:`setu.store.register.backup`, which this
module hands the validated rows to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pydantic
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from setu.errors import DataFormatError, InputError
from setu.register.accounts import Username
from setu.register.catalog import BY_NAME, NOUNS
from setu.register.fields import RecordId, Role
from setu.register.records import plain
from setu.store.register import backup as store
from setu.store.register.database import RegisterDatabase

#: columns the store works out itself (never trusted from a file)
DERIVED = ("node_index",)


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class AccountRow(_Row):
    id: RecordId
    version: int = Field(ge=1, le=2**31 - 1)
    username: Username
    organisation_id: RecordId | None
    role: Role
    password_hash: Annotated[str, StringConstraints(pattern=r"^\$argon2(id|i|d)\$", max_length=255)]
    active: pydantic.StrictBool
    created_at: AwareDatetime
    updated_at: AwareDatetime


class AuditRow(_Row):
    id: int = Field(ge=1, le=2**63 - 1)
    at: AwareDatetime
    actor: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    action: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    entity: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    entity_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def restore(database: RegisterDatabase, path: Path, *, key: str | None = None,
            unverified: bool = False) -> dict[str, int]:
    """Check the backup (checksum, signature, every row), then restore it into an empty database."""
    return store.restore(database, path, validate_rows, key=key, unverified=unverified)


def validate_rows(tables: store.Rows, file: str) -> store.Rows:
    """Every row of ``tables`` as column values, or the first problem as a located DataFormatError."""
    checked: store.Rows = {}
    ids: dict[str, set[str]] = {}
    owners: dict[str, dict[str, str]] = {}
    for noun in NOUNS:
        rows = []
        for index, raw in enumerate(tables.get(noun.name, [])):
            where = f"tables.{noun.name}[{index}]"
            values = {key: value for key, value in raw.items() if key not in DERIVED}
            model = _model(noun.public, values, file, where)
            row = plain(model.model_dump())
            try:
                if noun.check is not None:
                    noun.check(row)
            except InputError as error:
                raise DataFormatError(str(error), file=file, field=where) from None
            if noun.tiered and row.get("owner_org_id") is None:
                raise DataFormatError("missing: every record has an owner organisation", file=file,
                                      field=f"{where}.owner_org_id")
            _references(noun, row, ids, file, where)
            _owned_by_parent(noun, row, owners, file, where)
            _unique(ids.setdefault(noun.name, set()), row["id"], file, f"{where}.id")
            if noun.tiered:
                owners.setdefault(noun.name, {})[row["id"]] = row["owner_org_id"]
            rows.append(row)
        checked[noun.name] = rows
    _unique_values(checked.get("organisations", []), "name", file, "organisations")
    accounts = []
    for index, raw in enumerate(tables.get("accounts", [])):
        where = f"tables.accounts[{index}]"
        row = _model(AccountRow, raw, file, where).model_dump()
        row["role"] = row["role"].value
        if row["role"] != Role.ADMIN.value and row["organisation_id"] is None:
            raise DataFormatError("editors and viewers belong to an organisation", file=file,
                                  field=f"{where}.organisation_id")
        if row["organisation_id"] is not None and row["organisation_id"] not in ids.get("organisations", set()):
            raise DataFormatError(f"no organisation {row['organisation_id']} in the backup", file=file,
                                  field=f"{where}.organisation_id")
        _unique(ids.setdefault("accounts", set()), row["id"], file, f"{where}.id")
        accounts.append(row)
    _unique_values(accounts, "username", file, "accounts")
    checked["accounts"] = accounts
    audit = []
    for index, raw in enumerate(tables.get("audit_log", [])):
        where = f"tables.audit_log[{index}]"
        row = _model(AuditRow, raw, file, where).model_dump()
        _unique(ids.setdefault("audit_log", set()), str(row["id"]), file, f"{where}.id")
        audit.append(row)
    checked["audit_log"] = audit
    return checked


def _model(model: type[BaseModel], values: dict[str, Any], file: str, where: str) -> BaseModel:
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as error:
        item = error.errors()[0]
        field = ".".join([where, *(str(part) for part in item["loc"])])
        raise DataFormatError(item["msg"], file=file, field=field) from None


def _references(noun: Any, row: dict[str, Any], ids: dict[str, set[str]], file: str, where: str) -> None:
    """Each id a row names is a row of the backup (references come earlier in NOUNS' order)."""
    named: list[tuple[str, str, list[str]]] = [
        (field, target, [row[field]]) for field, target in noun.references.items() if row.get(field) is not None]
    named += [(field, target, list(row.get(field) or [])) for field, target in noun.list_references.items()]
    if noun.tiered:
        named += [("owner_org_id", "organisations", [row["owner_org_id"]]),
                  ("shared_with", "organisations", list(row["shared_with"]))]
    for field, target, values in named:
        for value in values:
            if value not in ids.get(target, set()):
                raise DataFormatError(f"no {target} {value} in the backup", file=file, field=f"{where}.{field}")


def _owned_by_parent(noun: Any, row: dict[str, Any], owners: dict[str, dict[str, str]], file: str,
                     where: str) -> None:
    """A child record (a milestone, a decision, a Point of Contact) is owned by its parent's organisation, as
    the register enforces on every write; a backup written before that rule, or edited by hand, may hold a
    child owned by another organisation, which would let that organisation change the parent's record."""
    for field in noun.parents:
        parent_id = row.get(field)
        if parent_id is None:
            continue
        target = noun.references[field]
        parent_owner = owners.get(target, {}).get(parent_id)
        if parent_owner is not None and row.get("owner_org_id") != parent_owner:
            raise DataFormatError(
                f"a {noun.label} is owned by its {BY_NAME[target].label}'s organisation "
                f"({parent_owner}), not {row.get('owner_org_id')}: give it {parent_owner}",
                file=file, field=f"{where}.owner_org_id")


def _unique(seen: set[str], value: str, file: str, field: str) -> None:
    if value in seen:
        raise DataFormatError(f"{value} appears twice", file=file, field=field)
    seen.add(value)


def _unique_values(rows: list[dict[str, Any]], key: str, file: str, table: str) -> None:
    seen: set[str] = set()
    for index, row in enumerate(rows):
        _unique(seen, row[key], file, f"tables.{table}[{index}].{key}")
