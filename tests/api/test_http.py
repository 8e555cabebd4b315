"""HTTP behaviour: ETag/If-Match, paging, input limits, OpenAPI, and no secrets in logs."""

from __future__ import annotations

import logging

from setu.api.redaction import redact
from setu.register.sample import SAMPLE_PASSWORD


def test_etag_and_if_match(api):
    project = api.sample.records["projects"]["meti-public"]
    response = api.get("meti-editor", f"/api/projects/{project}")
    assert response.headers["ETag"] == '"1"'
    url = f"/api/projects/{project}"
    missing = api.client.patch(url, json={"status": "completed"}, headers=api.headers("meti-editor"))
    assert missing.status_code == 428
    bad = api.client.patch(url, json={"status": "completed"}, headers=api.headers("meti-editor", **{"If-Match": "x"}))
    assert bad.status_code == 422


def test_two_writers_with_the_same_etag_one_gets_412(api):
    """Both writers read version 1; the first PATCH wins, the second is refused instead of overwriting."""
    url = f"/api/projects/{api.sample.records['projects']['keidanren-shared']}"
    etag = api.get("keidanren-editor", url).headers["ETag"]
    first = api.client.patch(url, json={"title": "Writer one"}, headers=api.headers("keidanren-editor", **{"If-Match": etag}))
    second = api.client.patch(url, json={"summary": "Writer two"}, headers=api.headers("admin", **{"If-Match": etag}))
    assert (first.status_code, second.status_code) == (200, 412)
    current = api.get("admin", url)
    assert current.json()["title"] == "Writer one" and current.json()["summary"] == ""
    retry = api.client.patch(url, json={"summary": "Writer two"},
                             headers=api.headers("admin", **{"If-Match": current.headers["ETag"]}))  # fmt: skip
    assert retry.status_code == 200 and retry.json()["title"] == "Writer one" and retry.headers["ETag"] == '"3"'


def test_paging_sorting_filtering(api):
    page = api.get("admin", "/api/milestones", params={"limit": 3, "offset": 6, "sort": "title"}).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (8, 3, 6, 2)
    titles = [m["title"] for m in api.get("admin", "/api/milestones", params={"sort": "title"}).json()["items"]]
    assert titles == sorted(titles)
    assert api.get("admin", "/api/projects", params={"sector": "ict"}).json()["total"] == 0
    assert api.get("admin", "/api/projects", params={"tier": "government"}).json()["total"] == 2
    assert api.get("admin", "/api/projects", params={"colour": "red"}).status_code == 422
    assert api.get("admin", "/api/projects", params={"sort": "password"}).status_code == 422
    assert api.get("admin", "/api/projects", params={"limit": 1000}).status_code == 422


def test_input_limits(api):
    headers = api.headers("meti-editor")
    too_long = api.client.post("/api/projects", json={"title": "x" * 301, "sector": "ict"}, headers=headers)
    assert too_long.status_code == 422
    unknown = api.client.post("/api/projects", json={"title": "x", "sector": "ict", "colour": "red"}, headers=headers)
    assert unknown.status_code == 422
    bad_node = api.client.post("/api/projects", json={"title": "x", "sector": "ict", "links": [{"node_id": "a|b"}]},
                               headers=headers)  # fmt: skip
    assert bad_node.status_code == 422
    huge = api.client.post("/api/projects", content=b"{" + b" " * (2 << 20) + b"}",
                           headers={**headers, "Content-Type": "application/json"})  # fmt: skip
    assert huge.status_code == 413
    control = api.client.post("/api/projects", json={"title": "bell\x07", "sector": "ict"}, headers=headers)
    assert control.status_code == 422


def test_openapi_is_published(api):
    spec = api.client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/projects", "/api/projects/{record_id}", "/api/action-items", "/api/followup/overdue",
                 "/api/auth/token", "/api/export"):  # fmt: skip
        assert path in spec["paths"]
    assert "If-Match" in str(spec["paths"]["/api/projects/{record_id}"]["patch"]["parameters"])
    assert "<table>" in api.client.get("/api/docs").text


def test_no_secrets_in_logs(api, caplog):
    caplog.set_level(logging.DEBUG)
    token = api.token("meti-viewer")
    api.client.post("/api/auth/token", json={"username": "meti-viewer", "password": "wrong password!"})
    api.get("meti-viewer", "/api/projects")
    logging.getLogger("setu.api").info("headers: Authorization: Bearer %s", token)  # a careless log line
    assert token not in caplog.text and SAMPLE_PASSWORD not in caplog.text and "wrong password!" not in caplog.text
    assert "login by 'meti-viewer'" in caplog.text and "failed login for 'meti-viewer'" in caplog.text


def test_redaction_patterns():
    assert redact("Authorization: Bearer abc.DEF-123") == "Authorization: Bearer [redacted]"
    assert redact('{"password": "hunter2hunter2"}') == '{"password": "[redacted]"}'
    assert redact("postgresql://setu:s3cret@db:5432/x") == "postgresql://setu:[redacted]@db:5432/x"


def test_logout_revokes_the_token(api):
    token = api.token("meti-viewer")
    assert api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()["government"] is True
    assert api.client.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    assert api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_accounts_api(api):
    created = api.client.post("/api/accounts", headers=api.headers("admin"), json={
        "username": "cii-editor", "password": "long enough password", "role": "editor",
        "organisation_id": api.sample.organisations["cii"]})  # fmt: skip
    assert created.status_code == 201 and "password" not in created.text
    login = api.client.post("/api/auth/token", json={"username": "cii-editor", "password": "long enough password"})
    assert login.status_code == 200
    demote = api.client.patch(f"/api/accounts/{created.json()['id']}", json={"role": "viewer"},
                              headers=api.headers("admin", **{"If-Match": created.headers["ETag"]}))  # fmt: skip
    assert demote.status_code == 200 and demote.json()["role"] == "viewer"
    audit = api.get("admin", "/api/audit", params={"entity": "accounts", "entity_id": created.json()["id"]}).json()
    assert [e["action"] for e in audit["items"]] == ["create", "update"]


def test_import_via_api(api, tmp_path):
    exported = api.get("admin", "/api/export").json()
    response = api.client.post("/api/import", json=exported, headers=api.headers("admin"))
    assert response.status_code == 422 and "already exists" in response.json()["detail"][0]["msg"]


def test_health_needs_no_token(api):
    assert api.client.get("/api/health").json() == {"status": "ok", "schema_revision": "0003"}
