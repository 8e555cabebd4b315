"""Writes to a child record follow its parent's ownership, for every kind of child.

Organisation B (keidanren) may read organisation A's (meti) public project, dialogue and meeting, but adding a
milestone, a meeting, a decision, an action item or a Point of Contact to them is a write to A's record:
refused (403), nothing written. A's own editor adds them, and they are owned by A, so A can delete them
and B cannot. An admin's child is owned by its parent's organisation.
"""

from __future__ import annotations

A, B = "meti", "keidanren"


def children(sample) -> dict[str, tuple[str, dict]]:
    """One child of A's public records per kind (path, body), as organisation B would try to add it."""
    records = sample.records
    project, dialogue = records["projects"][f"{A}-public"], records["dialogues"][f"{A}-dialogue"]
    meeting, decision = records["meetings"][f"{A}-meeting"], records["decisions"][f"{A}-public"]
    person = records["people"][f"{B}-poc"]
    return {
        "milestone": ("/api/milestones", {"project_id": project, "title": "B's milestone", "due_date": "2026-06-30"}),
        "meeting": ("/api/meetings", {"dialogue_id": dialogue, "held_on": "2026-05-01"}),
        "decision": ("/api/decisions", {"meeting_id": meeting, "text": "B's decision"}),
        "action item": ("/api/action-items", {"meeting_id": meeting, "title": "B's action"}),
        "action item on a decision": ("/api/action-items", {
            "meeting_id": records["meetings"][f"{B}-meeting"], "decision_id": decision, "title": "B's action"}),
        "project contact": ("/api/contacts", {"person_id": person, "project_id": project}),
        "dialogue contact": ("/api/contacts", {"person_id": person, "dialogue_id": dialogue}),
    }


def count(api, path: str) -> int:
    return api.get("admin", path, params={"limit": 1}).json()["total"]


KINDS = ["milestone", "meeting", "decision", "action item", "action item on a decision", "project contact",
         "dialogue contact"]
MOVES = [  # (path, parent field, B's own child, A's parent)
    ("/api/milestones", "project_id", ("milestones", f"{B}-public"), ("projects", f"{A}-public")),
    ("/api/decisions", "meeting_id", ("decisions", f"{B}-public"), ("meetings", f"{A}-meeting")),
    ("/api/action-items", "meeting_id", ("action_items", f"{B}-public"), ("meetings", f"{A}-meeting")),
    ("/api/contacts", "project_id", ("contacts", f"{B}-public"), ("projects", f"{A}-public")),
]


def test_another_organisation_cannot_add_a_child_to_a_readable_parent(reader_api):
    api = reader_api  # one register for the module: each case leaves it as it was, or only adds
    for kind in KINDS:  # one register for every kind: each case leaves it as it found it
        path, body = children(api.sample)[kind]
        before = count(api, path)
        response = api.client.post(path, json=body, headers=api.headers(f"{B}-editor"))
        assert response.status_code == 403, (kind, response.text)
        assert "belongs to another organisation" in response.text
        assert count(api, path) == before, kind  # nothing written

        made = api.client.post(path, json=body, headers=api.headers(f"{A}-editor"))
        if kind == "action item on a decision":  # A's decision, B's meeting: A may not write to B's meeting
            assert made.status_code == 403, made.text
            continue
        assert made.status_code == 201, (kind, made.text)
        child = made.json()
        assert child["owner_org_id"] == api.sample.organisations[A]
        url, etag = f"{path}/{child['id']}", {"If-Match": '"1"'}
        assert api.client.delete(url, headers=api.headers(f"{B}-editor", **etag)).status_code == 403, kind
        assert api.client.delete(url, headers=api.headers(f"{A}-editor", **etag)).status_code == 204, kind


def test_another_organisation_cannot_move_its_child_onto_a_foreign_parent(reader_api):
    api = reader_api  # one register for the module: each case leaves it as it was, or only adds
    for path, field, own, theirs in MOVES:
        child = api.sample.records[own[0]][own[1]]
        target = api.sample.records[theirs[0]][theirs[1]]
        response = api.client.patch(f"{path}/{child}", json={field: target},
                                    headers=api.headers(f"{B}-editor", **{"If-Match": '"1"'}))
        assert response.status_code == 403, (path, response.text)
        assert api.get("admin", f"{path}/{child}").json()[field] != target


def test_an_admin_child_is_owned_by_its_parent_organisation(reader_api):
    api = reader_api  # one register for the module: each case leaves it as it was, or only adds
    project = api.sample.records["projects"][f"{A}-public"]
    body = {"project_id": project, "title": "Admin's milestone", "due_date": "2026-06-30"}
    made = api.client.post("/api/milestones", json=body, headers=api.headers("admin"))
    assert made.status_code == 201 and made.json()["owner_org_id"] == api.sample.organisations[A]
    foreign = {**body, "owner_org_id": api.sample.organisations[B]}
    refused = api.client.post("/api/milestones", json=foreign, headers=api.headers("admin"))
    assert refused.status_code == 422 and "owned by its project's organisation" in refused.text
