"""Point-of-Contact roles: a person nominated for a project or a dialogue.

The declaration's follow-up mechanism works by "nominating the Points of Contact to promote the
cooperation on the shared list of ongoing projects"; a role names exactly one project or one dialogue.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from setu.errors import ValidationError
from setu.register.fields import RecordId, ShortText, Visibility
from setu.register.noun import TieredQuery, define


class ContactCreate(Visibility):
    person_id: RecordId
    project_id: RecordId | None = None
    dialogue_id: RecordId | None = None
    role: ShortText = "Point of Contact"
    since: date | None = None
    until: date | None = None


class ContactQuery(TieredQuery):
    person_id: RecordId | None = None
    project_id: RecordId | None = None
    dialogue_id: RecordId | None = None


def check_contact(record: dict[str, Any]) -> None:
    if (record.get("project_id") is None) == (record.get("dialogue_id") is None):
        raise ValidationError("a Point-of-Contact role names exactly one of project_id and dialogue_id")
    if record.get("since") and record.get("until") and record["until"] < record["since"]:
        raise ValidationError("until is before since")


CONTACTS = define(
    "contacts",
    "contact",
    ContactCreate,
    ContactQuery,
    references={"person_id": "people", "project_id": "projects", "dialogue_id": "dialogues"},
    parents=("project_id", "dialogue_id"),  # the nominated person may belong to any organisation
    filters={
        "person_id": ("person_id", "eq"),
        "project_id": ("project_id", "eq"),
        "dialogue_id": ("dialogue_id", "eq"),
    },
    text_fields=("role",),
    sortable=("since", "until", "created_at", "updated_at"),
    check=check_contact,
)
