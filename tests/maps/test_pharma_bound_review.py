"""Review findings on MHLW's beta-lactam figure in the pharmaceutical map (expected to fail until fixed).

MHLW (24 Jan 2025, 資料1 p.12) says the raw materials of beta-lactam antibacterials depend on China for
"ほぼ100%" (almost 100 %); the map records CHN 1.0 and calls it "an upper bound as written" only in the
measure. What a reader of `setu maps vulnerabilities` and `setu maps chokepoints` sees must carry that."""

from __future__ import annotations

import pytest

from setu.maps import node_vulnerabilities
from setu.services.maps import MapService

NODE = "beta-lactam-raw-materials-japan"


@pytest.fixture(scope="module")
def pharma():
    return MapService().load("pharmaceuticals")


def test_the_chokepoint_label_keeps_the_bound(pharma):
    row = next(v for v in node_vulnerabilities(pharma) if v.node == NODE)
    assert row.chokepoint is not None
    assert "almost" in row.chokepoint or "upper bound" in row.chokepoint


def test_the_product_chokepoints_show_the_import_figure_or_say_why_not(pharma):
    report = MapService().product(pharma, "cefazolin-injection")
    assert any(c.node == NODE for c in report.chokepoints)
