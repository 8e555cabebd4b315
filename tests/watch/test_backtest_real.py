"""The detectors on the bundled China series, around the register's measures (assert what the data shows)."""

from __future__ import annotations

from setu.watch.backtest import backtest


def outcome(report, measure_id, hs6):
    return next(o for o in report.outcomes if o.measure_id == measure_id and o.hs6 == hs6)


def test_graphite_controls_flagged_at_most_one_month_after_entry_into_force(bundled_scan, register):
    report = backtest(bundled_scan, register)
    assert (report.first_month, report.last_month) == ("2017-01", "2024-12")
    for hs6 in ("250410", "380110"):
        row = outcome(report, "cn-2023-graphite-licensing", hs6)
        assert row.flagged and row.lag_months is not None and 0 <= row.lag_months <= 1
        assert "CHN>ALL" in " ".join(row.flagged_series)


def test_natural_graphite_drop_size_matches_the_data(bundled_scan, bundled_flows):
    # Hand check: China's listed exports of HS 250410 fell from 49.5 M USD (2023-11) to 3.0 M USD (2023-12).
    monthly = bundled_flows.query("hs6 == '250410'").groupby("period")["value_usd"].sum()
    assert round(monthly["2023-11"] / 1e6, 1) == 49.5 and round(monthly["2023-12"] / 1e6, 1) == 3.0
    shift = [a for a in bundled_scan.alerts if a.detector == "level_shift" and a.series.partner is None
             and a.series.hs6 == "250410" and a.series.variable.value == "value_usd"]
    assert [a.period for a in shift] == ["2023-12"]
    assert shift[0].percent_change < -75
    assert ("cn-2023-graphite-licensing", "effective", 0) in {
        (m.measure_id, m.event, m.lag_months) for m in shift[0].measures
    }


def test_gallium_germanium_is_reported_honestly(bundled_scan, register):
    report = backtest(bundled_scan, register)
    row = outcome(report, "cn-2023-gallium-germanium-licensing", "811292")
    # HS 811292 mixes Ga, Ge, In and Nb: China's listed total did not fall after 2023-08 in this data.
    assert not row.flagged
    assert "holds more than the controlled goods" in row.note
    late = outcome(report, "cn-2024-dual-use-ban-usa", "811292")
    assert "only 0 month(s) of data" in late.note


def test_false_alarm_rates_are_reported_per_detector(bundled_scan, register):
    report = backtest(bundled_scan, register)
    rates = {(r.detector, r.scope): r for r in report.false_alarms}
    for name in ("level_shift", "change_point", "surge", "slump", "unit_value_jump"):
        assert (name, "total") in rates and (name, "partner") in rates
    for rate in rates.values():
        assert 0 <= rate.unmatched <= rate.alerts
        assert rate.series_years > 0
    # 6 total series x 8 years, less 811292's gappy total quantity for the level detectors.
    assert rates["level_shift", "total"].series_years == 40
    assert rates["level_shift", "total"].per_series_year < 0.1
