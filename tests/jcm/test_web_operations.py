"""The JCM's operations in the browser: each form offered only to whom the service allows, refused otherwise,
kept with its fields and errors when it fails, refused without its CSRF token, and nothing written on failure."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from setu.app import create_app
from setu.jcm import model
from setu.jcm.sample import SAMPLE_PASSWORD, SampleJcm
from setu.register.accounts import AccountCreate
from setu.register.fields import Role
from setu.register.service import RegisterService
from setu.register.visibility import Principal
from setu.settings import Settings

from .conftest import live_register, post_form

#: The login cookie expires with its token, so these pages run on today's clock (the sample's year is this year).
YEAR = datetime.now(UTC).year


@dataclass
class Site:
    app: Any
    register: RegisterService
    sample: SampleJcm

    def client(self, username: str) -> TestClient:
        client = TestClient(self.app)
        response = post_form(client, "/login", {"username": username, "password": SAMPLE_PASSWORD, "next": "/jcm"},
                             follow_redirects=False)  # fmt: skip
        assert response.status_code == 303, response.text
        return client

    def movements(self) -> list[model.Movement]:
        return self.register.jcm.movements()

    def held(self, account: str, project: str = "ILL-IN001", vintage: int = 2026) -> int:
        return sum(h["tco2e"] for h in self.register.jcm.holdings()
                   if (h["account"], h["project"], h["vintage"]) == (account, project, vintage))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("jcm-operations")
    register, sample = live_register(tmp)
    operator = sample.principals["jcm-secretariat"]  # any account: the viewer belongs to the secretariat's organisation
    register.accounts.create(register_admin(), AccountCreate(username="jcm-viewer", password=SAMPLE_PASSWORD,
                             role=Role.VIEWER, organisation_id=operator.organisation_id))  # fmt: skip
    app = create_app(Settings(data_dir=tmp), register=register)
    with TestClient(app):
        yield Site(app, register, sample)
    register.close()


def register_admin() -> Principal:
    return Principal(account_id="cli", username="cli", role=Role.ADMIN, organisation_id=None, government=True)


TRANSFER = {"project": "ILL-IN001", "vintage": "2026", "quantity": "100", "serial_start": "",
            "source": "ILL-IN-ENT-001", "target": "ILL-JP-ENT-001", "reason": "Sale to the Japanese participant"}  # fmt: skip


def forms_on(page: str) -> set[str]:
    return set(re.findall(r'action="(/jcm/[^"]+)"', page)) - {"/jcm/transactions", "/jcm/aef"}


@pytest.mark.parametrize(("username", "expected"), [
    ("jcm-viewer", set()),
    ("jcm-secretariat", set()),  # records decisions; moves no units
    ("jcm-holder-ind", {"/jcm/operations/transfer", "/jcm/operations/cancel", "/jcm/operations/retire"}),
    ("jcm-registry-jpn", {"/jcm/operations/transfer", "/jcm/operations/cancel", "/jcm/operations/retire"}),
])  # fmt: skip
def test_the_holdings_page_offers_the_units_forms_only_to_who_may_move_units(site: Site, username: str,
                                                                            expected: set[str]) -> None:  # fmt: skip
    page = site.client(username).get("/jcm/holdings")
    assert page.status_code == 200
    assert forms_on(page.text) == expected
    if expected:  # the source list is the caller's own accounts only, never a cancellation or retirement account
        sources = re.search(r'id="f-transfer-source"[^>]*>(.*?)</select>', page.text, re.S)
        assert sources is not None
        numbers = set(re.findall(r'<option value="([^"]+)"', sources.group(1)))
        assert numbers == ({"ILL-IN-ENT-001"} if username == "jcm-holder-ind" else {"ILL-JP-GOV-001"})


def test_a_project_page_offers_the_forms_with_its_project_chosen(site: Site) -> None:
    page = site.client("jcm-holder-ind").get("/jcm/projects/ILL-IN002").text
    assert forms_on(page) == {"/jcm/operations/transfer", "/jcm/operations/cancel", "/jcm/operations/retire"}
    chosen = re.findall(r'id="f-(\w+)-project"[^>]*>.*?<option value="ILL-IN002" selected>', page, re.S)
    assert chosen == ["transfer", "cancel", "retire"]


def test_a_holder_transfers_from_its_account_and_lands_on_the_operations_movements(site: Site) -> None:
    client = site.client("jcm-holder-ind")
    before_ind, before_jpn = site.held("ILL-IN-ENT-001"), site.held("ILL-JP-ENT-001")
    response = post_form(client, "/jcm/operations/transfer", TRANSFER, follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    operation = location.split("operation=")[1]
    assert location == f"/jcm/transactions?operation={operation}"
    page = client.get(location).text
    assert "external transfer" in page and "Sale to the Japanese participant" in page
    [moved] = [m for m in site.movements() if m.operation_id == operation]
    assert (moved.quantity, moved.source_account, moved.target_account) == (100, "ILL-IN-ENT-001", "ILL-JP-ENT-001")
    assert (site.held("ILL-IN-ENT-001"), site.held("ILL-JP-ENT-001")) == (before_ind - 100, before_jpn + 100)


def test_moving_from_an_account_of_another_holder_is_refused_beside_the_field_and_writes_nothing(site: Site) -> None:
    client = site.client("jcm-holder-jpn")
    before = site.movements()
    response = post_form(client, "/jcm/operations/transfer", {**TRANSFER, "reason": "Not mine to send"})
    assert response.status_code == 403
    field = re.search(r'<p id="e-transfer-source" class="error field-error">([^<]*)</p>', response.text)
    assert field is not None and "only the holder of account ILL-IN-ENT-001" in field.group(1)
    assert "Not mine to send</textarea>" in response.text and 'value="100"' in response.text
    assert site.movements() == before


def test_too_many_units_keeps_every_field_shows_the_error_at_the_quantity_and_writes_nothing(site: Site) -> None:
    client = site.client("jcm-holder-ind")
    before, held = site.movements(), site.held("ILL-IN-ENT-001")
    sent = {**TRANSFER, "quantity": str(held + 1), "reason": "Everything and one more"}
    response = post_form(client, "/jcm/operations/transfer", sent)
    assert response.status_code == 422
    field = re.search(r'<p id="e-transfer-quantity" class="error field-error">([^<]*)</p>', response.text)
    assert field is not None and f"holds {held:,} units" in field.group(1)
    assert f'value="{held + 1}"' in response.text and "Everything and one more</textarea>" in response.text
    assert '<option value="ILL-JP-ENT-001" selected>' in response.text
    assert site.movements() == before and site.held("ILL-IN-ENT-001") == held


def test_a_form_without_its_csrf_token_is_refused_and_writes_nothing(site: Site) -> None:
    client = site.client("jcm-holder-ind")
    before = site.movements()
    response = client.post("/jcm/operations/transfer", data=TRANSFER, follow_redirects=False)
    assert response.status_code == 403 and "security token" in response.text
    response = client.post("/jcm/operations/transfer", data={**TRANSFER, "csrf_token": "x" * 43}, follow_redirects=False)
    assert response.status_code == 403
    assert site.movements() == before


def test_a_viewer_is_refused_even_when_it_posts_the_form(site: Site) -> None:
    client = site.client("jcm-viewer")
    before = site.movements()
    assert client.get("/jcm/operations/transfer").status_code == 403
    response = post_form(client, "/jcm/operations/transfer", TRANSFER)
    assert response.status_code == 403 and "only the holder" in response.text
    assert site.movements() == before


def test_the_registry_administrator_cancels_and_retires_and_a_wrong_target_is_marked(site: Site) -> None:
    client = site.client("jcm-registry-jpn")
    units = {"project": "ILL-IN001", "vintage": "2026", "quantity": "10", "serial_start": "", "source": "ILL-JP-GOV-001"}
    cancelled = post_form(client, "/jcm/operations/cancel", {**units, "target": "ILL-JP-CAN-001", "purpose": "omge",
                                                             "reason": "Overall mitigation"}, follow_redirects=False)  # fmt: skip
    assert cancelled.status_code == 303, cancelled.text
    [movement] = [m for m in site.movements() if m.operation_id == cancelled.headers["location"].split("=")[1]]
    assert (movement.kind, movement.purpose, movement.quantity) == (model.MovementKind.CANCELLATION, "omge", 10)
    before = site.movements()
    wrong = post_form(client, "/jcm/operations/retire", {**units, "target": "ILL-JP-CAN-001", "purpose": "ndc",
                                                         "reason": "Use towards the NDC"})  # fmt: skip
    assert wrong.status_code == 422
    assert 'id="e-retire-target"' in wrong.text and "not a retirement account" in wrong.text
    assert site.movements() == before
    retired = post_form(client, "/jcm/operations/retire", {**units, "target": "ILL-JP-RET-001", "purpose": "ndc",
                                                           "reason": "Use towards the NDC"}, follow_redirects=False)  # fmt: skip
    assert retired.status_code == 303
    assert len(site.movements()) == len(before) + 1


@pytest.fixture(scope="module")
def second_period(site: Site) -> date:
    """A second verified monitoring period of ILL-IN001 notified by the secretariat (not yet issued)."""
    jcm, secretariat = site.register.jcm, site.sample.principals["jcm-secretariat"]
    start = date(2026, 4, 1)
    jcm.add_monitoring_period(secretariat, model.MonitoringPeriodCreate(
        project="ILL-IN001", period_start=start, period_end=date(2026, 6, 30), verified_tco2e=1_000,
        verifier="Illustrative third-party entity", verified_on=date(2026, 8, 3)))  # fmt: skip
    jcm.add_notice(secretariat, model.NoticeCreate(
        project="ILL-IN001", period_start=start, notified_on=date(2026, 8, 20), vintage=2026,
        japan_government_tco2e=500, india_government_tco2e=300,
        participants=[model.ParticipantAllocation(account="ILL-IN-ENT-001", tco2e=200)]))  # fmt: skip
    return start


def test_only_the_host_registry_administrator_is_offered_issue_and_allocate(site: Site, second_period: date) -> None:
    cycle = "/jcm/projects/ILL-IN001/issue"
    assert cycle in site.client("jcm-registry-ind").get("/jcm/projects/ILL-IN001").text
    for username in ("jcm-registry-jpn", "jcm-secretariat", "jcm-holder-ind", "jcm-viewer"):
        assert cycle not in site.client(username).get("/jcm/projects/ILL-IN001").text, username


def test_issue_then_allocate_a_notification_from_the_project_page(site: Site, second_period: date) -> None:
    client, start = site.client("jcm-registry-ind"), second_period.isoformat()
    refused = post_form(site.client("jcm-holder-ind"), "/jcm/projects/ILL-IN001/issue",
                        {"period_start": start, "reason": "Not the registry"})  # fmt: skip
    assert refused.status_code == 403 and "only an administrator of the IND registry" in refused.text
    early = post_form(client, "/jcm/projects/ILL-IN001/allocate", {"period_start": start, "reason": "Too early"})
    assert early.status_code == 422 and "issue the notification" in early.text
    before = len(site.movements())
    issued = post_form(client, "/jcm/projects/ILL-IN001/issue", {"period_start": start, "reason": "Per the notification"},
                       follow_redirects=False)  # fmt: skip
    assert issued.status_code == 303 and len(site.movements()) == before + 1
    allocated = post_form(client, "/jcm/projects/ILL-IN001/allocate", {"period_start": start, "reason": "Allocation"},
                          follow_redirects=False)  # fmt: skip
    assert allocated.status_code == 303
    lines = [m for m in site.movements() if m.operation_id == allocated.headers["location"].split("=")[1]]
    assert sorted((m.target_account, m.quantity) for m in lines) == [
        ("ILL-IN-ENT-001", 200), ("ILL-IN-GOV-001", 300), ("ILL-JP-GOV-001", 500)]
    again = post_form(client, "/jcm/projects/ILL-IN001/issue", {"period_start": start, "reason": "Twice"})
    assert again.status_code == 422 and "issued already" in again.text


def test_the_aef_workbook_downloads_and_checks_against_the_ledger(site: Site) -> None:
    client = site.client("jcm-holder-jpn")
    workbook = client.get(f"/jcm/aef/IND/{YEAR}.xlsx")
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK\x03\x04")
    files = {"file": ("aef-IND.xlsx", workbook.content)}
    checked = client.post("/jcm/aef/check", files=files, data={"csrf_token": client.cookies["setu_csrf"], "party": "IND"})
    assert checked.status_code == 200 and "aef-IND.xlsx matches the ledger" in checked.text
    assert client.post("/jcm/aef/check", files=files, data={"party": "IND"}).status_code == 403


def test_a_changed_aef_csv_shows_its_differences_and_a_bad_file_names_itself(site: Site) -> None:
    client = site.client("jcm-holder-jpn")
    token = client.post("/api/auth/token", json={"username": "jcm-holder-jpn", "password": SAMPLE_PASSWORD}).json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    api_book = client.get(f"/api/jcm/aef/IND/{YEAR}?format=xlsx", headers=auth)
    assert api_book.status_code == 200 and api_book.content.startswith(b"PK\x03\x04")
    rows = list(csv.reader(io.StringIO(client.get(f"/api/jcm/aef/IND/{YEAR}?format=csv", headers=auth).text)))
    quantity = next(i for i, row in enumerate(rows) if "Quantity (tCO2e)" in row)
    column = rows[quantity].index("Quantity (tCO2e)")
    rows[quantity + 1][column] = str(int(rows[quantity + 1][column]) + 1)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = {"csrf_token": client.cookies["setu_csrf"], "party": "IND"}
    changed = client.post("/jcm/aef/check", files={"file": ("changed.csv", buffer.getvalue().encode())}, data=data)
    assert changed.status_code == 200 and "changed.csv differs from the ledger" in changed.text
    bad = client.post("/jcm/aef/check", files={"file": ("bad.xlsx", b"PK\x03\x04not a zip")}, data=data)
    assert bad.status_code == 422 and "bad.xlsx: not an AEF workbook" in bad.text and "upload.xlsx" not in bad.text
    big = client.post("/jcm/aef/check", files={"file": ("big.csv", b"x" * (600 * 1024))}, data=data)
    assert big.status_code == 413
