"""Record service: create/read/update/delete, validation, references, and lost-update prevention."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from setu.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from setu.register.catalog import BY_NAME
from setu.register.fields import Role
from setu.register.sample import build_sample
from setu.register.visibility import Principal

PROJECTS, MILESTONES, ORGS = BY_NAME["projects"], BY_NAME["milestones"], BY_NAME["organisations"]
#: Rules that do not depend on the engine run on SQLite only; writes, lists and concurrency run on both.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def world(register):
    return build_sample(register)


def as_account(register, username: str) -> Principal:
    with register.database.transaction(write=False) as tx:
        account = tx.account(username=username)
        org = tx.get("organisations", account["organisation_id"]) if account["organisation_id"] else None
    return Principal(account["id"], username, Role(account["role"]), account["organisation_id"],
                     org is not None and org["kind"] in ("ministry", "agency"))  # fmt: skip


def new_project(**extra):
    return PROJECTS.create(title="Gallium recovery from alumina refining", sector="critical-minerals", **extra)


@sqlite_only
def test_editor_creates_record_owned_by_own_organisation(register, world):
    editor = as_account(register, "keidanren-editor")
    created = register.records.create(editor, PROJECTS, new_project(tier="public"))
    assert created.owner_org_id == world.organisations["keidanren"]
    assert created.version == 1 and created.created_by == "keidanren-editor"
    assert register.records.get(editor, PROJECTS, created.id) == created


@sqlite_only
def test_editor_cannot_create_for_another_organisation(register, world):
    editor = as_account(register, "keidanren-editor")
    with pytest.raises(PermissionDeniedError):
        register.records.create(editor, PROJECTS, new_project(owner_org_id=world.organisations["meti"]))


@sqlite_only
def test_viewer_cannot_write(register, world):
    viewer = as_account(register, "meti-viewer")
    with pytest.raises(PermissionDeniedError):
        register.records.create(viewer, PROJECTS, new_project())


@sqlite_only
def test_only_admins_write_organisations(register, world):
    editor = as_account(register, "meti-editor")
    with pytest.raises(PermissionDeniedError):
        register.records.create(editor, ORGS, ORGS.create(name="JETRO", kind="agency", country="JPN"))


@sqlite_only
def test_cross_field_rules(register, world):
    editor = as_account(register, "meti-editor")
    with pytest.raises(ValidationError, match="end_date is before start_date"):
        register.records.create(editor, PROJECTS, new_project(start_date=date(2026, 1, 1), end_date=date(2025, 1, 1)))
    with pytest.raises(ValidationError, match="funding_source"):
        register.records.create(editor, PROJECTS, new_project(funding_usd=1_000_000))


@sqlite_only
def test_references_must_exist_and_be_visible(register, world):
    editor = as_account(register, "company-editor")
    hidden = world.records["projects"]["meti-government"]  # company cannot read it
    with pytest.raises(ValidationError, match="project_id"):
        register.records.create(
            editor, MILESTONES, MILESTONES.create(project_id=hidden, title="x", due_date=date(2026, 5, 1))
        )
    with pytest.raises(ValidationError, match="partner_ids"):
        register.records.create(editor, PROJECTS, new_project(partner_ids=["00000000-0000-0000-0000-00000000beef"]))


@sqlite_only
def test_invisible_record_is_not_found_and_foreign_record_is_forbidden(register, world):
    company_editor = as_account(register, "company-editor")
    project = world.records["projects"]["meti-government"]
    with pytest.raises(NotFoundError):
        register.records.get(company_editor, PROJECTS, project)
    with pytest.raises(NotFoundError):
        register.records.update(company_editor, PROJECTS, project, PROJECTS.update(title="x"), 1)
    public = world.records["projects"]["meti-public"]
    with pytest.raises(PermissionDeniedError):
        register.records.update(company_editor, PROJECTS, public, PROJECTS.update(title="x"), 1)


def test_update_bumps_version_and_stale_version_conflicts(register, world):
    editor = as_account(register, "meti-editor")
    project_id = world.records["projects"]["meti-public"]
    updated = register.records.update(editor, PROJECTS, project_id, PROJECTS.update(status="completed"), 1)
    assert (updated.version, updated.status.value, updated.title) == (2, "completed", "Sample public project of meti")
    with pytest.raises(ConflictError):
        register.records.update(editor, PROJECTS, project_id, PROJECTS.update(status="active"), 1)
    with pytest.raises(ConflictError):
        register.records.delete(editor, PROJECTS, project_id, 1)


@sqlite_only
def test_patch_is_validated_against_the_whole_record(register, world):
    editor = as_account(register, "meti-editor")
    project_id = world.records["projects"]["meti-public"]  # starts 2025-04-01
    with pytest.raises(ValidationError, match="end_date"):
        register.records.update(editor, PROJECTS, project_id, PROJECTS.update(end_date=date(2024, 1, 1)), 1)
    with pytest.raises(ValidationError, match="title"):
        register.records.update(editor, PROJECTS, project_id, PROJECTS.update(title=None), 1)


def test_delete_refuses_referenced_record_then_succeeds(register, world):
    editor = as_account(register, "meti-editor")
    project_id = world.records["projects"]["meti-private"]
    with pytest.raises(ValidationError, match="referenced"):
        register.records.delete(editor, PROJECTS, project_id, 1)
    register.records.delete(editor, BY_NAME["contacts"], world.records["contacts"]["meti-private"], 1)
    register.records.delete(editor, MILESTONES, world.records["milestones"]["meti-private"], 1)
    register.records.delete(editor, PROJECTS, project_id, 1)
    with pytest.raises(NotFoundError):
        register.records.get(editor, PROJECTS, project_id)


def test_list_filters_sorts_and_pages(register, world):
    admin = as_account(register, "admin")
    query = PROJECTS.query(sort="-title", limit=3, offset=0, owner_org_id=world.organisations["meti"])
    items, total = register.records.list(admin, PROJECTS, query)
    assert total == 4
    assert [p.title for p in items] == [
        "Sample shared project of meti", "Sample public project of meti", "Sample private project of meti"
    ]  # fmt: skip
    rest, _ = register.records.list(admin, PROJECTS, PROJECTS.query(sort="-title", limit=3, offset=3,
                                                                      owner_org_id=world.organisations["meti"]))  # fmt: skip
    assert [p.title for p in rest] == ["Sample government project of meti"]
    assert register.records.list(admin, PROJECTS, PROJECTS.query(node_id="rare-earths"))[1] == 8
    assert register.records.list(admin, PROJECTS, PROJECTS.query(node_id="rare-earth"))[1] == 0  # whole ids only
    by_partner = register.records.list(admin, PROJECTS, PROJECTS.query(partner_id=world.organisations["cii"]))
    assert by_partner[1] == 8
    searched = register.records.list(admin, PROJECTS, PROJECTS.query(q="GOVERNMENT PROJECT"))
    assert searched[1] == 2
    with pytest.raises(ValidationError, match="sortable"):
        register.records.list(admin, PROJECTS, PROJECTS.query(sort="summary"))


@sqlite_only
def test_search_wildcards_are_literal(register, world):
    admin = as_account(register, "admin")
    assert register.records.list(admin, PROJECTS, PROJECTS.query(q="%"))[1] == 0
    assert register.records.list(admin, PROJECTS, PROJECTS.query(q="_"))[1] == 0


def test_two_concurrent_writers_never_lose_an_update(register, world):
    """Both writers read version 1 and write; exactly one wins, the other gets a conflict."""
    editor = as_account(register, "meti-editor")
    project_id = world.records["projects"]["meti-public"]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(title: str) -> None:
        barrier.wait()
        try:
            register.records.update(editor, PROJECTS, project_id, PROJECTS.update(title=title), 1)
            outcomes.append(title)
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(title,)) for title in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert min(outcomes) == "conflict" and len(outcomes) == 2
    winner = next(o for o in outcomes if o != "conflict")
    final = register.records.get(editor, PROJECTS, project_id)
    assert (final.title, final.version) == (winner, 2)


def test_many_concurrent_increments_are_all_kept(register, world):
    """Writers that retry on conflict apply every change exactly once (no lost update)."""
    editor = as_account(register, "meti-editor")
    project_id = world.records["projects"]["meti-public"]
    workers, per_worker = 4, 5

    def work() -> None:
        for _ in range(per_worker):
            while True:
                current = register.records.get(editor, PROJECTS, project_id)
                summary = str(int(current.summary or "0") + 1)
                try:
                    register.records.update(editor, PROJECTS, project_id, PROJECTS.update(summary=summary), current.version)
                    break
                except ConflictError:
                    continue

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = register.records.get(editor, PROJECTS, project_id)
    assert final.summary == str(workers * per_worker)
    assert final.version == 1 + workers * per_worker


@sqlite_only
def test_every_change_is_audited_with_before_and_after(register, world):
    editor = as_account(register, "meti-editor")
    admin = as_account(register, "admin")
    project_id = world.records["projects"]["meti-public"]
    register.records.update(editor, PROJECTS, project_id, PROJECTS.update(status="suspended"), 1)
    entries, _ = register.audit.entries(admin, entity="projects", entity_id=project_id)
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].actor == "meti-editor"
    assert entries[1].before["status"] == "active" and entries[1].after["status"] == "suspended"
    assert entries[1].after["version"] == 2
    with pytest.raises(PermissionDeniedError):
        register.audit.entries(editor)


@sqlite_only
def test_children_inherit_their_parents_tier_unless_given(register, world):
    editor = as_account(register, "meti-editor")
    project = world.records["projects"]["meti-shared"]  # shared with the company
    inherited = register.records.create(
        editor, MILESTONES, MILESTONES.create(project_id=project, title="Pilot line", due_date=date(2026, 9, 30))
    )
    assert (inherited.tier.value, inherited.shared_with) == ("shared", [world.organisations["company"]])
    explicit = register.records.create(
        editor, MILESTONES,
        MILESTONES.create(project_id=project, title="Public note", due_date=date(2026, 9, 30), tier="public"),
    )  # fmt: skip
    assert (explicit.tier.value, explicit.shared_with) == ("public", [])
    orphan = register.records.create(editor, PROJECTS, new_project())
    assert (orphan.tier.value, orphan.shared_with) == ("shared", [])
