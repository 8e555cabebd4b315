"""The generic record pages: every kind's list, detail, create, edit and archive, with the API's rules."""

from __future__ import annotations

import re

import pytest

from setu.register.catalog import BY_NAME, NOUNS
from setu.register.fields import Role
from setu.register.visibility import Principal

from .conftest import csrf_token, post_form

OPERATOR = Principal(account_id="cli", username="cli", role=Role.ADMIN, organisation_id=None, government=True)
KINDS = [noun.name.replace("_", "-") for noun in NOUNS]
UUID_TEXT = re.compile(r">[^<]*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[^<]*<")


def count(site, noun: str) -> int:
    return site.register.records.list(OPERATOR, BY_NAME[noun], BY_NAME[noun].query(limit=1))[1]


def audit_total(site) -> int:
    return site.register.audit.entries(OPERATOR, limit=1)[1]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_list_detail_new_and_edit_pages_with_names_not_ids(site, kind):
    site.login("admin")
    listing = site.client.get(f"/register/{kind}")
    assert listing.status_code == 200 and f'href="/register/{kind}/new"' in listing.text
    ids = re.findall(rf'href="/register/{kind}/([0-9a-f-]{{36}})"', listing.text)
    assert ids, f"no {kind} listed"
    assert not UUID_TEXT.search(listing.text.split("<main", 1)[1]), "a record id is shown as text"
    detail = site.client.get(f"/register/{kind}/{ids[0]}")
    assert detail.status_code == 200 and f'href="/register/{kind}/{ids[0]}/edit"' in detail.text
    assert not UUID_TEXT.search(detail.text.split("<main", 1)[1].split('class="twin"')[0])
    assert "History" in detail.text  # admins see the audit trail of the record
    for page in (f"/register/{kind}/new", f"/register/{kind}/{ids[0]}/edit", f"/register/{kind}/{ids[0]}/archive"):
        assert site.client.get(page).status_code == 200, page
    site.logout()


FULL_PROJECT = {"title": "Gallium recycling pilot", "sector": "critical-minerals", "status": "active",
                "summary": "Recover gallium from wafer scrap.", "start_date": "2026-04-01", "end_date": "2027-03-31",
                "funding_usd": "250000", "funding_source": "METI budget 2026, item 4",
                "links": "galium = refining concentration\nrare-earths", "infrastructure_ref": "",
                "tier": "government"}


def test_a_failed_form_keeps_every_field_shows_each_error_beside_it_and_writes_nothing(fresh_site):
    fresh_site.login("meti-editor")
    cii = fresh_site.sample.organisations["cii"]
    company = fresh_site.sample.organisations["company"]
    before, audited = count(fresh_site, "projects"), audit_total(fresh_site)
    form = {**FULL_PROJECT, "partner_ids": [cii], "shared_with": [company]}
    response = post_form(fresh_site.client, "/register/projects", form)
    assert response.status_code == 422 and 'role="alert"' in response.text
    html = response.text
    links_field = html[html.index('id="f-links"'):]
    assert re.search(r"no supply-chain node or material &#39;galium&#39; \(closest: gallium", links_field)
    assert "galium = refining concentration\nrare-earths</textarea>" in html
    for name in ("title", "funding_source", "start_date", "end_date", "funding_usd"):
        assert f'name="{name}" type=' in html and f'value="{FULL_PROJECT[name]}"' in html, name
    assert "Recover gallium from wafer scrap.</textarea>" in html
    for name in ("sector", "status", "tier"):
        select = html[html.index(f'id="f-{name}"'):].split("</select>")[0]
        assert f'<option value="{FULL_PROJECT[name]}" selected>' in select, name
        assert select.count(" selected") == 1, name
    for name, chosen in (("partner_ids", cii), ("shared_with", company)):
        select = html[html.index(f'id="f-{name}"'):].split("</select>")[0]
        assert f'<option value="{chosen}" selected>' in select and select.count(" selected") == 1
    assert (count(fresh_site, "projects"), audit_total(fresh_site)) == (before, audited)  # nothing written
    fixed = post_form(fresh_site.client, "/register/projects", {**form, "links": "gallium = refining concentration"},
                      follow_redirects=False)
    assert fixed.status_code == 303 and count(fresh_site, "projects") == before + 1
    page = fresh_site.client.get(fixed.headers["location"]).text
    assert '<a href="/materials/gallium">gallium (refining concentration)</a>' in page
    assert "Confederation of Indian Industry (IND)" in page and "government" in page


def test_a_tier_is_never_defaulted(fresh_site):
    fresh_site.login("meti-editor")
    before = count(fresh_site, "dialogues")
    response = post_form(fresh_site.client, "/register/dialogues", {"kind": "gtog", "title": "No tier chosen"})
    assert response.status_code == 422
    tier = response.text[response.text.index('id="f-tier"'):].split("</select>")[0]
    assert '<option value="" selected>Choose…</option>' in tier and tier.count(" selected") == 1
    assert "choose a visibility tier" in response.text and count(fresh_site, "dialogues") == before
    new = fresh_site.client.get("/register/dialogues/new").text
    assert new[new.index('id="f-tier"'):].split("</select>")[0].count(" selected") == 1  # the "Choose…" only


def test_a_viewer_is_offered_no_change_and_refused_one(fresh_site):
    fresh_site.login("meti-viewer")
    client = fresh_site.client
    project = fresh_site.sample.records["projects"]["meti-public"]
    assert "/register/projects/new" not in client.get("/register/projects").text
    detail = client.get(f"/register/projects/{project}").text
    assert f"/register/projects/{project}/edit" not in detail and "/archive" not in detail
    assert "Add milestone" not in detail
    assert client.get("/register/projects/new").status_code == 403
    assert client.get(f"/register/projects/{project}/edit").status_code == 403
    before = count(fresh_site, "projects")
    refused = post_form(client, "/register/projects", {**FULL_PROJECT, "links": "gallium"})
    assert refused.status_code == 422 and "viewer" in refused.text and count(fresh_site, "projects") == before


def test_an_editor_changes_only_what_their_organisation_owns(fresh_site):
    fresh_site.login("keidanren-editor")
    client = fresh_site.client
    theirs = fresh_site.sample.records["projects"]["meti-public"]
    mine = fresh_site.sample.records["projects"]["keidanren-public"]
    assert f"/register/projects/{theirs}/edit" not in client.get(f"/register/projects/{theirs}").text
    assert client.get(f"/register/projects/{theirs}/edit").status_code == 403
    forged = post_form(client, f"/register/projects/{theirs}", {**FULL_PROJECT, "links": "", "version": "1"})
    assert forged.status_code == 422 and "may not change" in forged.text
    assert "Owner organisation" not in client.get("/register/projects/new").text  # editors own what they create
    edit = client.get(f"/register/projects/{mine}/edit").text
    assert 'name="version" value="1"' in edit and "Sample public project of keidanren" in edit
    saved = post_form(client, f"/register/projects/{mine}", {**FULL_PROJECT, "links": "gallium", "tier": "public",
                                                             "version": "1"}, follow_redirects=False)
    assert saved.status_code == 303
    stale = post_form(client, f"/register/projects/{mine}", {**FULL_PROJECT, "title": "A stale edit",
                                                             "links": "gallium", "tier": "public", "version": "1"})
    assert stale.status_code == 422 and "is at version 2, not 1" in stale.text
    assert 'value="A stale edit"' in stale.text  # the edit is kept for the user to reapply
    record = fresh_site.register.records.get(OPERATOR, BY_NAME["projects"], mine)
    assert (record.version, record.title, record.updated_by) == (2, FULL_PROJECT["title"], "keidanren-editor")


def test_linked_records_show_names_and_offer_to_add_children(site):
    site.login("meti-editor")
    dialogue = site.sample.records["dialogues"]["meti-dialogue"]
    page = site.client.get(f"/register/dialogues/{dialogue}").text
    assert "Sample dialogue of meti: meeting of 2026-01-20, New Delhi" in page
    assert f"/register/meetings/new?dialogue_id={dialogue}&amp;next=/register/dialogues/{dialogue}" in page
    contacts = site.client.get("/register/contacts").text
    assert "Sample PoC of meti: Point of Contact of Sample public project of meti" in contacts
    new_meeting = site.client.get(f"/register/meetings/new?dialogue_id={dialogue}").text
    select = new_meeting[new_meeting.index('id="f-dialogue_id"'):].split("</select>")[0]
    assert f'<option value="{dialogue}" selected>Sample dialogue of meti</option>' in select
    site.logout()


def test_archive_removes_the_record_keeps_its_audit_and_refuses_while_referenced(fresh_site):
    fresh_site.login("meti-editor")
    client = fresh_site.client
    milestone = fresh_site.sample.records["milestones"]["meti-public"]
    project = fresh_site.sample.records["projects"]["meti-public"]
    referenced = post_form(client, f"/register/projects/{project}/archive", {"version": "1"})
    assert referenced.status_code == 422 and "still referenced" in referenced.text
    gone = post_form(client, f"/register/milestones/{milestone}/archive", {"version": "1"}, follow_redirects=False)
    assert gone.status_code == 303
    assert client.get(f"/register/milestones/{milestone}").status_code == 404
    entries, _ = fresh_site.register.audit.entries(OPERATOR, entity="milestones", entity_id=milestone)
    assert [e.action for e in entries] == ["create", "delete"] and entries[-1].before["title"]


def test_unknown_kind_is_a_404_naming_the_closest(site):
    site.login("admin")
    response = site.client.get("/register/projcts")
    assert response.status_code == 404 and "projects" in response.text
    assert csrf_token(site.client)
    site.logout()


@pytest.mark.parametrize("path", ["/register", "/register/setup", "/register/accounts/new", "/register/projects",
                                  "/register/projects/new", "/register/action-items/new", "/register/contacts/new"])
def test_register_pages_are_accessible(site, path):
    site.login("admin")
    html = site.client.get(path).text
    assert html.count("<h1>") == 1 and '<main id="main"' in html
    for control in re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html):
        assert f'for="{control}"' in html, f"{path}: control {control} has no label"
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        assert all(f'id="{part}"' in html for part in described.split()), described
    assert "plotly.min.js" not in html  # no chart on these pages: no 1.5 MB script to parse
    site.logout()


def test_an_admin_of_no_organisation_must_choose_the_owner(fresh_site):
    fresh_site.login("admin")
    form = fresh_site.client.get("/register/dialogues/new").text
    assert '<label for="f-owner_org_id">Owner organisation (required)</label>' in form
    response = post_form(fresh_site.client, "/register/dialogues", {"kind": "gtog", "title": "Owned by nobody",
                                                                   "tier": "public"})
    assert response.status_code == 422
    owner = response.text[response.text.index('id="f-owner_org_id"'):].split("</div>")[0]
    assert '<p id="e-owner_org_id" class="error field-error">choose an owner organisation</p>' in owner


def test_every_unknown_node_is_named_beside_the_links_field(fresh_site):
    fresh_site.login("meti-editor")
    response = post_form(fresh_site.client, "/register/projects",
                         {**FULL_PROJECT, "links": "galium\nrare-erths\ngermanium"})
    error = response.text[response.text.index('id="e-links"'):].split("</p>")[0]
    assert "&#39;galium&#39; (closest: gallium" in error and "&#39;rare-erths&#39; (closest: rare-earths" in error
    assert "&#39;germanium&#39;" not in error  # a material of the reference tables


def test_a_project_links_the_dialogues_and_action_items_of_its_points_of_contact(fresh_site):
    sample = fresh_site.sample
    person, dialogue = sample.records["people"]["meti-poc"], sample.records["dialogues"]["meti-dialogue"]
    fresh_site.register.records.create(OPERATOR, BY_NAME["contacts"], BY_NAME["contacts"].create(
        person_id=person, dialogue_id=dialogue, owner_org_id=sample.organisations["meti"], tier="public"))
    fresh_site.login("meti-editor")
    page = fresh_site.client.get(f"/register/projects/{sample.records['projects']['meti-public']}").text
    dialogues = page[page.index("Dialogues of its Points of Contact"):].split("</section>")[0]
    assert f'<a href="/register/dialogues/{dialogue}">Sample dialogue of meti</a>' in dialogues
    actions = page[page.index("Action items owned by its Points of Contact"):].split("</section>")[0]
    # the sample's PoC of meti owns its four action items (one per tier); an editor of meti reads all four
    assert sorted(re.findall(r">(Action on meti-[a-z]+)<", actions)) == [
        "Action on meti-government", "Action on meti-private", "Action on meti-public", "Action on meti-shared"]
    fresh_site.logout()
    fresh_site.login("company-viewer")  # reads the public and the shared-with-it items only
    page = fresh_site.client.get(f"/register/projects/{sample.records['projects']['meti-public']}").text
    actions = page[page.index("Action items owned by its Points of Contact"):].split("</section>")[0]
    assert sorted(re.findall(r">(Action on meti-[a-z]+)<", actions)) == ["Action on meti-public", "Action on meti-shared"]
