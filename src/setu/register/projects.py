"""Projects on the shared list of ongoing cooperation, in one of the five sectors.

Funding is recorded only where it is public, with the source that states it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from setu.errors import ValidationError
from setu.register.fields import (
    MAX_LINKS,
    MAX_LIST,
    InfrastructureRef,
    LongText,
    NodeId,
    NodeLink,
    ProjectStatus,
    RecordId,
    Sector,
    ShortText,
    Title,
    Visibility,
)
from setu.register.noun import TieredQuery, define


class ProjectCreate(Visibility):
    title: Title
    sector: Sector
    status: ProjectStatus = ProjectStatus.PROPOSED
    summary: LongText = ""
    start_date: date | None = None
    end_date: date | None = None
    partner_ids: list[RecordId] = Field(default_factory=list, max_length=MAX_LIST)
    funding_usd: int | None = Field(None, ge=0, le=10**13, description="public funding, whole US dollars")
    funding_source: ShortText = Field("", description="where the funding figure is published")
    links: list[NodeLink] = Field(default_factory=list, max_length=MAX_LINKS)
    infrastructure_ref: InfrastructureRef | None = Field(
        None, description="an ICT project's submarine cable or landing station: 'cable:<id>' or 'station:<id>' "
        "(ids of the submarine-cables data pack, checked against it when it is installed)")


class ProjectQuery(TieredQuery):
    sector: Sector | None = None
    status: ProjectStatus | None = None
    partner_id: RecordId | None = None
    node_id: NodeId | None = None
    infrastructure_ref: InfrastructureRef | None = None


def check_project(record: dict[str, Any]) -> None:
    if record.get("start_date") and record.get("end_date") and record["end_date"] < record["start_date"]:
        raise ValidationError("end_date is before start_date")
    if record.get("funding_usd") is not None and not record.get("funding_source"):
        raise ValidationError("funding_usd needs funding_source: record funding only where it is public")


PROJECTS = define(
    "projects",
    "project",
    ProjectCreate,
    ProjectQuery,
    list_references={"partner_ids": "organisations"},
    filters={
        "sector": ("sector", "eq"),
        "status": ("status", "eq"),
        "partner_id": ("partner_ids", "has"),
        "node_id": ("links", "node"),
    },
    text_fields=("title", "summary"),
    sortable=("title", "sector", "status", "start_date", "end_date", "created_at", "updated_at"),
    check=check_project,
)
