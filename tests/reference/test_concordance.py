"""The one material model: every bundled HS code is mapped, every mapped code is bundled or marked absent,
baskets are flagged, series and content factors are real and cited."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from setu.errors import DataFormatError
from setu.reference import concordance, tables, trade_products
from setu.sources import iea_minerals


def _extract_codes() -> set[str]:
    codes: set[str] = set()
    with zipfile.ZipFile(tables.data_path("baci", "baci_critical_materials_V202601.zip")) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            codes |= {line.split(",")[3] for line in text.splitlines()[1:] if line}
    return codes


def test_every_bundled_code_is_mapped_and_every_mapped_code_is_bundled_or_marked_absent():
    held = _extract_codes()
    links = concordance.links()
    assert held == {link.hs6 for link in links if link.bundled}
    assert not {link.hs6 for link in links if not link.bundled} & held
    assert set(trade_products.BY_CODE) == held and len(held) == 30


def test_a_code_is_one_material_unless_it_is_a_basket_and_its_rows_agree():
    by_code: dict[str, list[concordance.Link]] = {}
    for link in concordance.links():
        by_code.setdefault(link.hs6, []).append(link)
    for code, rows in by_code.items():
        assert len({(r.product_name, r.stage, r.bundled, r.basket) for r in rows}) == 1, code
        if len(rows) > 1:
            assert all(r.basket for r in rows), code
        assert len({r.material_id for r in rows}) == len(rows), code
    assert {r.material_id for r in by_code["811292"]} == {"gallium", "germanium", "indium", "rhenium", "niobium",
                                                          "zirconium"}
    assert concordance.is_basket("280429") and not concordance.is_basket("283691")


def test_materials_series_and_iea_stages_exist():
    registry = tables.materials().materials
    series = {(row.material_id, row.series) for row in _usgs_series()}
    for link in concordance.links():
        if link.material_id is not None:
            assert link.material_id in registry, link
        if link.usgs_series is not None:
            assert (link.material_id, link.usgs_series) in series, link
        if link.iea_stage is not None:
            assert link.material_id in iea_minerals.MINERALS and link.iea_stage in iea_minerals.STAGES, link
        if link.origin == "iea":
            assert link.iea_stage is not None
        if link.origin == "usgs":
            assert link.usgs_series is not None


def _usgs_series():
    class Row:
        def __init__(self, row):
            self.material_id, self.series = row["material_id"], row["series"]
    text = tables.data_path("reference", "usgs_series.csv").read_text(encoding="utf-8")
    return [Row(r) for r in csv.DictReader(io.StringIO(text))]


def test_look_through_rows_are_cited_and_upstream_codes_resolve_in_one_step():
    for link in concordance.links():
        if link.origin is None:
            continue
        assert link.content_factor and link.content_factor > 0 and link.content_source, link
        assert link.upstream_hs6 and all(len(c) == 6 and c.isdigit() for c in link.upstream_hs6), link
        for code in link.upstream_hs6:
            if code != link.hs6 and code in concordance.bundled_codes():
                upstream = concordance.origin_link(code)
                assert upstream is not None and code in upstream.upstream_hs6  # its own upstream
    assert concordance.origin_link("811292") is None and concordance.origin_link("280429") is None
    assert concordance.origin_link("270112") is None


# IUPAC standard atomic weights (abridged): the content factors that are stoichiometry, worked again here
LI, C, O, CO, SR, AS_, ND, FE, B = 6.94, 12.011, 15.999, 58.933, 87.62, 74.922, 144.24, 55.845, 10.81


@pytest.mark.parametrize(("code", "expected"), [
    ("283691", 2 * LI / (2 * LI + C + 3 * O)),  # Li in Li2CO3
    ("282200", 3 * CO / (3 * CO + 4 * O)),  # Co in Co3O4
    ("283692", SR / (SR + C + 3 * O)),  # Sr in SrCO3
    ("280480", (2 * AS_ + 3 * O) / (2 * AS_)),  # As2O3 per As
    ("850511", (2 * ND / (2 * ND + 14 * FE + B)) / (2 * ND / (2 * ND + 3 * O))),  # REO in Nd2Fe14B
])
def test_stoichiometric_content_factors(code, expected):
    assert concordance.origin_link(code).content_factor == pytest.approx(expected, abs=6e-5)


def test_materials_take_their_codes_from_the_concordance():
    registry = tables.materials().materials
    assert "282200" in registry["cobalt"].hs6_hs2017
    assert "720293" in registry["niobium"].hs6_hs2017 and "720292" in registry["vanadium"].hs6_hs2017
    for material, code in (("strontium", "283692"), ("beryllium", "811212"), ("feldspar", "252910")):
        assert code in registry[material].hs6_hs2017
    assert "850511" not in registry["rare-earths"].hs6_hs2017  # magnets are a product made from rare earths
    assert concordance.codes_of("rare-earths", roles=("material", "product"))[0] == "850511"


def test_baskets_are_labelled():
    basket = trade_products.product("811292")
    assert basket.basket and basket.material_id is None
    assert basket.basket_label.startswith("one customs basket: Gallium, Germanium")
    assert "Zirconium and hafnium" in basket.basket_label  # the basket's hafnium, under USGS's joint table
    assert concordance.basket_label("280429") == "one customs basket: helium"
    assert "basket" in basket.name and trade_products.product("283691").basket_label == ""
    assert [p.hs6 for p in trade_products.for_material("germanium")] == ["811292"]


def test_a_malformed_row_names_its_line_and_field():
    row = {"hs6": "28369", "stage": "chemical", "role": "material", "basket": "no", "bundled": "yes"}
    with pytest.raises(DataFormatError) as error:
        concordance._link(row, 7, "reference/trade_concordance.csv")
    assert error.value.line == 7 and error.value.field == "hs6"
    with pytest.raises(DataFormatError) as error:
        concordance._link({**row, "hs6": "283691", "origin": "usgs", "stage_relation": "own"}, 9, "f.csv")
    assert error.value.field == "content_factor"


def test_the_extracts_crosswalk_codes_are_in_the_concordance():
    bundled = set(concordance.bundled_codes())
    for label, entry in trade_products.crosswalk().items():
        if label == "hafnium":  # 811231 is folded into the 811292 basket in the extract
            continue
        assert entry["title_code"] in bundled, label


def test_supply_chain_map_nodes_agree_with_the_concordance():
    from setu.services.maps import MapService, bundled_map_files

    service = MapService()
    checked = 0
    for map_id in bundled_map_files():
        for node in service.load(map_id).nodes:
            for code in node.hs:
                entry = concordance.label(code.code)
                if not entry["known"]:
                    continue  # a good further downstream (cells, wafers, medicines): not a material code
                assert entry["materials"], (map_id, node.id, code.code)
                if node.material is not None:
                    assert node.material in entry["materials"], (map_id, node.id, code.code)
                checked += 1
    assert checked >= 8  # lithium (2), cobalt, nickel, rare-earth oxides, metals and magnets, ammonia


def test_watch_labels_name_a_basket():
    from setu.services.documents.watch import _hs_labels

    labels = _hs_labels(["811292", "283691", "999999"])
    assert labels["811292"].startswith("HS 811292 (Gallium") and labels["811292"].endswith("one customs basket)")
    assert labels["283691"] == "HS 283691 (Lithium)" and labels["999999"].startswith("HS 999999")


def test_content_factor_of_a_code_and_material():
    assert concordance.content_factor("283691", "lithium") == pytest.approx(0.1879)
    assert concordance.content_factor("811292", "gallium") is None
    assert concordance.content_factor("283691", "cobalt") is None
