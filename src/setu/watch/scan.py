"""Run the detectors over a flows frame and attach the register's measures to each alert.

The detectors form a registry of small pure functions, one per method, each with the variables it reads;
:func:`scan` runs the chosen ones with their default parameters (or those given) and :func:`match_measures`
lists, for each alert, the measures that cover its reporter, partner and HS6 code and have a dated event
within ``before_months`` before to ``after_months`` after the alert's month: the early-warning view.

Real time: every alert is computed from data up to its ``as_of`` month (see :mod:`setu.watch.levels`).
``months`` restricts the months evaluated (the digest needs only its period), ``until`` cuts the flows
first, share shifts take the exporter's view until a second reporter appears and the importer's from then,
and a partner series is evaluated at month ``T`` only when it had ``min_active_months`` months with trade
up to ``T`` — rules on the past, so that cutting the data never changes an earlier alert. A
measure is matched to an alert only when the register knew it by the alert's ``as_of`` month (announced
by then); its scheduled entry into force may come later.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from setu.watch.changepoints import change_points
from setu.watch.levels import level_shift, slump, surge
from setu.watch.measures import Measure
from setu.watch.prices import unit_value_jump
from setu.watch.series import Alert, MeasureMatch, MonthlySeries, Variable, build_series, month_index
from setu.watch.shares import share_shift

SeriesDetector = Callable[..., list[Alert]]  # (series, *, months=None) -> alerts


@dataclass(frozen=True)
class DetectorSpec:
    name: str
    function: SeriesDetector
    variables: frozenset[Variable]
    summary: str


_LEVELS = frozenset({Variable.VALUE, Variable.QUANTITY})
SERIES_DETECTORS: dict[str, DetectorSpec] = {
    spec.name: spec
    for spec in (
        DetectorSpec("level_shift", level_shift, _LEVELS, "persistent shift, seasonally adjusted trailing robust z, as of each month"),
        DetectorSpec("change_point", change_points, _LEVELS, "break in mean, PELT refitted each month on the adjusted log"),
        DetectorSpec("surge", surge, _LEVELS, "transient spike up (front-loading)"),
        DetectorSpec("slump", slump, _LEVELS, "transient drop"),
        DetectorSpec("unit_value_jump", unit_value_jump, frozenset({Variable.UNIT_VALUE}), "unit-value jump"),
    )
}
SHARE_DETECTOR = "share_shift"
ALL_DETECTORS = (*SERIES_DETECTORS, SHARE_DETECTOR)


@dataclass(frozen=True)
class ScanResult:
    series: tuple[MonthlySeries, ...]
    alerts: tuple[Alert, ...]
    detectors: tuple[str, ...]


def scan(
    flows: pd.DataFrame,
    *,
    measures: Sequence[Measure] = (),
    detectors: Iterable[str] | None = None,
    min_active_months: int = 24,
    before_months: int = 3,
    after_months: int = 3,
    months: Collection[str] | None = None,
    until: str | None = None,
    include_partners: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """All alerts of the chosen detectors on every usable series of ``flows``, each computed as of its
    month, with the measures known by then (see the module docstring)."""
    chosen = tuple(detectors) if detectors is not None else ALL_DETECTORS
    unknown = [name for name in chosen if name not in ALL_DETECTORS]
    if unknown:
        raise ValueError(f"unknown detector(s): {', '.join(unknown)}")
    if until is not None:
        flows = flows[flows["period"] <= until]
    series = tuple(build_series(flows, include_partners=include_partners, min_active_months=min_active_months))
    alerts: list[Alert] = []
    active = _active_months(series)
    for done, one in enumerate(series, start=1):
        evaluated = _evaluated_months(one, months, min_active_months, active)
        for name in chosen:
            spec = SERIES_DETECTORS.get(name)
            if spec is not None and one.key.variable in spec.variables:
                alerts.extend(spec.function(one, months=evaluated))
        if progress is not None:
            progress(done, len(series))
    if SHARE_DETECTOR in chosen and include_partners and not flows.empty:
        alerts.extend(_share_shifts(flows, months))
    matched = [
        replace(alert, measures=match_measures(alert, measures, before_months=before_months, after_months=after_months))
        for alert in alerts
    ]
    matched.sort(key=lambda a: (a.as_of, a.period, a.series.label, a.detector))
    return ScanResult(series=series, alerts=tuple(matched), detectors=chosen)


def _share_shifts(flows: pd.DataFrame, months: Collection[str] | None) -> list[Alert]:
    """Share shifts from the exporter's perspective while one reporter has reported so far, from the
    importer's once a second one has (from the month its first row appears): the perspective of a month,
    like its alerts, depends on the data up to that month only."""
    first_rows = sorted(flows.groupby("reporter")["period"].min())
    switch = first_rows[1] if len(first_rows) > 1 else None
    grid = [str(p) for p in pd.period_range(flows["period"].min(), flows["period"].max(), freq="M")]
    wanted = set(grid) if months is None else set(months)
    alerts = []
    for perspective, chosen in (("exporter", {p for p in wanted if switch is None or p < switch}),
                                ("importer", {p for p in wanted if switch is not None and p >= switch})):
        if chosen:
            alerts.extend(share_shift(flows, perspective=perspective, months=chosen))
    return alerts


def _evaluated_months(series: MonthlySeries, months: Collection[str] | None, min_active_months: int,
                      active: dict[tuple, np.ndarray]) -> list[str] | None:
    """The months a series is evaluated at: all (or ``months``) for a total; for a partner series only those
    by which its flow had ``min_active_months`` months with trade (a rule on the past only)."""
    if series.key.partner is None:
        return None if months is None else list(months)
    counts = active[series.key.reporter, series.key.partner, series.key.hs6]
    wanted = None if months is None else set(months)
    return [p for p, count in zip(series.periods, counts, strict=True)
            if count >= min_active_months and (wanted is None or p in wanted)]


def _active_months(series: Sequence[MonthlySeries]) -> dict[tuple, np.ndarray]:
    """Months with trade up to each month, per flow, from its value series."""
    return {(s.key.reporter, s.key.partner, s.key.hs6): np.cumsum(np.nan_to_num(s.values) > 0)
            for s in series if s.key.variable is Variable.VALUE}


def match_measures(
    alert: Alert, measures: Iterable[Measure], *, before_months: int = 3, after_months: int = 3
) -> tuple[MeasureMatch, ...]:
    """Measures covering the alert's goods with an event from ``before_months`` before to ``after_months`` after,
    among those announced by the alert's ``as_of`` month (the register as it stood then).

    ``lag_months`` is the alert month minus the event month: 0 means the alert falls in the month the
    event happened, 1 the month after, −2 two months before (an alert ahead of the event).
    """
    key = alert.series
    alert_month = month_index(alert.period)
    matches = []
    for measure in measures:
        if not measure.covers(reporter=key.reporter, partner=key.partner, hs6=key.hs6):
            continue
        if measure.dates.announced.month > alert.as_of:
            continue  # not yet known when the alert was raised
        for name, event in measure.events():
            lag = alert_month - month_index(event.month)
            if -before_months <= lag <= after_months:
                matches.append(MeasureMatch(measure.id, name.value, event.date, lag))
    return tuple(sorted(matches, key=lambda m: (abs(m.lag_months), m.measure_id, m.event)))
