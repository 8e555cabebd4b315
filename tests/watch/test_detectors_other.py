"""Change points, unit-value jumps and share shifts on hand-made series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import ruptures
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.watch.changepoints import change_points
from setu.watch.prices import unit_value_jump
from setu.watch.series import MonthlySeries, SeriesKey, Variable
from setu.watch.shares import ShareShiftParameters, share_shift

SEASON = np.array([1.0, 0.8, 1.1, 1.0, 1.05, 0.95, 0.9, 1.0, 1.1, 1.15, 1.0, 0.95])


def value_series(values):
    return MonthlySeries.from_values(SeriesKey("CHN", "USA", "811292", Variable.VALUE), "2017-01", values)


def test_pelt_dates_a_clean_step_exactly():
    values = [200.0] * 40 + [60.0] * 40
    alerts = change_points(value_series(values))
    assert [a.period for a in alerts] == ["2020-05"]  # index 40
    assert math.isclose(alerts[0].magnitude, math.log(62 / 202), abs_tol=0.02)  # c = 0.01 x median 130 -> ~1.3
    assert alerts[0].direction == "down"


@given(level=st.floats(min_value=1e-2, max_value=1e9))
def test_pelt_finds_nothing_in_a_constant_series(level):
    assert change_points(value_series([level] * 60)) == []


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), break_at=st.integers(20, 76))
def test_pelt_dates_a_planted_halving_within_one_month(seed, break_at):
    rng = np.random.default_rng(seed)
    values = 1000 * np.tile(SEASON, 8) * np.exp(rng.normal(0, 0.05, 96))
    values[break_at:] *= 0.3
    periods = value_series(values).periods
    lags = [periods.index(a.period) - break_at for a in change_points(value_series(values))]
    assert any(abs(lag) <= 1 for lag in lags)


def unit_values(values):
    return MonthlySeries.from_values(SeriesKey("CHN", "JPN", "811292", Variable.UNIT_VALUE), "2020-01", values)


def test_unit_value_jump_by_hand():
    # 12 months at 10 USD/kg with +-1 % wiggle, then 20: change ln(20 / median) ~ ln 2 = 0.693,
    # MAD-based scale is floored at 0.05 -> z ~ 13.9 > 4 and change > 0.25.
    history = [10.0, 10.1, 9.9, 10.0, 10.1, 9.9, 10.0, 10.1, 9.9, 10.0, 10.1, 9.9]
    alerts = unit_value_jump(unit_values(history + [20.0, 10.0]))
    assert [(a.period, a.direction) for a in alerts] == [("2021-01", "up")]
    assert math.isclose(alerts[0].magnitude, math.log(2.0), abs_tol=1e-9)
    assert math.isclose(alerts[0].score, math.log(2.0) / 0.05, rel_tol=1e-9)


def test_unit_value_gaps_are_skipped_not_filled():
    values = [10.0] * 12 + [np.nan, np.nan, 10.0, 30.0]
    alerts = unit_value_jump(unit_values(values))
    assert [a.period for a in alerts] == ["2021-04"]


def test_small_unit_value_moves_are_ignored():
    values = [10.0] * 12 + [11.5]  # +14 %: z large (scale floor 0.05 -> z 2.8) but below min_change anyway
    assert unit_value_jump(unit_values(values)) == []


def flows_frame(rows):
    return pd.DataFrame(rows, columns=["period", "reporter", "partner", "hs6", "value_usd", "quantity_kg"])


def test_supplier_share_shift_by_hand():
    # Importer JPN buys from CHN and AUS. Fifteen months 90/10 (CHN share 0.9), then CHN drops to 30:
    # in month 16 the recent 3-month window holds CHN 90+90+30 = 210 of 240 (0.875) vs baseline 0.9
    # (no alert); month 17: 150 / 180 = 0.8333 -> delta -0.0667; month 18: 90 / 120 = 0.75 -> delta -0.15.
    months = [str(p) for p in pd.period_range("2020-01", periods=18, freq="M")]
    rows = []
    for index, month in enumerate(months):
        rows.append((month, "CHN", "JPN", "250410", 90e6 if index < 15 else 30e6, np.nan))
        rows.append((month, "AUS", "JPN", "250410", 10e6, np.nan))
    alerts = share_shift(flows_frame(rows), perspective="importer")
    by_reporter = {a.series.reporter: a for a in alerts}
    assert set(by_reporter) == {"CHN", "AUS"}
    assert by_reporter["CHN"].period == "2021-06"
    assert math.isclose(by_reporter["CHN"].magnitude, 0.75 - 0.9)
    assert by_reporter["AUS"].direction == "up"


def test_share_shift_threshold_and_minimum_total():
    months = [str(p) for p in pd.period_range("2020-01", periods=18, freq="M")]
    rows = [(m, "CHN", "JPN", "250410", 9.0, np.nan) for m in months]
    rows += [(m, "AUS", "JPN", "250410", 1.0 if i < 15 else 5.0, np.nan) for i, m in enumerate(months)]
    assert share_shift(flows_frame(rows), perspective="importer") == []  # totals under 1 M USD
    small = ShareShiftParameters(min_total_usd=0.0, threshold=0.5)
    assert share_shift(flows_frame(rows), perspective="importer", params=small) == []


def test_constant_shares_give_no_alert():
    months = [str(p) for p in pd.period_range("2020-01", periods=30, freq="M")]
    rows = [(m, "CHN", p, "380110", v, np.nan) for m in months for p, v in (("JPN", 5e6), ("IND", 2e6))]
    assert share_shift(flows_frame(rows), perspective="exporter") == []


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(12, 120), beta=st.floats(1.0, 20.0))
def test_compiled_pelt_matches_ruptures_reference_pelt(seed, n, beta):
    # Peer check: KernelCPD(linear) and Pelt(model="l2") minimise the same penalised cost.
    rng = np.random.default_rng(seed)
    signal = np.cumsum(rng.normal(0, 1, n)).reshape(-1, 1)
    penalty = beta * np.log(n)
    fast = [int(e) for e in ruptures.KernelCPD(kernel="linear", min_size=3, jump=1).fit(signal).predict(pen=penalty)]
    reference = ruptures.Pelt(model="l2", min_size=3, jump=1).fit(signal).predict(pen=penalty)
    assert fast == reference


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(1e-3, 1e3))
def test_share_alerts_do_not_depend_on_the_currency_unit(seed, scale):
    rng = np.random.default_rng(seed)
    months = [str(p) for p in pd.period_range("2020-01", periods=30, freq="M")]
    rows = [
        (m, "CHN", partner, "250410", float(rng.lognormal(0, 0.5)) * weight * (0.2 if partner == "JPN" and i > 20 else 1.0), np.nan)
        for i, m in enumerate(months)
        for partner, weight in (("JPN", 50.0), ("IND", 30.0), ("KOR", 20.0))
    ]
    base = flows_frame(rows)
    scaled = base.assign(value_usd=base["value_usd"] * scale)
    params = ShareShiftParameters(min_total_usd=0.0)
    first = [(a.period, a.series.partner, a.direction) for a in share_shift(base, perspective="exporter", params=params)]
    second = [(a.period, a.series.partner, a.direction) for a in share_shift(scaled, perspective="exporter", params=params)]
    assert first == second


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(1e-3, 1e3))
def test_unit_value_alerts_do_not_depend_on_the_price_unit(seed, scale):
    rng = np.random.default_rng(seed)
    prices = 10 * np.exp(rng.normal(0, 0.3, 40))
    prices[25] *= 5
    first = [(a.period, a.direction) for a in unit_value_jump(unit_values(prices))]
    second = [(a.period, a.direction) for a in unit_value_jump(unit_values(prices * scale))]
    assert first == second


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(1e-3, 1e3))
def test_change_points_do_not_depend_on_the_unit(seed, scale):
    rng = np.random.default_rng(seed)
    values = 1000 * np.tile(SEASON, 8) * np.exp(rng.normal(0, 0.1, 96))
    values[50:] *= 0.4
    first = [(a.period, a.direction) for a in change_points(value_series(values))]
    second = [(a.period, a.direction) for a in change_points(value_series(values * scale))]
    assert first == second
