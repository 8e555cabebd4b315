"""The backtest on the bundled China series, replayed as of each month (assert what the data show)."""

from __future__ import annotations

import json

import pytest

from setu.services import watch as service
from setu.sources.baskets import load_baskets
from setu.watch.backtest import TUNING_MEASURES, backtest, monthly_digest
from setu.watch.ranking import hypotheses_tested, incidents, rank
from setu.watch.scan import scan


@pytest.fixture(scope="module")
def totals_scan(bundled_flows, register):
    return scan(bundled_flows, measures=register, include_partners=False)


@pytest.fixture(scope="module")
def report(totals_scan, register):
    return backtest(totals_scan, register, load_baskets())


def test_the_held_out_split_is_fixed(report):
    assert TUNING_MEASURES == frozenset({"cn-2023-graphite-licensing"})
    statuses = {e.label: e.status for e in report.events}
    assert statuses == {
        "cn-2023-gallium-germanium-licensing:811292": "basket",
        "cn-2023-graphite-licensing:250410": "tuning",
        "cn-2023-graphite-licensing:380110": "tuning",
        "cn-2024-dual-use-ban-usa:811292": "basket",
        "cn-2024-graphite-end-use-review-usa:250410": "censored",
        "cn-2024-graphite-end-use-review-usa:380110": "censored",
        "cn-2025-tungsten-tellurium-bismuth-molybdenum-indium:811292": "outside",
        "cn-2025-battery-graphite-anode:380110": "outside",
    }
    # No held-out event of these data can be evaluated: recall is not estimable (not zero), and none of the
    # digest's entries outside the tuning windows lies near a held-out event.
    assert report.recall.value is None and report.recall.base == 0
    assert (report.precision.count, report.precision.base, report.precision.low) == (0, 2, 0.0)


def test_gallium_germanium_basket_is_reported_not_missed(report):
    row = next(e for e in report.events if e.label == "cn-2023-gallium-germanium-licensing:811292")
    assert row.status == "basket" and "cannot show" in row.reason and "84 t" in row.reason
    assert row.finer_codes[:1] == ("282560",) and "8112921010" in row.finer_codes
    assert row.flagged is False  # shown, not hidden, and not counted among held-out misses


def test_graphite_is_flagged_with_the_data_of_its_months(report):
    rows = {e.hs6: e for e in report.events if e.measure_id == "cn-2023-graphite-licensing"}
    # Natural graphite: the level shift of December 2023 is known with January 2024's data (two months beyond
    # the threshold). Artificial graphite fell 55 % in December 2023 (126.5 -> 47.3 M USD) and recovered by
    # March: a one-month slump, not a lasting fall, so the digest (anchored on lasting falls) does not hold it.
    assert rows["250410"].flagged and rows["250410"].lag_months == 1
    assert rows["380110"].flagged is False and rows["380110"].detectors == ("slump",)
    assert [(e.month, e.hs6, e.onset) for e in report.entries if e.label == "tuning"][:1] == [
        ("2024-01", "250410", "2023-12")]


def test_false_alerts_and_placebos_with_their_intervals(report):
    assert report.product_years == 18.0  # 3 codes x 72 evaluated months (2019-01 .. 2024-12)
    assert report.false_alerts.count == 2  # HS 811292 in 2019 (May and July digests), near no measure
    # Time at risk: months inside an event window (announcement to 3 months after entry into force) cannot
    # hold an entry near no event. 250410 and 380110: graphite 2023-10 .. 2024-03 (6) and the US review from
    # 2024-12 (1); 811292: gallium/germanium 2023-07 .. 2023-11 (5) and the US ban from 2024-12 (1): 20 months.
    at_risk = 18 - 20 / 12
    assert report.product_years_at_risk == pytest.approx(at_risk) and report.false_alerts.base == pytest.approx(at_risk)
    # Garwood: chi2(0.025; 4) / 2 = 0.2422 and chi2(0.975; 6) / 2 = 7.2247 events, over the time at risk.
    assert (report.false_alerts.low, report.false_alerts.high) == pytest.approx(
        (0.2422 / at_risk, 7.2247 / at_risk), rel=1e-3)
    assert len(report.placebos) == 16 and report.placebo_rate.count == 0
    # The three products' events all fall in 2023, so the same months on another product are always within
    # three months of that product's own event: every placebo window is another year of the same product.
    assert {p.kind for p in report.placebos} == {"other year"}
    assert all(p.start >= report.first_evaluated for p in report.placebos)


def test_the_digest_reads_no_month_after_its_last(tmp_path):
    # The bundled file and a copy cut after January 2024 give the same digest for January 2024.
    cut = tmp_path / "to-2024-01.csv"
    lines = service.comtrade_monthly.bundled_path().read_text(encoding="utf-8").splitlines()
    cut.write_text("\n".join([lines[0], *(line for line in lines[1:] if line[:7] <= "2024-01")]) + "\n")
    full = json.loads(service.digest(last_month="2024-01", months=1, as_json=True))["ranked"]
    assert full == json.loads(service.digest(last_month="2024-01", months=1, as_json=True, file=cut))["ranked"]
    assert [r["hs6"] for r in full] == ["250410"]  # January 2024: natural graphite, nothing else


@pytest.mark.parametrize("month", ["2019-01", "2019-05", "2019-07", "2023-12", "2024-01", "2024-03", "2024-12"])
def test_each_months_digest_from_the_data_cut_there_is_the_backtests(month, bundled_flows, register, totals_scan):
    # The first evaluated month, the 2019 false alarms, December/January around the graphite controls, the last
    # month: the alerts and the digest of a month are the same from the file cut at that month.
    cut = scan(bundled_flows, measures=register, include_partners=False, until=month, months=[month])
    assert cut.alerts == tuple(a for a in totals_scan.alerts if a.as_of == month)
    ranked = [(i.hs6, i.first_month, i.q_value) for i in rank(incidents(cut), hypotheses_tested(cut, months=[month]))]
    assert ranked == [(i.hs6, i.first_month, i.q_value) for m, i in monthly_digest(totals_scan) if m == month]


def test_per_detector_rates_count_only_alerts_inside_their_exposure(report):
    # Unit-value jumps on the totals: 380110 known in 2018-01 (before the first evaluated month, 2019-01: outside
    # the exposure); 250410 2020-06, 811292 2020-09, 250410 and 380110 2022-03 (near no event); 380110 2023-12
    # (inside the graphite window).
    row = next(r for r in report.detector_rates if (r.detector, r.scope) == ("unit_value_jump", "total"))
    assert (row.alerts, row.near_no_event) == (5, 4)
    # 3 totals x 72 evaluated months, less the 20 product-months inside event windows.
    assert row.series_years == pytest.approx(18 - 20 / 12) and row.rate.value == pytest.approx(4 / (18 - 20 / 12))
