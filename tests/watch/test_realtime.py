"""No detector reads past its month: a planted break, the series cut at each month, the future scrambled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.watch.changepoints import change_points
from setu.watch.backtest import monthly_digest
from setu.watch.levels import level_shift, log_transform, slump, surge, usable_vintages
from setu.watch.prices import unit_value_jump
from setu.watch.ranking import hypotheses_tested
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


def late_product_flows() -> pd.DataFrame:
    """250410 falls 70 % from 2021-03; 380110 is first traded in 2022-11, after that month."""
    rng = np.random.default_rng(5)
    months = [str(p) for p in pd.period_range("2017-01", periods=84, freq="M")]
    values = 1e6 * np.tile(SEASON, 7) * np.exp(rng.normal(0, 0.04, 84))
    values[50:] *= 0.3
    rows = [(m, "CHN", "JPN", "250410", values[t], values[t] / 2) for t, m in enumerate(months)]
    rows += [(m, "CHN", "JPN", "380110", 1e6, 5e5) for m in months[70:]]
    return pd.DataFrame(rows, columns=["period", "reporter", "partner", "hs6", "value_usd", "quantity_kg"])


def test_a_product_traded_only_later_does_not_enter_an_earlier_months_tests():
    # The Benjamini-Hochberg family of a month counts the tests that month's data allow: a code with no trade
    # yet is not tested, so the month's digest (its q-values) is the same with or without the later data.
    frame = late_product_flows()
    month = "2021-04"  # the fall is known (two months beyond the threshold)
    full, cut = scan(frame, include_partners=False), scan(frame, include_partners=False, until=month)
    assert hypotheses_tested(cut, months=[month]) == 6  # 250410 value and quantity x 3 anchoring detectors
    assert hypotheses_tested(full, months=[month]) == 6
    assert hypotheses_tested(full, months=["2023-12"]) == 12
    digest = [(m, i.hs6, i.q_value) for m, i in monthly_digest(full) if m <= month]
    assert digest == [(m, i.hs6, i.q_value) for m, i in monthly_digest(cut)]
    assert [(m, hs6) for m, hs6, _ in digest] == [("2021-04", "250410")]


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(0, 1e6)), min_size=1, max_size=40))
def test_usable_vintages_are_those_the_log_transform_accepts(values):
    array = np.array([np.nan if v is None else v for v in values])
    usable = usable_vintages(array, max_missing=0.1)
    expected = [log_transform(array[: t + 1], offset_fraction=0.01, max_missing=0.1) is not None
                for t in range(array.size)]
    assert list(usable) == expected


def test_a_second_reporter_arriving_later_changes_no_earlier_share_shift():
    # One reporter until 2021-12: shares are destination shares (exporter's view); from 2022-01, when a second
    # reporter's rows begin, supplier shares (importer's view). Cutting before then keeps the exporter's view.
    frame = flows()
    late = frame[(frame["partner"] == "JPN") & (frame["period"] >= "2022-01")].assign(reporter="IND", partner="KOR")
    frame = pd.concat([frame, late], ignore_index=True)
    full = scan(frame, detectors=["share_shift"])
    for month in ("2021-06", "2021-12", "2022-06"):
        assert scan(frame, detectors=["share_shift"], until=month).alerts == tuple(
            a for a in full.alerts if a.as_of <= month)
    views = {a.detector: a.as_of for a in full.alerts}
    assert {a.detector for a in full.alerts if a.as_of < "2022-01"} == {"share_shift_exporter"}
    assert views.get("share_shift_importer", "2022-01") >= "2022-01"


@pytest.mark.parametrize("start, break_month", [
    ("2017-07", "2017-08"),  # a break after the first month of data (the series starts mid-year)
    ("2017-07", "2021-12"),  # December
    ("2017-07", "2022-01"),  # January, the turn of the year
    ("2017-07", "2024-06"),  # the last month of data
    ("2017-01", "2023-01"),
])
def test_breaks_at_date_boundaries_give_the_same_alerts_cut_or_full(start, break_month):
    values = planted(seed=11, months=84)
    values[BREAK:] /= 0.3  # remove the planted fall; plant one at break_month instead
    series = MonthlySeries.from_values(KEY, start, values)
    at = series.periods.index(break_month)
    values[at:] *= 0.25
    series = MonthlySeries.from_values(KEY, start, values)
    prices = MonthlySeries.from_values(SeriesKey("CHN", None, "250410", Variable.UNIT_VALUE), start, values)
    cuts = sorted({min(max(at + k, 25), len(values) - 1) for k in (-1, 0, 1, 2, 3, 6)} | {len(values) - 1})
    for detector, one in (*((d, series) for d in DETECTORS), (unit_value_jump, prices)):
        full = detector(one)
        assert all(a.period <= a.as_of for a in full)
        for cut in cuts:
            month = one.periods[cut]
            assert detector(one.until(month)) == [a for a in full if a.as_of <= month], (detector, month)
    falls = [a for a in level_shift(series) if a.direction == "down"]
    if at >= 25 and at < len(values) - 1:  # after the 24-month history, with a month to confirm it
        assert (falls[0].period, falls[0].as_of) == (break_month, series.periods[at + 1])
    elif at == len(values) - 1:
        assert falls == []  # a fall in the last month is not yet a lasting fall
    else:
        assert all(a.period > break_month for a in falls)  # a break inside the first 24 months is history
