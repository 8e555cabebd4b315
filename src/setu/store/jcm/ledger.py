"""Every query the JCM services run, over one open transaction of the register's database.

Writes of the cycle's records are plain inserts (records are never edited: a new methodology version is a new
row). Movements go into ``jcm_transactions`` only; the database derives holdings and adjustments (see
:mod:`setu.store.jcm.triggers`) and refuses what breaks the ledger's rules, which :func:`ledger_error` turns into
Setu errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, func, insert, or_, select
from sqlalchemy.exc import DBAPIError

from setu.errors import ConflictError, SetuError, ValidationError
from setu.store.jcm.tables import (
    jcm_accounts,
    jcm_adjustments,
    jcm_authorisations,
    jcm_blocks,
    jcm_grants,
    jcm_methodologies,
    jcm_monitoring_periods,
    jcm_notices,
    jcm_projects,
    jcm_transactions,
)
from setu.store.jcm.triggers import MESSAGES

RECORDS: dict[str, Table] = {
    table.name.removeprefix("jcm_"): table
    for table in (jcm_grants, jcm_methodologies, jcm_projects, jcm_monitoring_periods, jcm_notices, jcm_accounts,
                  jcm_authorisations)
}  # fmt: skip
_ORDER = {
    "grants": "created_at", "methodologies": "code", "projects": "reference", "monitoring_periods": "period_start",
    "notices": "notified_on", "accounts": "number", "authorisations": "reference",
}  # fmt: skip


def ledger_error(error: DBAPIError) -> SetuError:
    """The Setu error for a refused write: a ledger rule (trigger), a constraint, or a concurrent movement."""
    text = str(error.orig)
    if MESSAGES["source"] in text:
        return ConflictError(
            "the units moved while this operation was prepared (another movement took the block first): "
            "read the holdings again and retry"
        )
    for message in MESSAGES.values():
        if message in text:
            return ValidationError(message.removeprefix("jcm: "))
    for table in RECORDS.values():
        for constraint in table.constraints:
            name = getattr(constraint, "name", None)
            if isinstance(name, str) and name in text:
                return ValidationError(f"refused by the store's rule {name}")
    if "UNIQUE" in text.upper() or "duplicate key" in text:
        return ValidationError("a record with the same identifier exists already")
    return ValidationError(f"refused by the store: {text.splitlines()[0]}")


def _rows(result: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in result]


class Ledger:
    """The JCM's reads and writes inside one transaction (``connection`` from the register's Transaction)."""

    def __init__(self, connection: Connection):
        self.connection = connection

    # ----- records of the cycle --------------------------------------------------------------------
    def insert(self, record: str, values: dict[str, Any]) -> None:
        try:
            self.connection.execute(insert(RECORDS[record]).values(**values))
        except DBAPIError as error:
            raise ledger_error(error) from None

    def get(self, record: str, record_id: str) -> dict[str, Any] | None:
        table = RECORDS[record]
        row = self.connection.execute(select(table).where(table.c.id == record_id)).first()
        return None if row is None else dict(row._mapping)

    def find(self, record: str, **equal: Any) -> list[dict[str, Any]]:
        table = RECORDS[record]
        query = select(table).where(*(table.c[name] == value for name, value in equal.items()))
        return _rows(self.connection.execute(query.order_by(table.c[_ORDER[record]], table.c.id)))

    def by_reference(self, record: str, reference: str) -> dict[str, Any] | None:
        rows = self.find(record, reference=reference)
        return rows[0] if rows else None

    # ----- movements and holdings ----------------------------------------------------------------------
    def insert_movement(self, values: dict[str, Any]) -> int:
        """Write one movement; the database derives the holdings and adjustments, or refuses it (a Setu error)."""
        try:
            result = self.connection.execute(insert(jcm_transactions).values(**values).returning(jcm_transactions.c.id))
        except DBAPIError as error:
            raise ledger_error(error) from None
        return int(result.scalar_one())

    def issued_serial_end(self, project_id: str, vintage: int) -> int:
        """The last serial number issued so far for (project, vintage); 0 before the first issuance."""
        query = select(func.coalesce(func.max(jcm_transactions.c.serial_end), 0)).where(
            jcm_transactions.c.kind == "issuance",
            jcm_transactions.c.project_id == project_id,
            jcm_transactions.c.vintage == vintage,
        )
        return int(self.connection.execute(query).scalar_one())

    def issued_for_notice(self, notice_id: str) -> int:
        query = select(func.coalesce(func.sum(jcm_transactions.c.quantity), 0)).where(
            jcm_transactions.c.kind == "issuance", jcm_transactions.c.notice_id == notice_id
        )
        return int(self.connection.execute(query).scalar_one())

    def open_blocks(
        self, *, account_id: str | None = None, project_id: str | None = None, vintage: int | None = None
    ) -> list[dict[str, Any]]:
        """Open blocks (current holdings), in serial order within each (project, vintage)."""
        where = [jcm_blocks.c.closed_by_tx.is_(None)]
        if account_id is not None:
            where.append(jcm_blocks.c.account_id == account_id)
        if project_id is not None:
            where.append(jcm_blocks.c.project_id == project_id)
        if vintage is not None:
            where.append(jcm_blocks.c.vintage == vintage)
        query = select(jcm_blocks).where(*where).order_by(
            jcm_blocks.c.project_id, jcm_blocks.c.vintage, jcm_blocks.c.serial_start
        )
        return _rows(self.connection.execute(query))

    def blocks_held_at(self, at: datetime) -> list[dict[str, Any]]:
        """Blocks open at instant ``at``: created by a movement at or before it, not closed by one at or before it."""
        created = jcm_transactions.alias("created")
        closed = jcm_transactions.alias("closed")
        query = (
            select(jcm_blocks)
            .join(created, created.c.id == jcm_blocks.c.created_by_tx)
            .outerjoin(closed, closed.c.id == jcm_blocks.c.closed_by_tx)
            .where(created.c.at <= at, or_(closed.c.id.is_(None), closed.c.at > at))
            .order_by(jcm_blocks.c.project_id, jcm_blocks.c.vintage, jcm_blocks.c.serial_start)
        )
        return _rows(self.connection.execute(query))

    def all_blocks(self) -> list[dict[str, Any]]:
        return _rows(self.connection.execute(select(jcm_blocks).order_by(jcm_blocks.c.id)))

    def movements(
        self,
        *,
        operation_id: str | None = None,
        account_id: str | None = None,
        registry: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[dict[str, Any]]:
        t = jcm_transactions.c
        where = []
        if operation_id is not None:
            where.append(t.operation_id == operation_id)
        if account_id is not None:
            where.append(or_(t.source_account_id == account_id, t.target_account_id == account_id))
        if registry is not None:
            where.append(or_(t.source_registry == registry, t.target_registry == registry))
        if since is not None:
            where.append(t.at >= since)
        if until is not None:
            where.append(t.at <= until)
        query = select(jcm_transactions).where(and_(*where)) if where else select(jcm_transactions)
        return _rows(self.connection.execute(query.order_by(t.id)))

    def adjustments(self, *, party: str | None = None) -> list[dict[str, Any]]:
        query = select(jcm_adjustments)
        if party is not None:
            query = query.where(jcm_adjustments.c.party == party)
        return _rows(self.connection.execute(query.order_by(jcm_adjustments.c.id)))

    def grants_of(self, account_ids: Sequence[str]) -> list[dict[str, Any]]:
        query = select(jcm_grants).where(jcm_grants.c.account_id.in_(list(account_ids)))
        return _rows(self.connection.execute(query))
