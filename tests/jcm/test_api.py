"""The JCM under /api/jcm: reads for any signed-in account, writes by role, the AEF as JSON and CSV."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from setu.app import create_app
from setu.jcm.sample import SAMPLE_PASSWORD, build_sample
from setu.register.service import RegisterService
from setu.settings import Settings
from setu.store.register.database import RegisterDatabase

from .conftest import FAST_HASHER, Clock


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("jcm-api")
    url = f"sqlite:///{tmp / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url, hasher=FAST_HASHER, clock=Clock())
    build_sample(register, register.jcm)
    with TestClient(create_app(Settings(data_dir=tmp), register=register)) as test_client:
        yield test_client
    register.close()


def headers(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/token", json={"username": username, "password": SAMPLE_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_reads_need_a_signed_in_account(client: TestClient) -> None:
    assert client.get("/api/jcm/projects").status_code == 401
    projects = client.get("/api/jcm/projects", headers=headers(client, "jcm-holder-jpn")).json()
    assert [p["reference"] for p in projects] == ["ILL-IN001", "ILL-IN002"] and all(p["illustrative"] for p in projects)


def test_a_holder_transfers_its_own_units_and_no_one_else_s(client: TestClient) -> None:
    body = {"project": "ILL-IN002", "vintage": 2026, "quantity": 100, "source": "ILL-IN-ENT-001",
            "target": "ILL-JP-ENT-001", "reason": "sale to the Japanese participant"}  # fmt: skip
    refused = client.post("/api/jcm/transfers", json=body, headers=headers(client, "jcm-holder-jpn"))
    assert refused.status_code == 403
    done = client.post("/api/jcm/transfers", json=body, headers=headers(client, "jcm-holder-ind"))
    assert done.status_code == 201, done.text
    [movement] = done.json()["movements"]
    assert movement["kind"] == "external_transfer" and movement["first_transfer"] is True
    assert movement["unit_identifier"] == "IND-JCM-ILL-IN002-2026-004501-004600"
    verify = client.get("/api/jcm/ledger/verify", headers=headers(client, "jcm-holder-jpn")).json()
    assert verify == {"consistent": True, "problems": []}


def test_bad_input_is_a_4xx_and_changes_nothing(client: TestClient) -> None:
    auth = headers(client, "jcm-registry-ind")
    before = client.get("/api/jcm/ledger/holdings", headers=auth).json()
    too_much = {"project": "ILL-IN001", "vintage": 2026, "quantity": 10**9, "source": "ILL-IN-GOV-001",
                "target": "ILL-IN-ENT-001", "reason": "x"}  # fmt: skip
    assert client.post("/api/jcm/transfers", json=too_much, headers=auth).status_code == 422
    unknown = {**too_much, "quantity": 1, "source": "NO-SUCH"}
    assert client.post("/api/jcm/transfers", json=unknown, headers=auth).status_code == 404
    assert client.get("/api/jcm/ledger/holdings", headers=auth).json() == before


def test_the_aef_as_json_and_csv(client: TestClient) -> None:
    auth = headers(client, "jcm-registry-jpn")
    report = client.get("/api/jcm/aef/JPN/2026", headers=auth).json()
    assert report["illustrative"] is True and report["totals"]["Use towards NDC"] == 4_000
    check = client.post("/api/jcm/aef/check", json=report["tables"], headers=auth).json()
    assert check["matches"] is True
    csv = client.get("/api/jcm/aef/JPN/2026", params={"format": "csv"}, headers=auth)
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "AEF Submission - JPN - reported year 2026"
