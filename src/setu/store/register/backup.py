"""Full backups of a register database, portable between SQLite and PostgreSQL.

A backup is gzip-compressed JSON holding every row of every table (accounts with their password hashes
and the audit log included; bearer tokens excluded, so a restore logs everyone out), the schema revision,
the SHA-256 of its content and, when a key is given, an HMAC-SHA256 signature of the same content.
The file is written 0600: it holds password hashes and every tier of record.

What the checksum and the signature protect against (docs/register.md states it for users):

* the **checksum** detects a file damaged in storage or transfer and an edit made without recomputing it
  (a row changed by hand, an audit entry deleted); anyone can recompute it, so it does not prove origin;
* the **signature** (``SETU_BACKUP_KEY``) detects any edit by someone who does not hold the key, including an
  audit log rewritten with a fresh checksum; it does not hide the content (a backup is not encrypted) and it
  cannot tell an old, genuine backup from the latest one.

Restore reads and checks the whole file first (format, checksum, signature), hands the rows to ``validate``
(the register's schemas and constraints, :mod:`setu.register.backups`), then requires an empty database
at the same revision and inserts every row in reference order, in one transaction: all or nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import os
import zlib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from setu.errors import DataFormatError, ValidationError
from setu.store.files import PRIVATE_FILE
from setu.store.jcm import backup as jcm_backup
from setu.store.register.database import RegisterDatabase
from setu.store.register.tables import ALL_TABLES, RECORD_TABLES, audit_log, tokens
from setu.store.register.transaction import with_derived

FORMAT = "setu-register-backup"
BACKED_UP = tuple(table for table in ALL_TABLES if table is not tokens)
#: Rows a restore hands to its validator: table name -> rows (JSON values as read from the file).
Rows = dict[str, list[dict[str, Any]]]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dump(database: RegisterDatabase) -> dict[str, Any]:
    """Every backed-up table's rows, ordered by primary key, as JSON-ready values."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with database.transaction(write=False) as tx:
        for table in (*BACKED_UP, *jcm_backup.BACKED_UP):
            rows = tx.connection.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [{key: _encode(value) for key, value in row._mapping.items()} for row in rows]
    return {"format": FORMAT, "revision": database.revision(), "tables": tables}


def _content(document: Mapping[str, Any]) -> bytes:
    """The bytes the checksum and signature cover: format, revision and tables, as canonical JSON."""
    body = {"format": document.get("format"), "revision": document.get("revision"), "tables": document.get("tables")}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _signature(content: bytes, key: str) -> str:
    return hmac.new(key.encode("utf-8"), content, hashlib.sha256).hexdigest()


def backup(database: RegisterDatabase, path: Path, *, key: str | None = None) -> dict[str, int]:
    """Write the backup (0600, replaced in one rename); signed when ``key`` is given."""
    document = dump(database)
    content = _content(document)
    document["sha256"] = hashlib.sha256(content).hexdigest()
    if key:
        document["hmac_sha256"] = _signature(content, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".partial")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as stream:
        stream.write(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    temporary.replace(path)  # a crash never leaves a half-written backup under the final name
    return {name: len(rows) for name, rows in document["tables"].items()}


def read(path: Path, *, key: str | None = None, unverified: bool = False) -> dict[str, Any]:
    """The backup's document, checked: readable, the right format, tables as lists of objects, checksum
    and signature matching. Every failure is a :class:`DataFormatError` naming the file (and the field)."""
    try:
        with gzip.open(path, "rb") as stream:
            document = json.loads(stream.read())
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, RecursionError) as error:
        reason = "truncated" if isinstance(error, EOFError) else str(error) or type(error).__name__
        raise DataFormatError(f"not a readable register backup ({reason})", file=str(path)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DataFormatError(f"not a {FORMAT} file", file=str(path), field="format")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise DataFormatError("expected an object of tables", file=str(path), field="tables")
    known = {table.name for table in (*BACKED_UP, *jcm_backup.BACKED_UP)}
    for name, rows in tables.items():
        if name not in known:
            raise DataFormatError(f"unknown table; a backup holds {', '.join(sorted(known))}", file=str(path),
                                  field=f"tables.{name}")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise DataFormatError("expected a list of rows (objects)", file=str(path), field=f"tables.{name}")
    content = _content(document)
    digest = document.get("sha256")
    if digest is None and not unverified:
        raise DataFormatError("the backup carries no checksum (written by an older Setu): check it, then restore "
                              "it with --unverified", file=str(path), field="sha256")
    if digest is not None and not hmac.compare_digest(str(digest), hashlib.sha256(content).hexdigest()):
        raise DataFormatError("checksum does not match the content: the backup is damaged or was edited",
                              file=str(path), field="sha256")
    signature = document.get("hmac_sha256")
    if key:
        if signature is None:
            raise DataFormatError("the backup is not signed, but SETU_BACKUP_KEY is set: restore only backups "
                                  "signed with that key", file=str(path), field="hmac_sha256")
        if not hmac.compare_digest(str(signature), _signature(content, key)):
            raise DataFormatError("signature does not match: the backup was edited, or signed with another key",
                                  file=str(path), field="hmac_sha256")
    elif signature is not None and not unverified:
        raise DataFormatError("the backup is signed: set SETU_BACKUP_KEY to the key it was signed with",
                              file=str(path), field="hmac_sha256")
    return document


def restore(database: RegisterDatabase, path: Path, validate: Callable[[Rows, str], Rows], *,
            key: str | None = None, unverified: bool = False) -> dict[str, int]:
    """Restore the backup at ``path`` into an empty database; ``validate(rows, file)`` checks every row and
    returns them as column values (dates and times parsed). Nothing is written unless every row passes."""
    document = read(path, key=key, unverified=unverified)
    if document.get("revision") != database.revision():
        raise ValidationError(
            f"backup is at schema revision {document.get('revision')}, the database at {database.revision()}: "
            "migrate the database to the backup's revision first"
        )
    rows = validate(document["tables"], str(path))
    jcm_rows = jcm_backup.validate_rows(document["tables"], str(path))
    counts = {}
    try:
        with database.transaction() as tx:
            for table in (*BACKED_UP, *jcm_backup.BACKED_UP):
                if tx.connection.execute(select(func.count()).select_from(table)).scalar_one():
                    raise ValidationError(f"restore needs an empty database; table {table.name} has rows")
            for table in BACKED_UP:
                table_rows = rows.get(table.name, [])
                if table.name in RECORD_TABLES:  # derived columns (node_index) are worked out again, not trusted
                    table_rows = [with_derived(table, row) for row in table_rows]
                if table_rows:
                    tx.connection.execute(insert(table), table_rows)
                counts[table.name] = len(table_rows)
            counts.update(jcm_backup.insert_rows(tx.connection, jcm_rows, str(path)))
            if database.dialect == "postgresql" and counts.get(audit_log.name):
                tx.connection.execute(
                    text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), (SELECT max(id) FROM audit_log))")
                )
    except (IntegrityError, StatementError) as error:  # a constraint the validator does not know
        raise DataFormatError(f"a row breaks a database constraint: {error.orig}", file=str(path)) from None
    return counts
