"""Decisions taken at a meeting."""

from __future__ import annotations

from setu.register.fields import RecordId, RequiredLongText, Visibility
from setu.register.noun import TieredQuery, define


class DecisionCreate(Visibility):
    meeting_id: RecordId
    text: RequiredLongText


class DecisionQuery(TieredQuery):
    meeting_id: RecordId | None = None


DECISIONS = define(
    "decisions",
    "decision",
    DecisionCreate,
    DecisionQuery,
    references={"meeting_id": "meetings"},
    parents=("meeting_id",),
    filters={"meeting_id": ("meeting_id", "eq")},
    text_fields=("text",),
    sortable=("created_at", "updated_at"),
)
