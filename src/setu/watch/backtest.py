"""Backtest, replayed month by month: would the monthly digest have flagged the register's measures in time,
how often does it raise an alert where nothing happened, and how sure are those figures?

Real time
---------
The scan's alerts are each computed from the data up to the month they are known (``Alert.as_of``; see
:mod:`setu.watch.levels`). The backtest replays the **monthly digest**: for every month ``T`` it takes the
alerts known in ``T``, groups them into incidents and keeps those that pass the false-discovery rule of
:mod:`setu.watch.ranking` over the tests of that month (each anchoring detector on each reporter total
evaluable at ``T``). A kept incident is a *digest entry* for ``T``. Nothing after ``T`` enters an entry.

Events
------
Every register measure whose issuer reports in the flows and whose goods include a product (reporter ×
code) with monthly data is listed, for each such code, with a status:

* ``tuning`` — used to choose the detectors' thresholds and the digest's anchor rule (in-sample; reported
  apart, never in precision or recall); the split is fixed in :data:`TUNING_MEASURES` and tested. A measure
  whose window on a code overlaps a tuning event's is in-sample too: the entries that would flag it are
  those the thresholds were chosen to raise;
* ``held_out`` — evaluable and not used for tuning: these alone give recall, lead time and precision;
* ``basket`` — the code cannot show the measure (:mod:`setu.watch.baskets`): reported so, with the finer
  codes that could, never counted as a miss;
* ``censored`` — fewer than ``max_lag`` months of data after entry into force;
* ``outside`` — entry into force before the first evaluable month or after the data end.

An event is **flagged** when a digest entry on the issuer's code falls in a month ``T`` from entry into
force to ``max_lag`` months after; its **lag** is ``T`` minus the entry-into-force month (0: flagged with
the data of the month the measure took effect; lead time is minus the lag).

Figures (95 % intervals from :mod:`setu.watch.intervals`)
--------------------------------------------------------
* recall = flagged held-out events / held-out events (Wilson);
* precision = entries in a held-out event's window / (those + entries near no event) (Wilson); an event's
  window runs from its announcement to ``max_lag`` months after entry into force;
* false alerts per product-year = entries near no event / product-years evaluated outside every event
  window (the time at risk: an entry inside a window is never "near no event"; Garwood); an upper bound,
  since some are real events the register does not hold (COVID-19 in 2020);
* placebo alert rate: the event windows moved to the same months of other years on the same product and
  to the same months on the other products, where no event falls within three months; the share of
  those windows with a digest entry (Wilson): what "flagged" looks like by chance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from setu.watch.baskets import Basket, cannot_show, finer_codes
from setu.watch.intervals import Estimate, garwood, median_interval, wilson
from setu.watch.levels import LevelShiftParameters
from setu.watch.measures import Measure
from setu.watch.ranking import ALPHA, Incident, hypotheses_tested, incidents, is_anchor, rank
from setu.watch.scan import SERIES_DETECTORS, ScanResult
from setu.watch.series import SeriesKey, Variable, month_index

#: Events whose data were used to choose the detectors' default thresholds and the digest's anchor rule
#: (downward, on the reporter's total, lasting two months): in-sample. Every other evaluable event is held out.
TUNING_MEASURES = frozenset({"cn-2023-graphite-licensing"})
FIRST_EVALUATED = LevelShiftParameters().window  # months of history before the first evaluated month
MIN_ACTIVE_MONTHS = 24  # the scan's default for partner series
PLACEBO_CLEARANCE = 3  # months between a placebo window and any event window
DOWNWARD_DETECTORS = frozenset({"level_shift", "change_point", "slump", "share_shift_exporter", "share_shift_importer"})


@dataclass(frozen=True)
class DigestEntry:
    month: str  # the month the entry is reported for (its alerts' as_of)
    reporter: str
    hs6: str
    onset: str  # first month of the incident's alerts
    q_value: float
    detectors: tuple[str, ...]
    label: str  # "tuning", "held_out", "other_event" (basket, censored) or "no_event"
    events: tuple[str, ...]  # "measure:hs6" whose window holds the month


@dataclass(frozen=True)
class EventOutcome:
    measure_id: str
    hs6: str
    reporter: str
    announced: str
    effective: str
    status: str  # tuning / held_out / basket / censored / outside
    reason: str
    months_after: int  # months of data after entry into force
    flagged: bool | None  # None for outside
    lag_months: int | None
    detectors: tuple[str, ...]  # detectors with a downward real-time alert on a covered series in the window
    finer_codes: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.measure_id}:{self.hs6}"


@dataclass(frozen=True)
class PlaceboWindow:
    reporter: str
    hs6: str
    start: str
    end: str
    kind: str  # "other year" or "other product"
    alerted: bool


@dataclass(frozen=True)
class DetectorRate:
    detector: str
    scope: str  # "total" or "partner"
    alerts: int
    near_no_event: int
    series_years: float  # evaluated outside every event window
    rate: Estimate  # near_no_event per series-year


@dataclass(frozen=True)
class BacktestReport:
    first_month: str
    last_month: str
    first_evaluated: str
    max_lag: int
    tuning: tuple[str, ...]
    events: tuple[EventOutcome, ...]
    entries: tuple[DigestEntry, ...]
    placebos: tuple[PlaceboWindow, ...]
    recall: Estimate
    precision: Estimate
    false_alerts: Estimate  # per product-year
    placebo_rate: Estimate
    lead_time: Estimate  # median lag (months) of flagged held-out events
    product_years: float
    product_years_at_risk: float  # evaluated product-years outside every event window
    detector_rates: tuple[DetectorRate, ...]


def monthly_digest(result: ScanResult, *, alpha: float = ALPHA) -> list[tuple[str, Incident]]:
    """(month, incident) for every incident the digest of that month keeps: alerts known that month, FDR over
    that month's tests."""
    by_month = defaultdict(list)
    for alert in result.alerts:
        by_month[alert.as_of].append(alert)
    kept = []
    for month in sorted(by_month):
        monthly = ScanResult(result.series, tuple(by_month[month]), result.detectors)
        for incident in rank(incidents(monthly), hypotheses_tested(result, months=[month]), alpha=alpha):
            kept.append((month, incident))
    return kept


def backtest(result: ScanResult, measures: Sequence[Measure], baskets: Sequence[Basket] = (), *,
             max_lag: int = 3, tuning: frozenset[str] = TUNING_MEASURES, alpha: float = ALPHA) -> BacktestReport:
    """Replay the monthly digest over ``result`` (a real-time scan) and score it; see the module docstring."""
    totals = [s for s in result.series if s.key.partner is None and s.key.variable is Variable.VALUE]
    if not totals:
        raise ValueError("the scan holds no reporter total")
    first = min(s.periods[0] for s in totals)
    last = max(s.periods[-1] for s in totals)
    first_evaluated = _shift(first, FIRST_EVALUATED)
    products = sorted({(s.key.reporter, s.key.hs6) for s in totals})
    windows = _event_windows(measures, products, max_lag)
    events = [_event(result, m, reporter, code, baskets, first_evaluated, last, max_lag, tuning,
                     _tuning_overlap(m, windows.get((reporter, code), ()), max_lag, tuning))
              for m in measures for reporter, code in products
              if m.covers(reporter=reporter, partner=None, hs6=code)]
    status = {e.label: e.status for e in events}
    found = monthly_digest(result, alpha=alpha)
    entries = [_entry(month, incident, windows, status) for month, incident in found]
    events = [_flag(e, entries, max_lag) for e in events]
    held = [e for e in events if e.status == "held_out"]
    flagged_lags = [e.lag_months for e in held if e.flagged and e.lag_months is not None]
    product_years = sum(max(0, len(s.periods) - FIRST_EVALUATED) for s in totals) / 12.0
    at_risk = sum(_months_at_risk(s, windows) for s in totals) / 12.0
    no_event = sum(1 for e in entries if e.label == "no_event")
    held_entries = sum(1 for e in entries if e.label == "held_out")
    placebos = _placebos(events, products, windows, entries, first_evaluated, last, max_lag)
    return BacktestReport(
        first_month=first, last_month=last, first_evaluated=first_evaluated, max_lag=max_lag,
        tuning=tuple(sorted(tuning)), events=tuple(events), entries=tuple(entries), placebos=tuple(placebos),
        recall=wilson(len(flagged_lags), len(held)),
        precision=wilson(held_entries, held_entries + no_event),
        false_alerts=garwood(no_event, at_risk),
        placebo_rate=wilson(sum(p.alerted for p in placebos), len(placebos)),
        lead_time=median_interval([-lag for lag in flagged_lags]),
        product_years=product_years, product_years_at_risk=at_risk,
        detector_rates=tuple(_detector_rates(result, windows)),
    )


def _months_at_risk(series, windows, evaluated=None) -> int:
    """Evaluated months of a series (from ``FIRST_EVALUATED``, or where ``evaluated`` is True) outside every
    event window of its product: the months in which an entry or alert could be counted near no event."""
    spans = windows.get((series.key.reporter, series.key.hs6), ())
    return sum(1 for t in range(FIRST_EVALUATED, len(series.periods))
               if (evaluated is None or evaluated[t])
               and not any(lo <= month_index(series.periods[t]) <= hi for lo, hi, _ in spans))


def _shift(month: str, months: int) -> str:
    index = month_index(month) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _tuning_overlap(measure: Measure, spans, max_lag: int, tuning: frozenset[str]) -> str | None:
    """The tuning event whose window on the same code overlaps this measure's flagging window (entry into
    force to ``max_lag`` months after), if any: an entry there is what the thresholds were chosen to raise,
    so it cannot flag a held-out event."""
    start = month_index((measure.dates.effective or measure.dates.announced).month)
    for lo, hi, label in spans:
        if label.split(":")[0] in tuning and label.split(":")[0] != measure.id and lo <= start + max_lag and start <= hi:
            return label
    return None


def _event(result, measure, reporter, code, baskets, first_evaluated, last, max_lag, tuning,
           overlap: str | None = None) -> EventOutcome:
    effective = (measure.dates.effective or measure.dates.announced).month
    months_after = month_index(last) - month_index(effective)
    basket = cannot_show(measure, code, baskets)
    if effective < first_evaluated or effective > last:
        status, reason = "outside", (f"enters into force {effective}, before the first evaluated month "
                                     f"{first_evaluated}" if effective < first_evaluated else
                                     f"enters into force {effective}, after the data end {last}")
    elif basket is not None:
        status, reason = "basket", (f"HS {code} cannot show it: {basket.evidence} Source: {basket.source}. "
                                    "Import a finer code to see it")
    elif months_after < max_lag:
        status, reason = "censored", f"only {months_after} month(s) of data after entry into force"
    elif measure.id in tuning:
        status, reason = "tuning", "used to choose the thresholds (in-sample)"
    elif overlap is not None:
        status, reason = "tuning", f"its window overlaps that of {overlap}, used for tuning (in-sample)"
    else:
        status, reason = "held_out", "not used for tuning"
    if status != "outside" and measure.targets:
        reason += f"; targeted at {', '.join(measure.targets)}: judged on the total, as the digest is"
    if status != "outside" and any(goods.partial for goods in measure.goods if code[:6] in goods.hs6):
        reason += f"; HS {code} holds more than the controlled goods"
    start = month_index(effective)
    down = [a for a in result.alerts
            if a.series.reporter == reporter and a.series.hs6 == code and a.direction == "down"
            and a.detector in DOWNWARD_DETECTORS and a.series.variable is not Variable.UNIT_VALUE
            and (a.series.partner is None or (measure.targets and a.series.partner in measure.targets))
            and 0 <= month_index(a.as_of) - start <= max_lag]
    return EventOutcome(
        measure_id=measure.id, hs6=code, reporter=reporter, announced=measure.dates.announced.month,
        effective=effective, status=status, reason=reason, months_after=months_after,
        flagged=None, lag_months=None, detectors=tuple(sorted({a.detector for a in down})),
        finer_codes=finer_codes(measure, code, baskets),
    )


def _flag(event: EventOutcome, entries: Sequence[DigestEntry], max_lag: int) -> EventOutcome:
    if event.status == "outside":
        return event
    start = month_index(event.effective)
    lags = [month_index(e.month) - start for e in entries
            if e.reporter == event.reporter and e.hs6 == event.hs6 and 0 <= month_index(e.month) - start <= max_lag]
    return EventOutcome(**{**event.__dict__, "flagged": bool(lags), "lag_months": min(lags, default=None)})


def _event_windows(measures, products, max_lag) -> dict[tuple[str, str], list[tuple[int, int, str]]]:
    """(first, last month index, label) of every measure's window per product: announcement to ``max_lag``
    months after entry into force."""
    windows: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for measure in measures:
        effective = (measure.dates.effective or measure.dates.announced).month
        for reporter, code in products:
            if measure.covers(reporter=reporter, partner=None, hs6=code):
                windows[reporter, code].append((month_index(measure.dates.announced.month),
                                                month_index(effective) + max_lag, f"{measure.id}:{code}"))
    return windows


def _entry(month: str, incident: Incident, windows, status: dict[str, str]) -> DigestEntry:
    at = month_index(month)
    near = tuple(label for lo, hi, label in windows.get((incident.reporter, incident.hs6), ()) if lo <= at <= hi)
    kinds = {status.get(label, "outside") for label in near}
    label = ("tuning" if "tuning" in kinds else "held_out" if "held_out" in kinds
             else "other_event" if near else "no_event")
    anchors = [a for a in incident.alerts if is_anchor(a)]
    return DigestEntry(month, incident.reporter, incident.hs6, min(a.period for a in anchors),
                       float(incident.q_value or 0.0), incident.detectors, label, near)


def _placebos(events, products, windows, entries, first_evaluated, last, max_lag) -> list[PlaceboWindow]:
    """Event windows moved to other years (same product) and to other products (same months), kept where no
    event window lies within ``PLACEBO_CLEARANCE`` months and the window is inside the evaluated months."""
    lo_bound, hi_bound = month_index(first_evaluated), month_index(last)
    seen: dict[tuple[str, str, int], str] = {}
    for event in events:
        if event.status == "outside":
            continue
        start = month_index(event.effective)
        candidates = [(event.reporter, event.hs6, start + 12 * k, "other year") for k in range(-20, 21) if k]
        candidates += [(r, c, start, "other product") for r, c in products if (r, c) != (event.reporter, event.hs6)]
        for reporter, code, begin, kind in candidates:
            end = begin + max_lag
            if begin < lo_bound or end > hi_bound or (reporter, code, begin) in seen:
                continue
            if any(begin - PLACEBO_CLEARANCE <= hi and lo <= end + PLACEBO_CLEARANCE
                   for lo, hi, _ in windows.get((reporter, code), ())):
                continue
            seen[reporter, code, begin] = kind
    placebos = []
    for (reporter, code, begin), kind in sorted(seen.items()):
        end = begin + max_lag
        alerted = any(e.reporter == reporter and e.hs6 == code and begin <= month_index(e.month) <= end
                      for e in entries)
        placebos.append(PlaceboWindow(reporter, code, _shift("0000-01", begin), _shift("0000-01", end), kind, alerted))
    return placebos


def _detector_rates(result: ScanResult, windows) -> list[DetectorRate]:
    """Real-time alerts of each detector known in no event window, per series-year evaluated outside the
    event windows (the time at risk; Garwood); a partner series counts from the month it had
    ``MIN_ACTIVE_MONTHS`` months with trade (as the scan). Alerts outside that exposure (known before the
    first evaluated month, as unit-value and share rules can be, or on a partner flow not yet counted) are
    left out of the rate, so numerator and exposure cover the same months."""
    exposure: dict[tuple[str, str], float] = defaultdict(float)
    active = {(s.key.reporter, s.key.partner, s.key.hs6): np.cumsum(np.nan_to_num(s.values) > 0)
              for s in result.series if s.key.variable is Variable.VALUE}
    for series in result.series:
        scope = "total" if series.key.partner is None else "partner"
        counts = active[series.key.reporter, series.key.partner, series.key.hs6]
        evaluated = _months_at_risk(series, windows, None if series.key.partner is None
                                    else counts >= MIN_ACTIVE_MONTHS) / 12.0
        for name in result.detectors:
            applies = (name.startswith("share_shift") and series.key.variable is Variable.VALUE
                       and series.key.partner is not None) or _applies(name, series.key.variable)
            if applies:
                exposure[name, scope] += evaluated
    position = {s.key: {p: t for t, p in enumerate(s.periods)} for s in result.series
                if s.key.variable is Variable.VALUE}
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for alert in result.alerts:
        scope = "total" if alert.series.partner is None else "partner"
        flow = (alert.series.reporter, alert.series.partner, alert.series.hs6)
        t = position.get(SeriesKey(*flow, Variable.VALUE), {}).get(alert.as_of)
        if t is None or t < FIRST_EVALUATED or (alert.series.partner is not None
                                                and active[flow][t] < MIN_ACTIVE_MONTHS):
            continue  # outside the exposure
        name = "share_shift" if alert.detector.startswith("share_shift") else alert.detector
        at = month_index(alert.as_of)
        near = any(lo <= at <= hi for lo, hi, _ in windows.get((alert.series.reporter, alert.series.hs6), ()))
        counts[name, scope][0] += 1
        counts[name, scope][1] += 0 if near else 1
    rates = []
    for name, scope in sorted(set(exposure) | set(counts)):
        alerts, unmatched = counts[name, scope]
        years = exposure.get((name, scope), 0.0)
        rates.append(DetectorRate(name, scope, alerts, unmatched, years, garwood(unmatched, years)))
    return rates


def _applies(name: str, variable: Variable) -> bool:
    spec = SERIES_DETECTORS.get(name)
    return spec is not None and variable in spec.variables
