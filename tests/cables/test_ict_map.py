"""The ICT map's submarine-cable node carries the pack's supplier concentration when the pack is
installed, and stays without figures when it is not."""

from __future__ import annotations

import pytest

from setu.maps import concentration
from setu.services.cables import CableService, map_overlays
from setu.services.maps import MapService
from setu.settings import Settings


def test_cable_node_gets_supplier_shares_from_the_pack(pack_data_dir):
    settings = Settings(data_dir=pack_data_dir)
    node = MapService(overlays=map_overlays(settings)).load("ict").node("submarine-cable")
    assert node.supply is not None and "CC BY-NC-SA" in node.supply.citation.source
    world = CableService(settings).suppliers_document(None)
    by_firm = {share.firm: share.share for share in node.supply.firms}
    assert by_firm["ASN"] == pytest.approx(next(r["share"] for r in world["rows"] if r["name"] == "ASN"))
    countries = {share.country: share.share for share in node.supply.shares}
    assert countries["FRA"] >= by_firm["ASN"] and countries["USA"] >= by_firm["SubCom"]
    assert countries["CHN"] == pytest.approx(by_firm["HMN Tech"])
    assert sum(countries.values()) <= 1 + 1e-9
    assert concentration(node.supply.shares).hhi > 1000  # now scored by the maps' vulnerability
    # the pack fills empty nodes only: other maps and other nodes are unchanged
    plain = MapService().load("ict")
    overlaid = MapService(overlays=map_overlays(settings)).load("ict")
    assert [n for n in overlaid.nodes if n.id != "submarine-cable"] == [n for n in plain.nodes
                                                                        if n.id != "submarine-cable"]
    assert MapService(overlays=map_overlays(settings)).load("semiconductors") == MapService().load("semiconductors")


def test_without_the_pack_the_node_has_no_figures(tmp_path):
    node = MapService(overlays=map_overlays(Settings(data_dir=tmp_path))).load("ict").node("submarine-cable")
    assert node.supply is None
