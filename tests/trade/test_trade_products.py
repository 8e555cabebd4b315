"""The bundled products table agrees with the extract's crosswalk and with the extract itself."""

from __future__ import annotations

import zipfile

from setu.reference import tables, trade_products


def test_products_are_the_extracts_codes_and_follow_the_crosswalk():
    with zipfile.ZipFile(tables.data_path("baci", "baci_critical_materials_V202601.zip")) as archive:
        text = archive.read("BACI_HS17_Y2024_V202601_critical.csv").decode("utf-8")
    codes = {line.split(",")[3] for line in text.splitlines()[1:]}
    assert codes == set(trade_products.BY_CODE) and len(codes) == 30
    crosswalk = trade_products.crosswalk()
    for product in trade_products.PRODUCTS:
        for label in product.labels:
            entry = crosswalk[label]
            # 811231 (hafnium) is folded into 811292 in the extract
            assert product.hs6 in {*entry["refined_hs"], *entry["ore_hs"], entry["title_code"]} or \
                (label == "hafnium" and product.hs6 == "811292")
        if product.material_id is not None:
            assert product.material_id in tables.materials().materials
    assert [p.hs6 for p in trade_products.for_material("germanium")] == ["811292"]
