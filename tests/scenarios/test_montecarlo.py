"""Monte Carlo over uncertain inputs: zero-width distributions reproduce the deterministic run bit for bit,
the batched propagation equals the per-sample engine, percentiles are ordered, seeds reproduce, shifting
the cut up never lowers unmet demand, and hand-checkable cases with closed forms."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.scenarios import (
    DAYS_PER_MONTH,
    DemandReduction,
    Distribution,
    Recycling,
    Substitution,
    UncertainCut,
    UncertainDuration,
    Uncertainty,
    UncertainShares,
    UncertainSpare,
    UncertainStockpile,
    compile_scenario,
    draw_inputs,
    drawn_scenario,
    propagate,
    propagate_samples,
    sample_model,
    survival_table,
    water_fill,
    water_fill_rows,
)
from setu.scenarios.allocation import STRATEGIES
from setu.scenarios.percentiles import monte_carlo, survival_samples
from setu.services.scenarios import ScenarioService

from .chains import CITE, chain_map, chain_scenario

IMPORTERS = ("JPN", "IND", "KOR")
FIELDS = ("chain_supply", "recycled", "resourced", "drawn", "unmet", "availability", "stock_left",
          "resourced_by_partner")


def point(value: float) -> Distribution:
    return Distribution("uniform", low=value, high=value)


def zero_width(scenario):
    """Every figure uncertain, every distribution of zero width (each kind once)."""
    shock = scenario.shocks[0]
    responses = scenario.responses
    return replace(scenario, uncertainty=Uncertainty(
        cuts=(UncertainCut((0,), Distribution("pert", low=shock.cut, mode=shock.cut, high=shock.cut), CITE),),
        durations=(UncertainDuration((0,), Distribution("triangular", low=shock.duration_months,
                                                        mode=shock.duration_months, high=shock.duration_months),
                                     CITE),),
        stockpiles=tuple(UncertainStockpile(s.country, s.node, Distribution("uniform", low=1, high=1, relative=True),
                                            CITE) for s in responses.stockpiles),
        spare_capacity=tuple(UncertainSpare(s.country, s.node, Distribution("lognormal", sigma=0.0, relative=True),
                                            CITE) for s in responses.spare_capacity),
        shares=(UncertainShares("raw", math.inf, CITE),)))


def widened(scenario, seed_width: float):
    """Every figure uncertain with a real spread around the stated value."""
    shock = scenario.shocks[0]
    responses = scenario.responses
    low = max(shock.cut * (1 - seed_width), 0.0)
    high = min(shock.cut * (1 + seed_width), 1.0)
    return replace(scenario, uncertainty=Uncertainty(
        cuts=(UncertainCut((0,), Distribution("triangular", low=low, mode=shock.cut, high=high), CITE),),
        durations=(UncertainDuration((0,), Distribution("uniform", low=1, high=shock.duration_months + 2), CITE),),
        stockpiles=tuple(UncertainStockpile(s.country, s.node, Distribution("uniform", low=0.0, high=2.0,
                                                                            relative=True), CITE)
                         for s in responses.stockpiles),
        spare_capacity=tuple(UncertainSpare(s.country, s.node, Distribution("lognormal", sigma=0.5, relative=True),
                                            CITE) for s in responses.spare_capacity),
        shares=(UncertainShares("raw", 20.0, CITE),)))


@st.composite
def cases(draw):
    length = draw(st.integers(2, 4))
    supply_map = chain_map(length, tuple(draw(st.lists(st.booleans(), min_size=length - 1, max_size=length - 1))))
    count = draw(st.integers(1, 3))
    months = draw(st.integers(2, 6))
    responses = {}
    edges = [e for e in supply_map.edges if e.substitutes.value == "yes"]
    if edges and draw(st.booleans()):
        edge = draw(st.sampled_from(edges))
        responses["substitution"] = (Substitution(edge.input, edge.output, draw(st.floats(0, 1)), CITE),)
    if draw(st.booleans()):
        responses["demand_reduction"] = (DemandReduction("product", draw(st.floats(0, 0.5)), CITE),)
    if draw(st.booleans()):
        responses["recycling"] = (Recycling("JPN", "raw", draw(st.floats(0, 50)), CITE, draw(st.integers(1, 3))),)
    scenario = chain_scenario(
        cut=draw(st.floats(0.05, 1.0)), baselines={c: draw(st.floats(1, 1000)) for c in IMPORTERS[:count]},
        stocks={c: draw(st.floats(0, 120)) for c in IMPORTERS[:count] if draw(st.booleans())},
        spare=draw(st.sampled_from([0.0, draw(st.floats(1, 500))])), months=months,
        duration=draw(st.integers(1, months)), start=draw(st.integers(1, months)),
        partners=draw(st.sampled_from([("AUS", *IMPORTERS), ("AUS",), ("AUS", "JPN")])), **responses)
    return scenario, supply_map


@settings(max_examples=30, deadline=None)
@given(cases(), st.sampled_from(sorted(STRATEGIES)))
def test_zero_width_reproduces_the_deterministic_run_exactly(case, rule):
    scenario, supply_map = case
    scenario = zero_width(scenario)
    base = compile_scenario(scenario, supply_map)
    central = propagate(base, rule)
    sampled = sample_model(scenario, supply_map, draw_inputs(scenario, supply_map, 7, seed=11))
    result = propagate_samples(sampled, rule)
    for s in range(7):
        model = sampled.model(s)
        for name in ("loss", "stock", "spare", "shock_start", "shock_end"):
            assert np.array_equal(getattr(model, name), getattr(base, name)), name
        for name in FIELDS:
            assert np.array_equal(getattr(result, name)[s], getattr(central, name)), name
    summary = monte_carlo(scenario, supply_map, 7, 11, rule)
    for row, stated in zip(summary.rows, survival_table(central), strict=True):
        assert (row.importer, row.node) == (stated.importer, stated.node)
        assert row.unmet_months.p5 == row.unmet_months.p50 == row.unmet_months.p95 == stated.unmet_share_months
        assert row.unmet_months.mean == pytest.approx(stated.unmet_share_months, rel=1e-12, abs=1e-15)
        if stated.unmet_units is not None:
            assert row.unmet_units.p50 == stated.unmet_units
        assert row.time_to_survive.p50 == stated.time_to_survive
        assert row.time_to_recover.p50 == stated.time_to_recover
        assert row.exposed_probability == float(stated.exposed)
    assert summary.total_unmet.p50 == summary.central_total


@settings(max_examples=30, deadline=None)
@given(cases(), st.sampled_from(sorted(STRATEGIES)), st.integers(0, 2**32 - 1))
def test_batched_propagation_equals_the_engine_sample_by_sample(case, rule, seed):
    scenario, supply_map = case
    scenario = widened(scenario, 0.5)
    sampled = sample_model(scenario, supply_map, draw_inputs(scenario, supply_map, 12, seed))
    result = propagate_samples(sampled, rule)
    for s in range(12):
        alone = propagate(sampled.model(s), rule)
        for name in FIELDS:
            assert np.array_equal(getattr(result, name)[s], getattr(alone, name)), name


@settings(max_examples=20, deadline=None)
@given(cases(), st.integers(0, 2**32 - 1))
def test_sampled_arrays_equal_compiling_the_drawn_scenario(case, seed):
    """Each sample's arrays are those of compile_scenario on the scenario with the drawn figures written in."""
    scenario, supply_map = case
    scenario = widened(scenario, 0.5)
    draws = draw_inputs(scenario, supply_map, 5, seed)
    sampled = sample_model(scenario, supply_map, draws)
    for s in range(5):
        drawn = drawn_scenario(scenario, supply_map, draws, s)
        assert drawn.shocks[0].cut == draws.cut[s, 0] and drawn.uncertainty is None
        expected = compile_scenario(drawn, supply_map)
        for name in ("loss", "stock", "spare", "shock_start", "shock_end"):
            assert np.array_equal(getattr(sampled.model(s), name), getattr(expected, name)), name


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 7).flatmap(lambda k: st.tuples(
    st.lists(st.lists(st.floats(0, 100), min_size=k, max_size=k), min_size=1, max_size=6),
    st.lists(st.floats(0, 400), min_size=6, max_size=6),
    st.lists(st.sampled_from([0.0, 1e-3, 1.0, 5.0, 50.0]), min_size=k, max_size=k))))
def test_row_water_filling_equals_the_scalar_rule(data):
    requests, capacities, baselines = data
    requests = np.array(requests)
    capacity = np.array(capacities[:len(requests)])
    baselines = np.array(baselines)
    for weights, rule in ((requests, "pro-rata"), (np.broadcast_to(baselines, requests.shape), "baseline"),
                          (np.ones_like(requests), "max-min")):
        rows = water_fill_rows(requests, capacity, weights)
        for r in range(len(requests)):
            assert np.array_equal(rows[r], STRATEGIES[rule](requests[r], float(capacity[r]), baselines)), rule
            assert np.array_equal(rows[r], water_fill(requests[r], float(capacity[r]), weights[r]))


@settings(max_examples=50, deadline=None)
@given(st.integers(8, 14).flatmap(lambda k: st.tuples(
    st.lists(st.lists(st.floats(0, 100), min_size=k, max_size=k), min_size=1, max_size=4),
    st.lists(st.floats(0, 400), min_size=4, max_size=4))))
def test_row_water_filling_with_many_importers_agrees_to_rounding(data):
    requests, capacities = data
    requests = np.array(requests)
    capacity = np.array(capacities[:len(requests)])
    rows = water_fill_rows(requests, capacity, requests)
    for r in range(len(requests)):
        np.testing.assert_allclose(rows[r], water_fill(requests[r], float(capacity[r]), requests[r]),
                                   rtol=1e-12, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(cases(), st.integers(0, 2**32 - 1))
def test_percentiles_are_ordered_and_probabilities_are_shares(case, seed):
    scenario, supply_map = case
    summary = monte_carlo(widened(scenario, 0.8), supply_map, 60, seed)

    def ordered(spread, allow_none=False):
        values = [math.inf if v is None else v for v in (spread.p5, spread.p50, spread.p95)]
        assert values[0] <= values[1] <= values[2]
        assert allow_none or None not in (spread.p5, spread.p50, spread.p95)

    data = survival_samples(summary.result)
    model = summary.sampled.base
    for row in summary.rows:
        k, n = model.importers.index(row.importer), model.nodes.index(row.node)
        months = data["unmet_months"][:, k, n]
        assert months.min() - 1e-12 <= row.unmet_months.mean <= months.max() + 1e-12
        ordered(row.unmet_months)
        ordered(row.time_to_survive, allow_none=True)
        ordered(row.time_to_recover)
        if row.unmet_units is not None:
            ordered(row.unmet_units)
        assert 0.0 <= row.exposed_probability <= 1.0 and 0.0 <= row.reached_share <= 1.0
    ordered(summary.total_unmet)


def test_a_fixed_seed_gives_identical_results_and_another_seed_other_draws():
    scenario, supply_map = ScenarioService().load("china-gallium")
    first = monte_carlo(scenario, supply_map, 200, 7)
    again = monte_carlo(scenario, supply_map, 200, 7)
    other = monte_carlo(scenario, supply_map, 200, 8)
    assert np.array_equal(first.result.unmet, again.result.unmet)
    assert first.rows == again.rows and first.inputs == again.inputs
    assert not np.array_equal(first.sampled.draws.cut, other.sampled.draws.cut)


def test_widening_one_figure_leaves_the_draws_of_the_others_unchanged():
    scenario, supply_map = ScenarioService().load("china-gallium")
    block = scenario.uncertainty
    narrower = replace(scenario, uncertainty=replace(block, cuts=(replace(
        block.cuts[0], distribution=Distribution("pert", low=0.25, mode=0.3, high=0.35)),)))
    a, b = draw_inputs(scenario, supply_map, 100, 5), draw_inputs(narrower, supply_map, 100, 5)
    assert not np.array_equal(a.cut, b.cut)
    assert np.array_equal(a.duration, b.duration) and np.array_equal(a.stock_days, b.stock_days)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.05, 0.6), st.floats(0.0, 0.3), st.floats(0.01, 0.4), st.floats(0, 90), st.floats(0, 60),
       st.integers(0, 2**32 - 1))
def test_shifting_the_cut_up_never_lowers_unmet_demand(low, width, shift, stock_days, spare, seed):
    """Common random numbers: every sample's cut rises, so every sample's unmet demand and the median do not
    fall and no sample's time-to-survive grows."""
    supply_map = chain_map(3)
    mode, high = low + width / 2, low + width

    def run(offset):
        shifted = min(offset, 1.0 - high)
        scenario = chain_scenario(cut=mode + shifted, baselines={"JPN": 100.0}, stocks={"JPN": stock_days},
                                  spare=spare, months=8, duration=5)
        scenario = replace(scenario, uncertainty=Uncertainty(cuts=(UncertainCut(
            (0,), Distribution("triangular", low=low + shifted, mode=mode + shifted, high=high + shifted), CITE),)))
        return monte_carlo(scenario, supply_map, 80, seed)

    base, up = run(0.0), run(shift)
    product = base.sampled.base.nodes.index("product")
    assert (up.result.unmet[..., product].sum(axis=1) >= base.result.unmet[..., product].sum(axis=1) - 1e-12).all()
    row_base = next(r for r in base.rows if r.node == "product")
    row_up = next(r for r in up.rows if r.node == "product")
    assert row_up.unmet_months.p50 >= row_base.unmet_months.p50 - 1e-12
    assert row_up.exposed_probability >= row_base.exposed_probability


def test_uniform_cut_on_a_one_tier_chain_has_the_closed_form_mean():
    """raw (CHN 60 %) -> product, one importer, no stock or spare, cut ~ U(0.2, 1.0) for all 6 months: the
    product's unmet demand is 6 x 0.6 x cut months of use, mean 3.6 x 0.6 = 2.16, P5 3.6 x 0.24 = 0.864."""
    scenario = chain_scenario(cut=0.6, baselines={"JPN": 100.0}, months=6, duration=6)
    scenario = replace(scenario, uncertainty=Uncertainty(
        cuts=(UncertainCut((0,), Distribution("uniform", low=0.2, high=1.0), CITE),)))
    samples = 20_000
    summary = monte_carlo(scenario, chain_map(2), samples, 2026)
    row = next(r for r in summary.rows if r.node == "product")
    cuts = summary.sampled.draws.cut[:, 0]
    assert row.unmet_months.p50 == pytest.approx(float(np.percentile(3.6 * cuts, 50)), rel=1e-12)
    standard_error = 3.6 * 0.8 / math.sqrt(12 * samples)
    assert abs(row.unmet_months.mean - 2.16) < 4 * standard_error
    assert row.unmet_months.p5 == pytest.approx(0.864, abs=0.02) and row.unmet_months.p95 == pytest.approx(3.456, abs=0.02)
    assert row.exposed_probability == 1.0 and row.time_to_survive.p95 == 0
    assert summary.inputs[0].rank_correlation == pytest.approx(1.0)  # unmet demand rises with the cut alone


def test_uniform_stockpile_gives_the_closed_form_probability_of_exposure():
    """Cut 1 of CHN's 60 % for 6 months; JPN holds U(0, 6) months of stock. Stock lasts stock / 0.6 months,
    so JPN is exposed (TTS < TTR = 6) exactly when stock < 3.6 months: probability 0.6."""
    scenario = chain_scenario(cut=1.0, baselines={"JPN": 100.0}, stocks={"JPN": 3 * DAYS_PER_MONTH}, months=8,
                              duration=6)
    scenario = replace(scenario, uncertainty=Uncertainty(stockpiles=(UncertainStockpile(
        "JPN", "raw", Distribution("uniform", low=0.0, high=6 * DAYS_PER_MONTH), CITE),)))
    samples = 20_000
    summary = monte_carlo(scenario, chain_map(2), samples, 99)
    row = next(r for r in summary.rows if r.node == "product")
    assert abs(row.exposed_probability - 0.6) < 4 * math.sqrt(0.24 / samples)
    # unmet = max(0, 3.6 - stock) months: mean = integral_0^3.6 (3.6 - s) ds / 6 = 3.6^2 / 12 = 1.08
    assert abs(row.unmet_months.mean - 1.08) < 4 * math.sqrt(3.6**3 / 18 - 1.08**2) / math.sqrt(samples)


def test_uniform_duration_gives_time_to_recover_percentiles():
    scenario = chain_scenario(cut=1.0, baselines={"JPN": 100.0}, months=8, duration=3)
    scenario = replace(scenario, uncertainty=Uncertainty(
        durations=(UncertainDuration((0,), Distribution("uniform", low=2, high=5), CITE),)))
    summary = monte_carlo(scenario, chain_map(2), 4000, 3)
    row = next(r for r in summary.rows if r.node == "product")
    assert (row.time_to_recover.p5, row.time_to_recover.p50, row.time_to_recover.p95) == (2, 3, 5)
    assert row.time_to_recover.mean == pytest.approx(3.5, abs=0.06)
    assert row.unmet_months.mean == pytest.approx(0.6 * 3.5, abs=0.04)  # 0.6 of use lost for D months


def test_value_of_coordination_on_a_subsample():
    scenario, supply_map = ScenarioService().load("china-gallium")
    summary = monte_carlo(scenario, supply_map, 100, 1, lp_samples=5)
    c = summary.cooperation
    assert c.samples == 5 and c.unit == "kg of gallium-equivalent"
    assert c.coordinated.p50 <= c.autarky.p50 + 1e-6 <= c.simulated.p50 + 2e-6
    assert c.value.p5 >= -1e-6


def test_drawn_scenario_rewrites_the_scenarios_own_sourcing_entry():
    scenario, supply_map = ScenarioService().load("china-gallium")
    draws = draw_inputs(scenario, supply_map, 3, 4)
    sampled = sample_model(scenario, supply_map, draws)
    for s in range(3):
        drawn = drawn_scenario(scenario, supply_map, draws, s)
        assert len(drawn.sourcing) == len(scenario.sourcing)
        expected = compile_scenario(drawn, supply_map)
        for name in ("loss", "stock", "spare", "shock_start", "shock_end"):
            assert np.array_equal(getattr(sampled.model(s), name), getattr(expected, name)), name


def test_an_entry_naming_several_shocks_draws_once_for_all():
    scenario, supply_map = ScenarioService().load("china-graphite")
    draws = draw_inputs(scenario, supply_map, 300, 9)
    stated = np.array([shock.cut for shock in scenario.shocks])
    np.testing.assert_allclose(draws.cut / stated, np.broadcast_to((draws.cut / stated)[:, :1], draws.cut.shape))
    assert (draws.duration == draws.duration[:, :1]).all() and len(np.unique(draws.duration)) > 3
    apart = replace(scenario, uncertainty=replace(scenario.uncertainty, durations=tuple(
        replace(scenario.uncertainty.durations[0], shocks=(n,)) for n in range(len(scenario.shocks)))))
    assert not (draw_inputs(apart, supply_map, 300, 9).duration == draws.duration[:, :1]).all()
