"""Offline, accessible pages: local assets only, landmarks, labelled controls, one h1."""

from __future__ import annotations

import re

import pytest

PAGES = ["/overview/JPN", "/materials", "/materials/gallium", "/supply-chains", "/supply-chains/ict",
         "/scenarios", "/watch", "/login", "/complementarity", "/trade/history", "/cables",
         "/screen?acquirer=HKG&target=IND&stake=10&sector=chips&date=2022-01-01"]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_offline_and_accessible(site, path):
    html = site.client.get(path).text
    assert '<html lang="en">' in html and '<main id="main"' in html and 'href="#main"' in html
    assert html.count("<h1>") == 1
    for attribute in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not attribute.startswith(("http:", "https:", "//")), attribute  # nothing from outside
    for control in re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html):
        assert f'for="{control}"' in html, f"{path}: control {control} has no label"
    for plot in re.findall(r'<div class="plot"[^>]*>', html):  # a group (it holds a toolbar button), labelled
        assert 'role="group"' in plot and 'aria-label="' in plot


@pytest.mark.parametrize("path", PAGES)
def test_page_keeps_to_its_content_security_policy(site, path):
    """script-src 'self'; style-src 'self': no inline script, event handler or style attribute in the markup."""
    response = site.client.get(path)
    policy = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    html = response.text
    assert not re.search(r"<style\b", html) and not re.search(r'\sstyle="', html)
    assert not re.search(r"\son[a-z]+=", html)
    for script in re.findall(r"<script\b[^>]*>", html):
        assert 'src="' in script or 'type="application/json"' in script, script


def test_bundled_assets_are_served(site):
    plotly = site.client.get("/static/plotly.min.js")
    assert plotly.status_code == 200 and "plotly.js v" in plotly.text[:200]
    topo = site.client.get("/static/topojson/world_110m.json").json()
    ids = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    assert {"JPN", "IND", "CHN", "AUS"} <= ids
    assert site.client.get("/static/app.js").status_code == 200


def test_twins_are_in_the_openapi_document(site):
    paths = site.client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/views/overview/{country}", "/api/views/materials/{material}", "/api/views/watch",
                 "/api/views/supply-chains/{map_id}", "/api/views/scenarios/{scenario_id}"):
        assert path in paths
    assert not any(p.startswith("/overview") for p in paths)  # pages stay out of the API schema


def test_bundled_boundaries_match_their_source_note():
    import hashlib
    from importlib import resources

    folder = resources.files("setu.web") / "static" / "topojson"
    digest = hashlib.sha256((folder / "world_110m.json").read_bytes()).hexdigest()
    note = (folder / "SOURCE.md").read_text(encoding="utf-8")
    assert f"`{digest}`" in note and "public domain" in note


@pytest.mark.parametrize("path", ["/overview/JPN", "/materials/gallium", "/complementarity", "/trade/history"])
def test_country_fields_suggest_countries(site, path):
    html = site.client.get(path).text
    fields = re.findall(r'<input\b[^>]*\blist="country-names"[^>]*>', html)
    assert fields and all('autocomplete="off"' in f for f in fields)
    options = dict(re.findall(r'<option value="([A-Z]{3})">([^<]+)</option>', html.split('id="country-names"')[1]))
    assert options["JPN"] == "Japan" and options["IND"] == "India" and len(options) > 150
