"""Dialogues: government-to-government, business-to-business and Track 1.5."""

from __future__ import annotations

from setu.register.fields import DialogueKind, LongText, Title, Visibility
from setu.register.noun import TieredQuery, define


class DialogueCreate(Visibility):
    kind: DialogueKind
    title: Title
    summary: LongText = ""


class DialogueQuery(TieredQuery):
    kind: DialogueKind | None = None


DIALOGUES = define(
    "dialogues",
    "dialogue",
    DialogueCreate,
    DialogueQuery,
    filters={"kind": ("kind", "eq")},
    text_fields=("title", "summary"),
    sortable=("title", "kind", "created_at", "updated_at"),
)
