"""Property: whatever records exist and whoever asks, no read path returns a record the caller may not read.

Random projects, milestones and action items (random owners, tiers and sharing lists) are written
through the service; then every read path — list, search, node filter, get, export, overdue, digest —
is asked by a random caller, and everything returned must pass the tier rules as stated in the module
docstring of ``setu.register.visibility`` (re-stated here independently).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.errors import NotFoundError
from setu.register.catalog import BY_NAME
from setu.register.fields import Role
from setu.register.visibility import Principal

OPERATOR = Principal("cli", "cli", Role.ADMIN, None, True)
KINDS = ["ministry", "agency", "company", "industry-body"]


def readable(caller: Principal, record: dict, government_orgs: set[str]) -> bool:
    if caller.is_admin or record["owner_org_id"] == caller.organisation_id:
        return True
    if record["tier"] == "public":
        return True
    if record["tier"] == "shared":
        return caller.organisation_id in record["shared_with"]
    return caller.organisation_id in government_orgs


@pytest.fixture
def orgs(sqlite_register):
    noun = BY_NAME["organisations"]
    made = [sqlite_register.records.create(OPERATOR, noun, noun.create(name=f"Org {i}", kind=kind, country="JPN"))
            for i, kind in enumerate(KINDS)]  # fmt: skip
    return [org.id for org in made], {org.id for org in made if org.kind.value in ("ministry", "agency")}


records = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(["government", "shared", "public"]),
              st.lists(st.integers(0, 3), unique=True, max_size=3)),
    min_size=1, max_size=6,
)  # fmt: skip


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=records, caller_org=st.integers(0, 3), role=st.sampled_from([Role.VIEWER, Role.EDITOR]))
def test_no_read_path_leaks(sqlite_register, orgs, records, caller_org, role):
    org_ids, government = orgs
    service = sqlite_register
    for owner, tier, shared in records:
        visibility = {"owner_org_id": org_ids[owner], "tier": tier, "shared_with": [org_ids[i] for i in shared]}
        project = service.records.create(OPERATOR, BY_NAME["projects"], BY_NAME["projects"].create(
            title="Leak probe", sector="semiconductors", links=[{"node_id": "neon"}], **visibility))  # fmt: skip
        service.records.create(OPERATOR, BY_NAME["milestones"], BY_NAME["milestones"].create(
            project_id=project.id, title="Leak probe", due_date=date(2026, 1, 1), **visibility))  # fmt: skip
    caller = Principal("c", "caller", role, org_ids[caller_org], org_ids[caller_org] in government)
    with service.database.transaction(write=False) as tx:
        everything = {noun: {r["id"]: r for r in tx.select(noun, scope=None).rows} for noun in ("projects", "milestones")}
    allowed = {noun: {i for i, r in rows.items() if readable(caller, r, government)} for noun, rows in everything.items()}

    for noun in ("projects", "milestones"):
        listed, total = service.records.list(caller, BY_NAME[noun], BY_NAME[noun].query(limit=200))
        assert {r.id for r in listed} == allowed[noun] and total == len(allowed[noun])
        searched, _ = service.records.list(caller, BY_NAME[noun], BY_NAME[noun].query(q="leak", limit=200))
        assert {r.id for r in searched} == allowed[noun]
        for record_id in everything[noun]:
            if record_id in allowed[noun]:
                service.records.get(caller, BY_NAME[noun], record_id)
            else:
                with pytest.raises(NotFoundError):
                    service.records.get(caller, BY_NAME[noun], record_id)
    by_node, _ = service.records.list(caller, BY_NAME["projects"], BY_NAME["projects"].query(node_id="neon", limit=200))
    assert {r.id for r in by_node} == allowed["projects"]
    exported = json.loads(service.transfer.export_json(caller))["records"]
    assert {r["id"] for r in exported["projects"]} == allowed["projects"]
    assert {r["id"] for r in exported["milestones"]} == allowed["milestones"]
    overdue = service.followup.overdue(caller, as_of=date(2026, 6, 1))
    assert {i.id for g in overdue for i in g.items} == allowed["milestones"]
    for org in org_ids:
        digest = service.followup.digest(caller, org, as_of=date(2026, 6, 1))
        assert {i.id for i in digest.overdue} <= allowed["milestones"]
