"""The backtest's 95 % intervals against published and hand-worked values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.watch.intervals import garwood, median_interval, wilson


def test_wilson_matches_hand_values():
    # 1 of 24: p = 0.0417; centre (p + z^2/48) / (1 + z^2/24) = 0.1049, half-width 0.0976 -> 0.0074 .. 0.2024.
    one = wilson(1, 24)
    assert (one.low, one.high) == pytest.approx((0.00739, 0.20242), abs=1e-5)
    # 0 of n: the lower bound is 0 exactly; upper z^2 / (n + z^2) = 3.8415 / 13.8415 for n = 10.
    none = wilson(0, 10)
    assert none.low == 0.0 and none.high == pytest.approx(3.8415 / 13.8415, rel=1e-4)
    assert wilson(1, 1).low == pytest.approx(0.2065, abs=1e-4) and wilson(1, 1).high == 1.0
    assert wilson(0, 0).value is None  # no trials: not estimable, never 0


def test_garwood_matches_the_issue_example():
    # One incident in 24 product-years: 0.042 per product-year, 95 % interval about 0.001 - 0.23.
    rate = garwood(1, 24)
    assert rate.value == pytest.approx(1 / 24)
    # chi2(0.025; 2) / 2 = 0.02532 and chi2(0.975; 4) / 2 = 5.5716 events, over 24 product-years.
    assert (rate.low, rate.high) == pytest.approx((0.02532 / 24, 5.5716 / 24), rel=1e-3)
    assert garwood(0, 18).low == 0.0 and garwood(0, 18).high == pytest.approx(3.6889 / 18, rel=1e-4)
    assert garwood(3, 0).value is None


def test_median_interval_needs_six_values():
    assert median_interval([3, 1, 2]).low is None and median_interval([3, 1, 2]).value == 2
    six = median_interval([6, 1, 5, 2, 4, 3])
    assert (six.value, six.low, six.high) == (3.5, 1, 6)  # P(B <= 0) = 1/64 <= 0.025 -> ranks 1 and 6


@given(k=st.integers(0, 200), extra=st.integers(0, 200))
def test_wilson_interval_holds_the_estimate(k, extra):
    n = k + extra
    estimate = wilson(k, n)
    if n:
        assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 1.0
