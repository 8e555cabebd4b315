"""The unit-value screen in a country's dependence, on the bundled extract, against a direct reading of it."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import pytest

from setu.services.import_dependence import country_imports
from setu.services.trade import TradeService
from setu.settings import Settings
from setu.store.catalog_reader import open_catalog
from trade.test_complementarity import _bundled_rows


@pytest.fixture(scope="module")
def india(built_catalog: Path) -> tuple[dict, dict]:
    service = TradeService(Settings.from_env())
    try:
        with open_catalog(built_catalog) as reader:
            counted = country_imports(service, reader, "IND", products=["283691"])
            left_out = country_imports(service, reader, "IND", products=["283691"], exclude_flagged=True)
    finally:
        service.close()
    return counted["products"][0], left_out["products"][0]


def test_india_lithium_carbonate_low_unit_value_flows_are_flagged(india) -> None:
    counted, _ = india
    flows = [(e, i, v, q) for e, i, v, q in _bundled_rows("283691") if q]
    logs = [math.log(v / (q * 1000)) for e, i, v, q in flows]
    median = statistics.median(logs)
    mad = statistics.median(abs(x - median) for x in logs)
    screen = counted["unit_values"]
    assert screen["world_median_usd_per_kg"] == pytest.approx(math.exp(median))
    assert screen["robust_spread_log"] == pytest.approx(1.4826 * mad)
    flagged = {f["exporter"]: f for f in screen["flagged"]}
    ireland = next((v, q) for e, i, v, q in flows if (e, i) == ("IRL", "IND"))
    assert ireland[1] == 400 and ireland[0] / (ireland[1] * 1000) < 1  # 400 t at about USD 0.56/kg
    assert flagged["IRL"]["unit_value_usd_per_kg"] == pytest.approx(ireland[0] / 400_000)
    assert "times below the world median" in flagged["IRL"]["reason"]
    # every flagged flow is far out by the stated rule, on the direct reading
    for exporter, row in flagged.items():
        value, tonnes = next((v, q) for e, i, v, q in flows if (e, i) == (exporter, "IND"))
        z = (math.log(value / (tonnes * 1000)) - median) / (1.4826 * mad)
        assert abs(z) > 3.5 and row["ratio_to_median"] < 1 / 3
    supplier_values = {s["country"]: s["unit_value_usd_per_kg"] for s in counted["top_suppliers"]}
    assert all(v is None or v > 0 for v in supplier_values.values())  # unit values shown beside the suppliers


def test_leaving_them_out_removes_exactly_their_tonnes(india) -> None:
    counted, left_out = india
    flagged = counted["unit_values"]["flagged"]
    assert left_out["unit_values"]["left_out"] and not counted["unit_values"]["left_out"]
    assert left_out["import_tonnes"] == pytest.approx(counted["import_tonnes"] - sum(f["tonnes"] for f in flagged))
    assert left_out["import_value_usd"] == pytest.approx(
        counted["import_value_usd"] - sum(f["value_usd"] for f in flagged))


def test_a_customs_basket_is_not_screened(built_catalog: Path) -> None:
    """811292 holds seven metals whose prices differ by nature: no common distribution, nothing flagged or left
    out, and the output says why."""
    service = TradeService(Settings.from_env())
    try:
        with open_catalog(built_catalog) as reader:
            counted = country_imports(service, reader, "JPN", products=["811292"])["products"][0]
            left_out = country_imports(service, reader, "JPN", products=["811292"], exclude_flagged=True)["products"][0]
    finally:
        service.close()
    assert counted["unit_values"]["screened"] is False and counted["unit_values"]["flagged"] == []
    assert "basket" in counted["unit_values"]["not_screened"]
    assert left_out["import_value_usd"] == counted["import_value_usd"]
