"""The two-tier example of docs/scenarios.md, worked by hand.

CHN makes 60 % of the ore and stops exports for months 1-6. JPN uses 100 t/month and holds one month of
stock; IND uses 50 t/month and holds none; AUS has 20 t/month spare. Each month JPN asks partners for 60 t
and IND for 30 t; pro-rata, AUS gives JPN 13.33 t and IND 6.67 t (shares 0.1333 of each baseline).
JPN's remaining gap, 0.4667 of baseline, is drawn from its 1.0 month of stock: 0.4667 in months 1 and 2,
the last 0.0667 in month 3 (unmet 0.4), then 0.4667 unmet in months 4-6: 1.8 months = 180 t, TTS 2.
IND is short 0.4667 from month 1: 2.8 months = 140 t, TTS 0. TTR = 6 for both.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from setu.scenarios.best_response import AUTARKY, COORDINATED, best_response, cooperation
from setu.scenarios import compile_scenario, load_scenario, propagate, survival_table

from .chains import HERE, two_tier_map


@pytest.fixture(scope="module")
def run():
    supply_map = two_tier_map()
    scenario, _ = load_scenario(HERE / "two_tier.yaml", lambda _id: supply_map)
    model = compile_scenario(scenario, supply_map)
    return scenario, model, propagate(model)


def test_affected_nodes_are_the_shocked_node_and_its_descendants(run):
    _, model, _ = run
    assert model.nodes == ("ore", "metal", "widget")
    assert model.importers == ("JPN", "IND")


def test_unmet_demand_by_month(run):
    _, model, result = run
    widget = model.nodes.index("widget")
    jpn = [0, 0, 0.4, 0.4666667, 0.4666667, 0.4666667, 0, 0, 0, 0, 0, 0]
    ind = [0.4666667] * 6 + [0] * 6
    np.testing.assert_allclose(result.unmet[:, 0, widget], jpn, atol=1e-6)
    np.testing.assert_allclose(result.unmet[:, 1, widget], ind, atol=1e-6)
    np.testing.assert_allclose(result.resourced_by_partner[:6, 0, :, 0].sum(axis=0), [80, 40], atol=1e-9)
    np.testing.assert_allclose(result.stock_left[:4, 0, 0], [1.0, 1 - 0.4666667, 1 - 2 * 0.4666667, 0], atol=1e-6)


def test_time_to_survive_and_recover(run):
    _, _, result = run
    rows = {(r.importer, r.node): r for r in survival_table(result)}
    assert rows["JPN", "widget"].time_to_survive == 2
    assert rows["IND", "widget"].time_to_survive == 0
    assert rows["JPN", "widget"].time_to_recover == rows["IND", "widget"].time_to_recover == 6
    assert rows["JPN", "widget"].exposed and rows["IND", "widget"].exposed
    assert rows["JPN", "widget"].unmet_units == pytest.approx(180.0)
    assert rows["IND", "widget"].unmet_units == pytest.approx(140.0)
    assert rows["JPN", "ore"].first_short_month == 3
    assert ("JPN", "gadget") not in rows  # the sand branch is not reached


def test_lp_optimum_and_duals(run):
    _, model, result = run
    comparison = cooperation(model, result)
    # 6 months x 90 t short, 6 x 20 t spare, 100 t of stock: 540 - 120 - 100 = 320 units either way
    assert comparison.simulated == pytest.approx(320.0)
    assert comparison.autarky.weighted_unmet == pytest.approx(320.0)
    assert comparison.coordinated.weighted_unmet == pytest.approx(320.0)
    assert comparison.autarky.objective_unit == "unit"
    (capacity,) = comparison.coordinated.capacity_duals
    # one more tonne of AUS ore a month saves one widget a month over six months
    assert capacity.partner == "AUS" and capacity.binding_months == (1, 2, 3, 4, 5, 6)
    assert capacity.shadow_price == pytest.approx(6.0)
    assert capacity.used_units == pytest.approx(120.0)
    (stock,) = comparison.coordinated.stock_duals
    assert stock.binding and stock.shadow_price_per_day == pytest.approx(100 / (365.2425 / 12))


def test_stock_sharing_is_the_value_of_cooperation(run):
    """JPN holds four months (400 t): alone it needs 360 - 80 = 280 t and leaves 120 t idle while IND
    misses 140 t; with the idle stock put to use only 540 - 120 - 400 = 20 t stay unmet: 120 t (85.7 %)
    saved by coordinating."""
    scenario, _, _ = run
    supply_map = two_tier_map()
    stock = replace(scenario.responses.stockpiles[0], days=4 * 365.2425 / 12)
    scenario = replace(scenario, responses=replace(scenario.responses, stockpiles=(stock,)))
    model = compile_scenario(scenario, supply_map)
    result = propagate(model)
    comparison = cooperation(model, result)
    assert comparison.autarky.weighted_unmet == pytest.approx(140.0)
    assert comparison.coordinated.weighted_unmet == pytest.approx(20.0)
    assert comparison.value == pytest.approx(120.0)
    assert comparison.value_share == pytest.approx(120 / 140)
    plan = comparison.coordinated
    # every tonne of spare capacity and stock is used (the split between lending and re-sourcing is not unique)
    used = plan.resourced.sum() + plan.lent.sum() + plan.drawn[:, 0, 0].sum() * 100
    assert used == pytest.approx(520.0)
    assert plan.lent.sum() >= 40.0 - 1e-6
    # without lending, coordination still sends all 120 t of AUS ore to IND (JPN's own stock covers its
    # 360 t): 180 - 120 = 60 t unmet
    no_sharing = best_response(model, result, COORDINATED, share_stockpiles=False)
    assert no_sharing.weighted_unmet == pytest.approx(60.0)
    assert best_response(model, result, AUTARKY).lent.sum() == 0
