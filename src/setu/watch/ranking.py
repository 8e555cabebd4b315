"""From many alerts to a short, ranked list an analyst can act on: incidents, FDR control, a score, reasons.

1. **Incidents.** Alerts on one reporter's exports of one HS6 code (its total and every partner series,
   every detector) from a first alert up to ``gap_months`` after it form one incident: one event seen by
   several detectors and partners is one line, not dozens.
2. **Anchors and p-values.** What an analyst acts on is a lasting fall in what the reporter ships: an
   incident is *testable* when it holds an *anchor*, a downward alert on the reporter's total value or
   quantity that lasted at least ``min_persistence`` months, from a detector with a z-type score. Its
   p-value is the one-sided normal tail ``p = 1 - Phi(z)`` of the robust z of ``level_shift`` and ``slump``
   (Iglewicz & Hoaglin 1993) or, for ``change_point``, of the shift in segment means over the noise sigma
   (conservative: a segment mean's standard error is smaller than sigma). The incident's p-value is the
   smallest anchor p times the number of anchors (Bonferroni within the incident). Partner series are
   lumpy (a shipment or none), so their alerts, surges, unit-value jumps and share shifts (a plain rule, no
   test statistic) count as agreement and as reasons, never as evidence on their own.
3. **False-discovery rate.** Benjamini & Hochberg (1995, *JRSS B* 57(1)) at level ``alpha`` over *every*
   test an anchor could have come from: each anchoring detector at each evaluated month of the digest's
   period on each total value or quantity series (``hypotheses_tested``; a monthly digest is one family). Months without an alert have p above the detector's threshold, so
   padding the incidents' p-values with 1 up to that count gives the rejections of the full test set
   (``statsmodels.stats.multitest.multipletests``, ``fdr_bh``). The digest keeps incidents with ``q <= alpha``.
4. **Score** (to rank the kept incidents; weights set a priori): ``-log10 q`` (evidence)
   + ``log10(1 + size_usd / 1e6)`` (the monthly change in US dollars against the 12-month median before,
   on the value series) + ``0.5 (detectors - 1)`` + ``0.5 min(series - 1, 4)`` (agreement across detectors
   and partners) + ``0.25 min(persistence, 6)`` (months the move lasted) + ``1`` when a registered measure
   has an event within 3 months (nearness). Each term comes back as a *reason* in words.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from statsmodels.stats.multitest import multipletests

from setu.watch.levels import LevelShiftParameters, usable_vintages
from setu.watch.scan import SERIES_DETECTORS, ScanResult
from setu.watch.series import (
    ALL_PARTNERS,
    Alert,
    MeasureMatch,
    MonthlySeries,
    SeriesKey,
    Variable,
    month_index,
)

ANCHOR_DETECTORS = frozenset({"level_shift", "slump", "change_point"})
ANCHOR_VARIABLES = frozenset({Variable.VALUE, Variable.QUANTITY})
ALPHA = 0.05
MIN_PERSISTENCE = 2
HISTORY_MONTHS = LevelShiftParameters().window  # months before a series' first test


@dataclass(frozen=True)
class Incident:
    reporter: str
    hs6: str
    first_month: str
    last_month: str
    direction: str  # direction of the strongest alert
    alerts: tuple[Alert, ...]
    detectors: tuple[str, ...]
    partners: tuple[str, ...]  # partner series that alerted ("ALL" for the reporter's total)
    size_usd: float  # monthly change in US dollars against the 12-month median before (largest)
    persistence_months: int
    measures: tuple[MeasureMatch, ...]
    p_value: float | None  # None when only share shifts (no test statistic) alerted
    q_value: float | None = None
    score: float | None = None
    reasons: tuple[str, ...] = ()

    @property
    def near_measure(self) -> bool:
        return bool(self.measures)


def is_anchor(alert: Alert, min_persistence: int = MIN_PERSISTENCE) -> bool:
    """A lasting fall of the reporter's total value or quantity, from a z-type detector."""
    return (alert.detector in ANCHOR_DETECTORS and alert.series.partner is None
            and alert.series.variable in ANCHOR_VARIABLES and alert.direction == "down"
            and alert.duration_months >= min_persistence)


def alert_p_value(alert: Alert) -> float:
    """One-sided normal tail of the alert's z-type score."""
    return 0.5 * math.erfc(abs(alert.score) / math.sqrt(2.0))


def hypotheses_tested(result: ScanResult, months: Collection[str] | None = None) -> int:
    """Every (total series, month, anchoring detector) the scan tested — each evaluable month (after the
    detectors' history window, and only where that month's vintage is usable: some trade by then, few
    gaps), or only those in ``months``: the hypotheses of the FDR. Usability reads months up to each month
    only, so the family of a month is the same in the full series and in the series cut there."""
    wanted = None if months is None else set(months)
    count = 0
    for series in result.series:
        if series.key.partner is not None or series.key.variable not in ANCHOR_VARIABLES:
            continue
        usable = usable_vintages(series.values, max_missing=LevelShiftParameters().max_missing)
        evaluated = sum(1 for t in range(HISTORY_MONTHS, len(series.periods))
                        if usable[t] and (wanted is None or series.periods[t] in wanted))
        for name, spec in SERIES_DETECTORS.items():
            if name in ANCHOR_DETECTORS and name in result.detectors and series.key.variable in spec.variables:
                count += evaluated
    return count


def size_usd(alert: Alert, values: Mapping[SeriesKey, MonthlySeries]) -> float:
    """|value - median of the 12 months before| at the alert month, on the value series of its flow."""
    key = SeriesKey(alert.series.reporter, alert.series.partner, alert.series.hs6, Variable.VALUE)
    series = values.get(key)
    if series is None or alert.period not in series.periods:
        return 0.0
    t = series.periods.index(alert.period)
    before = series.values[max(0, t - 12):t]
    before = before[~np.isnan(before)]
    if before.size == 0 or np.isnan(series.values[t]):
        return 0.0
    return float(abs(series.values[t] - np.median(before)))


def incidents(result: ScanResult, *, gap_months: int = 2, min_persistence: int = MIN_PERSISTENCE) -> list[Incident]:
    """Group the scan's alerts into incidents per reporter x HS6 (see the module docstring)."""
    values = {s.key: s for s in result.series if s.key.variable is Variable.VALUE}
    by_product: dict[tuple[str, str], list[Alert]] = defaultdict(list)
    for alert in result.alerts:
        by_product[alert.series.reporter, alert.series.hs6].append(alert)
    found = []
    for (reporter, hs6), alerts in sorted(by_product.items()):
        alerts.sort(key=lambda a: (month_index(a.period), a.detector, a.series.label))
        group: list[Alert] = []
        for alert in alerts:
            if group and month_index(alert.period) - month_index(group[0].period) > gap_months:
                found.append(_incident(reporter, hs6, group, values, min_persistence))
                group = []
            group.append(alert)
        if group:
            found.append(_incident(reporter, hs6, group, values, min_persistence))
    return found


def _incident(reporter: str, hs6: str, alerts: list[Alert], values, min_persistence: int) -> Incident:
    anchors = [a for a in alerts if is_anchor(a, min_persistence)]
    p = min(1.0, min(alert_p_value(a) for a in anchors) * len(anchors)) if anchors else None
    strongest = max(anchors or alerts, key=lambda a: abs(a.score))
    partners = sorted({a.series.partner or ALL_PARTNERS for a in alerts})
    sizes = [size_usd(a, values) for a in alerts]
    totals = [s for a, s in zip(alerts, sizes, strict=True) if a.series.partner is None]
    per_partner: dict[str, float] = {}
    for a, s in zip(alerts, sizes, strict=True):
        if a.series.partner is not None:
            per_partner[a.series.partner] = max(per_partner.get(a.series.partner, 0.0), s)
    size = max(max(totals, default=0.0), sum(per_partner.values()))
    matches: dict[tuple[str, str], MeasureMatch] = {}
    for match in (m for a in alerts for m in a.measures):  # the closest month of each measure event
        known = matches.get((match.measure_id, match.event))
        if known is None or abs(match.lag_months) < abs(known.lag_months):
            matches[match.measure_id, match.event] = match
    return Incident(
        reporter=reporter, hs6=hs6, first_month=alerts[0].period, last_month=alerts[-1].period,
        direction=strongest.direction, alerts=tuple(alerts), detectors=tuple(sorted({a.detector for a in alerts})),
        partners=tuple(partners), size_usd=size, persistence_months=max(a.duration_months for a in alerts),
        measures=tuple(sorted(matches.values(), key=lambda m: (abs(m.lag_months), m.measure_id))), p_value=p,
    )


def rank(found: Sequence[Incident], tests: int, *, alpha: float = ALPHA) -> list[Incident]:
    """BH q-values over ``tests`` hypotheses; the incidents with ``q <= alpha``, scored and best first."""
    testable = [i for i in found if i.p_value is not None]
    if not testable:
        return []
    padded = np.ones(max(tests, len(testable)))
    padded[: len(testable)] = [i.p_value for i in testable]
    _, q_values, _, _ = multipletests(padded, alpha=alpha, method="fdr_bh")
    kept = []
    for incident, q in zip(testable, q_values[: len(testable)], strict=True):
        if q <= alpha:
            kept.append(_scored(incident, float(q), tests, alpha))
    kept.sort(key=lambda i: (-(i.score or 0.0), i.first_month, i.hs6))
    return kept


def _scored(incident: Incident, q: float, tests: int, alpha: float) -> Incident:
    evidence = -math.log10(max(q, 1e-300))
    size = math.log10(1.0 + incident.size_usd / 1e6)
    detectors = 0.5 * (len(incident.detectors) - 1)
    partners = 0.5 * min(len(incident.partners) - 1, 4)
    persistence = 0.25 * min(incident.persistence_months, 6)
    nearness = 1.0 if incident.measures else 0.0
    strongest = min((a for a in incident.alerts if is_anchor(a)), key=alert_p_value)
    change = strongest.percent_change
    reasons = [
        f"{strongest.detector} on {strongest.series.label}: "
        + (f"{change:+.0f} %" if change is not None else f"{strongest.magnitude:+.2f}") + f" in {strongest.period}",
        f"q = {q:.2g} after Benjamini-Hochberg over {tests:,} tests (alpha {alpha})",
        f"size: US$ {incident.size_usd / 1e6:,.1f} M a month against the 12-month median",
        f"{len(incident.detectors)} detector(s) agree: {', '.join(incident.detectors)}",
        f"{len(incident.partners)} series: {', '.join(incident.partners[:8])}"
        + (" ..." if len(incident.partners) > 8 else ""),
        f"lasted {incident.persistence_months} month(s)",
    ]
    if incident.measures:
        first = incident.measures[0]
        reasons.append(f"near {first.measure_id} ({first.event} {first.event_date}, {first.lag_months:+d} months)")
    else:
        reasons.append("near no registered measure")
    return Incident(**{**incident.__dict__, "q_value": q,
                       "score": evidence + size + detectors + partners + persistence + nearness,
                       "reasons": tuple(reasons)})
