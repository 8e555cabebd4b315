"""Page-level tests: each page renders its document's content, its figures name source and year, and its
JSON twin returns the same document. Expected values are recomputed here from the data, not copied."""

from __future__ import annotations

import json
import re
from html import unescape

import pandas as pd
import pytest

from setu.services import watch as watch_service
from setu.services.maps import bundled_map_files
from setu.web.downloads import figures as walk_figures

from .conftest import post_form


def figures(html: str) -> dict[str, dict]:
    """The Plotly figures embedded in a page, by element id."""
    found = re.findall(r'<script type="application/json" id="([\w-]+)-data">(.*?)</script>', html, re.S)
    return {name: json.loads(body) for name, body in found}


def test_overview_ranks_by_risk_with_sources(site):
    page = site.client.get("/overview/JPN")
    assert page.status_code == 200
    twin = site.client.get("/api/views/overview/JPN").json()
    assert twin["name"] == "Japan" and "<h1>Dependence overview: Japan (JPN)</h1>" in page.text
    rows = twin["most_risky"]
    # gw_exposure = GW-HHI (scaled) x (1 - own share) of the bottleneck stage, recomputed from that stage's own
    # figures, the highest of the stages held, sorted descending
    for row in rows:
        worst = max(row["stages"], key=lambda s: s["exposure"])
        assert row["gw_exposure"] == pytest.approx(worst["gw_hhi_scaled"] * (1 - worst["own_share"]), abs=1e-3)
        assert row["bottleneck_stage"] == f"{worst['step']}: {worst['source']}"
    assert [r["gw_exposure"] for r in rows] == sorted((r["gw_exposure"] for r in rows), reverse=True)
    assert [r["hhi"] for r in twin["most_concentrated"]] == sorted((r["hhi"] for r in twin["most_concentrated"]),
                                                                   reverse=True)
    assert f'href="/materials/{rows[0]["material"]}">{unescape(rows[0]["material_name"])}' in unescape(page.text)
    figure = figures(page.text)["risk"]
    assert figure["data"][0]["x"] == [r["gw_exposure"] for r in rows][::-1]
    assert "Mineral Commodity Summaries" in figure["source"] and re.search(r"\b20\d\d\b", figure["source"])
    assert f"Source: {figure['source']}" in unescape(page.text)
    assert {s["map"] for s in twin["sectors"]} == set(bundled_map_files())


def test_overview_takes_any_country_name_and_rejects_unknown(site):
    india = site.client.get("/overview?country=India")
    assert india.status_code == 200 and "(IND)</h1>" in india.text
    bad = site.client.get("/overview/ZZZ")
    assert bad.status_code == 404 and "unknown country" in bad.text and 'role="alert"' in bad.text
    assert site.client.get("/api/views/overview/ZZZ").json()["detail"].startswith("unknown country")


def test_material_page_map_history_and_headroom(site):
    page = site.client.get("/materials/gallium")
    assert page.status_code == 200
    doc = site.client.get("/api/views/materials/gallium").json()
    report = doc["report"]
    shares = report["shares"]
    # HHI is the sum of squared percentage shares of the reported world total (0-10,000)
    assert report["hhi"] == pytest.approx(sum((100 * s["share"]) ** 2 for s in shares), rel=1e-3)
    figs = figures(page.text)
    choropleth = figs["map"]["data"][0]
    assert choropleth["type"] == "choropleth" and choropleth["locationmode"] == "ISO-3"
    assert dict(zip(choropleth["locations"], choropleth["z"], strict=True))["CHN"] == pytest.approx(
        100 * next(s["share"] for s in shares if s["country"] == "CHN"), abs=0.01)
    assert str(report["year"]) in figs["map"]["source"]
    years = [h["year"] for h in doc["history"]]
    assert years == sorted(years) and report["year"] == years[-1] and len(years) >= 2
    for row in doc["headroom"]:
        assert row["headroom"] == pytest.approx(row["capacity"] - row["production"])
    assert "Capacity headroom by country" in page.text and "China" in page.text
    assert "Log in</a> to see the register" in page.text  # linked projects need a signed-in user


def test_material_page_lists_linked_projects_within_tiers(fresh_site):
    fresh_site.login("meti-editor")
    page = fresh_site.client.get("/materials/rare-earths").text
    assert "Sample government project of meti" in page and "Sample public project of keidanren" in page
    fresh_site.logout()
    fresh_site.login("company-viewer")
    page = fresh_site.client.get("/materials/rare-earths").text
    assert "Sample public project of meti" in page
    assert "Sample government project of meti" not in page  # government tier: ministries only


@pytest.mark.parametrize("map_id", sorted(bundled_map_files()))
def test_supply_chain_page_lists_every_node_by_stage_with_its_links(site, map_id):
    page = site.client.get(f"/supply-chains/{map_id}")
    assert page.status_code == 200
    doc = site.client.get(f"/api/views/supply-chains/{map_id}").json()
    assert page.text.count('class="node ') == len(doc["nodes"])
    assert page.text.count('<details class="stage" open>') == len({n["stage"] for n in doc["nodes"]})
    links = json.loads(unescape(re.search(r'id="chain-links">(.*?)</script>', page.text).group(1)))
    assert sum(len(v["inputs"]) for v in links.values()) == len(doc["edges"])
    assert "Figures from" in page.text and doc["sources"]
    assert "…" not in re.sub(r"<[^>]+>", "", page.text.split('class="stage-columns"')[1].split("</div>")[0])


def test_supply_chain_columns_colour_by_the_chosen_measure_and_filter_to_chokepoints(site):
    doc = site.client.get("/api/views/supply-chains/semiconductors").json()
    chokes = [n for n in doc["nodes"] if n["chokepoint"]]  # one country or one firm supplies the node
    page = site.client.get("/supply-chains/semiconductors?chokepoints=true&colour=hhi").text
    assert page.count('class="node ') == len(chokes) < len(doc["nodes"])
    assert "Colour: concentration of supply, HHI (0–10,000)" in page
    node = next(n for n in chokes if n["concentration_hhi"] is not None)
    bucket = min(4, int(5 * node["concentration_hhi"] / 10_000))
    assert re.search(rf'class="node c{bucket} chokepoint" data-node="{re.escape(node["id"])}"', page)
    assert site.client.get("/supply-chains/semiconductors?colour=nonsense").status_code == 422
    default = site.client.get("/supply-chains/semiconductors").text  # colour by concentration unless asked
    assert "Colour: concentration score = HHI/10,000 x (1 - substitutability)" in default  # SCORE_DEFINITION's words


def test_supply_chain_node_panel_shows_suppliers_and_chokepoint(site):
    doc = site.client.get("/api/views/supply-chains/ict").json()
    choke = next(n for n in doc["nodes"] if n["supply"] and any(p["largest_loss"] for p in n["status"]["products"]))
    loss = max(p["largest_loss"][1] for p in choke["status"]["products"] if p["largest_loss"])
    assert loss == pytest.approx(max(s["share"] for s in choke["supply"]["shares"]))  # fixed proportions
    panel = site.client.get(f"/supply-chains/ict/nodes/{choke['id']}").text
    assert "chokepoint at tier" in panel
    top = max(choke["supply"]["shares"], key=lambda s: s["share"])
    assert unescape(top["name"]) in unescape(panel) and f"{100 * top['share']:.0f}%" in panel
    assert f"Source: {choke['supply']['source']}" in unescape(panel)
    full = site.client.get(f"/supply-chains/ict?node={choke['id']}").text  # works without script too
    assert "chokepoint at tier" in full
    assert site.client.get("/supply-chains/ict/nodes/no-such-node").status_code == 404


def test_supply_chains_index_lists_the_five_sectors(site):
    page = site.client.get("/supply-chains").text
    for sector in ("Semiconductors", "Critical minerals", "Ict", "Clean energy", "Pharmaceuticals"):
        assert f">{sector}</h2>" in page


def test_scenario_page_runs_and_shows_tts_ttr_and_coordination(site):
    page = site.client.get("/scenarios?scenario=china-gallium")
    assert page.status_code == 200
    doc = site.client.get("/api/views/scenarios/china-gallium").json()
    cooperation = doc["cooperation"]
    assert cooperation["value"] == pytest.approx(cooperation["autarky"] - cooperation["coordinated"])
    assert f'id="coordination-value">{cooperation["value"]:,.1f}<' in page.text
    exposed = [s for s in doc["survival"] if s["exposed"]]
    for row in exposed:  # exposed means the stock runs out before supply recovers
        assert row["time_to_survive"] is not None and row["time_to_survive"] < row["time_to_recover"]
    assert page.text.count('class="exposed"') == len(exposed)
    unmet = figures(page.text)["unmet-chart"]
    months = {row["month"] for row in doc["series"]}
    assert max(months) == doc["months"] and all(max(t["x"]) == doc["months"] for t in unmet["data"])
    assert "Scenario china-gallium" in unmet["source"] and re.search(r"\(20\d\d\)", unmet["source"])


def test_scenario_edited_text_runs_and_bad_text_is_a_located_error(site):
    text = site.client.get("/api/views/scenarios/china-graphite").json()
    original = (bundled := site.client.get("/scenarios?scenario=china-graphite").text)
    assert "China" in original and text["months"] > 6
    from setu.web.scenario_view import scenario_text
    edited = re.sub(r"^months: \d+", "months: 6", scenario_text("china-graphite"), flags=re.M)
    page = post_form(site.client, "/scenarios", {"scenario": "china-graphite", "text": edited, "allocation": ""})
    assert page.status_code == 200 and "6 months" in page.text
    twin = site.client.post("/api/views/scenarios", json={"text": edited}).json()
    assert twin["months"] == 6 and max(r["month"] for r in twin["series"]) == 6
    broken = post_form(site.client, "/scenarios", {"scenario": "china-graphite", "text": "format: nonsense\n"})
    assert 400 <= broken.status_code < 500 and 'role="alert"' in broken.text
    assert bundled.count("<option") >= 6


def test_watch_page_marks_measures_and_flags_anomalies(site):
    page = site.client.get("/watch?hs6=811292")
    assert page.status_code == 200
    doc = site.client.get("/api/views/watch?hs6=811292").json()
    flows, _ = watch_service.load_flows(None)
    total = flows[flows["hs6"] == "811292"].groupby("period")["value_usd"].sum()
    series = pd.Series(doc["values"], index=doc["periods"]).dropna()
    assert series.loc[total.index].to_numpy() == pytest.approx(total.to_numpy())
    months = {(m["measure"], m["event"]): m["month"] for m in doc["measures"]}
    assert months[("cn-2023-gallium-germanium-licensing", "effective")] == "2023-08"
    figure = figures(page.text)["series"]
    assert any(shape["x0"] == "2023-08" for shape in figure["layout"]["shapes"])
    assert doc["alerts"] and all(a["period"] in doc["periods"] for a in doc["alerts"])
    assert figure["data"][1]["x"] == [a["period"] for a in doc["alerts"]]
    assert "UN Comtrade" in figure["source"] and "2017" in figure["source"]
    assert "cn-2023-gallium-germanium-licensing" in page.text


def test_watch_partner_series_and_bad_code(site):
    doc = site.client.get("/api/views/watch?hs6=250410&partner=JPN&variable=quantity_kg").json()
    assert doc["partner"] == "JPN" and doc["variable"] == "quantity_kg"
    assert site.client.get("/watch?hs6=999999").status_code == 404


@pytest.mark.parametrize("text", ["\x1b", "a: [unclosed", "- just\n- a list\n", "format: setu-scenario/1\n"])
def test_edited_scenario_garbage_is_a_client_error(site, text):
    body = json.dumps({"text": text})
    response = site.client.post("/api/views/scenarios", content=body, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"]


def test_material_page_switches_series(site):
    doc = site.client.get("/api/views/materials/bauxite").json()
    stages = {o["series"]: o["stage"] for o in doc["series_options"]}
    assert {"alumina", "bauxite"} <= set(stages)
    page = site.client.get("/materials/bauxite?series=alumina").text
    assert f"({stages['alumina']})" in page and 'value="alumina" selected' in page
    missing = site.client.get("/materials/germanium")  # USGS withholds country figures: a trade-based page
    assert missing.status_code == 200 and "no production figures by country" in missing.text
    assert 'id="exporters-811292"' in missing.text
    unknown_series = site.client.get("/materials/germanium?series=refinery")  # asked for production: none
    assert unknown_series.status_code == 404 and "no production figures by country" in unknown_series.text


def test_edited_scenario_the_solver_cannot_solve_is_a_client_error_with_the_reason(site):
    from setu.web.scenario_view import scenario_text

    # a baseline of 1e-300 units puts a coefficient of 1e300 in the best-response LP: HiGHS rejects the model
    edited = scenario_text("china-graphite").replace("units_per_month: 4317.3", "units_per_month: 1.0e-300")
    response = site.client.post("/api/views/scenarios", json={"text": edited})
    assert response.status_code == 422, response.text
    assert "best response cannot be computed" in response.json()["detail"][0]["msg"]
    assert "HiGHS" in response.json()["detail"][0]["msg"]


def test_node_panel_shows_the_cited_figure_and_labels_the_proxy(site):
    """A molecule's API node is not scored from the all-API FDA site count; the panel says so, shows the
    count as a labelled proxy and the cited molecule-level report in the node's notes."""
    panel = site.client.get("/supply-chains/pharmaceuticals/nodes/cefazolin-api").text
    assert "not scored (only a proxy" in panel and "Proxy (shown for context, not ranked)" in panel
    assert "Shionogi" in panel and "China being the largest supplier" in panel
    doc = site.client.get("/api/views/supply-chains/pharmaceuticals").json()
    node = next(n for n in doc["nodes"] if n["id"] == "cefazolin-api")
    assert node["supply"] is None and node["proxy_not_ranked"]["shares"][0]["country"] == "USA"


@pytest.mark.parametrize(("path", "chart"), [("/scenarios?scenario=china-gallium", "unmet-chart"),
                                             ("/watch?hs6=811292", "series")])
def test_unmet_demand_and_watch_charts_have_a_table_alternative(site, path, chart):
    """WCAG 1.1.1: the chart's rows as a table under it (the same rows as its CSV and its JSON twin)."""
    html = site.client.get(path).text
    figure = figures(html)[chart]
    block = html.split(f'id="{chart}"')[1].split("</figure>")[0]
    assert "The chart's data as a table" in block
    twin = site.client.get(path.replace("/scenarios?scenario=", "/api/views/scenarios/").replace(
        "/watch", "/api/views/watch")).json()
    table = next(f for _, f in walk_figures(twin) if f["layout"]["title"] == figure["layout"]["title"])["table"]
    shown = re.findall(r"<tr>(.*?)</tr>", block.split("<tbody>")[1])
    assert len(shown) == min(60, len(table["rows"])) > 0
    assert [unescape(c) for c in re.findall(r"<th scope=\"col\">(.*?)</th>", block)] == table["columns"]

