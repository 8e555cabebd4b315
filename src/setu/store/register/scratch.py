"""Throw-away register databases for tests and benchmarks: a SQLite file, or a private PostgreSQL schema.

A PostgreSQL scratch database is a schema with a unique name in an existing database, selected through
the connection's ``search_path``; it is dropped with everything in it when the block ends.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

#: The server the test suite and the load benchmark use (override with SETU_TEST_POSTGRES_URL).
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_base_url() -> str:
    return os.environ.get("SETU_TEST_POSTGRES_URL", DEFAULT_POSTGRES)


def postgres_unreachable(base_url: str | None = None) -> str | None:
    """None if the server answers, otherwise why not (for a skip reason)."""
    url = make_url(base_url or postgres_base_url())
    engine = create_engine(url.set(query={"connect_timeout": "3"}))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except OperationalError as error:
        return f"PostgreSQL at {url.render_as_string(hide_password=True)} is unreachable: {error.orig}".splitlines()[0]
    finally:
        engine.dispose()


@contextmanager
def postgres_schema(base_url: str | None = None) -> Iterator[str]:
    """Yield a URL whose connections work in a fresh schema; drop the schema afterwards."""
    base = make_url(base_url or postgres_base_url())
    schema = f"setu_scratch_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
