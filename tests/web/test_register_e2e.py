"""End-to-end in Chromium: a fresh register set up in the browser, both sides' organisations and accounts, a
project with a Point of Contact on each side, a dialogue with a meeting, a decision and an action item, the
follow-up home, and what admin, editor and viewer each see and may do; a scenario edited and shared by link.

One server per module over a register that holds only its first admin, as after ``setu register create-admin``.
The browser is Debian's Chromium; nothing is downloaded and every page runs under the Content-Security-Policy
(a violation fails the test)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from .browser import E2E, run_server

pytestmark = E2E

PASSWORD = "a long enough password"
METI, MEITY, KEIDANREN = ("Ministry of Economy, Trade and Industry", "Ministry of Electronics and Information "
                          "Technology", "Keidanren (Japan Business Federation)")
PROJECT = "Gallium substrate partnership"
TODAY = date.today()


@pytest.fixture(scope="module")
def server(built_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A register holding only its first admin, as after ``setu register create-admin``."""
    yield from run_server(built_catalog, tmp_path_factory.mktemp("register-e2e"), (),
                          fill=lambda register: register.accounts.create_admin("root", PASSWORD))


def login(page, username: str, lands: str = "**/register") -> None:
    page.goto("/login?next=/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lands)


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")


def fill(page, values: dict[str, object]) -> None:
    """Fill a record form by its labels (a list selects several options)."""
    for label, value in values.items():
        field = page.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value) if isinstance(value, list) else field.select_option(label=str(value))
        else:
            field.fill(str(value))


def submit(page, button: str, lands: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lands)


def add_from(page, link: str, values: dict[str, object], button: str) -> None:
    """Follow an "Add …" link of a record page, fill the child's form and come back to the record."""
    back = page.url
    page.get_by_role("link", name=link).click()
    page.wait_for_url("**/new?**")
    fill(page, values)
    submit(page, button, back)


def selected(page, label: str) -> list[str]:
    return page.get_by_label(label, exact=True).evaluate("e => [...e.selectedOptions].map(o => o.textContent)")


def test_the_register_end_to_end_as_admin_editor_and_viewer(open_page):
    page = open_page()
    login(page, "root", lands="**/register/setup")  # a fresh register leads its admin through set-up
    assert page.locator("li.todo").count() == 4
    for side, name, kind in (("Japan", METI, "ministry"), ("India", MEITY, "ministry"),
                             ("Japan", KEIDANREN, "industry-body")):
        page.get_by_role("link", name=f"Add an organisation of {side}").click()
        fill(page, {"Name (required)": name, "Kind (required)": kind})
        submit(page, "Create organisation", "**/register/setup")
    assert page.locator("#side-JPN.done").count() == page.locator("#side-IND.done").count() == 1
    for username, role, organisation in (("jp-editor", "editor", METI), ("jp-viewer", "viewer", METI),
                                         ("kd-viewer", "viewer", KEIDANREN)):
        page.get_by_role("link", name="Create an account").click()
        fill(page, {"Username (required)": username, "Password (required)": PASSWORD, "Role (required)": role,
                    "Organisation": f"{organisation} (JPN)"})
        submit(page, "Create account", "**/register/setup")
    assert page.locator("#accounts.done").count() == 1
    logout(page)

    login(page, "jp-editor")
    page.get_by_role("navigation", name="Register").get_by_role("link", name="Projects").click()
    page.get_by_role("link", name="New project").click()
    project = {"Title (required)": PROJECT, "Sector (required)": "semiconductors", "Status": "active",
               "Summary": "Qualify GaN-on-Si substrates from a second source.", "Start date": "2026-04-01",
               "Partner organisations": [f"{MEITY} (IND)"], "Supply-chain links": "galium = single supplier",
               "Visibility tier (required)": "shared", "Shared with": [f"{MEITY} (IND)"]}
    fill(page, project)
    page.get_by_role("button", name="Create project").click()
    page.wait_for_selector("p.field-error")
    # the failed form keeps every field, with the error beside the misspelt node and its closest valid name
    assert "closest: gallium" in page.locator("#e-links").inner_text()
    for label, value in project.items():
        if isinstance(value, list):
            assert selected(page, label) == value, label
        elif page.get_by_label(label, exact=True).evaluate("e => e.tagName") == "SELECT":
            assert selected(page, label) == [value], label
        else:
            assert page.get_by_label(label, exact=True).input_value() == value, label
    fill(page, {"Supply-chain links": "gallium = single supplier"})
    submit(page, "Create project", re.compile(r".*/register/projects/[0-9a-f-]{36}$"))
    project_url = page.url
    assert page.get_by_role("link", name="gallium (single supplier)").get_attribute("href") == "/materials/gallium"

    page.goto("/register/people/new")
    fill(page, {"Name (required)": "Taro Yamada", "Organisation (required)": f"{METI} (JPN)",
                "Visibility tier (required)": "shared", "Shared with": [f"{MEITY} (IND)"]})
    submit(page, "Create person", re.compile(r".*/register/people/[0-9a-f-]{36}$"))
    page.goto(project_url)
    add_from(page, "Add contact", {"Person (required)": "Taro Yamada", "Visibility tier (required)": "shared",
                                   "Shared with": [f"{MEITY} (IND)"]}, "Create contact")
    add_from(page, "Add milestone", {"Title (required)": "Pilot line qualified",
                                     "Due date (required)": (TODAY + timedelta(days=3)).isoformat(),
                                     "Visibility tier (required)": "shared", "Shared with": [f"{MEITY} (IND)"]},
             "Create milestone")

    page.goto("/register/dialogues/new")
    fill(page, {"Kind (required)": "gtog", "Title (required)": "Japan–India Economic Security Dialogue",
                "Visibility tier (required)": "government"})
    submit(page, "Create dialogue", re.compile(r".*/register/dialogues/[0-9a-f-]{36}$"))
    add_from(page, "Add meeting", {"Held on (required)": (TODAY - timedelta(days=30)).isoformat(),
                                   "Location": "Tokyo", "Visibility tier (required)": "government"},
             "Create meeting")
    page.get_by_role("link", name=re.compile("meeting of")).click()
    add_from(page, "Add decision", {"Decision (required)": "Map gallium stocks on both sides",
                                    "Visibility tier (required)": "government"}, "Create decision")
    add_from(page, "Add action item", {
        "Title (required)": "Exchange gallium stockpile figures", "Decision": "Map gallium stocks on both sides",
        "Owner (person)": "Taro Yamada", "Due date": (TODAY - timedelta(days=3)).isoformat(),
        "Visibility tier (required)": "government"}, "Create action item")

    page.get_by_role("navigation", name="Register").get_by_role("link", name="Follow-up").click()
    week = page.locator("section[aria-labelledby='due-week']")
    assert "Pilot line qualified" in week.get_by_role("row", name=re.compile("Pilot line qualified")).inner_text()
    row = page.get_by_role("region", name="Taro Yamada").get_by_role("row", name=re.compile("Exchange gallium"))
    assert row.inner_text().split("\t")[-1].strip() == "3"  # three days overdue
    logout(page)

    login(page, "root")  # the Indian side's Point of Contact, owned by its ministry
    page.goto("/register/people/new")
    fill(page, {"Name (required)": "Priya Sharma", "Organisation (required)": f"{MEITY} (IND)",
                "Owner organisation (required)": f"{MEITY} (IND)", "Visibility tier (required)": "shared",
                "Shared with": [f"{METI} (JPN)"]})
    submit(page, "Create person", re.compile(r".*/register/people/[0-9a-f-]{36}$"))
    page.goto(project_url)
    # the nomination is part of METI's project, so METI owns it, shared with the ministry of its person
    add_from(page, "Add contact", {"Person (required)": "Priya Sharma", "Visibility tier (required)": "shared",
                                   "Shared with": [f"{MEITY} (IND)"]}, "Create contact")
    contacts = page.get_by_role("region", name="Points of Contact", exact=True).inner_text()
    assert "Taro Yamada: Point of Contact" in contacts and "Priya Sharma: Point of Contact" in contacts
    owned = page.get_by_role("region", name="Action items owned by its Points of Contact").inner_text()
    assert "Exchange gallium stockpile figures" in owned  # the dialogue's action, reached from the project
    assert page.get_by_role("heading", name="History").is_visible()  # admins see the audit trail
    logout(page)

    login(page, "jp-viewer")  # same ministry, read only: sees everything, offered no change
    assert page.get_by_role("region", name="Taro Yamada").is_visible()
    page.goto(project_url)
    assert page.get_by_role("heading", level=1).inner_text() == f"Project: {PROJECT}"
    assert page.get_by_role("link", name="Edit").count() == 0 and page.get_by_role("link", name="Archive").count() == 0
    assert page.get_by_role("link", name=re.compile("^Add ")).count() == 0
    page.goto("/register/projects")
    assert page.get_by_role("link", name="New project").count() == 0
    page.goto("/register/projects/new")
    assert page.get_by_role("heading", level=1).inner_text() == "Not allowed"
    logout(page)

    login(page, "kd-viewer")  # an industry body: no government tier, and the project is not shared with it
    assert "Nothing overdue." in page.locator("main").inner_text()
    page.goto("/register/dialogues")
    assert "None visible to you." in page.locator("main").inner_text()
    assert page.goto(project_url).status == 404


def test_edited_scenario_parameters_are_a_link_that_shows_the_same_run(open_page):
    page = open_page()
    page.goto("/scenarios?scenario=china-gallium")
    page.wait_for_selector("#tts-chart[data-drawn='true']")
    assert page.locator("#tts-chart .barlayer .trace").count() == 3  # beyond horizon is its own series
    page.get_by_label("slower export licensing for other buyers: share cut (%)").fill("60")
    page.get_by_label("Stockpile of gallium in JPN (days)").fill("90")
    page.get_by_role("button", name="Run with these parameters").click()
    page.wait_for_url(lambda url: "cut2=60" in url and "stock1=90" in url)
    page.wait_for_selector("#unmet-chart[data-drawn='true']")
    shown = {selector: page.locator(selector).inner_text()
             for selector in ("#changes", "#survival-table", "#coordination-value")}
    assert "60" in shown["#changes"] and "90" in shown["#changes"]
    link = page.url
    colleague = open_page()  # a new context: no cookies, nothing shared but the link
    colleague.goto(link)
    colleague.wait_for_selector("#unmet-chart[data-drawn='true']")
    assert {selector: colleague.locator(selector).inner_text() for selector in shown} == shown
    assert colleague.get_by_label("Stockpile of gallium in JPN (days)").input_value() == "90"
