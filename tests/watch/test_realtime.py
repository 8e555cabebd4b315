"""No detector reads past its month: a planted break, the series cut at each month, the future scrambled."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.watch.changepoints import change_points
from setu.watch.levels import level_shift, slump, surge
from setu.watch.prices import unit_value_jump
from setu.watch.scan import scan
from setu.watch.series import MonthlySeries, SeriesKey, Variable

KEY = SeriesKey("CHN", None, "250410", Variable.VALUE)
SEASON = np.array([1.0, 0.8, 1.1, 1.0, 1.05, 0.95, 0.9, 1.0, 1.1, 1.15, 1.0, 0.95])
DETECTORS = (level_shift, surge, slump, change_points)
BREAK = 60  # 2022-01 from 2017-01


def planted(seed: int = 7, months: int = 84) -> np.ndarray:
    """Seasonal series with 4 % noise, a one-month spike at 40 and a 70 % fall from month 60 on."""
    rng = np.random.default_rng(seed)
    values = 1e6 * np.tile(SEASON, months // 12 + 1)[:months] * np.exp(rng.normal(0, 0.04, months))
    values[40] *= 3.0
    values[BREAK:] *= 0.3
    return values


def test_the_planted_break_is_known_the_month_after_it_with_no_later_data():
    series = MonthlySeries.from_values(KEY, "2017-01", planted())
    shifts = [a for a in level_shift(series) if a.direction == "down"]
    assert [(a.period, a.as_of) for a in shifts] == [("2022-01", "2022-02")]
    # The series cut at 2022-02 gives the same alert: its inputs end at its as_of month.
    assert level_shift(series.until("2022-02")) == [a for a in level_shift(series) if a.as_of <= "2022-02"]
    assert [a.period for a in level_shift(series.until("2022-01"))] == []
    surges = surge(series)
    assert [(a.period, a.as_of) for a in surges] == [("2020-05", "2020-06")]  # known when it is over


def test_every_cut_gives_the_full_series_alerts_known_by_then():
    series = MonthlySeries.from_values(KEY, "2017-01", planted())
    for detector in DETECTORS:
        full = detector(series)
        assert all(a.period <= a.as_of for a in full)
        for cut in range(26, len(series.periods), 3):
            month = series.periods[cut]
            assert detector(series.until(month)) == [a for a in full if a.as_of <= month], (detector, month)


def test_scrambling_the_future_changes_no_earlier_alert():
    values = planted()
    month = "2022-02"
    cut = 62
    rng = np.random.default_rng(1)
    scrambled = values.copy()
    scrambled[cut:] = rng.uniform(0, 5e6, values.size - cut)
    a = MonthlySeries.from_values(KEY, "2017-01", values)
    b = MonthlySeries.from_values(KEY, "2017-01", scrambled)
    for detector in DETECTORS:
        assert [x for x in detector(a) if x.as_of <= month] == [x for x in detector(b) if x.as_of <= month]
    prices = SeriesKey("CHN", None, "250410", Variable.UNIT_VALUE)
    assert ([x for x in unit_value_jump(MonthlySeries.from_values(prices, "2017-01", values)) if x.as_of <= month]
            == [x for x in unit_value_jump(MonthlySeries.from_values(prices, "2017-01", scrambled)) if x.as_of <= month])


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), cut=st.integers(24, 47), drop=st.floats(0.05, 1.0))
def test_truncation_invariance_on_random_series(seed, cut, drop):
    rng = np.random.default_rng(seed)
    values = 1e5 * np.tile(SEASON, 4) * np.exp(rng.normal(0, 0.15, 48))
    values[rng.integers(25, 48):] *= drop
    series = MonthlySeries.from_values(KEY, "2017-01", values)
    month = series.periods[cut]
    for detector in (level_shift, slump, change_points):
        assert detector(series.until(month)) == [a for a in detector(series) if a.as_of <= month]


def flows() -> pd.DataFrame:
    values = planted(months=72)
    rows = []
    for t, month in enumerate(str(p) for p in pd.period_range("2017-01", periods=72, freq="M")):
        rows.append((month, "CHN", "JPN", "250410", values[t] * 0.6, values[t] * 0.3))
        rows.append((month, "CHN", "KOR", "250410", values[t] * (0.4 if t < 50 else 0.05), np.nan))
        if t >= 30:  # a partner that starts trading late: evaluated only once it has 24 months of trade
            rows.append((month, "CHN", "IND", "250410", 2e5, 1e5))
    return pd.DataFrame(rows, columns=["period", "reporter", "partner", "hs6", "value_usd", "quantity_kg"])


def test_a_scan_cut_at_a_month_equals_the_full_scan_up_to_it():
    frame = flows()
    full = scan(frame)
    assert {a.detector for a in full.alerts} >= {"level_shift", "share_shift_exporter"}
    for month in ("2021-03", "2022-02", "2022-06"):
        assert scan(frame, until=month).alerts == tuple(a for a in full.alerts if a.as_of <= month)
    late = [a for a in full.alerts if a.series.partner == "IND" and not a.detector.startswith("share_shift")]
    assert all(a.as_of >= "2021-06" for a in late)  # 24 months of trade from 2019-07
