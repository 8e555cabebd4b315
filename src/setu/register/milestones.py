"""Milestones of a project, each with a due date; open past its due date means overdue."""

from __future__ import annotations

from datetime import date

from setu.register.fields import LongText, RecordId, Title, Visibility
from setu.register.noun import TieredQuery, define


class MilestoneCreate(Visibility):
    project_id: RecordId
    title: Title
    due_date: date
    completed_on: date | None = None
    notes: LongText = ""


class MilestoneQuery(TieredQuery):
    project_id: RecordId | None = None


MILESTONES = define(
    "milestones",
    "milestone",
    MilestoneCreate,
    MilestoneQuery,
    references={"project_id": "projects"},
    parents=("project_id",),
    filters={"project_id": ("project_id", "eq")},
    text_fields=("title", "notes"),
    sortable=("due_date", "completed_on", "title", "created_at", "updated_at"),
)
