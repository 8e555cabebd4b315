"""The register's tables (SQLAlchemy Core). Migrations in ``migrations/versions`` create them.

Every record table has an ``id`` (UUID text), a ``version`` for optimistic concurrency, and who/when
columns. Tiered tables add ``owner_org_id``, ``tier`` and ``shared_with`` (see
:mod:`setu.register.visibility`). ``audit_log`` is append-only: triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from setu.store.register.types import DelimitedList, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _system() -> list[Column]:
    return [
        Column("id", String(36), primary_key=True),
        Column("version", Integer, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        Column("created_by", String(64), nullable=False),
        Column("updated_by", String(64), nullable=False),
    ]


def _tiered() -> list[Column]:
    return [
        *_system(),
        Column("owner_org_id", String(36), ForeignKey("organisations.id"), nullable=False, index=True),
        Column("tier", String(16), nullable=False, index=True),
        Column("shared_with", DelimitedList, nullable=False),
    ]


def _ref(name: str, table: str, nullable: bool = False) -> Column:
    return Column(name, String(36), ForeignKey(f"{table}.id"), nullable=nullable, index=True)


organisations = Table(
    "organisations",
    metadata,
    *_system(),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("country", String(3), nullable=False),
    Column("website", String(300), nullable=False),
)

people = Table(
    "people",
    metadata,
    *_tiered(),
    Column("name", String(200), nullable=False),
    _ref("organisation_id", "organisations"),
    Column("position", String(300), nullable=False),
    Column("email", String(254)),
    Column("phone", String(40)),
)

projects = Table(
    "projects",
    metadata,
    *_tiered(),
    Column("title", String(300), nullable=False),
    Column("sector", String(32), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("partner_ids", DelimitedList, nullable=False),
    Column("funding_usd", BigInteger),
    Column("funding_source", String(300), nullable=False),
    Column("links", JSON, nullable=False),
    Column("node_index", DelimitedList, nullable=False),
    Column("infrastructure_ref", String(128)),
)

milestones = Table(
    "milestones",
    metadata,
    *_tiered(),
    _ref("project_id", "projects"),
    Column("title", String(300), nullable=False),
    Column("due_date", Date, nullable=False, index=True),
    Column("completed_on", Date),
    Column("notes", Text, nullable=False),
)

dialogues = Table(
    "dialogues",
    metadata,
    *_tiered(),
    Column("kind", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("summary", Text, nullable=False),
)

meetings = Table(
    "meetings",
    metadata,
    *_tiered(),
    _ref("dialogue_id", "dialogues"),
    Column("held_on", Date, nullable=False),
    Column("location", String(300), nullable=False),
    Column("summary", Text, nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    *_tiered(),
    _ref("meeting_id", "meetings"),
    Column("text", Text, nullable=False),
)

action_items = Table(
    "action_items",
    metadata,
    *_tiered(),
    _ref("meeting_id", "meetings"),
    _ref("decision_id", "decisions", nullable=True),
    Column("title", String(300), nullable=False),
    Column("details", Text, nullable=False),
    _ref("owner_person_id", "people", nullable=True),
    Column("due_date", Date, index=True),
    Column("state", String(16), nullable=False),
    Column("links", JSON, nullable=False),
    Column("node_index", DelimitedList, nullable=False),
)

contacts = Table(
    "contacts",
    metadata,
    *_tiered(),
    _ref("person_id", "people"),
    _ref("project_id", "projects", nullable=True),
    _ref("dialogue_id", "dialogues", nullable=True),
    Column("role", String(300), nullable=False),
    Column("since", Date),
    Column("until", Date),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("username", String(64), nullable=False, unique=True),
    Column("organisation_id", String(36), ForeignKey("organisations.id"), index=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False, index=True),
    Column("before", JSON),
    Column("after", JSON),
)

RECORD_TABLES: dict[str, Table] = {
    table.name: table
    for table in (organisations, people, projects, milestones, dialogues, meetings, decisions, action_items, contacts)
}
#: Every table in an order where references come first (backup and restore follow it).
ALL_TABLES: tuple[Table, ...] = (*RECORD_TABLES.values(), accounts, tokens, audit_log)
