"""Migrations go up and down on both engines, and the tables match the migrated schema exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from setu.store.jcm.tables import JCM_TABLES
from setu.store.register import migrate
from setu.store.register.database import RegisterDatabase
from setu.store.register.tables import ALL_TABLES, metadata


#: The register's tables and the Joint Crediting Mechanism's, which live in the same database.
TABLES = {table.name for table in (*ALL_TABLES, *JCM_TABLES)}


def table_names(database: RegisterDatabase) -> set[str]:
    return set(inspect(database.engine).get_table_names()) - {"alembic_version"}


def test_up_down_up(database_url):
    database = RegisterDatabase(database_url)
    assert database.revision() is None
    database.upgrade()
    assert database.revision() == migrate.head_revision() and database.is_current()
    assert table_names(database) == TABLES
    database.downgrade("base")
    assert database.revision() is None
    assert table_names(database) == set()
    database.upgrade()
    assert table_names(database) == TABLES
    database.dispose()


def test_migrated_schema_matches_the_tables(database_url):
    """Autogenerate finds nothing to do: the hand-kept migration and tables.py agree."""
    database = RegisterDatabase(database_url)
    database.upgrade()
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    database.dispose()
