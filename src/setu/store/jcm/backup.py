"""The JCM's part of a register backup: its records and its movements, never its derived holdings.

A backup holds the JCM's records and the append-only ``jcm_transactions``; the holdings (``jcm_blocks``) and the
corresponding adjustments are not in the file. A restore replays the movements in order through the same triggers
that wrote them, so the database derives the holdings and adjustments again and refuses, with the row's place,
any movement an edited file makes impossible (units moved twice, an issuance beyond its notification, a first
transfer before its authorisation): a backup cannot smuggle in a holding the ledger does not give.

Each row is first checked against its table's columns (no unknown or missing column, each value of the column's
type and length); the database's CHECK constraints, references and triggers then check what the values mean.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Connection, Date, Integer, String, Table, Text, insert, select, text
from sqlalchemy.exc import DBAPIError

from setu.errors import DataFormatError, SetuError
from setu.store.jcm.ledger import ledger_error
from setu.store.jcm.tables import (
    jcm_accounts,
    jcm_authorisations,
    jcm_blocks,
    jcm_grants,
    jcm_methodologies,
    jcm_monitoring_periods,
    jcm_notices,
    jcm_projects,
    jcm_transactions,
)
from setu.store.register.types import UTCDateTime

#: In reference order; jcm_transactions last, replayed by id.
BACKED_UP: tuple[Table, ...] = (jcm_grants, jcm_methodologies, jcm_projects, jcm_monitoring_periods, jcm_notices,
                                jcm_accounts, jcm_authorisations, jcm_transactions)  # fmt: skip
#: Derived by the triggers on restore, never read from a file.
DERIVED = ("jcm_blocks", "jcm_adjustments")
SERIAL_TABLES = ("jcm_transactions", "jcm_blocks", "jcm_adjustments")


def _value(column: Any, value: Any) -> Any:
    """``value`` (as JSON gives it) as a value of ``column``'s type, or ValueError saying what was expected."""
    if value is None:
        if not column.nullable:
            raise ValueError("missing: the column may not be empty")
        return None
    kind = column.type
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if isinstance(kind, Integer | BigInteger):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
            raise ValueError("expected a whole number")
        return value
    if isinstance(kind, UTCDateTime):
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        if parsed is None or parsed.tzinfo is None:
            raise ValueError("expected an ISO 8601 instant with its time zone")
        return parsed
    if isinstance(kind, Date):
        if not isinstance(value, str):
            raise ValueError("expected a date (YYYY-MM-DD)")
        return date.fromisoformat(value)
    if isinstance(kind, JSON):
        if not isinstance(value, list | dict):
            raise ValueError("expected a list or an object")
        return value
    if isinstance(kind, String | Text):
        if not isinstance(value, str):
            raise ValueError("expected text")
        if getattr(kind, "length", None) and len(value) > kind.length:
            raise ValueError(f"longer than {kind.length} characters")
        return value
    raise ValueError(f"no rule for {kind}")  # pragma: no cover - every JCM column type is above


def validate_rows(tables: dict[str, list[dict[str, Any]]], file: str) -> dict[str, list[dict[str, Any]]]:
    """The JCM's rows as column values, or the first problem as a DataFormatError naming table, row and field."""
    for name in DERIVED:
        if tables.get(name):
            raise DataFormatError("holdings and adjustments are derived from the movements: a backup holds none",
                                  file=file, field=f"tables.{name}")  # fmt: skip
    checked = {}
    for table in BACKED_UP:
        rows = []
        for index, raw in enumerate(tables.get(table.name, [])):
            where = f"tables.{table.name}[{index}]"
            unknown = sorted(set(raw) - set(table.c.keys()))
            if unknown:
                raise DataFormatError(f"unknown column {unknown[0]!r}", file=file, field=f"{where}.{unknown[0]}")
            row = {}
            for column in table.c:
                try:
                    row[column.name] = _value(column, raw.get(column.name))
                except (ValueError, TypeError) as error:
                    raise DataFormatError(str(error), file=file, field=f"{where}.{column.name}") from None
            rows.append(row)
        if table is jcm_transactions:
            ids = [row["id"] for row in rows]
            if ids != sorted(set(ids)):
                raise DataFormatError("movements are replayed in order: ids must increase", file=file,
                                      field="tables.jcm_transactions")  # fmt: skip
        checked[table.name] = rows
    return checked


def _source_block(connection: Connection, row: dict[str, Any], file: str, index: int) -> int:
    """The open block that holds the movement's range now. Block ids are the database's own and may differ
    from the backed-up database's (a rolled-back transaction there used some), so they are found again by range."""
    b = jcm_blocks.c
    found = connection.execute(select(b.id).where(
        b.project_id == row["project_id"], b.vintage == row["vintage"], b.closed_by_tx.is_(None),
        b.account_id == row["source_account_id"], b.serial_start <= row["serial_start"],
        b.serial_end >= row["serial_end"])).scalar_one_or_none()  # fmt: skip
    if found is None:
        raise DataFormatError("refused by the ledger: the source account does not hold these serials at this point "
                              "of the ledger", file=file, field=f"tables.jcm_transactions[{index}]")  # fmt: skip
    return int(found)


def insert_rows(connection: Connection, rows: dict[str, list[dict[str, Any]]], file: str) -> dict[str, int]:
    """Insert the validated rows in reference order, replaying movements one by one (the triggers derive the
    holdings and adjustments). A refused row raises a DataFormatError naming it."""
    counts = {}
    for table in BACKED_UP:
        table_rows = rows.get(table.name, [])
        for index, row in enumerate(table_rows):
            if table is jcm_transactions and row["kind"] != "issuance":
                row = {**row, "source_block_id": _source_block(connection, row, file, index)}
            try:
                connection.execute(insert(table).values(**row))
            except DBAPIError as error:
                reason: SetuError = ledger_error(error)
                raise DataFormatError(f"refused by the ledger: {reason}", file=file,
                                      field=f"tables.{table.name}[{index}]") from None  # fmt: skip
        counts[table.name] = len(table_rows)
    if connection.dialect.name == "postgresql":
        for name in SERIAL_TABLES:  # explicit ids do not move PostgreSQL's sequences: move them past the rows
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)"
            ))  # fmt: skip
    return counts
