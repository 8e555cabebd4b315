"""The API says what it does: error bodies match the schemas the OpenAPI document declares, If-Match is
declared (required), the shared error statuses are documented, OPTIONS answers with Allow, days are ISO
only, and a query parameter a route does not take is refused."""

from __future__ import annotations

import pytest


def test_a_setu_422_has_the_declared_array_body(reader_api):
    api = reader_api
    body = {"title": "Dates the wrong way round", "sector": "clean-energy", "start_date": "2026-05-01",
            "end_date": "2026-01-01", "owner_org_id": api.sample.organisations["meti"]}
    response = api.client.post("/api/projects", json=body, headers=api.headers("admin"))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list) and len(detail) == 1
    assert set(detail[0]) == {"loc", "msg", "type"} and "end_date is before start_date" in detail[0]["msg"]
    fastapi_own = api.client.post("/api/projects", json={"title": 3}, headers=api.headers("admin"))
    assert fastapi_own.status_code == 422 and isinstance(fastapi_own.json()["detail"], list)


def test_other_errors_have_a_string_detail(reader_api):
    api = reader_api
    missing = api.get("admin", "/api/projects/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and isinstance(missing.json()["detail"], str)
    assert reader_api.client.get("/api/projects").status_code == 401


def test_the_document_declares_if_match_and_the_shared_error_statuses(reader_api):
    document = reader_api.client.get("/api/openapi.json").json()
    patch = document["paths"]["/api/projects/{record_id}"]["patch"]
    if_match = [p for p in patch["parameters"] if p["name"].lower() == "if-match"]
    assert if_match and if_match[0]["required"] is True
    assert {"400", "401", "403", "404", "412", "413", "422", "428"} <= set(patch["responses"])
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "413", "422"} <= set(responses), (method, path)
            if operation.get("security"):
                assert "401" in responses, (method, path)
            for status, response in responses.items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]["$ref"]
                    assert schema.endswith("HTTPValidationError" if status == "422" else "/Error"), (path, status)


def test_options_answers_with_allow_and_a_wrong_method_with_the_full_allow(reader_api):
    record = next(iter(reader_api.sample.records["projects"].values()))
    options = reader_api.client.options(f"/api/projects/{record}")
    assert options.status_code == 204
    assert set(options.headers["Allow"].split(", ")) == {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH"}
    put = reader_api.client.put(f"/api/projects/{record}", json={})
    assert put.status_code == 405 and put.headers["Allow"] == options.headers["Allow"]
    assert reader_api.client.options("/api/nothing-here").status_code == 404


@pytest.mark.parametrize("as_of", ["0", "1700000000", "2026-3-1", "20260301"])
def test_as_of_is_an_iso_day_only(reader_api, as_of):
    response = reader_api.get("admin", "/api/followup/overdue", params={"as_of": as_of})
    assert response.status_code == 422 and "YYYY-MM-DD" in response.text


def test_as_of_accepts_an_iso_day(reader_api):
    assert reader_api.get("admin", "/api/followup/overdue", params={"as_of": "2026-03-01"}).status_code == 200


@pytest.mark.parametrize("path", ["/api/export", "/api/followup/overdue", "/api/audit", "/api/projects"])
def test_an_unknown_query_parameter_is_refused(reader_api, path):
    response = reader_api.get("admin", path, params={"tier": "public", "colour": "red"} if path == "/api/export"
                              else {"colour": "red"})
    assert response.status_code == 422, (path, response.text)
    assert "colour" in response.text


def test_a_literal_path_beside_a_template_gets_the_methods_of_both():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from setu.api.methods import AllowedMethods
    from setu.api.openapi import operations_at

    app = FastAPI()

    @app.get("/api/things/{kind}")
    def list_kind(kind: str) -> dict:
        return {"kind": kind}

    @app.post("/api/things/grants")
    def grant() -> dict:
        return {}

    app.add_middleware(AllowedMethods, api=app)
    assert sorted(operations_at(app, "/api/things/grants")) == ["get", "post"]
    assert operations_at(app, "/api/things/grants")["get"]["operationId"].startswith("list_kind")
    with TestClient(app) as client:
        assert client.options("/api/things/grants").headers["Allow"] == "GET, HEAD, OPTIONS, POST"
        assert client.post("/api/things/grants").status_code == 200
        assert client.delete("/api/things/other").headers["Allow"] == "GET, HEAD, OPTIONS"
