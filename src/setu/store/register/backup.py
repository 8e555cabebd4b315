"""Full backups of a register database, portable between SQLite and PostgreSQL.

A backup is gzip-compressed JSON holding every row of every table (accounts with their password hashes
and the audit log included; bearer tokens excluded, so a restore logs everyone out) and the schema
revision. Restore requires an empty database at the same revision and inserts rows in reference order,
in one transaction. Treat backup files as secret: they contain password hashes and every tier of record.
"""

from __future__ import annotations

import gzip
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, func, insert, select, text

from setu.errors import DataFormatError, ValidationError
from setu.store.register.database import RegisterDatabase
from setu.store.register.tables import ALL_TABLES, audit_log, tokens
from setu.store.register.types import UTCDateTime

FORMAT = "setu-register-backup"
BACKED_UP = tuple(table for table in ALL_TABLES if table is not tokens)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dump(database: RegisterDatabase) -> dict[str, Any]:
    """Every backed-up table's rows, ordered by primary key, as JSON-ready values."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with database.transaction(write=False) as tx:
        for table in BACKED_UP:
            rows = tx.connection.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [{key: _encode(value) for key, value in row._mapping.items()} for row in rows]
    return {"format": FORMAT, "revision": database.revision(), "tables": tables}


def backup(database: RegisterDatabase, path: Path) -> dict[str, int]:
    document = dump(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".partial")
    with gzip.open(temporary, "wt", encoding="utf-8") as stream:
        json.dump(document, stream, ensure_ascii=False)
    temporary.replace(path)  # a crash never leaves a half-written backup under the final name
    return {name: len(rows) for name, rows in document["tables"].items()}


def _decode(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    decoded = {}
    for key, value in row.items():
        column_type = table.c[key].type
        if value is not None and isinstance(column_type, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column_type, Date):
            value = date.fromisoformat(value)
        decoded[key] = value
    return decoded


def restore(database: RegisterDatabase, path: Path) -> dict[str, int]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            document = json.load(stream)
    except (OSError, json.JSONDecodeError) as error:
        raise DataFormatError(f"not a readable register backup ({error})", file=str(path)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DataFormatError(f"not a {FORMAT} file", file=str(path), field="format")
    if document.get("revision") != database.revision():
        raise ValidationError(
            f"backup is at schema revision {document.get('revision')}, the database at {database.revision()}: "
            "migrate the database to the backup's revision first"
        )
    counts = {}
    with database.transaction() as tx:
        for table in BACKED_UP:
            if tx.connection.execute(select(func.count()).select_from(table)).scalar_one():
                raise ValidationError(f"restore needs an empty database; table {table.name} has rows")
        for table in BACKED_UP:
            rows = document["tables"].get(table.name, [])
            unknown = {key for row in rows for key in row} - set(table.c.keys())
            if unknown:
                raise DataFormatError(f"unknown columns {sorted(unknown)}", file=str(path), field=table.name)
            if rows:
                tx.connection.execute(insert(table), [_decode(table, row) for row in rows])
            counts[table.name] = len(rows)
        if database.dialect == "postgresql" and counts.get(audit_log.name):
            tx.connection.execute(
                text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), (SELECT max(id) FROM audit_log))")
            )
    return counts
