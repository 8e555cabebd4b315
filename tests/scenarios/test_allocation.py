"""Allocation rules against closed forms and a brute-force water level."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.scenarios import STRATEGIES, strategy, water_fill

amounts = st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=6)


def test_pro_rata_by_hand():
    np.testing.assert_allclose(STRATEGIES["pro-rata"](np.array([60.0, 30.0]), 20.0, np.array([100.0, 50.0])),
                               [40 / 3, 20 / 3])


def test_max_min_by_hand():
    # 30 units for requests 5, 20, 40: 5 is filled, the other two get 12.5 each
    np.testing.assert_allclose(STRATEGIES["max-min"](np.array([5.0, 20.0, 40.0]), 30.0, np.ones(3)), [5, 12.5, 12.5])


def test_baseline_by_hand():
    # weights 1:3, 40 units, requests 30 and 30: 10 and 30 by weight, nothing left over
    np.testing.assert_allclose(STRATEGIES["baseline"](np.array([30.0, 30.0]), 40.0, np.array([1.0, 3.0])), [10, 30])
    # requests 5 and 100: the first is capped at 5, its excess goes to the second
    np.testing.assert_allclose(STRATEGIES["baseline"](np.array([5.0, 100.0]), 40.0, np.array([1.0, 1.0])), [5, 35])


def test_zero_weight_importers_are_served_last():
    np.testing.assert_allclose(water_fill(np.array([10.0, 10.0]), 15.0, np.array([1.0, 0.0])), [10, 5])


def test_registry_takes_new_rules():
    @strategy("first-listed")
    def first(requests, capacity, baselines):
        out = np.zeros_like(requests)
        out[0] = min(requests[0], capacity)
        return out

    try:
        assert STRATEGIES["first-listed"](np.array([3.0, 4.0]), 5.0, np.ones(2)).tolist() == [3.0, 0.0]
    finally:
        del STRATEGIES["first-listed"]


@settings(max_examples=150, deadline=None)
@given(requests=amounts, capacity=st.floats(0, 3000, allow_nan=False), data=st.data())
def test_every_rule_is_feasible_and_leaves_no_capacity_idle(requests, capacity, data):
    r = np.array(requests)
    weights = np.array(data.draw(st.lists(st.floats(0.01, 100), min_size=len(r), max_size=len(r))))
    for name, rule in STRATEGIES.items():
        given_out = rule(r, capacity, weights)
        assert (given_out >= -1e-9).all() and (given_out <= r + 1e-9).all(), name
        assert given_out.sum() == pytest.approx(min(capacity, r.sum()), rel=1e-9, abs=1e-6), name


@settings(max_examples=150, deadline=None)
@given(requests=amounts, capacity=st.floats(0, 3000, allow_nan=False), data=st.data())
def test_water_fill_matches_bisection_on_the_level(requests, capacity, data):
    r = np.array(requests)
    w = np.array(data.draw(st.lists(st.floats(0.01, 100), min_size=len(r), max_size=len(r))))
    if capacity >= r.sum():
        return
    low, high = 0.0, float((r / w).max())
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if np.minimum(r, mid * w).sum() < capacity else (low, mid)
    np.testing.assert_allclose(water_fill(r, capacity, w), np.minimum(r, high * w), atol=1e-6)
