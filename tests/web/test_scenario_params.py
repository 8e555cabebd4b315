"""Scenario parameters in the URL: fields read from the bundled file, runs equal to the file edited by hand,
edits kept on error, changes listed; the charts' 0 % lines and beyond-horizon bars."""

from __future__ import annotations

import re

import yaml

from setu.web.scenario_params import parameters
from setu.web.scenario_view import scenario_text


def test_parameters_are_read_from_the_bundled_file():
    found = {p.name: (p.shown(p.bundled), p.label) for p in parameters(yaml.safe_load(scenario_text("china-gallium")))}
    # china-gallium.yaml: two shocks (cut 1.0 and 0.3, from month 1 for 12 months), stockpiles of JPN 60 days,
    # KOR and USA 30 days, spare capacity 583.3 (JPN) and 1166.7 (KOR) a month, recycling 500 a month (JPN)
    assert {name: value for name, (value, _) in found.items()} == {
        "cut1": "100", "start1": "1", "duration1": "12", "cut2": "30", "start2": "1", "duration2": "12",
        "stock1": "60", "stock2": "30", "stock3": "30", "spare1": "583.3", "spare2": "1166.7", "recycling1": "500"}
    assert found["stock2"][1] == "Stockpile of gallium in KOR (days)"
    assert found["cut2"][1] == "slower export licensing for other buyers: share cut (%)"


def _by_hand(cut2: float, jpn_days: int) -> str:
    """The bundled file with the second shock's cut and Japan's stockpile replaced, edited as text."""
    text = scenario_text("china-gallium")
    text = text.replace("    cut: 0.3\n", f"    cut: {cut2}\n")
    text = text.replace("{country: JPN, node: gallium, days: 60, source: jogmec-stockpile}",
                        f"{{country: JPN, node: gallium, days: {jpn_days}, source: jogmec-stockpile}}", 1)
    return text[:text.index("\nuncertainty:")] + "\n"


def test_a_run_from_the_url_is_the_file_edited_by_hand(site):
    from_url = site.client.get("/api/views/scenarios/china-gallium?cut2=60&stock1=90").json()
    edited = site.client.post("/api/views/scenarios", json={"text": _by_hand(0.6, 90)}).json()
    bundled = site.client.get("/api/views/scenarios/china-gallium").json()
    assert from_url["series"] == edited["series"] and from_url["survival"] == edited["survival"]
    assert from_url["cooperation"]["value"] == edited["cooperation"]["value"]
    assert from_url["series"] != bundled["series"]  # the change changed the run
    assert [(c["parameter"], c["bundled"], c["value"]) for c in from_url["changes"]] == [
        ("cut2", "30", "60"), ("stock1", "60", "90")]
    assert bundled["changes"] == []


def test_the_page_keeps_edits_shows_errors_beside_them_and_lists_changes(site):
    page = site.client.get("/scenarios?scenario=china-gallium&allocation=pro-rata&cut2=60&stock1=90&spare2=1166.7")
    assert page.status_code == 200
    changes = page.text[page.text.index('id="changes"'):].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", changes)
    assert rows == [("slower export licensing for other buyers: share cut (%)", "30", "60"),
                    ("Stockpile of gallium in JPN (days)", "60", "90")]  # spare2 is the bundled value
    assert 'name="cut2" inputmode="decimal" value="60"' in page.text
    assert "/api/views/scenarios/china-gallium?scenario=china-gallium&amp;allocation=pro-rata&amp;cut2=60" in page.text
    wrong = site.client.get("/scenarios?scenario=china-gallium&cut2=150&start1=x&duration1=2.5&stock1=90")
    assert wrong.status_code == 422 and "Nothing was run" in wrong.text and 'id="unmet-chart"' not in wrong.text
    for name, value, problem in (("cut2", "150", "enter a value from 0 to 100"), ("start1", "x", "enter a number"),
                                 ("duration1", "2.5", "enter a whole number of months")):
        field = wrong.text[wrong.text.index(f'id="p-{name}"'):].split("</div>")[0]
        assert f'value="{value}"' in field and problem in field, name
    assert 'name="stock1" inputmode="decimal" value="90"' in wrong.text  # a valid edit is kept too
    late = site.client.get("/scenarios?scenario=china-gallium&start1=19")  # the scenario lasts 18 months
    assert late.status_code == 422 and "enter a value from 1 to 18" in late.text


def test_zero_lines_are_drawn_on_top_and_beyond_horizon_bars_are_their_own_series(site):
    doc = site.client.get("/api/views/scenarios/china-gallium").json()
    unmet = doc["figures"]["unmet"]["data"]
    flat = [t for t in unmet if not any(t["y"])]
    assert flat and unmet[-len(flat):] == flat  # last drawn: on top
    assert all(t["name"].endswith("(0 % throughout)") and t["line"]["dash"] == "dash" for t in flat)
    assert all(any(t["y"]) for t in unmet[:-len(flat)])
    survive, beyond, recover = doc["figures"]["tts_ttr"]["data"]
    ends = [s for s in doc["survival"] if s["end_product"]]
    assert survive["y"] == [s["time_to_survive"] for s in ends]
    assert beyond["y"] == [doc["months"] if s["time_to_survive"] is None else None for s in ends]
    assert beyond["offsetgroup"] == survive["offsetgroup"] != recover["offsetgroup"]
    assert beyond["marker"]["pattern"]["shape"] == "/" and "beyond horizon" in beyond["text"]
