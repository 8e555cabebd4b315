"""Action items agreed at a meeting: an owner, a due date, a state, and the supply-chain nodes addressed."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from setu.register.fields import MAX_LINKS, ActionState, LongText, NodeId, NodeLink, RecordId, Title, Visibility
from setu.register.noun import TieredQuery, define


class ActionItemCreate(Visibility):
    meeting_id: RecordId
    decision_id: RecordId | None = None
    title: Title
    details: LongText = ""
    owner_person_id: RecordId | None = None
    due_date: date | None = None
    state: ActionState = ActionState.OPEN
    links: list[NodeLink] = Field(default_factory=list, max_length=MAX_LINKS)


class ActionItemQuery(TieredQuery):
    meeting_id: RecordId | None = None
    owner_person_id: RecordId | None = None
    state: ActionState | None = None
    node_id: NodeId | None = None


ACTION_ITEMS = define(
    "action_items",
    "action item",
    ActionItemCreate,
    ActionItemQuery,
    references={"meeting_id": "meetings", "decision_id": "decisions", "owner_person_id": "people"},
    parents=("meeting_id", "decision_id"),  # the owner may be a person of any organisation
    filters={
        "meeting_id": ("meeting_id", "eq"),
        "owner_person_id": ("owner_person_id", "eq"),
        "state": ("state", "eq"),
        "node_id": ("links", "node"),
    },
    text_fields=("title", "details"),
    sortable=("due_date", "state", "title", "created_at", "updated_at"),
)
