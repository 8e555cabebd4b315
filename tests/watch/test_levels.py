"""Level shift, surge and slump on hand-made and generated series."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.watch.levels import LevelShiftParameters, level_shift, robust_z, slump, surge
from setu.watch.series import MonthlySeries, SeriesKey, Variable

KEY = SeriesKey("CHN", "JPN", "250410", Variable.VALUE)
SEASON = np.array([1.0, 0.8, 1.1, 1.0, 1.05, 0.95, 0.9, 1.0, 1.1, 1.15, 1.0, 0.95])


def series(values, start="2017-01"):
    return MonthlySeries.from_values(KEY, start, values)


def test_step_down_is_flagged_at_the_step_month_with_its_size():
    # 30 months at 100, then 50: ln((50 + 1) / (100 + 1)) = -0.6833 log points (offset c = 0.01 x median 100 = 1).
    values = [100.0] * 30 + [50.0] * 30
    alerts = level_shift(series(values))
    assert [a.period for a in alerts] == ["2019-07"]  # month index 30 from 2017-01
    alert = alerts[0]
    assert alert.direction == "down"
    assert math.isclose(alert.magnitude, math.log(51 / 101), abs_tol=0.02)
    assert alert.parameters["threshold"] == 4.0
    assert alert.duration_months >= 2


def test_robust_z_by_hand():
    # window [1, 2, 3, 4, 100]: median 3, |dev| = [2, 1, 0, 1, 97] -> MAD 1 -> scale 1.4826; z(10) = 7 / 1.4826.
    z, baseline = robust_z(np.array([1, 2, 3, 4, 100, 10.0]), window=5, min_scale=0.0)
    assert baseline[5] == 3.0
    assert math.isclose(z[5], 7 / 1.4826)
    assert np.isnan(z[:5]).all()


def test_single_spike_is_a_surge_not_a_level_shift():
    values = list(100 * np.tile(SEASON, 5))
    values[40] *= 3.0
    assert level_shift(series(values)) == []
    surges = surge(series(values))
    assert [a.period for a in surges] == ["2020-05"]
    assert surges[0].direction == "up"
    assert slump(series(values)) == []


def test_one_month_collapse_is_a_slump():
    values = list(100 * np.tile(SEASON, 5))
    values[50] = 5.0
    slumps = slump(series(values))
    assert [a.period for a in slumps] == ["2021-03"]
    assert slumps[0].percent_change < -80


@given(level=st.floats(min_value=1e-3, max_value=1e9), months=st.integers(min_value=0, max_value=96))
def test_constant_series_gives_no_alert(level, months):
    values = [level] * months
    assert level_shift(series(values) if months else series([level])) == []
    assert surge(series(values) if months else series([level])) == []


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    level=st.floats(min_value=10.0, max_value=1e8),
    noise=st.floats(min_value=0.0, max_value=0.05),
)
def test_seasonal_series_with_bounded_noise_gives_no_alert(seed, level, noise):
    # Multiplicative noise of at most +-5 %: |log deviation| < 0.05, below threshold x min_scale = 0.2.
    rng = np.random.default_rng(seed)
    values = level * np.tile(SEASON, 8) * np.exp(rng.uniform(-noise, noise, 96))
    assert level_shift(series(values)) == []
    assert surge(series(values)) == []
    assert slump(series(values)) == []


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    break_at=st.integers(min_value=30, max_value=84),
    factor=st.sampled_from([0.1, 0.3, 0.5, 2.0, 4.0]),
)
def test_planted_break_is_flagged_within_one_month(seed, break_at, factor):
    # Stated lag: the alert is dated within one month of the break. STL's seasonal smoother can leak part of
    # a jump into the month before (0.26 % of 19,500 simulated breaks, mostly 12 months before the series
    # ends; 99.7 % are dated in the break month or the month after; docs/watch.md). Derandomized so that CI
    # runs a fixed, reproducible set of cases.
    rng = np.random.default_rng(seed)
    values = 1000 * np.tile(SEASON, 8) * np.exp(rng.normal(0, 0.05, 96))
    values[break_at:] *= factor
    alerts = level_shift(series(values))
    lags = [index - break_at for index, period in enumerate(series(values).periods) for a in alerts if a.period == period]
    near = [lag for lag in lags if -1 <= lag <= 1]
    assert near, (break_at, [a.period for a in alerts])
    flagged = [a for a in alerts if a.period == series(values).periods[break_at + near[0]]]
    assert flagged[0].direction == ("down" if factor < 1 else "up")


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    scale=st.floats(min_value=1e-3, max_value=1e6),
    break_at=st.integers(min_value=30, max_value=84),
)
def test_rescaling_a_series_leaves_alert_dates_unchanged(seed, scale, break_at):
    # Shifting the log series by a constant (multiplying the values) must not move any alert.
    rng = np.random.default_rng(seed)
    values = 500 * np.tile(SEASON, 8) * np.exp(rng.normal(0, 0.2, 96))
    values[break_at:] *= 0.4
    base = [(a.period, a.direction) for a in level_shift(series(values))]
    scaled = [(a.period, a.direction) for a in level_shift(series(values * scale))]
    assert base == scaled


def test_too_short_or_too_sparse_series_are_skipped():
    assert level_shift(series([1.0, 2.0, 3.0])) == []
    values = [np.nan] * 20 + [10.0] * 40
    assert level_shift(series(values), LevelShiftParameters(max_missing=0.1)) == []
