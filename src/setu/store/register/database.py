"""Open the register's database: an embedded SQLite file by default, PostgreSQL in production.

A :class:`RegisterDatabase` owns one engine. Work happens inside :meth:`RegisterDatabase.transaction`,
which yields a :class:`~setu.store.register.transaction.Transaction` and commits on success.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

from setu.errors import InputError
from setu.store.files import PRIVATE_FILE, make_private, private_dir
from setu.store.register import migrate
from setu.store.register.transaction import Transaction


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite enforces references only when asked
    cursor.execute("PRAGMA busy_timeout=10000")  # writers queue rather than fail at once
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Writers take SQLite's write lock up front (BEGIN IMMEDIATE), so two writers queue on
    ``busy_timeout`` instead of the second failing when it upgrades a read snapshot to a write."""
    write = connection.get_execution_options().get("setu_write", True)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _private_sqlite_file(path: Path) -> None:
    """Create the database file 0600 (in a 0700 folder when Setu makes it) before SQLite opens it, and
    tighten an existing one: it holds password hashes and every tier of record. SQLite gives its WAL and
    shared-memory files the database file's mode."""
    private_dir(path.parent)
    if path.exists():
        make_private(path)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        make_private(companion)


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise InputError(f"not a database URL: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_sqlite_file(Path(parsed.database))
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise InputError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://")


class RegisterDatabase:
    """One register database. ``url`` is any SQLAlchemy URL for SQLite or PostgreSQL."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self, revision: str = "head") -> None:
        migrate.upgrade(self.engine, revision)

    def downgrade(self, revision: str = "base") -> None:
        migrate.downgrade(self.engine, revision)

    def revision(self) -> str | None:
        return migrate.current_revision(self.engine)

    def is_current(self) -> bool:
        return self.revision() == migrate.head_revision()

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Transaction]:
        """A unit of work; commits when the block ends without an exception. ``write=False`` for reads."""
        with self.engine.connect().execution_options(setu_write=write) as connection, connection.begin():
            yield Transaction(connection)

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:  # never show a password that a URL may carry
        return f"RegisterDatabase({make_url(self.url).render_as_string(hide_password=True)!r})"
