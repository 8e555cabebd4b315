"""Register pages: login, the follow-up home (overdue by Point of Contact, due this week), first-run set-up."""

from __future__ import annotations

import re
from datetime import date, timedelta

from setu.register.catalog import BY_NAME
from setu.register.fields import Role
from setu.register.visibility import Principal

from .conftest import post_form


def test_register_needs_login_and_returns_after_it(fresh_site):
    client = fresh_site.client
    response = client.get("/register/projects", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/register/projects"
    wrong = post_form(client, "/login", {"username": "meti-editor", "password": "nope", "next": "/register"})
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    fresh_site.login("meti-editor")
    page = client.get("/register")
    assert "Signed in as <strong>meti-editor</strong>" in page.text and "<h1>Follow-up</h1>" in page.text


def test_login_never_redirects_off_site(fresh_site):
    from setu.register.sample import SAMPLE_PASSWORD

    response = post_form(fresh_site.client, "/login", {"username": "meti-editor", "password": SAMPLE_PASSWORD,
                                                       "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/register"


OPERATOR = Principal(account_id="cli", username="cli", role=Role.ADMIN, organisation_id=None, government=True)


def _add(site, noun, **values):
    return site.register.records.create(OPERATOR, BY_NAME[noun], BY_NAME[noun].create(**values))


def test_home_lists_overdue_by_point_of_contact_and_what_falls_due_this_week(fresh_site):
    sample = fresh_site.sample
    meti = sample.organisations["meti"]
    project = sample.records["projects"]["meti-public"]
    today = date.today()
    _add(fresh_site, "milestones", project_id=project, title="Sign the offtake memorandum",
         due_date=today - timedelta(days=10), owner_org_id=meti, tier="public")
    _add(fresh_site, "milestones", project_id=project, title="Pilot line starts", due_date=today + timedelta(days=3),
         owner_org_id=meti, tier="public")
    _add(fresh_site, "milestones", project_id=project, title="Next year's review", due_date=today + timedelta(days=8),
         owner_org_id=meti, tier="public")
    fresh_site.login("meti-editor")
    page = fresh_site.client.get("/register").text
    week = page[page.index('id="due-week"'):page.index('id="overdue"')]
    assert "Pilot line starts" in week and "Next year's review" not in week  # 8 days is after this week
    row = week[week.index("Pilot line starts"):].split("</tr>")[0]
    assert f"<td>{(today + timedelta(days=3)).isoformat()}</td>" in row and row.endswith("<td>3</td>")
    overdue = page[page.index('id="overdue"'):]
    group = overdue[overdue.index("Sample PoC of meti"):]
    row = group[group.index("Sign the offtake memorandum"):].split("</tr>")[0]
    assert f"<td>{(today - timedelta(days=10)).isoformat()}</td><td>10</td>" in row
    assert "Sample public project of meti" in row  # the project by name, linked
    assert not re.search(r">[0-9a-f]{8}-[0-9a-f]{4}-", page)  # no record id shown as text
    assert fresh_site.client.get("/register/overdue", follow_redirects=False).headers["location"] == "/register"


def test_first_run_leads_a_fresh_admin_through_both_sides(fresh_site, tmp_path):
    from datetime import UTC, datetime

    from fastapi.testclient import TestClient

    from setu.app import create_app
    from setu.register.service import RegisterService
    from setu.settings import Settings
    from setu.store.register.database import RegisterDatabase

    from .conftest import FAST_HASHER

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url, hasher=FAST_HASHER, clock=lambda: datetime.now(UTC))
    register.accounts.create_admin("root", "a long admin password")
    app = create_app(Settings(data_dir=tmp_path, database_url=url), register=register)
    client = TestClient(app)  # no lifespan: the warm-up of the analytics pages is not needed here
    post_form(client, "/login", {"username": "root", "password": "a long admin password", "next": "/register"})
    assert client.get("/register", follow_redirects=False).headers["location"] == "/register/setup"
    setup = client.get("/register/setup").text
    assert setup.count("to do") == 4 and "/register/organisations/new?country=JPN&amp;next=/register/setup" in setup
    form = client.get("/register/organisations/new?country=JPN&next=/register/setup").text
    assert 'name="country" type="text" value="JPN"' in form
    created = post_form(client, "/register/organisations", {"name": "Ministry of Economy, Trade and Industry",
                        "kind": "ministry", "country": "JPN", "website": "", "next": "/register/setup"},
                        follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/register/setup"
    setup = client.get("/register/setup").text
    assert re.search(r'id="side-JPN" class="done"', setup) and re.search(r'id="side-IND" class="todo"', setup)
    org = register.records.list(register.accounts.principal(client.cookies["setu_session"]),
                                BY_NAME["organisations"], BY_NAME["organisations"].query())[0][0]
    account = post_form(client, "/register/accounts", {"username": "meti-editor", "password": "short",
                                                       "role": "editor", "organisation_id": org.id})
    assert account.status_code == 422 and "at least 12 characters" in account.text
    assert f'<option value="{org.id}" selected>' in account.text and '<option value="editor" selected>' in account.text
    account = post_form(client, "/register/accounts", {"username": "meti-editor", "password": "long enough pass",
                                                       "role": "editor", "organisation_id": org.id,
                                                       "next": "/register/setup"}, follow_redirects=False)
    assert account.headers["location"] == "/register/setup"
    assert re.search(r'id="accounts" class="done"', client.get("/register/setup").text)
    register.close()


def _account_id(site, username):
    return next(a.id for a in site.register.accounts.list(OPERATOR) if a.username == username)


def test_an_admin_changes_an_account_in_a_page_and_a_failed_form_keeps_its_input(fresh_site):
    client = fresh_site.client
    fresh_site.login("admin")
    target = _account_id(fresh_site, "meti-editor")
    assert f'href="/register/accounts/{target}/edit"' in client.get("/register/accounts").text
    form = client.get(f"/register/accounts/{target}/edit").text
    assert '<option value="editor" selected>' in form and '<option value="yes" selected>' in form
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    short = post_form(client, f"/register/accounts/{target}", {"version": version, "password": "short",
                                                               "role": "viewer", "active": "yes"})
    assert short.status_code == 422 and "at least 12 characters" in short.text
    assert '<option value="viewer" selected>' in short.text and 'value="short"' not in short.text  # kept; never sent back
    assert fresh_site.register.accounts.get(OPERATOR, target).role == Role.EDITOR  # nothing written
    done = post_form(client, f"/register/accounts/{target}", {"version": version, "password": "",
                                                              "role": "viewer", "active": "no"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/register/accounts"
    changed = fresh_site.register.accounts.get(OPERATOR, target)
    assert changed.role == Role.VIEWER and changed.active is False and changed.version == int(version) + 1
    stale = post_form(client, f"/register/accounts/{target}", {"version": version, "password": "", "role": "editor",
                                                               "active": "yes"})
    assert stale.status_code == 409 and "nothing was changed" in stale.text
    assert '<option value="editor" selected>' in stale.text  # what was typed is kept
    assert fresh_site.register.accounts.get(OPERATOR, target).role == Role.VIEWER


def test_a_person_changes_their_own_password_and_nobody_elses_account(fresh_site):
    from setu.register.accounts import Credentials

    client = fresh_site.client
    fresh_site.login("meti-editor")
    own = _account_id(fresh_site, "meti-editor")
    assert client.get("/register/account", follow_redirects=False).headers["location"] == f"/register/accounts/{own}/edit"
    form = client.get(f"/register/accounts/{own}/edit").text
    assert 'name="password"' in form and 'name="role"' not in form  # the password only
    other = _account_id(fresh_site, "admin")
    assert client.get(f"/register/accounts/{other}/edit").status_code == 403
    refused = post_form(client, f"/register/accounts/{other}", {"version": "1", "password": "a new long password"})
    assert refused.status_code == 403
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    sneaky = post_form(client, f"/register/accounts/{own}", {"version": version, "password": "a new long password",
                                                             "role": "admin"}, follow_redirects=False)
    assert sneaky.status_code == 303  # the role field is not on the form: not read
    assert fresh_site.register.accounts.get(OPERATOR, own).role == Role.EDITOR
    assert fresh_site.register.accounts.login(Credentials(username="meti-editor", password="a new long password"))
