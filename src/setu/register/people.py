"""People: the named individuals who act as Points of Contact and own action items."""

from __future__ import annotations

from setu.register.fields import Email, Name, Phone, RecordId, ShortText, Visibility
from setu.register.noun import TieredQuery, define


class PersonCreate(Visibility):
    name: Name
    organisation_id: RecordId
    position: ShortText = ""
    email: Email | None = None
    phone: Phone | None = None


class PersonQuery(TieredQuery):
    organisation_id: RecordId | None = None


PEOPLE = define(
    "people",
    "person",
    PersonCreate,
    PersonQuery,
    references={"organisation_id": "organisations"},
    filters={"organisation_id": ("organisation_id", "eq")},
    text_fields=("name", "position"),
    sortable=("name", "created_at", "updated_at"),
)
