"""Follow-up: overdue milestones and action items per Point of Contact; a digest per organisation."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from setu.api.deps import IsoDay, PrincipalDep, RegisterDep
from setu.register.fields import RecordId
from setu.register.followup import ContactFollowUp, OrganisationDigest

router = APIRouter(prefix="/followup", tags=["follow-up"])


@router.get("/overdue", response_model=list[ContactFollowUp], operation_id="overdue")
def overdue(
    principal: PrincipalDep,
    register: RegisterDep,
    as_of: Annotated[IsoDay | None, Query(description="reference day, YYYY-MM-DD (default: today, UTC)")] = None,
    person_id: Annotated[RecordId | None, Query(description="only this Point of Contact")] = None,
) -> list[ContactFollowUp]:
    return register.followup.overdue(principal, as_of=as_of, person_id=person_id)


@router.get("/digest/{organisation_id}", response_model=OrganisationDigest, operation_id="digest")
def digest(
    organisation_id: Annotated[RecordId, Path()],
    principal: PrincipalDep,
    register: RegisterDep,
    as_of: Annotated[IsoDay | None, Query(description="reference day, YYYY-MM-DD (default: today, UTC)")] = None,
    horizon_days: Annotated[int, Query(ge=0, le=366)] = 30,
) -> OrganisationDigest:
    return register.followup.digest(principal, organisation_id, as_of=as_of, horizon_days=horizon_days)
