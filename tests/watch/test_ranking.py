"""The ranked digest: incidents, p-values, Benjamini-Hochberg by hand, the tests a period holds."""

from __future__ import annotations

import pytest

from setu.watch.ranking import (
    Incident,
    alert_p_value,
    hypotheses_tested,
    incidents,
    is_anchor,
    rank,
)
from setu.watch.scan import ScanResult
from setu.watch.series import Alert, MonthlySeries, SeriesKey, Variable

TOTAL = SeriesKey("CHN", None, "250410", Variable.VALUE)


def alert(period: str, *, detector: str = "level_shift", score: float = -6.0, key: SeriesKey = TOTAL,
          direction: str = "down", months: int = 2) -> Alert:
    return Alert(detector, key, period, direction, -1.0, "log_points", score, {}, "test", months)


def test_p_value_is_the_one_sided_normal_tail() -> None:
    assert alert_p_value(alert("2024-01", score=-4.0)) == pytest.approx(3.16712e-05, rel=1e-5)
    assert alert_p_value(alert("2024-01", score=1.6448536)) == pytest.approx(0.05, rel=1e-6)


def test_anchors_are_lasting_falls_of_the_total() -> None:
    assert is_anchor(alert("2024-01"))
    assert not is_anchor(alert("2024-01", months=1))  # a one-month slump is a blip
    assert not is_anchor(alert("2024-01", direction="up"))
    assert not is_anchor(alert("2024-01", key=SeriesKey("CHN", "JPN", "250410", Variable.VALUE)))
    assert not is_anchor(alert("2024-01", detector="unit_value_jump"))


def test_incidents_group_a_window_without_chaining() -> None:
    series = MonthlySeries.from_values(TOTAL, "2023-01", [10.0] * 6)
    months = ["2023-01", "2023-02", "2023-03", "2023-04"]
    result = ScanResult((series,), tuple(alert(m) for m in months), ("level_shift",))
    found = incidents(result, gap_months=2)
    assert [(i.first_month, i.last_month, len(i.alerts)) for i in found] == [
        ("2023-01", "2023-03", 3), ("2023-04", "2023-04", 1)]
    # three anchors, the smallest p times three (Bonferroni inside the incident)
    assert found[0].p_value == pytest.approx(3 * alert_p_value(alert("2023-01")))


def _incident(p: float | None, month: str) -> Incident:
    return Incident("CHN", "250410", month, month, "down", (alert(month),), ("level_shift",), ("ALL",), 2e6, 2,
                    (), p)


def test_benjamini_hochberg_by_hand() -> None:
    # p = .001, .01, .03 among m = 10 tests: q_(i) = min_{j >= i} p_(j) m / j = .01, .05, .10
    found = [_incident(0.001, "2024-01"), _incident(0.01, "2024-02"), _incident(0.03, "2024-03"),
             _incident(None, "2024-04")]
    kept = rank(found, tests=10, alpha=0.05)
    assert sorted((i.first_month, round(i.q_value, 6)) for i in kept) == [("2024-01", 0.01), ("2024-02", 0.05)]
    first = next(i for i in kept if i.first_month == "2024-01")
    # score = -log10 .01 + log10(1 + 2) + 0 + 0 + 0.25 * 2 + 0 (no measure)
    assert first.score == pytest.approx(2 + 0.4771213 + 0.5)
    assert any("q = 0.01" in reason for reason in first.reasons)
    assert first.reasons[-1] == "near no registered measure"


def test_hypotheses_are_the_evaluated_months_of_the_period() -> None:
    # 30 months: the first 24 are history, so 6 months x 3 anchoring detectors are tested; 2 of them in March-April.
    series = MonthlySeries.from_values(TOTAL, "2017-01", [10.0] * 30)
    result = ScanResult((series,), (), ("level_shift", "change_point", "slump", "surge"))
    assert hypotheses_tested(result) == 18
    assert hypotheses_tested(result, months=["2019-03", "2019-04", "2016-01"]) == 6
