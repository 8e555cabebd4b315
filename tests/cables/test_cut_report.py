"""The cut scenario's HTML report: self-contained, and drawn by headless Chromium with no request leaving
the machine (skipped without Debian's /usr/bin/chromium; no browser is downloaded)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from setu.cli.cables import app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def report(pack_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "cut.html"
    import os

    previous = os.environ.get("SETU_DATA_DIR")
    os.environ["SETU_DATA_DIR"] = str(pack_data_dir)
    try:
        result = CliRunner().invoke(app, ["cut", "--cable", "SeaMeWe-3", "--cable", "FLAG Europe-Asia (FEA)",
                                          "--station", "Mumbai, India", "--report", str(out)])
    finally:
        if previous is None:
            os.environ.pop("SETU_DATA_DIR", None)
        else:
            os.environ["SETU_DATA_DIR"] = previous
    assert result.exit_code == 0, result.output
    return out


def test_report_is_self_contained(report: Path):
    html = report.read_text(encoding="utf-8")
    assert "SeaMeWe-3" in html and "Mumbai, India" in html
    assert "CC BY-NC-SA 3.0" in html and "subtelforum.com" in html  # licence and the repair source
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?https?:""", html)
    assert 'PlotlyGeoAssets.topojson["world_110m"]' in html


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_report_draws_offline_in_headless_chromium(report: Path):
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    outside: list[str] = []
    errors: list[str] = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context()
        context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith("file://")
                                             else (outside.append(route.request.url), route.abort())))
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(report.as_uri())
        page.wait_for_selector("#map[data-drawn='true']", timeout=30_000)
        assert page.locator("#map .scattergeo path, #map .geo .scatterlayer path").count() > 10
        assert page.locator("#map .countries path, #map .geo path").count() > 100  # the inline boundaries
        browser.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"script errors: {errors}"
