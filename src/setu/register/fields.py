"""Shared vocabularies and constrained field types of the cooperation register.

Every string a user can send has a length limit here, so the limits are stated once and the API's
OpenAPI schema publishes them. Countries are ISO 3166-1 alpha-3 codes, as everywhere in Setu.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

#: Record ids are UUIDs in their canonical 36-character text form (kept across export/import).
RecordId = Annotated[
    str,
    StringConstraints(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", min_length=36, max_length=36
    ),
]
#: A supply-chain map node id, as the maps name their nodes ("gallium", "semiconductors/wafer-300mm").
#: Only the format is checked here: the maps are loaded elsewhere. ``|`` is never allowed (see store).
NodeId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
#: A submarine cable or landing station of the optional submarine-cables data pack: ``cable:<id>`` or
#: ``station:<id>`` (TeleGeography's slugs, e.g. ``cable:seamewe-6``, ``station:mumbai-india``). The format is
#: checked here; the id is checked against the pack when it is installed (see RecordService).
InfrastructureRef = Annotated[str, StringConstraints(pattern=r"^(cable|station):[a-z0-9][a-z0-9-]{0,119}$")]
#: Who made a change: an account's username, or "cli" for the operator.
Actor = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")]


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value) or "\x7f" in value:
        raise ValueError("control characters are not allowed")
    return value


def _text(max_length: int, min_length: int = 0) -> object:
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_control_characters),
    ]


Name = _text(200, 1)
SearchText = _text(100, 1)
#: A login name as typed (checked against accounts, never stored from here).
LoginName = _text(64, 1)
Title = _text(300, 1)
ShortText = _text(300)
LongText = _text(5000)
RequiredLongText = _text(5000, 1)
Email = Annotated[
    str,
    StringConstraints(max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]{1,189}\.[A-Za-z]{2,63}$"),
    AfterValidator(_no_control_characters),
]
Phone = Annotated[str, StringConstraints(max_length=40, pattern=r"^\+?[0-9 ()./-]{3,40}$")]

MAX_LIST = 50  # organisations a project partners with or a record is shared with
MAX_LINKS = 100  # supply-chain links of one project or action item


class Sector(StrEnum):
    """The five sectors named by the Japan–India declaration."""

    SEMICONDUCTORS = "semiconductors"
    CRITICAL_MINERALS = "critical-minerals"
    ICT = "ict"
    CLEAN_ENERGY = "clean-energy"
    PHARMACEUTICALS = "pharmaceuticals"


class Tier(StrEnum):
    """Visibility tier of one record (see :mod:`setu.register.visibility`)."""

    GOVERNMENT = "government"
    SHARED = "shared"
    PUBLIC = "public"


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


class OrganisationKind(StrEnum):
    MINISTRY = "ministry"
    AGENCY = "agency"
    COMPANY = "company"
    INDUSTRY_BODY = "industry-body"
    RESEARCH_INSTITUTE = "research-institute"


#: Kinds whose accounts read government-only records.
GOVERNMENT_KINDS = frozenset({OrganisationKind.MINISTRY, OrganisationKind.AGENCY})


class DialogueKind(StrEnum):
    GTOG = "gtog"  # Economic Security Dialogue between governments
    BTOB = "btob"  # private-sector dialogue between industry federations
    TRACK_1_5 = "track-1.5"  # government, industry and experts


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class ActionState(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DROPPED = "dropped"


#: Action-item states that still need follow-up.
OPEN_ACTION_STATES = frozenset({ActionState.OPEN, ActionState.IN_PROGRESS})


class Strict(BaseModel):
    """Input models reject unknown fields: a typo is an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class NodeLink(Strict):
    """A link from a project or action item to a supply-chain map node and the vulnerability it addresses."""

    node_id: NodeId
    vulnerability: ShortText = ""


class Visibility(Strict):
    """Who may read a record: its owner organisation always; others by tier."""

    tier: Tier = Tier.SHARED
    shared_with: list[RecordId] = Field(default_factory=list, max_length=MAX_LIST)
    owner_org_id: RecordId | None = None
