"""The unit-value screen on a hand-worked table with a planted mis-declared flow, and on the bundled extract."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.metrics import trade as metrics
from setu.metrics.unit_values import flow_unit_values, reason, without_flagged
from trade.test_import_profile import table
from trade.test_metrics import run

# 283691: six flows at 10, 12, 14, 15, 16 and 20 USD/kg, and one planted flow: 400 t declared at 0.5 USD/kg
# (IRL to IND). Median of the seven = 14 USD/kg; |ln(u/14)| = 3.332, .3365, .1542, 0, .0690, .1335, .3567;
# MAD = .1542, robust spread 1.4826 x .1542 = .2286; planted z = ln(.5/14)/.2286 = -14.58: flagged.
# 20 USD/kg: z = +1.56, not flagged.
# 810820: five flows at 10 USD/kg and one at 25 (ratio 2.5): MAD = 0 but within the factor-3 floor: not flagged.
# 811292: four flows only: no distribution, not screened.
FLOWS = table([
    ("CHL", "IND", "283691", 10_000, 1.0), ("ARG", "IND", "283691", 12_000, 1.0), ("CHN", "IND", "283691", 14_000, 1.0),
    ("CHL", "JPN", "283691", 15_000, 1.0), ("CHN", "JPN", "283691", 16_000, 1.0), ("USA", "IND", "283691", 20_000, 1.0),
    ("IRL", "IND", "283691", 200_000, 400.0),
    ("KAZ", "IND", "810820", 10_000, 1.0), ("JPN", "IND", "810820", 10_000, 1.0), ("CHN", "IND", "810820", 10_000, 1.0),
    ("KAZ", "JPN", "810820", 10_000, 1.0), ("CHN", "JPN", "810820", 10_000, 1.0), ("UKR", "IND", "810820", 25_000, 1.0),
    ("CHN", "IND", "811292", 1_000, 1.0), ("CHN", "JPN", "811292", 100_000, 1.0), ("RUS", "JPN", "811292", 1, 1.0),
    ("KOR", "JPN", "811292", 1_000, 1.0), ("CHN", "USA", "811292", 5_000, None),
])


def _by_flow(rows):
    return {(r["exporter"], r["importer"], r["product"]): r for r in rows}


def test_the_planted_mis_declared_flow_is_flagged_with_its_reason():
    rows = _by_flow(run(flow_unit_values(FLOWS, 2024)))
    planted = rows[("IRL", "IND", "283691")]
    assert planted["unit_value_usd_per_kg"] == pytest.approx(0.5)
    assert planted["world_median_usd_per_kg"] == pytest.approx(14.0)
    assert planted["robust_spread_log"] == pytest.approx(1.4826 * math.log(14 / 12))
    assert planted["robust_z"] == pytest.approx(math.log(0.5 / 14) / (1.4826 * math.log(14 / 12)))
    assert planted["flagged"] and planted["robust_z"] < -14
    assert "28.0 times below the world median USD 14.00/kg of HS 283691" in reason(planted)
    assert [k for k, r in rows.items() if r["flagged"]] == [("IRL", "IND", "283691")]
    assert rows[("USA", "IND", "283691")]["robust_z"] == pytest.approx(math.log(20 / 14) / (1.4826 * math.log(14 / 12)))


def test_a_tight_product_flags_nothing_within_the_ratio_floor_and_a_thin_one_is_not_screened():
    rows = _by_flow(run(flow_unit_values(FLOWS, 2024)))
    assert rows[("UKR", "IND", "810820")]["robust_z"] is None  # MAD 0: no z
    assert not rows[("UKR", "IND", "810820")]["flagged"] and rows[("UKR", "IND", "810820")]["screened"]
    thin = [r for r in rows.values() if r["product"] == "811292"]
    assert len(thin) == 4 and not any(r["screened"] or r["flagged"] for r in thin)  # the flow without tonnes: out


def test_leaving_flagged_flows_out_changes_the_dependence_figures():
    kept = without_flagged(FLOWS, flow_unit_values(FLOWS, 2024))
    before = {r["product"]: r for r in run(metrics.importer_products(FLOWS, "IND", 2024))}
    after = {r["product"]: r for r in run(metrics.importer_products(kept, "IND", 2024))}
    # India's 283691: 256,000 USD with the planted flow (IRL top at 78 %), 56,000 USD without it
    assert (before["283691"]["total_value_usd"], before["283691"]["top_supplier"]) == (256_000, "IRL")
    assert (after["283691"]["total_value_usd"], after["283691"]["top_supplier"]) == (56_000, "USA")
    assert after["283691"]["quantity_tonnes"] == pytest.approx(4.0)
    assert after["810820"] == before["810820"]


unit_values = st.floats(0.01, 1_000, allow_nan=False)


@settings(max_examples=25, deadline=None)
@given(values=st.lists(unit_values, min_size=5, max_size=12), data=st.data())
def test_a_flag_does_not_depend_on_the_order_of_the_flows_and_always_meets_the_rule(values, data):
    rows = [(f"X{i:02d}", "IND", "283691", v * 1000, 1.0) for i, v in enumerate(values)]
    shuffled = data.draw(st.permutations(rows))
    first = {r["exporter"]: r for r in run(flow_unit_values(table(rows), 2024))}
    second = {r["exporter"]: r for r in run(flow_unit_values(table(shuffled), 2024))}
    assert {e: r["flagged"] for e, r in first.items()} == {e: r["flagged"] for e, r in second.items()}
    for row in first.values():
        if row["flagged"]:
            assert row["ratio_to_median"] > 3 or row["ratio_to_median"] < 1 / 3
            assert row["robust_z"] is None or abs(row["robust_z"]) > 3.5
