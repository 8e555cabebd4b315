"""Alembic environment: always run programmatically with a connection handed in by ``migrate.py``."""

from __future__ import annotations

from alembic import context

import setu.store.jcm.tables  # noqa: F401  (the JCM's tables live on the register's metadata)
from setu.store.register.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the CLI and tests always pass a connection
    raise RuntimeError("run the register's migrations through setu.store.register.migrate")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
