"""Invariants of the propagation and the LP on random chains (after BoARIO's integration tests):
a zero shock changes nothing, unmet demand never exceeds demand, more stock never hurts, coordination never
does worse than autarky (nor autarky than the unplanned simulation), unaffected branches stay unaffected,
mass balances; and the coordinated LP against its closed form on single-stage chains."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.scenarios.best_response import cooperation
from setu.scenarios import DAYS_PER_MONTH, DemandReduction, Substitution, compile_scenario, propagate

from .chains import CITE, chain_map, chain_scenario

IMPORTERS = ("JPN", "IND", "KOR")


@st.composite
def cases(draw, length=None):
    length = length or draw(st.integers(2, 4))
    substitutable = tuple(draw(st.lists(st.booleans(), min_size=length - 1, max_size=length - 1)))
    supply_map = chain_map(length, substitutable)
    count = draw(st.integers(1, 3))
    baselines = {c: draw(st.floats(1, 1000)) for c in IMPORTERS[:count]}
    stocks = {c: draw(st.floats(0, 120)) for c in IMPORTERS[:count] if draw(st.booleans())}
    months = draw(st.integers(2, 6))
    responses = {}
    ids = [e for e in supply_map.edges if e.substitutes.value == "yes"]
    if ids and draw(st.booleans()):
        edge = draw(st.sampled_from(ids))
        responses["substitution"] = (Substitution(edge.input, edge.output, draw(st.floats(0, 1)), CITE),)
    if draw(st.booleans()):
        responses["demand_reduction"] = (DemandReduction("product", draw(st.floats(0, 0.5)), CITE),)
    scenario = chain_scenario(
        cut=draw(st.floats(0.05, 1.0)), baselines=baselines, stocks=stocks,
        spare=draw(st.sampled_from([0.0, draw(st.floats(1, 500))])), months=months,
        duration=draw(st.integers(1, months)), start=draw(st.integers(1, months)),
        partners=draw(st.sampled_from([("AUS", *IMPORTERS), ("AUS",), ("AUS", "JPN")])), **responses)
    return scenario, supply_map


def run(scenario, supply_map):
    model = compile_scenario(scenario, supply_map)
    return model, propagate(model)


@settings(max_examples=40, deadline=None)
@given(cases())
def test_zero_shock_changes_nothing(case):
    scenario, supply_map = case
    scenario = replace(scenario, shocks=(replace(scenario.shocks[0], cut=0.0),))
    model, result = run(scenario, supply_map)
    assert not result.unmet.any() and not result.drawn.any() and not result.resourced.any()
    np.testing.assert_allclose(result.availability, np.broadcast_to(model.target, result.availability.shape))
    assert cooperation(model, result).coordinated.weighted_unmet == pytest.approx(0.0, abs=1e-7)


@settings(max_examples=40, deadline=None)
@given(cases())
def test_unmet_never_exceeds_demand_and_mass_balances(case):
    scenario, supply_map = case
    model, result = run(scenario, supply_map)
    need = np.broadcast_to(model.target, result.unmet.shape)
    assert (model.target <= model.need + 1e-12).all()
    ends = list(model.end_products)
    np.testing.assert_allclose(model.target[:, ends], model.need[:, ends])
    assert (result.unmet >= -1e-12).all() and (result.unmet <= need + 1e-12).all()
    total = result.chain_supply + result.recycled + result.resourced + result.drawn + result.unmet
    np.testing.assert_allclose(total, need, atol=1e-9)
    np.testing.assert_allclose(result.stock_left[0] - result.drawn.sum(axis=0), result.stock_left[-1], atol=1e-9)
    assert (result.stock_left >= -1e-12).all()
    shipped = result.resourced_by_partner.sum(axis=2)  # T x P x N
    assert (shipped <= model.spare + 1e-6).all()


@settings(max_examples=40, deadline=None)
@given(cases())
def test_unaffected_branches_and_importers_stay_unaffected(case):
    scenario, supply_map = case
    targeted = scenario.importers[:1]
    scenario = replace(scenario, shocks=(replace(scenario.shocks[0], importers=targeted),))
    model, result = run(scenario, supply_map)
    assert "sand" not in model.nodes and "gadget" not in model.nodes
    for k, country in enumerate(model.importers):
        if country not in targeted:
            assert not result.unmet[:, k, :].any()
            assert not result.drawn[:, k, :].any()


@settings(max_examples=30, deadline=None)
@given(cases(), st.floats(1, 200))
def test_more_stock_never_hurts(case, extra_days):
    scenario, supply_map = case
    model, result = run(scenario, supply_map)
    bigger = chain_scenario(
        cut=scenario.shocks[0].cut, months=scenario.months, duration=scenario.shocks[0].duration_months,
        start=scenario.shocks[0].start_month, baselines={b.country: b.units_per_month for b in scenario.baselines},
        stocks={c: extra_days + next((s.days for s in scenario.responses.stockpiles if s.country == c), 0.0)
                for c in scenario.importers},
        spare=next((s.units_per_month for s in scenario.responses.spare_capacity), 0.0),
        partners=scenario.responses.partners, substitution=scenario.responses.substitution,
        demand_reduction=scenario.responses.demand_reduction)
    model2, result2 = run(bigger, supply_map)
    assert (result2.unmet.sum(axis=(0, 2)) <= result.unmet.sum(axis=(0, 2)) + 1e-9).all()
    before, after = cooperation(model, result), cooperation(model2, result2)
    assert after.autarky.weighted_unmet <= before.autarky.weighted_unmet + 1e-6
    assert after.coordinated.weighted_unmet <= before.coordinated.weighted_unmet + 1e-6


@settings(max_examples=40, deadline=None)
@given(cases())
def test_coordination_never_does_worse(case):
    scenario, supply_map = case
    model, result = run(scenario, supply_map)
    comparison = cooperation(model, result)
    assert comparison.coordinated.weighted_unmet <= comparison.autarky.weighted_unmet + 1e-6
    assert comparison.autarky.weighted_unmet <= comparison.simulated + 1e-6
    assert comparison.value >= -1e-6


@settings(max_examples=40, deadline=None)
@given(cases(length=2))
def test_coordinated_lp_matches_its_closed_form_on_one_stage(case):
    """raw -> product, everyone in the group, stocks shared, no substitution or demand reduction: the pool
    of spare capacity and stock is used wherever it is short, so unmet units are
    ``max(0, sum_t max(0, G_t - C_t) - S)`` with ``G_t`` the importers' lost units in month ``t``,
    ``C_t`` the spare capacity and ``S`` all stock in units."""
    scenario, supply_map = case
    scenario = replace(scenario, responses=replace(scenario.responses, partners=("AUS", *IMPORTERS),
                                                   substitution=(), demand_reduction=()))
    model, result = run(scenario, supply_map)
    R = model.baseline[:, 0]
    lost = (model.loss[:, :, 0] * R).sum(axis=1)
    short_after_spare = np.maximum(0.0, lost - model.spare[:, 0, 0]).sum()
    stock_units = sum(s.days / DAYS_PER_MONTH * scenario.baseline(s.country, "raw")
                      for s in scenario.responses.stockpiles)
    expected = max(0.0, short_after_spare - stock_units)
    assert cooperation(model, result).coordinated.weighted_unmet == pytest.approx(expected, rel=1e-6, abs=1e-5)
