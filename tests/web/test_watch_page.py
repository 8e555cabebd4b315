"""The /watch page: default series with a near measure, readable choices, twin link, basket note, no dead link."""

from __future__ import annotations

import re

from setu.web.watch_view import event_lines, watch_twin_href


def test_default_series_shows_a_measure_near_an_alert(site):
    doc = site.client.get("/api/views/watch").json()
    assert doc["hs6"] == "250410"  # the first code whose total has an alert near a registered measure
    near = [a for a in doc["alerts"] if a["measures"]]
    assert near and all(len(a["measures"]) == len(set(a["measures"])) for a in doc["alerts"])
    assert all(a["as_of"] >= a["period"] for a in doc["alerts"])
    assert len({a["id"] for a in doc["alerts"]}) == len(doc["alerts"])
    page = site.client.get("/watch").text
    assert "cn-2023-graphite-licensing</td>" in page


def test_choices_are_labelled_and_the_twin_keeps_them(site):
    page = site.client.get("/watch?hs6=380110&partner=JPN&variable=quantity_kg").text
    assert "HS 380110 (Graphite: artificial)" in page
    assert '<option value="quantity_kg" selected>Quantity (kg)</option>' in page and ">value_usd<" not in page
    assert "/api/views/watch?hs6=380110&amp;partner=JPN&amp;variable=quantity_kg" in page
    assert watch_twin_href("/api/views/watch", hs6="811292", partner=None, variable="value_usd") == (
        "/api/views/watch?hs6=811292&variable=value_usd")


def test_no_link_to_loaded_data_that_would_404(site):
    page = site.client.get("/watch?hs6=811292").text
    links = re.findall(r'href="(/watch/trade[^"]*)"', page)
    for link in links:
        assert site.client.get(link.replace("&amp;", "&")).status_code == 200
    if not links:
        assert "setu import comtrade FILE" in page


def test_the_basket_is_said_on_the_page(site):
    doc = site.client.get("/api/views/watch?hs6=811292").json()
    notes = {b["measure"]: b for b in doc["baskets"]}
    assert "282560" in notes["cn-2023-gallium-germanium-licensing"]["finer_codes"]
    assert "What this code cannot show" in site.client.get("/watch?hs6=811292").text


def test_event_labels_do_not_overlap():
    events = [{"month": "2023-10", "event": "announced", "measure": "m"},
              {"month": "2023-12", "event": "effective", "measure": "m"},
              {"month": "2023-12", "event": "announced", "measure": "n"},
              {"month": "2025-01", "event": "effective", "measure": "p"}]
    lines = event_lines(events)
    assert [line["x0"] for line in lines] == ["2023-10", "2023-12", "2025-01"]  # one line per month
    assert [line["label"]["textposition"] for line in lines] == ["end", "middle", "end"]
    assert lines[1]["label"]["text"] == "announced & effective 2023-12"
