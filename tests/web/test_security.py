"""Security headers on every response, CSRF refusal on every page form, and no inline script or style."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from setu.register.sample import SAMPLE_PASSWORD
from setu.web.security import multipart_token
from .conftest import csrf_token

TEMPLATES = resources.files("setu.web") / "templates"


@pytest.mark.parametrize("path", ["/login", "/materials", "/api/health", "/static/app.js", "/register"])
def test_every_response_carries_the_security_headers(site, path):
    headers = site.client.get(path, follow_redirects=False).headers
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["form-action"] == "'self'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin" and headers["x-frame-options"] == "DENY"


def _projects(site) -> int:
    principal = site.register.accounts.principal(
        site.register.accounts.login(_credentials("admin")).access_token)
    from setu.register.catalog import BY_NAME

    return site.register.records.list(principal, BY_NAME["projects"], BY_NAME["projects"].query(limit=1))[1]


def _credentials(username):
    from setu.register.accounts import Credentials

    return Credentials(username=username, password=SAMPLE_PASSWORD)


def test_login_without_the_form_token_is_refused_and_signs_nobody_in(fresh_site):
    client = fresh_site.client
    response = client.post("/login", data={"username": "meti-editor", "password": SAMPLE_PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 403 and "security token" in response.text
    assert "setu_session" not in client.cookies
    csrf_token(client)
    wrong = client.post("/login", data={"username": "meti-editor", "password": SAMPLE_PASSWORD,
                                        "csrf_token": "x" * 43}, follow_redirects=False)
    assert wrong.status_code == 403 and "setu_session" not in client.cookies


def test_a_cross_site_post_with_the_session_cookie_is_refused_and_writes_nothing(fresh_site):
    fresh_site.login("meti-editor")
    before = _projects(fresh_site)
    form = {"title": "Forged project", "sector": "ict", "status": "active", "tier": "public",
            "csrf_token": csrf_token(fresh_site.client)}
    forged = fresh_site.client.post("/register/projects", data=form, headers={"Origin": "https://evil.example"},
                                    follow_redirects=False)
    assert forged.status_code == 403 and "another site" in forged.text
    opaque = fresh_site.client.post("/register/projects", data=form, headers={"Origin": "null"},
                                    follow_redirects=False)
    assert opaque.status_code == 403
    by_referer = fresh_site.client.post("/register/projects", data=form,
                                        headers={"Referer": "https://evil.example/page"}, follow_redirects=False)
    assert by_referer.status_code == 403
    no_token = fresh_site.client.post("/register/projects", data={k: v for k, v in form.items() if k != "csrf_token"},
                                      headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert no_token.status_code == 403
    assert _projects(fresh_site) == before
    same_site = fresh_site.client.post("/register/projects", data=form, headers={"Origin": "http://testserver"},
                                       follow_redirects=False)
    assert same_site.status_code == 303 and _projects(fresh_site) == before + 1


def test_logout_needs_the_token_too(fresh_site):
    fresh_site.login("meti-viewer")
    assert fresh_site.client.post("/logout", follow_redirects=False).status_code == 403
    assert fresh_site.client.get("/register", follow_redirects=False).status_code == 200  # still signed in
    fresh_site.logout()
    assert fresh_site.client.get("/register", follow_redirects=False).status_code == 303


def test_the_api_keeps_bearer_tokens_and_needs_no_form_token(site):
    token = site.client.post("/api/auth/token", data={"username": "meti-editor", "password": SAMPLE_PASSWORD})
    if token.status_code == 422:  # the token endpoint may take JSON
        token = site.client.post("/api/auth/token", json={"username": "meti-editor", "password": SAMPLE_PASSWORD})
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}", "Origin": "https://elsewhere.example"}
    created = site.client.post("/api/dialogues", json={"kind": "gtog", "title": "Through the API", "tier": "public"},
                               headers=headers)
    assert created.status_code == 201, created.text


@pytest.mark.parametrize("path", ["/login", "/register/projects/new", "/register/accounts/new", "/scenarios"])
def test_every_post_form_carries_the_token(site, path):
    site.login("admin")
    html = site.client.get(path).text
    forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
    assert forms
    token = site.client.cookies["setu_csrf"]
    for form in forms:
        assert f'name="csrf_token" value="{token}"' in form


def test_no_template_has_inline_script_style_or_event_handler():
    for template in TEMPLATES.iterdir():
        text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)  # not Jinja comments
        assert not re.search(r"\sstyle=", text), template.name
        assert "<style" not in text, template.name
        assert not re.search(r"\son[a-z]+=", text), template.name
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)


def test_the_token_of_an_upload_form_is_its_own_field_never_a_file_of_that_name() -> None:
    def body(*parts: str) -> bytes:
        return ("".join(f"--XyZ\r\n{part}\r\n" for part in parts) + "--XyZ--\r\n").encode()

    field = 'Content-Disposition: form-data; name="csrf_token"\r\n\r\nabc123'
    upload = 'Content-Disposition: form-data; name="csrf_token"; filename="t.txt"\r\n\r\nforged'
    assert multipart_token(body(upload, field), b"multipart/form-data; boundary=XyZ") == "abc123"
    assert multipart_token(body(upload), b'multipart/form-data; boundary="XyZ"') == ""
    assert multipart_token(body(field), b"multipart/form-data") == ""
