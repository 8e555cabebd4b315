"""The append-only audit log: who changed what, when, and the record before and after.

Entries are written in the same transaction as the change they describe, so a change and its entry
commit or fail together. Secrets never enter the log: account entries carry no password hash.
The database refuses UPDATE and DELETE on the table (triggers in the first migration).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

from setu.register.visibility import Principal, require_admin


class AuditWriter(Protocol):
    def append_audit(self, entry: dict[str, Any]) -> None: ...


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def record_change(
    tx: AuditWriter,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    tx.append_audit(
        {
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": before,
            "after": after,
        }
    )


class AuditService:
    """Reading the log is for admins: entries hold records of every tier."""

    def __init__(self, database: Any, clock: Callable[[], datetime]):
        self.database = database
        self.clock = clock

    def entries(
        self,
        principal: Principal,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        actor: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[AuditEntry], int]:
        require_admin(principal, "read the audit log")
        with self.database.transaction(write=False) as tx:
            page = tx.audit_entries(entity=entity, entity_id=entity_id, actor=actor, limit=limit, offset=offset)
        return [AuditEntry.model_validate(row) for row in page.rows], page.total
