"""Liveness and schema check for load balancers and operators (no authentication, no data)."""

from fastapi import APIRouter
from pydantic import BaseModel

from setu.api.deps import RegisterDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    schema_revision: str | None


@router.get("/health", response_model=Health, operation_id="health")
def health(register: RegisterDep) -> Health:
    return Health(status="ok", schema_revision=register.database.revision())
