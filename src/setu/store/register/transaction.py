"""Queries of one unit of work against the register's tables.

The service layer describes *what* to read (a :class:`~setu.register.visibility.Scope`, filter
conditions, a sort, a page); this module renders it as SQL that runs unchanged on SQLite and PostgreSQL.
Writes of records are compare-and-set on ``version``: an UPDATE or DELETE whose version no longer
matches touches no row, and the caller reports a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, Text, and_, delete, false, func, insert, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.expression import type_coerce

from setu.errors import ValidationError
from setu.register.fields import Tier
from setu.register.noun import Condition
from setu.register.visibility import Scope
from setu.store.register.tables import RECORD_TABLES, accounts, audit_log, tokens

_DERIVED = ("node_index",)


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int


def _member(column: ColumnElement[Any], value: str) -> ColumnElement[bool]:
    return type_coerce(column, Text).contains(f"|{value}|", autoescape=True)


def scope_clause(table: Table, scope: Scope) -> ColumnElement[bool]:
    """The SQL form of :func:`setu.register.visibility.in_scope` (property-tested to agree with it)."""
    if scope.everything:
        return true()
    clauses: list[ColumnElement[bool]] = [table.c.tier == Tier.PUBLIC.value]
    if scope.organisation_id is not None:
        clauses.append(table.c.owner_org_id == scope.organisation_id)
        clauses.append(and_(table.c.tier == Tier.SHARED.value, _member(table.c.shared_with, scope.organisation_id)))
    if scope.government:
        clauses.append(table.c.tier == Tier.GOVERNMENT.value)
    return or_(*clauses) if clauses else false()


def _condition(table: Table, condition: Condition) -> ColumnElement[bool]:
    if condition.op == "eq":
        return table.c[condition.field] == condition.value
    if condition.op == "has":
        return _member(table.c[condition.field], condition.value)
    if condition.op == "node":
        return _member(table.c.node_index, condition.value)
    if condition.op == "lt":
        return table.c[condition.field] < condition.value
    if condition.op == "null":
        return table.c[condition.field].is_(None) if condition.value else table.c[condition.field].is_not(None)
    if condition.op == "in":
        return table.c[condition.field].in_(list(condition.value))
    raise ValueError(f"unknown operator {condition.op!r}")


def _record(row: Any) -> dict[str, Any]:
    record = dict(row._mapping)
    for name in _DERIVED:
        record.pop(name, None)
    return record


def with_derived(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the columns worked out from others (``node_index`` from ``links``)."""
    if "node_index" in table.c and "links" in values:
        values = {**values, "node_index": sorted({link["node_id"] for link in values["links"]})}
    return values


class Transaction:
    """One open transaction. Created by :meth:`RegisterDatabase.transaction`."""

    def __init__(self, connection: Connection):
        self.connection = connection

    # ----- records -------------------------------------------------------------------------------
    def select(
        self,
        table_name: str,
        *,
        scope: Scope | None,
        conditions: Sequence[Condition] = (),
        text: tuple[Sequence[str], str] | None = None,
        sort: tuple[str, bool] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Page:
        """Records in ``scope`` (None: the table is not tiered) matching every condition, one page."""
        table = RECORD_TABLES[table_name]
        where = [_condition(table, condition) for condition in conditions]
        if scope is not None:
            where.append(scope_clause(table, scope))
        if text is not None:
            fields, needle = text
            where.append(or_(*(func.lower(table.c[f]).contains(needle.lower(), autoescape=True) for f in fields)))
        total = self.connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
        query = select(table).where(*where)
        if sort is not None:
            column = table.c[sort[0]]
            query = query.order_by(column.desc().nulls_last() if sort[1] else column.asc().nulls_last())
        query = query.order_by(table.c.id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        rows = [_record(row) for row in self.connection.execute(query)]
        return Page(rows=rows, total=total)

    def get(self, table_name: str, record_id: str) -> dict[str, Any] | None:
        table = RECORD_TABLES[table_name]
        row = self.connection.execute(select(table).where(table.c.id == record_id)).first()
        return None if row is None else _record(row)

    def existing_ids(self, table_name: str, ids: Iterable[str]) -> set[str]:
        table = RECORD_TABLES[table_name]
        wanted = set(ids)
        if not wanted:
            return set()
        return set(self.connection.execute(select(table.c.id).where(table.c.id.in_(wanted))).scalars())

    def insert(self, table_name: str, values: dict[str, Any]) -> None:
        table = RECORD_TABLES[table_name]
        try:
            self.connection.execute(insert(table).values(**with_derived(table, values)))
        except IntegrityError as error:
            raise ValidationError(f"{table_name}: {_integrity_reason(error)}") from None

    def update(self, table_name: str, record_id: str, version: int, values: dict[str, Any]) -> bool:
        """Set ``values`` and bump the version, only if the record is still at ``version``."""
        table = RECORD_TABLES[table_name]
        statement = (
            update(table)
            .where(table.c.id == record_id, table.c.version == version)
            .values(**with_derived(table, values), version=table.c.version + 1)
        )
        try:
            return self.connection.execute(statement).rowcount == 1
        except IntegrityError as error:
            raise ValidationError(f"{table_name}: {_integrity_reason(error)}") from None

    def delete(self, table_name: str, record_id: str, version: int) -> bool:
        table = RECORD_TABLES[table_name]
        statement = delete(table).where(table.c.id == record_id, table.c.version == version)
        try:
            return self.connection.execute(statement).rowcount == 1
        except IntegrityError:
            raise ValidationError(
                f"{table_name} {record_id} is still referenced by other records; remove those first"
            ) from None

    # ----- audit log -----------------------------------------------------------------------------
    def append_audit(self, entry: dict[str, Any]) -> None:
        self.connection.execute(insert(audit_log).values(**entry))

    def audit_entries(
        self, *, entity: str | None, entity_id: str | None, actor: str | None, limit: int, offset: int
    ) -> Page:
        where = []
        if entity is not None:
            where.append(audit_log.c.entity == entity)
        if entity_id is not None:
            where.append(audit_log.c.entity_id == entity_id)
        if actor is not None:
            where.append(audit_log.c.actor == actor)
        total = self.connection.execute(select(func.count()).select_from(audit_log).where(*where)).scalar_one()
        query = select(audit_log).where(*where).order_by(audit_log.c.id).limit(limit).offset(offset)
        return Page(rows=[dict(row._mapping) for row in self.connection.execute(query)], total=total)

    # ----- accounts and tokens -------------------------------------------------------------------
    def insert_account(self, values: dict[str, Any]) -> None:
        try:
            self.connection.execute(insert(accounts).values(**values))
        except IntegrityError:
            raise ValidationError(f"an account named {values['username']!r} already exists") from None

    def account(self, *, account_id: str | None = None, username: str | None = None) -> dict[str, Any] | None:
        column, value = (accounts.c.id, account_id) if account_id is not None else (accounts.c.username, username)
        row = self.connection.execute(select(accounts).where(column == value)).first()
        return None if row is None else dict(row._mapping)

    def list_accounts(self) -> list[dict[str, Any]]:
        return [dict(row._mapping) for row in self.connection.execute(select(accounts).order_by(accounts.c.username))]

    def update_account(self, account_id: str, version: int, values: dict[str, Any]) -> bool:
        statement = (
            update(accounts)
            .where(accounts.c.id == account_id, accounts.c.version == version)
            .values(**values, version=accounts.c.version + 1)
        )
        return self.connection.execute(statement).rowcount == 1

    def count_admins(self) -> int:
        query = select(func.count()).select_from(accounts).where(accounts.c.role == "admin", accounts.c.active)
        return self.connection.execute(query).scalar_one()

    def insert_token(self, values: dict[str, Any]) -> None:
        self.connection.execute(insert(tokens).values(**values))

    def token(self, token_hash: str) -> dict[str, Any] | None:
        row = self.connection.execute(select(tokens).where(tokens.c.token_hash == token_hash)).first()
        return None if row is None else dict(row._mapping)

    def delete_token(self, token_hash: str) -> None:
        self.connection.execute(delete(tokens).where(tokens.c.token_hash == token_hash))

    def delete_tokens(self, *, account_id: str | None = None, expired_before: datetime | None = None) -> int:
        statement = delete(tokens)
        if account_id is not None:
            statement = statement.where(tokens.c.account_id == account_id)
        if expired_before is not None:
            statement = statement.where(tokens.c.expires_at <= expired_before)
        return self.connection.execute(statement).rowcount


def _integrity_reason(error: IntegrityError) -> str:
    text = str(error.orig).lower()
    if "unique" in text or "duplicate" in text:
        return "a record with the same id or name already exists"
    if "foreign key" in text:
        return "a referenced record does not exist"
    return "the record breaks a database constraint"
