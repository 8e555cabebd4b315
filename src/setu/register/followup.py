"""Follow-up: what is overdue, per Point of Contact, and a digest per organisation.

A milestone is overdue when its due date is before the reference day and it has no completion date;
an action item when its due date is before the reference day and it is still open or in progress.
Milestones are followed up by the project's Points of Contact, action items by their owner.
Everything is read through the caller's scope: a digest never counts what the caller may not read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from setu.errors import NotFoundError
from setu.register.catalog import BY_NAME
from setu.register.fields import OPEN_ACTION_STATES
from setu.register.noun import Condition
from setu.register.records import visible_rows
from setu.register.visibility import Principal


class FollowUpItem(BaseModel):
    kind: Literal["milestone", "action_item"]
    id: str
    title: str
    due_date: date
    days_overdue: int
    project_id: str | None = None
    meeting_id: str | None = None
    owner_org_id: str


class ContactFollowUp(BaseModel):
    """Overdue items of one Point of Contact (``person_id`` None: items with nobody to follow them up)."""

    person_id: str | None
    person_name: str | None
    organisation_id: str | None
    items: list[FollowUpItem]


class OrganisationDigest(BaseModel):
    organisation_id: str
    organisation_name: str
    as_of: date
    horizon_days: int
    projects: int
    projects_by_status: dict[str, int]
    overdue: list[FollowUpItem]
    due_soon: list[FollowUpItem]
    open_action_items: int


class FollowUpService:
    def __init__(self, database: Any, today: Callable[[], date]):
        self.database = database
        self.today = today

    def _scoped(self, tx: Any, principal: Principal, table: str, conditions: list[Condition]) -> list[dict[str, Any]]:
        return visible_rows(tx, principal, BY_NAME[table], conditions)[0]

    def _late(
        self, tx: Any, principal: Principal, before: date, as_of: date
    ) -> tuple[list[FollowUpItem], dict[str, str | None]]:
        """Milestones and action items due before ``before`` and still open, dated against ``as_of``,
        and the owner (person id) of each such action item."""
        milestones = self._scoped(
            tx, principal, "milestones", [Condition("due_date", "lt", before), Condition("completed_on", "null", True)]
        )
        actions = self._scoped(
            tx,
            principal,
            "action_items",
            [
                Condition("due_date", "lt", before),
                Condition("state", "in", sorted(state.value for state in OPEN_ACTION_STATES)),
            ],
        )
        items = [
            FollowUpItem(
                kind="milestone", id=m["id"], title=m["title"], due_date=m["due_date"],
                days_overdue=(as_of - m["due_date"]).days, project_id=m["project_id"], owner_org_id=m["owner_org_id"],
            )
            for m in milestones
        ] + [
            FollowUpItem(
                kind="action_item", id=a["id"], title=a["title"], due_date=a["due_date"],
                days_overdue=(as_of - a["due_date"]).days, meeting_id=a["meeting_id"], owner_org_id=a["owner_org_id"],
            )
            for a in actions
        ]
        owners = {a["id"]: a["owner_person_id"] for a in actions}
        return sorted(items, key=lambda item: (item.due_date, item.kind, item.id)), owners

    def overdue(
        self, principal: Principal, as_of: date | None = None, person_id: str | None = None
    ) -> list[ContactFollowUp]:
        """Overdue items grouped per Point of Contact, most overdue first within each group."""
        as_of = as_of or self.today()
        with self.database.transaction(write=False) as tx:
            items, action_owner = self._late(tx, principal, as_of, as_of)
            contacts = self._scoped(tx, principal, "contacts", [Condition("project_id", "null", False)])
            people = {p["id"]: p for p in self._scoped(tx, principal, "people", [])}
        poc_of_project: dict[str, set[str]] = {}
        for contact in contacts:
            if contact["person_id"] in people:
                poc_of_project.setdefault(contact["project_id"], set()).add(contact["person_id"])
        groups: dict[str | None, list[FollowUpItem]] = {}
        for item in items:
            if item.kind == "milestone":
                followers = poc_of_project.get(item.project_id or "", set())
            else:
                owner = action_owner.get(item.id)
                followers = {owner} if owner in people else set()
            for follower in followers or {None}:
                groups.setdefault(follower, []).append(item)
        result = []
        for follower, group in groups.items():
            if person_id is not None and follower != person_id:
                continue
            person = people.get(follower) if follower else None
            result.append(
                ContactFollowUp(
                    person_id=follower,
                    person_name=person["name"] if person else None,
                    organisation_id=person["organisation_id"] if person else None,
                    items=sorted(group, key=lambda item: (-item.days_overdue, item.kind, item.id)),
                )
            )
        return sorted(result, key=lambda g: (g.person_id is None, g.person_name or "", g.person_id or ""))

    def due_soon(self, principal: Principal, days: int = 7, as_of: date | None = None) -> list[FollowUpItem]:
        """Open milestones and action items falling due from ``as_of`` to ``days`` days after it (inclusive),
        soonest first: what needs doing this week."""
        as_of = as_of or self.today()
        with self.database.transaction(write=False) as tx:
            items, _ = self._late(tx, principal, as_of + timedelta(days=days + 1), as_of)
        return [item for item in items if item.days_overdue <= 0]

    def digest(
        self, principal: Principal, organisation_id: str, as_of: date | None = None, horizon_days: int = 30
    ) -> OrganisationDigest:
        """One organisation's cooperation at a glance: its projects (as owner or partner), what is overdue
        and what falls due within ``horizon_days``, in projects it takes part in or owned by it."""
        as_of = as_of or self.today()
        with self.database.transaction(write=False) as tx:
            organisation = tx.get("organisations", organisation_id)
            if organisation is None:
                raise NotFoundError(f"no organisation {organisation_id}")
            projects = self._scoped(tx, principal, "projects", [])
            mine = {
                p["id"]: p for p in projects if p["owner_org_id"] == organisation_id or organisation_id in p["partner_ids"]
            }
            staff = {p["id"] for p in self._scoped(tx, principal, "people", [Condition("organisation_id", "eq", organisation_id)])}
            upcoming, owners = self._late(tx, principal, as_of + timedelta(days=horizon_days + 1), as_of)
            open_actions = self._scoped(
                tx, principal, "action_items", [Condition("state", "in", sorted(s.value for s in OPEN_ACTION_STATES))]
            )

        def concerns(item: FollowUpItem) -> bool:
            if item.owner_org_id == organisation_id:
                return True
            if item.kind == "milestone":
                return item.project_id in mine
            return owners.get(item.id) in staff

        relevant = [item for item in upcoming if concerns(item)]
        by_status: dict[str, int] = {}
        for project in mine.values():
            by_status[project["status"]] = by_status.get(project["status"], 0) + 1
        return OrganisationDigest(
            organisation_id=organisation_id,
            organisation_name=organisation["name"],
            as_of=as_of,
            horizon_days=horizon_days,
            projects=len(mine),
            projects_by_status=dict(sorted(by_status.items())),
            overdue=[item for item in relevant if item.days_overdue > 0],
            due_soon=[item for item in relevant if item.days_overdue <= 0],
            open_action_items=sum(
                1 for a in open_actions if a["owner_org_id"] == organisation_id or a["owner_person_id"] in staff
            ),
        )
