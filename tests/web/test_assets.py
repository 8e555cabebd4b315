"""Static files: the partial plotly.js bundle (checksum, trace types), versioned immutable URLs, ETags and 304,
gzip for static files and pages, and the start-up warm-up."""

from __future__ import annotations

import gzip
import hashlib
import re
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from setu.web import assets, site

STATIC = Path(str(resources.files("setu.web"))) / "static"
WEB = Path(str(resources.files("setu.web")))


@pytest.fixture
def site_client(site) -> TestClient:  # the module's app (tests/web/conftest.py)
    return site.client


def _asset_urls(html: str) -> dict[str, str]:
    return {url.split("/", 3)[3]: url for url in re.findall(r'(?:src|href)="(/assets/[0-9a-f]+/[^"]+)"', html)}


def test_bundle_matches_its_source_note_and_names_its_licences() -> None:
    bundle = (STATIC / "plotly" / "plotly.min.js").read_bytes()
    note = (STATIC / "plotly" / "SOURCE.md").read_text(encoding="utf-8")
    assert f"`{hashlib.sha256(bundle).hexdigest()}`" in note and f"{len(bundle)} bytes" in note
    assert bundle.startswith(b"/**\n* plotly.js v4.1.1 (partial bundle")
    licences = (STATIC / "plotly" / "LICENSE.txt").read_text(encoding="utf-8")
    assert "=== plotly.js 4.1.1 (MIT)" in licences and "Copyright" in licences
    assert len(bundle) < 2_000_000  # the full plotly.min.js is 4.8 MB


def test_every_trace_type_the_pages_draw_is_in_the_bundle() -> None:
    """A chart of a new trace type needs the bundle rebuilt with it (tools/plotly-bundle/index.js)."""
    drawn = set()
    for module in WEB.glob("*.py"):
        drawn |= set(re.findall(r'"type":\s*"(\w+)"', module.read_text(encoding="utf-8")))
    drawn -= {"line", "rect", "circle", "path", "natural"}  # layout shapes and projections, not traces
    header = (STATIC / "plotly" / "plotly.min.js").read_text(encoding="utf-8")[:300]
    bundled = set(re.search(r"partial bundle: ([\w, ]+)\)", header).group(1).split(", "))  # type: ignore[union-attr]
    assert {"bar", "choropleth", "scatter"} <= drawn
    assert drawn <= bundled, drawn - bundled


def test_pages_link_versioned_assets_served_immutable_and_gzipped(site_client) -> None:
    html = site_client.get("/materials/gallium").text
    urls = _asset_urls(html)
    assert {"plotly/plotly.min.js", "app.js", "style.css"} <= set(urls)
    assert re.search(r'data-topojson="/assets/[0-9a-f]+/topojson/"', html)
    response = site_client.get(urls["plotly/plotly.min.js"], headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip" and response.headers["vary"] == "Accept-Encoding"
    body = (STATIC / "plotly" / "plotly.min.js").read_bytes()
    assert response.content == body  # httpx decodes the gzip body
    assert int(response.headers["content-length"]) < len(body) / 2
    digest = hashlib.sha256(body).hexdigest()[: assets.DIGEST_CHARS]
    assert urls["plotly/plotly.min.js"] == f"/assets/{digest}/plotly/plotly.min.js"


def test_etag_revalidation_answers_304_without_a_body(site_client) -> None:
    first = site_client.get("/static/topojson/world_110m.json", headers={"Accept-Encoding": "identity"})
    assert first.status_code == 200 and first.headers["cache-control"] == "public, no-cache"
    etag = first.headers["etag"]
    again = site_client.get("/static/topojson/world_110m.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"]
    gz = site_client.get("/static/app.js", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["etag"].endswith('-gz"')
    assert site_client.get("/static/app.js", headers={"If-None-Match": f'W/{gz.headers["etag"]}'}).status_code == 304
    other = site_client.get("/static/app.js", headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200


def test_stale_digest_gets_the_current_file_without_the_long_cache(site_client) -> None:
    response = site_client.get("/assets/0123456789abcdef/app.js")
    assert response.status_code == 200 and "no-cache" in response.headers["cache-control"]
    assert response.content == (STATIC / "app.js").read_bytes()


def test_nothing_outside_the_static_folder_is_served(site_client) -> None:
    for path in ("/static/..%2Fsite.py", "/static/nope.js", "/assets/abc/..%2F..%2Fsite.py"):
        assert site_client.get(path).status_code == 404, path
    assert site_client.get("/static/plotly.min.js").content[:40].startswith(b"/**\n* plotly.js v")


def test_pages_are_gzipped(site_client) -> None:
    response = site_client.get("/overview/JPN", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"


def test_warm_up_compresses_the_assets_and_fills_the_caches(fresh_site) -> None:
    app = fresh_site.client.app
    site.warm_up(app)  # type: ignore[arg-type]
    plotly = assets.BUNDLED.get("plotly/plotly.min.js")
    assert plotly is not None and gzip.decompress(plotly.gzipped()) == plotly.body
    assert app.state.views.chains.cache_info().currsize == 1  # type: ignore[attr-defined]
    assert app.state.scenario_list.cache_info().currsize == 1  # type: ignore[attr-defined]


def test_bundle_holds_no_off_machine_action() -> None:
    """The "Share chart" button uploaded a chart to Plotly Cloud; the logo linked to plotly.com; map boundaries
    defaulted to a CDN. tools/plotly-bundle/patches.mjs cuts them out of the sources while bundling."""
    bundle = (STATIC / "plotly" / "plotly.min.js").read_text(encoding="utf-8")
    for text in ("cloud.plotly.com", "cdn.plot.ly", "Plotly Cloud", "sendChartToCloud", "sendDataToCloud",
                 "Share chart", "https://plotly.com/'"):
        assert text not in bundle, text
    assert 'dflt:"/static/topojson/"' in bundle
