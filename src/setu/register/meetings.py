"""Meetings of a dialogue."""

from __future__ import annotations

from datetime import date

from setu.register.fields import LongText, RecordId, ShortText, Visibility
from setu.register.noun import TieredQuery, define


class MeetingCreate(Visibility):
    dialogue_id: RecordId
    held_on: date
    location: ShortText = ""
    summary: LongText = ""


class MeetingQuery(TieredQuery):
    dialogue_id: RecordId | None = None


MEETINGS = define(
    "meetings",
    "meeting",
    MeetingCreate,
    MeetingQuery,
    references={"dialogue_id": "dialogues"},
    parents=("dialogue_id",),
    filters={"dialogue_id": ("dialogue_id", "eq")},
    text_fields=("location", "summary"),
    sortable=("held_on", "created_at", "updated_at"),
)
