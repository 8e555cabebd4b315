"""The trade-based pages: the overview's import lead (treemap, state in the URL), a material's trade view
(germanium: trade only), and the complementarity page; each against its JSON twin and the bundled data."""

from __future__ import annotations

from html import unescape

import pytest

from web.test_pages import figures


def test_overview_leads_with_import_dependence_and_a_supplier_treemap(site):
    page = site.client.get("/overview/JPN?year=2024&product=850511")
    assert page.status_code == 200
    twin = site.client.get("/api/views/overview/JPN?year=2024&product=850511").json()
    imports = twin["imports"]
    assert twin["state"] == {"country": "JPN", "year": 2024, "product": "850511", "size": "value"}
    text = unescape(page.text)
    assert text.index("Import dependence: whom Japan buys") < text.index("Production side")  # it leads
    treemap = figures(page.text)["imports-treemap"]["data"][0]
    assert treemap["type"] == "treemap" and treemap["branchvalues"] == "total"
    # every product box is the sum of its supplier boxes, and equals the product's imports
    by_id = dict(zip(treemap["ids"], treemap["values"], strict=True))
    for row in imports["products"][:12]:
        children = [v for i, v in by_id.items() if i.startswith(row["product"] + "/")]
        assert by_id[row["product"]] == pytest.approx(sum(children)) == pytest.approx(row["import_value_usd"])
    assert "CEPII BACI" in figures(page.text)["imports-treemap"]["source"]
    selected = imports["selected"]
    assert [s["country"] for s in selected["suppliers"][:2]] == ["PHL", "VNM"]
    assert selected["upstream"]["top_country"] == "CHN"
    assert 'id="upstream-exposure"' in page.text
    assert 'value="850511" selected' in page.text  # the URL's product is the form's state


def test_overview_treemap_sizes_by_value_by_concentration_or_without_energy(site):
    twin = site.client.get("/api/views/overview/JPN?year=2024").json()
    rows = {r["product"]: r for r in twin["imports"]["products"]}
    assert "270112" in rows  # coal: most of Japan's bill in value
    for size in ("weighted", "no-energy"):
        page = site.client.get(f"/overview/JPN?year=2024&size={size}")
        assert page.status_code == 200 and f'value="{size}" selected' in page.text
        treemap = figures(page.text)["imports-treemap"]["data"][0]
        boxes = {i: v for i, v in zip(treemap["ids"], treemap["values"], strict=True) if "/" not in i}
        if size == "no-energy":
            assert "270112" not in boxes and "coal (energy) left out" in figures(page.text)["imports-treemap"]["layout"][
                "title"]["text"]
            assert all(v == pytest.approx(rows[p]["import_value_usd"]) for p, v in boxes.items())
        else:  # each box: import value x HHI / 10,000, largest first
            for product, value in boxes.items():
                assert value == pytest.approx(rows[product]["import_value_usd"] * rows[product]["hhi"] / 10_000)
            assert list(boxes.values()) == sorted(boxes.values(), reverse=True)
    assert site.client.get("/overview/JPN?size=largest").status_code == 422


def test_overview_prints_compact_figures_with_the_full_one_behind(site):
    page = unescape(site.client.get("/overview/JPN?year=2024").text)
    twin = site.client.get("/api/views/overview/JPN?year=2024").json()
    first = twin["imports"]["products"][0]
    value = first["import_value_usd"]
    assert f'data-value="{value}" title="{value:,.0f} USD">{value / 1e9:.3g} bn<' in page
    treemap = figures(page)["imports-treemap"]["data"][0]
    assert treemap["text"][0] == f"{value / 1e9:.3g} bn" and "%{value:,.0f}" in treemap["hovertemplate"]
    assert "no trade data loaded" not in page
    assert " 0%" not in page.split('id="imports-table"')[1].split("</table>")[0]  # no "KOR 0%" padding
    assert "trade history</a>" in page and "/trade/history?importer=JPN" in page


def test_overview_unknown_product_is_a_404_with_the_bundled_codes(site):
    response = site.client.get("/overview/JPN?product=123456")
    assert response.status_code == 404 and "850511" in response.text
    assert site.client.get("/overview/JPN?product=12x").status_code == 422


def test_material_page_shows_exporters_and_the_chosen_countrys_suppliers(site):
    page = site.client.get("/materials/rare-earths?country=IND&year=2024")
    assert page.status_code == 200
    trade = site.client.get("/api/views/materials/rare-earths?country=IND&year=2024").json()["trade"]
    magnets = next(p for p in trade["products"] if p["product"] == "850511")
    assert magnets["exporters"][0]["country"] == "CHN"
    assert sum(e["share"] for e in magnets["exporters"]) <= 1 + 1e-9
    assert round(100 * magnets["importer"]["suppliers"][0]["share"], 1) == 84.2  # SOURCE spot check
    assert 'id="suppliers-850511"' in page.text and 'value="IND"' in page.text


def test_material_page_charts_both_partners_suppliers_by_default_and_names_absent_key_codes(site):
    page = site.client.get("/materials/rare-earths?year=2024")
    trade = site.client.get("/api/views/materials/rare-earths?year=2024").json()["trade"]
    magnets = next(p for p in trade["products"] if p["product"] == "850511")
    by_country = {i["country"]: i for i in magnets["importers"]}
    assert list(by_country) == ["JPN", "IND"] and "importer" not in magnets
    assert round(100 * by_country["IND"]["suppliers"][0]["share"], 1) == 84.2  # as with ?country=IND
    bars = by_country["JPN"]["figure"]["table"]["rows"]
    assert [r[0] for r in bars] == [s["name"] for s in by_country["JPN"]["suppliers"]]
    for code in ("JPN", "IND"):
        assert f'id="suppliers-{code}-850511"' in page.text and f'id="suppliers-850511-{code}"' in page.text
    assert "HS 2846" in trade["key_codes_absent"] and "not the rare earths' own trade" in unescape(page.text)
    assert site.client.get("/api/views/materials/gallium").json()["trade"]["key_codes_absent"] is None


def test_producers_reporting_zero_are_not_tinted_as_small_producers(site):
    doc = site.client.get("/api/views/materials/gallium").json()
    zero = [s["country"] for s in doc["report"]["shares"] if s["share"] == 0]
    assert zero  # USGS lists the United States with no gallium production in 2023
    scale, reported = doc["figures"]["map"]["data"]
    assert not set(zero) & set(scale["locations"]) and min(scale["z"]) > 0
    assert reported["locations"] == zero and reported["name"] == "reports production 0"
    assert reported["showscale"] is False


def test_germanium_gets_a_trade_page_not_a_404(site):
    page = site.client.get("/materials/germanium?country=JPN")
    assert page.status_code == 200
    assert "no country production figures" in page.text and 'id="exporters-811292"' in page.text
    doc = site.client.get("/api/views/materials/germanium?country=JPN").json()
    assert doc["report"] is None and doc["trade"]["products"][0]["product"] == "811292"
    assert doc["trade"]["products"][0]["importer"]["suppliers"]


def test_complementarity_page_and_twin(site):
    page = site.client.get("/complementarity?a=JPN&b=IND&year=2024")
    assert page.status_code == 200
    doc = site.client.get("/api/views/complementarity?a=JPN&b=IND&year=2024").json()
    assert doc["partners"] == ["JPN", "IND"] and all(r["hhi"] > 1800 for r in doc["rows"])
    material = [r["covered_value_usd"] for r in doc["rows"] if not r["small"]]
    assert material == sorted(material, reverse=True)  # ordered for action: material rows first, largest first
    assert [r["small"] for r in doc["rows"]] == sorted(r["small"] for r in doc["rows"])
    assert [r["priority"] for r in doc["rows"]] == list(range(1, len(doc["rows"]) + 1))
    assert all(r["net_exporter"] for r in doc["rows"])  # a net importer is never offered
    titanium = next(r for r in doc["rows"] if (r["exporter"], r["product"]) == ("JPN", "810820"))
    assert titanium["top_supplier"] == "KAZ" and 0 < titanium["cover_top_share_tonnes"] <= 1
    assert any((r["exporter"], r["product"]) == ("IND", "740311") for r in doc["not_offered"])
    assert 'id="complementarity-table"' in page.text and "CEPII BACI" in unescape(page.text)
    assert 'id="not-offered-table"' in page.text
    more = site.client.get("/api/views/complementarity?a=IND&b=JPN&year=2024&all=true").json()
    # with all=true the products whose imports are not highly concentrated come too (offered or not)
    assert len(more["rows"]) + len(more["not_offered"]) > len(doc["rows"]) + len(doc["not_offered"])


def test_the_overview_shows_the_flagged_unit_values_of_the_selected_product(site):
    page = site.client.get("/overview/IND?year=2024&product=283691")
    twin = site.client.get("/api/views/overview/IND?year=2024&product=283691").json()
    flagged = twin["imports"]["selected"]["unit_values"]["flagged"]
    assert "IRL" in {f["exporter"] for f in flagged}
    assert page.status_code == 200 and 'id="unit-value-flags"' in page.text
    assert "times below the world median" in unescape(page.text)

    left_out = site.client.get("/api/views/overview/IND?year=2024&product=283691&exclude_flagged=true").json()
    selected = left_out["imports"]["selected"]
    assert left_out["state"]["exclude_flagged"] and selected["unit_values"]["left_out"]
    counted = twin["imports"]["selected"]
    assert selected["import_tonnes"] == pytest.approx(counted["import_tonnes"] - sum(f["tonnes"] for f in flagged))
    page = site.client.get("/overview/IND?year=2024&product=283691&exclude_flagged=true")
    assert 'name="exclude_flagged" value="true" checked' in page.text and "exclude_flagged=true" in page.text
