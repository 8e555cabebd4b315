"""Import dependence of every product (metrics.importer_products / importer_suppliers) by hand, and the
country list on the bundled extract against a direct computation."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import ibis
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from setu.cli.main import app
from setu.metrics import trade as metrics
from setu.reference import tables, trade_products
from setu.services.import_dependence import country_imports
from setu.services.trade import TradeService
from setu.settings import Settings
from setu.store.catalog_reader import open_catalog
from trade.test_metrics import SCHEMA, run


def table(rows: list[tuple]) -> ibis.Table:
    """(exporter, importer, product, value, tonnes) rows of 2024."""
    return ibis.memtable(pa.table({
        "year": [2024] * len(rows), "month": [None] * len(rows), "flow": [None] * len(rows),
        "exporter": [r[0] for r in rows], "importer": [r[1] for r in rows], "product": [r[2] for r in rows],
        "value_usd": [float(r[3]) for r in rows], "quantity_tonnes": [r[4] for r in rows]}, schema=SCHEMA))


EXAMPLE = table([
    ("PHL", "JPN", "850511", 500, 5.0), ("CHN", "JPN", "850511", 300, 6.0), ("VNM", "JPN", "850511", 200, None),
    ("CHL", "JPN", "283691", 90, 9.0), ("ARG", "JPN", "283691", 10, 1.0),
    ("CHN", "IND", "850511", 1000, 10.0),
])


def test_importer_products_by_hand():
    rows = run(metrics.importer_products(EXAMPLE, "JPN", 2024, group=["VNM", "ARG"]))
    # 850511: 1,000 USD; HHI = 10,000 (0.5² + 0.3² + 0.2²) = 3,800; tonnes 5 + 6 (VNM reports none), covering
    # 800 of the 1,000 USD; group VNM = 200 → 0.2.   283691: 100 USD; HHI 10,000 (0.81 + 0.01) = 8,200; ARG 0.1.
    assert [(r["product"], r["total_value_usd"], r["hhi"], r["quantity_tonnes"], r["quantity_value_usd"],
             r["top_supplier"], r["top_share"], r["group_share"]) for r in rows] == [
        ("850511", 1000, 3800.0, 11.0, 800, "PHL", 0.5, 0.2),
        ("283691", 100, 8200.0, 10.0, 100, "CHL", 0.9, pytest.approx(0.1)),
    ]
    top = run(metrics.importer_suppliers(EXAMPLE, "JPN", 2024, top=2))
    assert [(r["product"], r["exporter"], r["rank"]) for r in top] == [
        ("283691", "CHL", 0), ("283691", "ARG", 1), ("850511", "PHL", 0), ("850511", "CHN", 1)]


def _direct(importer: str, product: str) -> tuple[float, float, float]:
    """(value USD, tonnes, HHI) straight from the bundled archive with the csv module."""
    codes = {}
    with open(tables.data_path("baci", "baci_country_codes_V202601.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            codes.setdefault(row["country_iso3"], int(row["country_code"]))
    with zipfile.ZipFile(tables.data_path("baci", "baci_critical_materials_V202601.zip")) as archive:
        text = archive.read("BACI_HS17_Y2024_V202601_critical.csv").decode("utf-8")
    values: dict[str, float] = {}
    tonnes = 0.0
    for row in csv.DictReader(io.StringIO(text)):
        if int(row["j"]) == codes[importer] and row["k"] == product:
            values[row["i"]] = values.get(row["i"], 0) + round(float(row["v"]) * 1000)
            tonnes += 0.0 if row["q"] == "NA" else float(row["q"])
    total = sum(values.values())
    return total, tonnes, 10_000 * sum((v / total) ** 2 for v in values.values())


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("profile") / "data")
    service = TradeService(settings)
    with open_catalog(settings.data_dir) as reader:
        return {iso3: country_imports(service, reader, iso3, group=["USA", "AUS", "IND", "JPN"], group_label="QUAD")
                for iso3 in ("JPN", "IND")}


@pytest.mark.parametrize(("importer", "product"), [("JPN", "850511"), ("JPN", "283691"), ("IND", "283691"),
                                                   ("IND", "260200"), ("JPN", "811292")])
def test_country_list_equals_a_direct_computation(documents, importer, product):
    row = next(r for r in documents[importer]["products"] if r["product"] == product)
    value, tonnes, hhi = _direct(importer, product)
    assert row["import_value_usd"] == value
    assert row["import_tonnes"] == pytest.approx(tonnes, rel=1e-9)
    assert row["hhi"] == pytest.approx(hhi, abs=1e-5)


def test_every_bundled_product_is_listed_or_named_as_not_imported(documents):
    for document in documents.values():
        listed = {r["product"] for r in document["products"]} | set(document["not_imported"])
        assert listed == set(trade_products.BY_CODE)
    values = [r["import_value_usd"] for r in documents["JPN"]["products"]]
    assert values == sorted(values, reverse=True)


def test_japan_magnets_upstream_is_china_though_direct_is_the_philippines(documents):
    magnets = next(r for r in documents["JPN"]["products"] if r["product"] == "850511")
    assert magnets["top_suppliers"][0]["country"] == "PHL"
    assert magnets["upstream"]["top_country"] == "CHN"
    assert magnets["upstream"]["top_share"] > magnets["top_suppliers"][2]["share"] + 0.3  # 72 % vs 28 % direct
    assert magnets["production"]["material"] == "rare-earths"
    assert magnets["upstream"]["stage"] == "refining" and magnets["upstream"]["stage_relation"] == "upstream"
    philippines = next(s for s in magnets["upstream"]["suppliers"] if s["country"] == "PHL")
    assert philippines["self_served"] == 0.0  # refines no rare earths: a pure pass-through
    assert any("not in the trade data" in f for f in magnets["upstream"]["fallbacks"])


def test_india_bauxite_from_guinea_is_guinea_s_own_ore(documents):
    bauxite = next(r for r in documents["IND"]["products"] if r["product"] == "260600")
    assert bauxite["top_suppliers"][0]["country"] == "GIN"
    upstream = bauxite["upstream"]
    assert upstream["stage"] == "mine" and upstream["top_country"] == "GIN"
    guinea = next(s for s in upstream["suppliers"] if s["country"] == "GIN")
    assert guinea["self_served"] == 1.0  # Guinea mines its bauxite and imports none
    assert upstream["top_share"] >= guinea["content_share"]


def test_japan_titanium_sponge_never_shows_japan_as_its_own_upstream(documents):
    sponge = next(r for r in documents["JPN"]["products"] if r["product"] == "810820")
    assert "JPN" not in {e["country"] for e in sponge["upstream"]["exposure"]}
    assert sponge["upstream"]["production_source"].startswith("USGS") and sponge["upstream"]["stage"] == "plant"


def test_a_basket_code_is_labelled_and_gets_no_single_metal_look_through(documents):
    basket = next(r for r in documents["JPN"]["products"] if r["product"] == "811292")
    assert basket["basket"] and basket["basket_label"].startswith("one customs basket")
    assert basket["upstream"] is None and basket["production"] is None


def test_briefing_leads_with_imports_and_the_lists_differ(tmp_path, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["briefing", "--json", "--top", "8"])
    assert result.exit_code == 0, result.output
    sections = {s["country"]: s for s in json.loads(result.output)["countries"]}
    lists = {c: [p["product"] for p in s["imports"]["products"]] for c, s in sections.items()}
    assert len(lists["JPN"]) == len(lists["IND"]) == 8
    assert lists["JPN"] != lists["IND"]
    sources = {s["source_id"]: s for s in json.loads(result.output)["sources"]}
    assert "Gaulier & Zignago 2010" in sources["cepii-baci-v202601"]["citation"]
    # ordered by risk, not by import value: India's magnets (84 % from China) and silicon (90 % from China)
    # come before its far larger coal imports from South Africa, Australia and the USA
    india = sections["IND"]["imports"]["products"]
    assert {"850511", "280469"} <= set(lists["IND"]) and "270112" not in lists["IND"]
    material = [p["supplier_gw_hhi"] for p in india if p["import_value_usd"] >= 10_000_000]
    assert material == sorted(material, reverse=True)


def test_cli_list_with_a_bundled_group(tmp_path, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["dependence", "JPN", "--group", "QUAD", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["group"] == {"label": "QUAD", "members": ["AUS", "IND", "JPN", "USA"]}
    nickel = next(r for r in document["products"] if r["product"] == "750210")
    # QUAD share of Japan's nickel = Australia's + India's + the USA's shares, from the bundled file
    codes = {"AUS": 36, "IND": 699, "USA": 842}
    with zipfile.ZipFile(tables.data_path("baci", "baci_critical_materials_V202601.zip")) as archive:
        text = archive.read("BACI_HS17_Y2024_V202601_critical.csv").decode("utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["j"] == "392" and r["k"] == "750210"]
    total = sum(round(float(r["v"]) * 1000) for r in rows)
    quad = sum(round(float(r["v"]) * 1000) for r in rows if int(r["i"]) in codes.values())
    assert nickel["group_share"] == pytest.approx(quad / total)
    assert document["materials"]  # the production-side screen beside it


def test_a_year_without_quantities_gets_no_look_through_and_says_why(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    service = TradeService(settings)
    with open_catalog(settings.data_dir) as reader:
        document = country_imports(service, reader, "IND", year=2022, products=["260600"])
    (bauxite,) = document["products"]
    assert bauxite["upstream"]["not_computed"] == "no quantities for IND's imports of 260600 in 2022"
