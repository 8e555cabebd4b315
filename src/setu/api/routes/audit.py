"""The audit log, read-only (admins)."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from setu.api.deps import PrincipalDep, RegisterDep
from setu.register.audit import AuditEntry

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditPage(BaseModel):
    items: list[AuditEntry]
    total: int


@router.get("", response_model=AuditPage, operation_id="list_audit")
def list_audit(
    principal: PrincipalDep,
    register: RegisterDep,
    entity: Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")] = None,
    entity_id: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9-]+$")] = None,
    actor: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    items, total = register.audit.entries(
        principal, entity=entity, entity_id=entity_id, actor=actor, limit=limit, offset=offset
    )
    return AuditPage(items=items, total=total)
