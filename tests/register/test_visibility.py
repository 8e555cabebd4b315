"""The access policy: a hand-written matrix, and the store's SQL filter agreeing with the policy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.register.fields import Role
from setu.register.noun import Condition
from setu.register.visibility import Principal, can_change, can_see, in_scope, scope_for

A, B, C = "org-a", "org-b", "org-c"


def principal(role: Role, org: str | None, government: bool = False) -> Principal:
    return Principal(account_id="x", username="x", role=role, organisation_id=org, government=government)


def record(owner: str, tier: str, shared_with: list[str] | None = None) -> dict:
    return {"owner_org_id": owner, "tier": tier, "shared_with": shared_with or []}


# (caller's org, caller is government, record) -> may read; worked out from the tier definitions
MATRIX = [
    (A, False, record(A, "government"), True),  # owners always read their records
    (A, False, record(B, "government"), False),  # a non-government org never reads B's government-only
    (A, True, record(B, "government"), True),  # government bodies read government-only records
    (A, False, record(B, "shared", [A]), True),
    (A, False, record(B, "shared", [C]), False),
    (A, True, record(B, "shared", []), False),  # being a government does not open shared records
    (A, False, record(B, "public"), True),
    (None, False, record(B, "shared", []), False),
]


@pytest.mark.parametrize(("org", "government", "rec", "expected"), MATRIX)
@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_read_matrix(org, government, rec, expected, role):
    assert can_see(principal(role, org, government), rec) is expected


def test_admin_reads_everything():
    admin = principal(Role.ADMIN, None)
    assert all(can_see(admin, rec) for _, _, rec, _ in MATRIX)


@pytest.mark.parametrize(
    ("role", "owner", "expected"),
    [(Role.ADMIN, B, True), (Role.EDITOR, A, True), (Role.EDITOR, B, False), (Role.VIEWER, A, False)],
)
def test_change_matrix(role, owner, expected):
    assert can_change(principal(role, A), record(owner, "public")) is expected


NOW = datetime(2026, 4, 15, tzinfo=UTC)
ORGS = [str(uuid.UUID(int=i)) for i in range(1, 5)]
records_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "owner_org_id": st.sampled_from(ORGS),
            "tier": st.sampled_from(["government", "shared", "public"]),
            "shared_with": st.lists(st.sampled_from(ORGS), unique=True, max_size=4),
        }
    ),
    min_size=1,
    max_size=12,
)
principals_strategy = st.builds(
    principal,
    role=st.sampled_from(list(Role)),
    org=st.sampled_from([*ORGS, None]),
    government=st.booleans(),
)


class _Rollback(Exception):
    pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=records_strategy, caller=principals_strategy)
def test_store_filter_agrees_with_policy(register, records, caller):
    """Whatever the records and the caller, the SQL scope returns exactly the records can_see admits."""
    with register.database.transaction() as tx:
        for org in ORGS:
            if tx.get("organisations", org) is None:
                tx.insert("organisations", _organisation_row(org))
    ids = []
    with pytest.raises(_Rollback), register.database.transaction() as tx:
        for rec in records:
            row = _project_row(rec)
            tx.insert("projects", row)
            ids.append(row["id"])
        page = tx.select("projects", scope=scope_for(caller), conditions=[Condition("id", "in", ids)])
        expected = {row_id for row_id, rec in zip(ids, records, strict=True) if in_scope(scope_for(caller), rec)}
        assert {row["id"] for row in page.rows} == expected
        assert page.total == len(expected)
        raise _Rollback


def _organisation_row(org_id: str) -> dict:
    return {
        "id": org_id, "version": 1, "created_at": NOW, "updated_at": NOW, "created_by": "t", "updated_by": "t",
        "name": f"Organisation {org_id}", "kind": "company", "country": "JPN", "website": "",
    }  # fmt: skip


def _project_row(rec: dict) -> dict:
    return {
        "id": str(uuid.uuid4()), "version": 1, "created_at": NOW, "updated_at": NOW, "created_by": "t",
        "updated_by": "t", **rec, "title": "p", "sector": "ict", "status": "active", "summary": "",
        "start_date": None, "end_date": None, "partner_ids": [], "funding_usd": None, "funding_source": "", "links": [],
    }  # fmt: skip
