"""End-to-end: a real browser (Debian's headless Chromium driven by Playwright) against the server running
in-process on a free port, over a temporary data directory and SQLite register. Nothing is downloaded:
Playwright is pointed at /usr/bin/chromium and never installs a browser of its own."""

from __future__ import annotations


import pytest

from .browser import E2E, drawn, shot

pytestmark = E2E


def login(page, username: str = "meti-editor") -> None:
    from setu.register.sample import SAMPLE_PASSWORD

    page.goto("/login?next=/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/register")


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
    page.wait_for_url("**/overview/JPN?year=2024&product=283691*")
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
    assert "JPN → IND" in table and "IND → JPN" in table and "810820" in table
    # Japan imports more permanent magnets than it exports: listed as not offered, not as an alternative
    assert "850511" not in table and "850511" in page.locator("#not-offered-table").inner_text()
    shot(page, "complementarity")


def test_supply_chain_node_opens_with_keyboard(page):
    page.goto("/supply-chains/ict")
    node = page.locator("a.node[data-node='gallium']")
    node.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#node-panel")
    panel.get_by_role("heading", name="Gallium").wait_for()
    assert "Suppliers" in panel.inner_text() and "China" in panel.inner_text()
    # opened in place by the script, and the chosen node is in the address (a link to it reopens it)
    assert page.url.endswith("/supply-chains/ict?node=gallium")
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
