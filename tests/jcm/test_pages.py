"""The JCM's pages: signed-in only, each with its twin and CSV, illustrative records said so."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from setu.app import create_app
from setu.jcm.sample import REPORTING_YEAR, SAMPLE_PASSWORD
from setu.settings import Settings

from .conftest import live_register, post_form

#: The login cookie expires with its token, so these pages run on today's clock; the sample's movements stay in
#: its reporting year whenever it is loaded.
YEAR = REPORTING_YEAR
PAGES = ["/jcm", "/jcm/projects/ILL-IN001", "/jcm/holdings", f"/jcm/transactions?registry=JPN&year={YEAR}",
         f"/jcm/aef?party=IND&year={YEAR}"]  # fmt: skip


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("jcm-pages")
    register, _sample = live_register(tmp)
    with TestClient(create_app(Settings(data_dir=tmp), register=register)) as client:
        yield client
    register.close()


def test_pages_ask_for_a_login(browser: TestClient) -> None:
    browser.cookies.clear()
    response = browser.get("/jcm/holdings", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=/jcm/holdings")


@pytest.fixture(scope="module")
def signed_in(browser: TestClient) -> TestClient:
    response = post_form(browser, "/login", {"username": "jcm-holder-jpn", "password": SAMPLE_PASSWORD, "next": "/jcm"},
                         follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    return browser


@pytest.mark.parametrize("path", PAGES)
def test_each_page_shows_its_twin_and_says_the_data_are_illustrative(signed_in: TestClient, path: str) -> None:
    page = signed_in.get(path)
    assert page.status_code == 200, page.text
    assert "Illustrative sample data" in page.text and "JSON twin:" in page.text, page.text[page.text.find("<main"):][:800]


def test_the_holdings_csv_has_the_rows_of_its_twin(signed_in: TestClient) -> None:
    token = signed_in.post("/api/auth/token", json={"username": "jcm-holder-jpn", "password": SAMPLE_PASSWORD}).json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    twin = signed_in.get("/api/jcm/ledger/holdings", headers=auth).json()
    rows = list(csv.DictReader(io.StringIO(signed_in.get("/api/jcm/ledger/holdings?format=csv", headers=auth).text)))
    assert [row["unit_identifier"] for row in rows] == [row["unit_identifier"] for row in twin]
    assert sum(int(row["tco2e"]) for row in rows) == 12_000 + 5_000


def test_an_unknown_project_is_a_404_page(signed_in: TestClient) -> None:
    assert signed_in.get("/jcm/projects/NOPE").status_code == 404


@pytest.mark.parametrize("page, download, twin, key", [
    ("/jcm", "/jcm/projects.csv", "/api/jcm/projects", "id"),
    ("/jcm/holdings", "/jcm/holdings.csv", "/api/jcm/ledger/holdings", "unit_identifier"),
    (f"/jcm/transactions?registry=JPN&year={YEAR}", f"/jcm/transactions.csv?registry=JPN&year={YEAR}",
     f"/api/jcm/ledger/transactions?registry=JPN&year={YEAR}", "id"),
])  # fmt: skip
def test_each_page_links_a_csv_the_signed_in_browser_can_download(signed_in: TestClient, page: str, download: str,
                                                                 twin: str, key: str) -> None:  # fmt: skip
    """The CSV link works with the login cookie alone (the API's own CSV wants a bearer token), and its rows are
    the twin's."""
    assert f'href="{download.replace("&", "&amp;")}"' in signed_in.get(page).text
    response = signed_in.get(download)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    token = signed_in.post("/api/auth/token", json={"username": "jcm-holder-jpn", "password": SAMPLE_PASSWORD}).json()
    rows = signed_in.get(twin, headers={"Authorization": f"Bearer {token['access_token']}"}).json()
    found = list(csv.DictReader(io.StringIO(response.text)))
    assert len(found) == len(rows) > 0 and [r[key] for r in found] == [str(r[key]) for r in rows]


def test_the_aef_page_downloads_its_five_tables_as_csv(signed_in: TestClient) -> None:
    response = signed_in.get(f"/jcm/aef/IND/{YEAR}.csv")
    assert response.status_code == 200
    titles = [line for line in response.text.splitlines() if line.startswith("AEF ")]
    assert len(titles) == 5 and titles[0] == f"AEF Submission - IND - reported year {YEAR}"
