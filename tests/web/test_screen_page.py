"""The screening page and its JSON twin: the same answers as `setu screen`, "not covered" where the rules lack
the activity or the date, the reading and its basis shown, and bad names answered with a 4xx and close names."""

from __future__ import annotations

from html import unescape


def test_the_page_and_its_twin_screen_an_indirect_investment(site):
    query = ("acquirer=IND&target=IND&stake=30&sector=batteries&sector=&owner=CHN:60&owner=IND:40&owner="
             "&date=2023-01-01")
    twin = site.client.get(f"/api/views/screen?{query}")
    assert twin.status_code == 200, twin.text
    (india,) = twin.json()["regimes"]
    assert india["requirement"] == "approval" and india["basis"][0].startswith("indirect foreign investment")
    page = site.client.get(f"/screen?{query}")
    text = unescape(page.text)
    assert page.status_code == 200
    assert "APPROVAL (government)" in text and "ind-pn3-land-border" in text
    assert "/api/views/screen?acquirer=IND" in text  # the twin is linked
    assert "<script>" not in page.text and "style=" not in page.text


def test_not_covered_and_readings_reach_the_page(site):
    page = unescape(site.client.get("/screen?acquirer=USA&target=IND&stake=30&sector=launch+vehicles"
                                    "&date=2023-01-01").text)
    assert "NOT COVERED by the encoded rules" in page
    assert "not covered: space-launch-vehicles on 2023-01-01: the rules encode its law only from 2024-04-16" in page
    assert "would be" not in page
    hong_kong = unescape(site.client.get("/screen?acquirer=HKG&target=IND&stake=10&sector=chips"
                                         "&date=2022-01-01").text)
    assert "reading: HKG is counted by a reading, not by the text" in hong_kong


def test_the_empty_form_and_bad_names(site):
    empty = site.client.get("/screen")
    assert empty.status_code == 200 and 'name="acquirer"' in empty.text and "Rules that fired" not in empty.text
    bad = site.client.get("/api/views/screen?acquirer=USA&target=IND&stake=10&sector=lotery")
    assert 400 <= bad.status_code < 500 and "lottery" in bad.text
    page = site.client.get("/screen?acquirer=USA&target=IND&stake=10&sector=lotery")
    assert 400 <= page.status_code < 500 and "did you mean: lottery?" in unescape(page.text)
