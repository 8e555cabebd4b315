"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.types import TypeDecorator


class DelimitedList(TypeDecorator[list[str]]):
    """A short list of ids stored as ``|a|b|c|`` text.

    Membership is then a portable, injection-safe ``LIKE '%|a|%'`` on either engine: the values
    (UUIDs and node ids) are validated never to contain ``|``. An empty list is the empty string.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if any("|" in item for item in value):
            raise ValueError("list items may not contain '|'")
        return "|" + "|".join(value) + "|" if value else ""

    def process_result_value(self, value: str | None, dialect: Any) -> list[str]:
        if not value:
            return []
        return value.strip("|").split("|")


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC and read back as aware UTC, on every engine."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)
