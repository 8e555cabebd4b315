"""Register pages: login, tiers through the register service, creating a project, the overdue view."""

from __future__ import annotations

from datetime import date, timedelta


def test_register_needs_login_and_returns_after_it(fresh_site):
    client = fresh_site.client
    response = client.get("/register/overdue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/register/overdue"
    wrong = client.post("/login", data={"username": "meti-editor", "password": "nope", "next": "/register"})
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    fresh_site.login("meti-editor")
    page = client.get("/register")
    assert "Signed in as <strong>meti-editor</strong>" in page.text


def test_login_never_redirects_off_site(fresh_site):
    from setu.register.sample import SAMPLE_PASSWORD

    response = fresh_site.client.post("/login", data={"username": "meti-editor", "password": SAMPLE_PASSWORD,
                                                      "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/register"


def test_projects_page_respects_tiers(fresh_site):
    fresh_site.login("company-viewer")
    page = fresh_site.client.get("/register").text
    assert "Sample shared project of meti" in page  # shared with the company by name
    assert "Sample government project of meti" not in page
    assert "Sample private project of meti" not in page  # shared tier, but not with this company
    fresh_site.logout()
    fresh_site.login("meity-viewer")  # a ministry: sees the government tier
    assert "Sample government project of meti" in fresh_site.client.get("/register").text


def test_create_project_with_overdue_milestone_shows_in_overdue_view(fresh_site):
    fresh_site.login("meti-editor")
    person = fresh_site.sample.records["people"]["meti-poc"]
    due = date.today() - timedelta(days=10)
    response = fresh_site.client.post("/register/projects", data={
        "title": "Gallium recycling pilot", "sector": "critical-minerals", "status": "active", "tier": "shared",
        "summary": "", "nodes": "gallium", "milestone": "Feasibility study", "due_date": due.isoformat(),
        "person_id": person}, follow_redirects=True)
    assert response.status_code == 200 and "Gallium recycling pilot" in response.text
    overdue = fresh_site.client.get("/register/overdue").text
    assert "Feasibility study" in overdue and "Gallium recycling pilot" in overdue
    row = overdue[overdue.index("Feasibility study"):].split("</tr>")[0]
    assert f"<td>{due.isoformat()}</td><td>10</td>" in row
    assert "Gallium recycling pilot" in fresh_site.client.get("/materials/gallium").text
    api = fresh_site.client.get("/api/views/materials/gallium")  # twin has no register data
    assert api.status_code == 200


def test_viewer_cannot_create_and_sees_why(fresh_site):
    fresh_site.login("meti-viewer")
    response = fresh_site.client.post("/register/projects", data={"title": "Not allowed", "sector": "ict"})
    assert response.status_code == 422 and 'role="alert"' in response.text
    assert "Not allowed</td>" not in response.text


def test_register_lists(fresh_site):
    fresh_site.login("meti-editor")
    client = fresh_site.client
    assert "Sample PoC of meti" in client.get("/register/contacts").text
    assert "Sample dialogue of meti" in client.get("/register/dialogues").text
    assert "Action on meti-government" in client.get("/register/action-items").text
    assert client.get("/register/nothing").status_code == 404
