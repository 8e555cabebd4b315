"""The best-response LP against brute force on tiny cases, and its weights and plan."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import setu.optimise
import setu.scenarios
from setu.scenarios import (
    AUTARKY,
    COORDINATED,
    best_response,
    objective_weights,
)

from .chains import chain_map, chain_scenario
from setu.scenarios import compile_scenario, propagate


@settings(max_examples=30, deadline=None)
@given(jpn=st.integers(1, 8), ind=st.integers(1, 8), spare=st.integers(0, 6), stock_months=st.integers(0, 2),
       weight=st.sampled_from([0.5, 1.0, 3.0]))
def test_weighted_allocation_matches_brute_force(jpn, ind, spare, stock_months, weight):
    """One month of a full cut (each importer loses 0.6 of its use). Every split of the spare capacity and of
    JPN's stock between the two importers on a 0.2-unit grid is tried; all data are multiples of 0.2, so the
    grid holds the LP's optimal vertex and the two must agree exactly."""
    supply_map = chain_map(2, side_branch=False)
    scenario = chain_scenario(cut=1.0, baselines={"JPN": jpn, "IND": ind}, spare=spare, months=1, duration=1,
                              stocks={"JPN": stock_months * 365.2425 / 12} if stock_months else None)
    model = compile_scenario(scenario, supply_map)
    result = propagate(model)
    lp = best_response(model, result, COORDINATED, country_weights={"JPN": weight, "IND": 1.0}).weighted_unmet
    stock = stock_months * jpn

    def grid(limit: float) -> list[float]:
        return [x / 5 for x in range(round(limit * 5) + 1)]

    best = min(weight * max(0.0, 0.6 * jpn - to_jpn - stock_to_jpn)
               + max(0.0, 0.6 * ind - (spare - to_jpn) - (stock - stock_to_jpn))
               for to_jpn, stock_to_jpn in itertools.product(grid(spare), grid(stock)))
    assert lp == pytest.approx(best, abs=1e-6)


def test_weights_are_in_units_of_the_shocked_input_when_products_have_no_baseline():
    supply_map = chain_map(3)
    scenario = chain_scenario(cut=1.0, baselines={"JPN": 10.0, "IND": 5.0})
    model = compile_scenario(scenario, supply_map)
    weights, unit = objective_weights(model)
    product = model.nodes.index("product")
    assert unit == "t of raw-equivalent"
    assert weights[:, product].tolist() == [10.0, 5.0]
    assert weights[:, model.nodes.index("raw")].tolist() == [0.0, 0.0]


def test_autarky_keeps_the_rule_s_allocation():
    supply_map = chain_map(2, side_branch=False)
    scenario = chain_scenario(cut=1.0, baselines={"JPN": 10.0, "IND": 10.0}, spare=3.0,
                              stocks={"JPN": 10 * 365.2425 / 12})
    model = compile_scenario(scenario, supply_map)
    result = propagate(model)
    autarky = best_response(model, result, AUTARKY)
    np.testing.assert_allclose(autarky.resourced.sum(axis=(1, 3)), result.resourced_by_partner.sum(axis=(1, 3)),
                               atol=1e-7)
    coordinated = best_response(model, result, COORDINATED, share_stockpiles=False)
    # JPN's ten months of stock cover its six units a month, so coordination sends all spare ore to IND
    assert coordinated.resourced[:, 0, 1, 0].sum() == pytest.approx(3.0 * 3)
    assert coordinated.weighted_unmet < autarky.weighted_unmet


@pytest.mark.parametrize("module", [setu.scenarios, setu.optimise])
def test_public_api(module):
    assert len(set(module.__all__)) == len(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name)
