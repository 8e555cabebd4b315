"""Browser checks across the main pages: nothing leaves the machine (every chart toolbar button clicked), chart
CSVs equal their JSON twin, tables sort by keyboard and download, no sideways scroll on a 390 px phone, the
trade-history and cables pages, and an automated accessibility check (axe-core) with no serious or critical
violation. One server (with the submarine-cables pack added) for the whole module."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from setu.services import datapacks
from setu.settings import Settings
from setu.web.downloads import figures as walk_figures

from .browser import E2E, run_server, shot

pytestmark = E2E
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}

CHART_PAGES = ["/overview/JPN", "/materials/gallium", "/complementarity", "/trade/history?importer=IND&product=283691",
               "/cables", "/scenarios", "/watch?hs6=811292"]
MAIN_PAGES = [*CHART_PAGES, "/materials", "/supply-chains", "/supply-chains/semiconductors", "/login"]


@pytest.fixture(scope="module")
def server(built_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a copy of the session's catalog with the submarine-cables pack added."""
    data_dir = tmp_path_factory.mktemp("pages-data") / "data"
    shutil.copytree(built_catalog, data_dir)
    datapacks.add(Settings(data_dir=data_dir), "submarine-cables")
    yield from run_server(data_dir, tmp_path_factory.mktemp("pages"), ("/overview/JPN", "/cables"))


def all_drawn(page) -> int:
    """Open every <details> and wait until every chart of the page is drawn; the number of charts."""
    page.locator("details").evaluate_all("ds => ds.forEach(d => { d.open = true; })")
    count = page.locator("[data-figure]").count()
    if count:
        page.wait_for_selector("[data-figure]:not([data-drawn])", state="detached")
    return count


def test_every_toolbar_button_of_every_chart_keeps_to_the_machine(open_page):
    """Requests off 127.0.0.1 are refused and counted by the fixture (must be none, checked at the end)."""
    page = open_page()
    clicked = []
    for path in CHART_PAGES:
        page.goto(path)
        assert all_drawn(page) >= 1, path
        titles = page.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")
        assert not [t for t in titles if t and ("Share" in t or "Cloud" in t)], titles
        assert page.locator("a[href*='plotly.com'], a[href*='plot.ly']").count() == 0
        for plot in page.locator("[data-figure]").all():
            plot.scroll_into_view_if_needed()
            plot.hover()
            for button in plot.locator(".modebar-btn").all():
                with page.expect_download():  # the one button left: save as PNG, on this machine
                    button.click()
                clicked.append(f"{path}: {button.get_attribute('data-title')}")
    assert len(clicked) >= len(CHART_PAGES)


def _csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def test_chart_csv_equals_the_json_twin(page):
    page.goto("/materials/gallium")
    all_drawn(page)
    twin = page.request.get("/api/views/materials/gallium").json()
    for part, selector in (("figures.bars", "#bars"), ("trade.products.0.figure", "[data-part='trade.products.0.figure']")):
        figure = page.locator(selector).locator("xpath=..")
        with page.expect_download() as caught:
            figure.get_by_role("link", name="Download the chart's data (CSV)").click()
        header, rows = _csv_rows(Path(caught.value.path()).read_text(encoding="utf-8"))
        table = dict(walk_figures(twin))[part]["table"]
        width = len(table["columns"])
        assert header == [*table["columns"], "source", "edition", "licence"]
        assert [row[:width] for row in rows] == [["" if v is None else str(v) for v in r] for r in table["rows"]]
        assert all(row[-1] and row[-3] for row in rows)  # every row names its source and licence
    # the bars' rows are the drawn bars, top first (plotly draws them bottom up)
    bars = twin["figures"]["bars"]["data"][0]
    assert [r[0] for r in twin["figures"]["bars"]["table"]["rows"]] == bars["y"][::-1]
    assert "Public domain" in rows[0][-1] or "Etalab" in rows[0][-1]


def test_keyboard_only_overview_tables_sort_and_download(page):
    page.goto("/overview/JPN")
    all_drawn(page)
    # the charts' toolbars are out of the Tab order: Tab goes from the controls to the content
    tabbable = page.locator(".plot a, .plot button, .plot [tabindex]").evaluate_all(
        "els => els.filter(e => e.tabIndex >= 0).length")
    assert tabbable == 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    # sort the production-side table by its Exposure column (gw_exposure), with the keyboard
    table = page.locator("section[aria-labelledby='risky'] table")
    risk = table.get_by_role("button", name="Exposure", exact=True)
    risk.focus()
    page.keyboard.press("Enter")
    assert table.locator("th").nth(3).get_attribute("aria-sort") == "ascending"
    values = [float(v.replace(",", "")) for v in table.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    assert values == sorted(values)
    page.keyboard.press("Enter")
    values = [float(v.replace(",", "")) for v in table.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    download = page.locator("section[aria-labelledby='risky']").get_by_role("button", name="Download the table (CSV)")
    download.focus()
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    header, rows = _csv_rows(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert header[:4] == ["Material", "Bottleneck stage", "Year", "Exposure"]
    assert [float(r[3].replace(",", "")) for r in rows[:len(values)]] == values  # as shown: sorted
    assert any("licence: " in cell and "CC BY 4.0" in cell for row in rows for cell in row)
    # the country field by keyboard
    page.get_by_label("Country (ISO3 or name)").fill("India")
    page.keyboard.press("Enter")
    page.wait_for_url("**/overview/IND")


def test_no_sideways_scroll_on_a_phone(open_page):
    page = open_page(viewport=PHONE)
    wide = {}
    for path in MAIN_PAGES:
        page.goto(path)
        all_drawn(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
        plots = page.locator(".plot .main-svg").evaluate_all("svgs => svgs.map(s => s.getBoundingClientRect().right)")
        assert all(right <= PHONE["width"] + 0.5 for right in plots), (path, plots)
        if path == "/overview/JPN":
            shot(page, "phone-overview")
    assert not wide, f"pages wider than the phone: {wide}"
    page.set_viewport_size({"width": 1366, "height": 768})  # a product's view on a laptop, too
    page.goto("/overview/JPN?year=2024&product=850511")
    all_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_history_and_cables_pages(page):
    page.goto("/trade/history?importer=IND&product=283691")
    all_drawn(page)
    twin = page.request.get("/api/views/trade/history?importer=IND&product=283691").json()
    assert page.locator("#history-table tbody tr").count() == len(twin["years"]) >= 20
    assert "partial series" in page.locator("main").inner_text().lower()
    shot(page, "trade-history")
    page.goto("/cables?country=JPN&other=IND")
    all_drawn(page)
    routes = page.locator("#straits-table").inner_text()
    assert "Luzon Strait" in routes and "Gibraltar" not in routes and "Red Sea" not in routes
    page.get_by_label("Cables cut").select_option(["SeaMeWe-3", "FLAG Europe-Asia (FEA)"])
    page.get_by_label("Cables cut").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Cut button, by keyboard
    page.wait_for_url(lambda url: "cut=SeaMeWe-3" in url)
    all_drawn(page)
    pair = page.locator("#cut-table tr", has_text="IND").first.inner_text()
    assert "JPN" in pair
    cut = page.request.get(page.url.replace("/cables", "/api/views/cables")).json()["cut"]
    row = next(r for r in cut["rows"] if {r["country"], r["other"]} == {"JPN", "IND"})
    assert (row["direct_before"], row["direct_after"]) == (2, 0)
    shot(page, "cables")


def test_accessibility_no_serious_or_critical_violation(open_page):
    """axe-core (tests/web/vendor, MPL-2.0) on every main page, WCAG 2.0–2.2 A and AA rules. The test's context
    bypasses the Content-Security-Policy only so that the test itself can inject axe."""
    page = open_page(bypass_csp=True)
    found = {}
    for path in MAIN_PAGES:
        page.goto(path)
        all_drawn(page)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}).then(r => r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' +
                 n.failureSummary.slice(0, 160)).join(' | ')))""")
        if violations:
            found[path] = violations
    assert not found, found
