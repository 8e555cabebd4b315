"""End-to-end: a real browser (Debian's headless Chromium driven by Playwright) against the server running
in-process on a free port, over a temporary data directory and SQLite register. Nothing is downloaded:
Playwright is pointed at /usr/bin/chromium and never installs a browser of its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from .browser import NEEDS_CHROMIUM, guarded_page, serving

SCREENSHOTS = Path(os.environ["SETU_E2E_SCREENSHOTS"]) if os.environ.get("SETU_E2E_SCREENSHOTS") else None

pytestmark = [pytest.mark.e2e, NEEDS_CHROMIUM]
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")


@pytest.fixture(scope="module")
def server(built_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from argon2 import PasswordHasher

    from setu.app import create_app
    from setu.register.sample import build_sample
    from setu.register.service import RegisterService
    from setu.settings import Settings
    from setu.store.register.database import RegisterDatabase

    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url, clock=lambda: datetime.now(UTC),
                                    hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    build_sample(register)
    app = create_app(Settings(data_dir=built_catalog, database_url=url), register=register)
    with serving(app) as base:
        # the first question loads the bundled trade extract and builds the overview's documents: do it once
        # here, without a browser timeout, so that the browser tests measure pages, not the first-run load
        import urllib.request
        for warm in ("/overview/JPN", "/overview/JPN?year=2024&product=850511"):
            with urllib.request.urlopen(base + warm, timeout=600) as response:
                assert response.status == 200
        yield base
    register.close()


@pytest.fixture
def page(browser, server):
    with guarded_page(browser, server) as page:
        yield page


def login(page, username: str = "meti-editor") -> None:
    from setu.register.sample import SAMPLE_PASSWORD

    page.goto("/login?next=/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/register")


def drawn(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-drawn='true']")


def shot(page, name: str) -> None:
    """A full-page screenshot when SETU_E2E_SCREENSHOTS names a folder (for looking at the pages)."""
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_overview_and_material_pages_draw_their_charts(page):
    page.goto("/overview/JPN")
    assert page.get_by_role("heading", level=1).inner_text() == "Dependence overview: Japan (JPN)"
    drawn(page, "#risk")
    assert page.locator("#risk .bars .point").count() >= 5
    shot(page, "overview")
    page.get_by_role("link", name="Gallium").first.click()
    page.wait_for_url("**/materials/gallium")
    drawn(page, "#map")
    producers = page.request.get("/api/views/materials/gallium").json()["report"]["shares"]
    # every producer is drawn as a country shape of the bundled boundaries, and the land layer is there
    assert page.locator("#map .choroplethlocation").count() == len(producers)
    assert page.locator("#map .layer.land path").count() >= 1
    assert "Source: " in page.locator("#map").locator("xpath=..").inner_text()
    drawn(page, "#history")
    shot(page, "material")


def test_overview_leads_with_a_supplier_treemap_and_keeps_its_state_in_the_url(page):
    page.goto("/overview/JPN?year=2024&product=850511")
    drawn(page, "#imports-treemap")
    twin = page.request.get("/api/views/overview/JPN?year=2024&product=850511").json()
    shown = min(12, len(twin["imports"]["products"]))
    assert page.locator("#imports-treemap .slice").count() > shown  # product boxes and their suppliers
    assert "Philippines" in page.locator("#direct-suppliers").inner_text() or \
        "PHL" in page.locator("#direct-suppliers").inner_text()
    assert "CHN" in page.locator("#upstream-exposure").inner_text()
    page.get_by_label("Product", exact=True).select_option("283691")
    page.locator("section[aria-labelledby='imports'] form").get_by_role("button", name="Show").click()
    page.wait_for_url("**/overview/JPN?year=2024&product=283691")
    assert "283691" in page.locator("#selected").inner_text()
    shot(page, "overview-imports")


def test_material_trade_view_and_a_material_without_production(page):
    page.goto("/materials/rare-earths")
    section = page.locator("section[aria-labelledby='trade']")
    section.get_by_label("Importing country").fill("India")
    section.get_by_role("button", name="Show").click()
    page.wait_for_url(lambda url: "/materials/rare-earths?" in url and "country=India" in url)
    drawn(page, "#exporters-850511")
    assert "China" in page.locator("#suppliers-850511").inner_text()
    page.goto("/materials/germanium")
    assert "trade" in page.get_by_role("heading", level=1).inner_text()
    drawn(page, "#exporters-811292")
    shot(page, "material-trade")


def test_complementarity_page(page):
    page.goto("/overview/JPN")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Complementarity").click()
    page.wait_for_url("**/complementarity")
    drawn(page, "#complementarity-chart")
    table = page.locator("#complementarity-table").inner_text()
    assert "JPN → IND" in table and "IND → JPN" in table and "850511" in table
    shot(page, "complementarity")


def test_supply_chain_node_opens_with_keyboard(page):
    page.goto("/supply-chains/ict")
    node = page.locator("a.node[data-node='gallium']")
    node.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#node-panel")
    panel.get_by_role("heading", name="Gallium").wait_for()
    assert "Suppliers" in panel.inner_text() and "China" in panel.inner_text()
    assert page.url.endswith("/supply-chains/ict")  # opened in place by the script
    shot(page, "chain")


def test_run_a_bundled_scenario(page):
    page.goto("/scenarios")
    page.get_by_label("Bundled scenario").select_option("china-graphite")
    page.get_by_role("button", name="Run", exact=True).click()
    page.wait_for_url("**scenario=china-graphite**")
    assert "graphite" in page.get_by_role("heading", level=1).inner_text().lower()
    drawn(page, "#unmet-chart")
    drawn(page, "#tts-chart")
    value = page.locator("#coordination-value").inner_text()
    assert float(value.replace(",", "")) >= 0
    assert page.locator("#unmet-chart .scatterlayer .trace").count() >= 1
    shot(page, "scenario")


def test_watch_page_shows_measures_and_anomalies(page):
    page.goto("/watch?hs6=811292")
    drawn(page, "#series")
    text = page.locator("main").inner_text()
    assert "cn-2023-gallium-germanium-licensing" in text and "2023-08" in text
    assert page.locator("#series .shapelayer path").count() >= 1  # measures marked on the chart
    shot(page, "watch")


@pytest.mark.parametrize(("path", "heading", "text"), [
    ("/supply-chains", "Supply chains by sector", "Semiconductor"),
    ("/materials", "Materials", "Gallium"),
    ("/register/contacts", "Points of Contact", "Sample PoC of meti"),
    ("/register/dialogues", "Dialogues", "Sample dialogue of meti"),
    ("/register/action-items", "Action items", "Action on meti-public"),
])
def test_remaining_pages_open_in_the_browser(page, path, heading, text):
    login(page)
    page.goto(path)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert text in page.locator("main").inner_text()
    page.keyboard.press("Tab")  # the skip link comes first and leads to the content
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
