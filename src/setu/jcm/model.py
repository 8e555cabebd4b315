"""The JCM's vocabularies and the schemas of what a caller may record or ask for.

The Joint Crediting Mechanism's cycle (JCM Rules of Implementation and Project Cycle Procedure, each bilateral
Joint Committee): a methodology approved by the Joint Committee → a project with its PDD, validated by a
third-party entity and registered → monitoring periods with verified emission reductions → the Joint Committee's
notification of issuance, which allocates the credits between the Government of Japan, the Government of India
and the project participants → issuance into the registries and transfers, cancellations and retirements.

Article 6.2 of the Paris Agreement adds: a Party's authorisation of the units for use towards NDCs or other
international mitigation purposes (OIMP), the "first transfer" as the Party defines it, and the corresponding
adjustment each first transfer and each use triggers (decision 2/CMA.3, annex).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from setu.register.fields import Name, RecordId, RequiredLongText, ShortText, Strict, Title

#: The two Parties of this JCM (ISO 3166-1 alpha-3), each with its own registry.
PARTIES = ("JPN", "IND")
Party = Annotated[str, StringConstraints(pattern=r"^(JPN|IND)$")]
Reference = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_.-]{1,39}$")]
Vintage = Annotated[int, Field(ge=2013, le=2100)]
Tonnes = Annotated[int, Field(gt=0, le=10**12, description="tonnes of CO2 equivalent (tCO2e): one credit each")]


class AccountKind(StrEnum):
    """Holding accounts of a registry (each registry has its own; units in cancellation/retirement never move)."""

    ISSUANCE = "issuance"  # where a registry issues before it allocates, per the notification
    GOVERNMENT_HOLDING = "government_holding"
    ENTITY_HOLDING = "entity_holding"  # a project participant's, held by a register organisation
    CANCELLATION = "cancellation"  # voluntary cancellation, or cancellation for overall mitigation (OMGE)
    RETIREMENT = "retirement"  # use towards the Party's NDC (or OIMP)


class MovementKind(StrEnum):
    ISSUANCE = "issuance"
    INTERNAL_TRANSFER = "internal_transfer"
    EXTERNAL_TRANSFER = "external_transfer"
    CANCELLATION = "cancellation"
    RETIREMENT = "retirement"


class Purpose(StrEnum):
    """What a Party authorises units for (2/CMA.3 annex, para 1(f)): NDCs, other international mitigation
    purposes (e.g. CORSIA), or both."""

    NDC = "ndc"
    OIMP = "oimp"
    NDC_AND_OIMP = "ndc_and_oimp"


class FirstTransfer(StrEnum):
    """When the first transfer happens (2/CMA.3 annex, para 2(b); 6/CMA.4 para 5): for use towards NDCs the first
    international transfer; for OIMP the authorising Party chooses authorisation, issuance, or use or
    cancellation."""

    FIRST_INTERNATIONAL_TRANSFER = "first_international_transfer"
    AUTHORISATION = "authorisation"
    ISSUANCE = "issuance"
    USE_OR_CANCELLATION = "use_or_cancellation"


class RetirementPurpose(StrEnum):
    NDC = "ndc"
    OIMP = "oimp"


class CancellationPurpose(StrEnum):
    VOLUNTARY = "voluntary"
    OMGE = "omge"  # overall mitigation in global emissions


class GrantRole(StrEnum):
    REGISTRY_ADMIN = "registry_admin"
    SECRETARIAT = "secretariat"


class Participant(Strict):
    name: Name
    party: Party
    organisation_id: RecordId | None = None


class MethodologyCreate(Strict):
    code: Reference
    version: Annotated[int, Field(ge=1, le=999)]
    title: Title
    sectoral_scope: Name
    approved_on: date
    valid_from: date
    valid_until: date | None = None
    illustrative: bool = False

    @model_validator(mode="after")
    def _validity(self) -> MethodologyCreate:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class ProjectCreate(Strict):
    reference: Reference
    title: Title
    host_party: Party
    methodology: Reference = Field(description="the methodology's code; its version valid on registered_on is used")
    sector: Name = Field(description="the AEF sector (IPCC category), e.g. Energy")
    activity_type: Name = Field(description="the AEF activity type, e.g. Renewable energy: solar")
    participants: list[Participant] = Field(min_length=1, max_length=20)
    pdd_reference: ShortText
    validator: Name
    validated_on: date
    registered_on: date
    register_project_id: RecordId | None = None
    illustrative: bool = False

    @model_validator(mode="after")
    def _dates(self) -> ProjectCreate:
        if self.registered_on < self.validated_on:
            raise ValueError("a project is registered after its validation")
        return self


class MonitoringPeriodCreate(Strict):
    project: Reference
    period_start: date
    period_end: date
    verified_tco2e: Tonnes
    verifier: Name
    verified_on: date

    @model_validator(mode="after")
    def _dates(self) -> MonitoringPeriodCreate:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        if self.verified_on < self.period_end:
            raise ValueError("emission reductions are verified after the period ends")
        return self


class ParticipantAllocation(Strict):
    account: Reference = Field(description="the holding account's number")
    tco2e: Tonnes


class NoticeCreate(Strict):
    """The Joint Committee's notification of issuance for one verified monitoring period."""

    project: Reference
    period_start: date
    notified_on: date
    vintage: Vintage
    japan_government_tco2e: Annotated[int, Field(ge=0, le=10**12)]
    india_government_tco2e: Annotated[int, Field(ge=0, le=10**12)]
    participants: list[ParticipantAllocation] = Field(default_factory=list, max_length=20)

    @property
    def participants_tco2e(self) -> int:
        return sum(line.tco2e for line in self.participants)

    @property
    def total_tco2e(self) -> int:
        return self.japan_government_tco2e + self.india_government_tco2e + self.participants_tco2e


class AccountCreate(Strict):
    number: Reference
    registry: Party
    kind: AccountKind
    name: Name
    holder_org_id: RecordId | None = None

    @model_validator(mode="after")
    def _holder(self) -> AccountCreate:
        if self.kind is AccountKind.ENTITY_HOLDING and self.holder_org_id is None:
            raise ValueError("an entity holding account names its holder (holder_org_id)")
        return self


class AuthorisationCreate(Strict):
    reference: Reference
    party: Party
    project: Reference
    vintage_from: Vintage
    vintage_to: Vintage
    purpose: Purpose
    first_transfer_definition: FirstTransfer = FirstTransfer.FIRST_INTERNATIONAL_TRANSFER
    authorised_at: datetime
    terms: RequiredLongText

    @model_validator(mode="after")
    def _rules(self) -> AuthorisationCreate:
        if self.vintage_to < self.vintage_from:
            raise ValueError("vintage_to is before vintage_from")
        if self.purpose is not Purpose.OIMP and self.first_transfer_definition is not FirstTransfer.FIRST_INTERNATIONAL_TRANSFER:
            raise ValueError(
                "for use towards NDCs the first transfer is the first international transfer (2/CMA.3 annex, para 2(b))"
            )
        if self.authorised_at.tzinfo is None:
            raise ValueError("authorised_at needs a time zone (e.g. 2026-03-01T00:00:00Z)")
        return self


class UnitsRequest(Strict):
    """Which units an operation takes from an account: a quantity of one (project, vintage), oldest serials first,
    or an exact serial range."""

    project: Reference
    vintage: Vintage
    quantity: Tonnes
    serial_start: Annotated[int, Field(ge=1)] | None = None
    reason: RequiredLongText


class TransferRequest(UnitsRequest):
    source: Reference = Field(description="the number of the account the units leave")
    target: Reference = Field(description="the number of the account the units enter (either registry)")


class CancellationRequest(UnitsRequest):
    source: Reference
    target: Reference = Field(description="the registry's cancellation account")
    purpose: CancellationPurpose = CancellationPurpose.VOLUNTARY


class RetirementRequest(UnitsRequest):
    source: Reference
    target: Reference = Field(description="the registry's retirement account")
    purpose: RetirementPurpose = RetirementPurpose.NDC


class IssuanceRequest(Strict):
    notice_project: Reference
    period_start: date
    reason: RequiredLongText


class GrantCreate(Strict):
    username: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")]
    role: GrantRole
    party: Party | None = None

    @model_validator(mode="after")
    def _party(self) -> GrantCreate:
        if self.role is GrantRole.REGISTRY_ADMIN and self.party is None:
            raise ValueError("a registry administrator is the administrator of one registry: give party")
        if self.role is GrantRole.SECRETARIAT and self.party is not None:
            raise ValueError("the Joint Committee secretariat serves both Parties: give no party")
        return self


class Movement(BaseModel):
    """One row of the ledger as the services return it."""

    id: int
    operation_id: str
    at: datetime
    kind: MovementKind
    actor: str
    reason: str
    project: str
    vintage: int
    unit_identifier: str
    serial_start: int
    serial_end: int
    quantity: int
    source_account: str | None
    target_account: str
    source_registry: str | None
    target_registry: str
    first_transfer: bool
    purpose: str | None
    corrects_operation_id: str | None
