"""Overdue milestones and action items per Point of Contact, and the organisation digest, by hand."""

from __future__ import annotations

from datetime import date

import pytest

from setu.register.catalog import BY_NAME
from setu.register.fields import Role
from setu.register.sample import build_sample
from setu.register.visibility import Principal

OPERATOR = Principal("cli", "cli", Role.ADMIN, None, True)


@pytest.fixture
def world(sqlite_register):
    return build_sample(sqlite_register)


def viewer_of(world, key: str, government: bool) -> Principal:
    return Principal("v", f"{key}-viewer", Role.VIEWER, world.organisations[key], government)


def test_nothing_is_overdue_before_the_due_dates(sqlite_register, world):
    assert sqlite_register.followup.overdue(OPERATOR, as_of=date(2026, 2, 28)) == []


def test_overdue_per_point_of_contact(sqlite_register, world):
    # action items fall due 2026-02-28, milestones 2026-03-31: on 2026-03-31 only the 8 action items are late
    groups = sqlite_register.followup.overdue(OPERATOR, as_of=date(2026, 3, 31))
    assert [(g.person_name, len(g.items)) for g in groups] == [("Sample PoC of keidanren", 4), ("Sample PoC of meti", 4)]
    assert {item.kind for g in groups for item in g.items} == {"action_item"}
    assert {item.days_overdue for g in groups for item in g.items} == {31}
    groups = sqlite_register.followup.overdue(OPERATOR, as_of=date(2026, 4, 10))
    assert [len(g.items) for g in groups] == [8, 8]
    first = groups[0].items
    assert [i.days_overdue for i in first] == [41] * 4 + [10] * 4  # most overdue first


def test_completed_and_done_items_are_not_overdue(sqlite_register, world):
    milestone = world.records["milestones"]["meti-public"]
    action = world.records["action_items"]["meti-public"]
    sqlite_register.records.update(OPERATOR, BY_NAME["milestones"], milestone,
                                   BY_NAME["milestones"].update(completed_on=date(2026, 3, 30)), 1)  # fmt: skip
    sqlite_register.records.update(OPERATOR, BY_NAME["action_items"], action,
                                   BY_NAME["action_items"].update(state="done"), 1)  # fmt: skip
    groups = sqlite_register.followup.overdue(OPERATOR, as_of=date(2026, 4, 10), person_id=None)
    ids = {item.id for g in groups for item in g.items}
    assert milestone not in ids and action not in ids and len(ids) == 14


def test_overdue_respects_tiers(sqlite_register, world):
    company = viewer_of(world, "company", government=False)
    groups = sqlite_register.followup.overdue(company, as_of=date(2026, 4, 10))
    titles = {item.title for g in groups for item in g.items}
    expected = {f"{kind} {owner}-{tier}" for kind in ("Milestone of", "Action on")
                for owner in ("meti", "keidanren") for tier in ("public", "shared")}  # fmt: skip
    assert titles == expected


def test_unassigned_items_form_their_own_group(sqlite_register, world):
    action = world.records["action_items"]["meti-public"]
    sqlite_register.records.update(OPERATOR, BY_NAME["action_items"], action,
                                   BY_NAME["action_items"].update(owner_person_id=None), 1)  # fmt: skip
    groups = sqlite_register.followup.overdue(OPERATOR, as_of=date(2026, 3, 31))
    assert groups[-1].person_id is None and [i.id for i in groups[-1].items] == [action]


def test_digest(sqlite_register, world):
    cii = world.organisations["cii"]
    digest = sqlite_register.followup.digest(OPERATOR, cii, as_of=date(2026, 3, 15), horizon_days=30)
    # CII partners in all 8 projects; their milestones (due 03-31) fall due within 30 days; action items are
    # owned by Japanese PoCs, so none concern CII
    assert (digest.projects, digest.projects_by_status) == (8, {"active": 8})
    assert len(digest.due_soon) == 8 and {i.kind for i in digest.due_soon} == {"milestone"}
    assert digest.overdue == [] and digest.open_action_items == 0
    meti = sqlite_register.followup.digest(OPERATOR, world.organisations["meti"], as_of=date(2026, 3, 15))
    assert meti.projects == 4 and len(meti.overdue) == 4 and len(meti.due_soon) == 4 and meti.open_action_items == 4
    company = viewer_of(world, "company", government=False)
    seen = sqlite_register.followup.digest(company, world.organisations["meti"], as_of=date(2026, 3, 15))
    assert seen.projects == 2 and len(seen.overdue) == 2 and seen.open_action_items == 2
