"""Backtest: does a scan flag the register's measures, how late, and how often does it cry wolf?

For every measure whose issuer reports in the flows, whose goods share an HS6 code with them and whose
``effective`` month lies inside the observed months, and for each such HS6 code, the backtest looks at the
series the measure covers (the reporter's total and, for a targeted measure, the targeted partners) and
records:

* **flagged** — a *downward* alert (level shift, change point, slump, or a share shift of a targeted
  partner) on a covered value or quantity series dated from the effective month to ``max_lag`` months
  after it; **lag** is the earliest such alert's month minus the effective month;
* **front-loading** — an upward surge on a covered series from the announcement month up to the month
  before the effective month (only when those differ);
* the number of covered series that were scanned, and which detectors fired;
* for context, how many partner-level value series of the code had a downward alert in the same window
  (for an untargeted measure these are not what "flagged" is judged on, but they show where it bit).

**False alarms** are alerts matched to no measure event (``before_months``/``after_months`` of
:func:`setu.watch.scan.match_measures`), counted per detector and scope (reporter totals, partner series)
and divided by the *series-years* that detector scanned there (months of the series it applies to / 12). They are an upper bound on the false-alarm
rate: some "false" alerts are real events the register does not hold (e.g. COVID-19 in 2020).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from setu.watch.levels import LevelShiftParameters
from setu.watch.measures import Measure
from setu.watch.ranking import Incident, is_anchor
from setu.watch.scan import SERIES_DETECTORS, SHARE_DETECTOR, ScanResult
from setu.watch.series import Alert, Variable, month_index

MAX_MISSING = LevelShiftParameters().max_missing
DOWNWARD_DETECTORS = frozenset({"level_shift", "change_point", "slump", "share_shift_exporter", "share_shift_importer"})


@dataclass(frozen=True)
class MeasureOutcome:
    measure_id: str
    hs6: str
    effective: str
    announced: str
    covered_series: int
    flagged: bool
    lag_months: int | None
    detectors: tuple[str, ...]
    flagged_series: tuple[str, ...]
    front_loading: bool | None  # None when announcement and entry into force fall in the same month
    partner_series: int  # partner-level value series of the code (context for untargeted measures)
    partner_series_flagged: int  # of those, how many had a downward alert in the same window
    note: str


@dataclass(frozen=True)
class FalseAlarmRate:
    detector: str
    scope: str  # "total" (reporter's total over partners) or "partner"
    alerts: int
    unmatched: int
    series_years: float

    @property
    def per_series_year(self) -> float:
        return self.unmatched / self.series_years if self.series_years else 0.0


@dataclass(frozen=True)
class BacktestReport:
    first_month: str
    last_month: str
    max_lag: int
    outcomes: tuple[MeasureOutcome, ...]
    false_alarms: tuple[FalseAlarmRate, ...]


def backtest(result: ScanResult, measures: Sequence[Measure], *, max_lag: int = 3) -> BacktestReport:
    """Score ``result`` (a scan with measures attached) against ``measures``; see the module docstring."""
    periods = sorted({p for series in result.series for p in series.periods})
    if not periods:
        raise ValueError("the scan holds no series")
    first, last = periods[0], periods[-1]
    reporters = {series.key.reporter for series in result.series}
    hs_codes = {series.key.hs6 for series in result.series}
    outcomes = []
    for measure in measures:
        effective = measure.dates.effective or measure.dates.announced
        if measure.issuer not in reporters or not first <= effective.month <= last:
            continue
        for hs6 in sorted(measure.hs6 & hs_codes):
            outcomes.append(_outcome(result, measure, hs6, max_lag))
    return BacktestReport(first, last, max_lag, tuple(outcomes), tuple(_false_alarms(result)))


def _covered(measure: Measure, key) -> bool:
    if key.partner is not None and not measure.targets:
        return False  # an untargeted measure is judged on the reporter's total
    return measure.covers(reporter=key.reporter, partner=key.partner, hs6=key.hs6)


def _outcome(result: ScanResult, measure: Measure, hs6: str, max_lag: int) -> MeasureOutcome:
    effective = (measure.dates.effective or measure.dates.announced).month
    announced = measure.dates.announced.month
    start = month_index(effective)
    covered = [
        s for s in result.series
        if s.key.hs6 == hs6 and s.key.variable is not Variable.UNIT_VALUE and _covered(measure, s.key)
    ]
    down: list[Alert] = []
    up: list[Alert] = []
    for alert in result.alerts:
        if alert.series.hs6 != hs6 or alert.series.variable is Variable.UNIT_VALUE or not _covered(measure, alert.series):
            continue
        lag = month_index(alert.period) - start
        if alert.direction == "down" and alert.detector in DOWNWARD_DETECTORS and 0 <= lag <= max_lag:
            down.append(alert)
        if alert.detector == "surge" and month_index(announced) <= month_index(alert.period) < start:
            up.append(alert)
    lag = min((month_index(a.period) - start for a in down), default=None)
    partner_keys = {
        s.key for s in result.series
        if s.key.hs6 == hs6 and s.key.partner is not None and s.key.variable is Variable.VALUE
        and measure.covers(reporter=s.key.reporter, partner=s.key.partner, hs6=hs6)
    }
    partner_flagged = {
        a.series for a in result.alerts
        if a.series in partner_keys and a.direction == "down" and a.detector in DOWNWARD_DETECTORS
        and 0 <= month_index(a.period) - start <= max_lag
    }
    months_left = month_index(_last_period(result)) - start
    note = ""
    if months_left < max_lag:
        note = f"only {months_left} month(s) of data after entry into force"
    if any(goods.partial for goods in measure.goods if hs6 in goods.hs6):
        note = (note + "; " if note else "") + f"HS {hs6} holds more than the controlled goods"
    return MeasureOutcome(
        measure_id=measure.id,
        hs6=hs6,
        effective=effective,
        announced=announced,
        covered_series=len(covered),
        flagged=bool(down),
        lag_months=lag,
        detectors=tuple(sorted({a.detector for a in down})),
        flagged_series=tuple(sorted({a.series.label for a in down})),
        front_loading=None if announced == effective else bool(up),
        partner_series=len(partner_keys),
        partner_series_flagged=len(partner_flagged),
        note=note,
    )


def _last_period(result: ScanResult) -> str:
    return max(series.periods[-1] for series in result.series)


def _scope(key) -> str:
    return "total" if key.partner is None else "partner"


def _false_alarms(result: ScanResult) -> list[FalseAlarmRate]:
    """Unmatched alerts per series-year, by detector and scope (totals and partner series apart)."""
    months: Counter[tuple[str, str]] = Counter()
    for series in result.series:
        gappy = float(np.isnan(series.values).mean()) > MAX_MISSING  # skipped by the level detectors
        for name, spec in SERIES_DETECTORS.items():
            if name not in result.detectors or series.key.variable not in spec.variables:
                continue
            if gappy and series.key.variable is not Variable.UNIT_VALUE:
                continue
            months[name, _scope(series.key)] += len(series.periods)
    share_months = sum(
        len(s.periods) for s in result.series if s.key.partner is not None and s.key.variable is Variable.VALUE
    )
    total_alerts: Counter[tuple[str, str]] = Counter((a.detector, _scope(a.series)) for a in result.alerts)
    unmatched: Counter[tuple[str, str]] = Counter(
        (a.detector, _scope(a.series)) for a in result.alerts if not a.measures
    )
    rates = []
    for name, scope in sorted(set(months) | set(total_alerts)):
        exposure = share_months if name.startswith(SHARE_DETECTOR) else months.get((name, scope), 0)
        rates.append(
            FalseAlarmRate(name, scope, total_alerts.get((name, scope), 0), unmatched.get((name, scope), 0), exposure / 12.0)
        )
    return rates


#: Events whose data were used to choose the detectors' default thresholds and the digest's anchor rule
#: (downward, on the reporter's total, lasting two months): in-sample. Every other register event inside the
#: data, with ``max_lag`` months after it, is held out and scores precision and recall.
TUNING_MEASURES = frozenset({"cn-2023-graphite-licensing"})


@dataclass(frozen=True)
class DigestEvaluation:
    tuning_measures: tuple[str, ...]
    tuning_flagged_within_one_month: tuple[str, ...]  # "measure:hs6" of tuning events flagged by month +1
    held_out: tuple[str, ...]  # "measure:hs6" evaluated
    not_evaluable: tuple[str, ...]  # in the data but too close to its end (reason in the docs)
    held_out_flagged: tuple[str, ...]
    recall: float | None
    digest_incidents: int
    outside_tuning: int  # digest incidents not near a tuning event
    true_positives: int  # of those, near a held-out event
    precision: float | None
    unmatched: int  # digest incidents near no measure at all
    product_years: float
    unmatched_per_product_year: float


def evaluate_digest(result: ScanResult, digest: Sequence[Incident], measures: Sequence[Measure], *, max_lag: int = 3,
                    tuning: frozenset[str] = TUNING_MEASURES) -> DigestEvaluation:
    """Precision and recall of the ranked digest (``setu.watch.ranking.rank``) on held-out register events.

    An event (measure x HS6 code in the data) is *flagged* when a digest incident of the issuer and code
    has an anchor (a lasting fall of the total) dated from the effective month to ``max_lag`` months after.
    """
    from_data = backtest(result, measures, max_lag=max_lag)  # the same eligibility rules as the backtest
    last = month_index(_last_period(result))
    held_out, not_evaluable, flagged, tuning_hits = [], [], [], []
    for outcome in from_data.outcomes:
        label = f"{outcome.measure_id}:{outcome.hs6}"
        start = month_index(outcome.effective)
        hit = any(
            incident.hs6 == outcome.hs6 and any(
                0 <= month_index(a.period) - start <= max_lag for a in incident.alerts if is_anchor(a))
            for incident in digest
        )
        if outcome.measure_id in tuning:
            within = any(
                incident.hs6 == outcome.hs6 and any(
                    0 <= month_index(a.period) - start <= 1 for a in incident.alerts if is_anchor(a))
                for incident in digest
            )
            if within:
                tuning_hits.append(label)
            continue
        if last - start < max_lag:
            not_evaluable.append(label)
            continue
        held_out.append(label)
        if hit:
            flagged.append(label)
    outside = [i for i in digest if not any(m.measure_id in tuning for m in i.measures)]
    held_ids = {label.split(":")[0] for label in held_out}
    true_positives = sum(1 for i in outside if any(m.measure_id in held_ids for m in i.measures))
    totals = [s for s in result.series if s.key.partner is None and s.key.variable is Variable.VALUE]
    product_years = sum(len(s.periods) for s in totals) / 12.0
    unmatched = sum(1 for i in digest if not i.measures)
    return DigestEvaluation(
        tuning_measures=tuple(sorted(tuning)),
        tuning_flagged_within_one_month=tuple(tuning_hits),
        held_out=tuple(held_out),
        not_evaluable=tuple(not_evaluable),
        held_out_flagged=tuple(flagged),
        recall=len(flagged) / len(held_out) if held_out else None,
        digest_incidents=len(digest),
        outside_tuning=len(outside),
        true_positives=true_positives,
        precision=true_positives / len(outside) if outside else None,
        unmatched=unmatched,
        product_years=product_years,
        unmatched_per_product_year=unmatched / product_years if product_years else 0.0,
    )
