"""Run the detectors over a flows frame and attach the register's measures to each alert.

The detectors form a registry of small pure functions, one per method, each with the variables it reads;
:func:`scan` runs the chosen ones with their default parameters (or those given) and :func:`match_measures`
lists, for each alert, the measures that cover its reporter, partner and HS6 code and have a dated event
within ``before_months`` before to ``after_months`` after the alert's month: the early-warning view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from setu.watch.changepoints import change_points
from setu.watch.levels import level_shift, slump, surge
from setu.watch.measures import Measure
from setu.watch.prices import unit_value_jump
from setu.watch.series import Alert, MeasureMatch, MonthlySeries, Variable, build_series, month_index
from setu.watch.shares import share_shift

SeriesDetector = Callable[[MonthlySeries], list[Alert]]


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
        DetectorSpec("level_shift", level_shift, _LEVELS, "persistent shift, STL + trailing robust z"),
        DetectorSpec("change_point", change_points, _LEVELS, "break in mean, PELT on STL-adjusted log"),
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
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """All alerts of the chosen detectors on every usable series of ``flows``, with matching measures."""
    chosen = tuple(detectors) if detectors is not None else ALL_DETECTORS
    unknown = [name for name in chosen if name not in ALL_DETECTORS]
    if unknown:
        raise ValueError(f"unknown detector(s): {', '.join(unknown)}")
    series = tuple(build_series(flows, min_active_months=min_active_months))
    alerts: list[Alert] = []
    for done, one in enumerate(series, start=1):
        for name in chosen:
            spec = SERIES_DETECTORS.get(name)
            if spec is not None and one.key.variable in spec.variables:
                alerts.extend(spec.function(one))
        if progress is not None:
            progress(done, len(series))
    if SHARE_DETECTOR in chosen and not flows.empty:
        perspective = "exporter" if flows["reporter"].nunique() == 1 else "importer"
        alerts.extend(share_shift(flows, perspective=perspective))
    matched = [
        replace(alert, measures=match_measures(alert, measures, before_months=before_months, after_months=after_months))
        for alert in alerts
    ]
    matched.sort(key=lambda a: (a.period, a.series.label, a.detector))
    return ScanResult(series=series, alerts=tuple(matched), detectors=chosen)


def match_measures(
    alert: Alert, measures: Iterable[Measure], *, before_months: int = 3, after_months: int = 3
) -> tuple[MeasureMatch, ...]:
    """Measures covering the alert's goods with an event from ``before_months`` before to ``after_months`` after.

    ``lag_months`` is the alert month minus the event month: 0 means the alert falls in the month the
    event happened, 1 the month after, −2 two months before (an alert ahead of the event).
    """
    key = alert.series
    alert_month = month_index(alert.period)
    matches = []
    for measure in measures:
        if not measure.covers(reporter=key.reporter, partner=key.partner, hs6=key.hs6):
            continue
        for name, event in measure.events():
            lag = alert_month - month_index(event.month)
            if -before_months <= lag <= after_months:
                matches.append(MeasureMatch(measure.id, name.value, event.date, lag))
    return tuple(sorted(matches, key=lambda m: (abs(m.lag_months), m.measure_id, m.event)))
