"""Watch: a register of export-restriction measures and early-warning detectors on monthly trade flows.

Pure core (no I/O): :mod:`.measures` (schema and queries), :mod:`.series` (typed series and alerts),
detectors in :mod:`.levels` (level shift, surge, slump), :mod:`.changepoints` (PELT), :mod:`.prices`
(unit-value jumps) and :mod:`.shares` (share shifts), all evaluated in real time (each alert from data
up to the month it is known), :mod:`.baskets` (codes that cannot show a measure), :mod:`.intervals`, :mod:`.scan` (registry, measure matching) and
:mod:`.backtest`, :mod:`.ranking` (incidents, FDR, scores), :mod:`.consequences` and :mod:`.digest`. File reading lives in :mod:`setu.sources.measures` and :mod:`setu.sources.comtrade_monthly`.

The names below load on first use (PEP 562): reading the measures register (:mod:`.measures`) does not bring
the detectors' SciPy, pandas and ruptures with it.
"""

from __future__ import annotations

import importlib

#: public name -> the submodule that defines it
_WHERE = {
    "Alert": "setu.watch.series",
    "BacktestReport": "setu.watch.backtest",
    "Basket": "setu.watch.baskets",
    "ChangePointParameters": "setu.watch.changepoints",
    "Consequence": "setu.watch.consequences",
    "Digest": "setu.watch.digest",
    "DigestEntry": "setu.watch.backtest",
    "Estimate": "setu.watch.intervals",
    "EventOutcome": "setu.watch.backtest",
    "Exposure": "setu.watch.consequences",
    "Incident": "setu.watch.ranking",
    "LevelShiftParameters": "setu.watch.levels",
    "Measure": "setu.watch.measures",
    "MeasureKind": "setu.watch.measures",
    "MeasureMatch": "setu.watch.series",
    "MonthlySeries": "setu.watch.series",
    "PlaceboWindow": "setu.watch.backtest",
    "SERIES_DETECTORS": "setu.watch.scan",
    "ScanResult": "setu.watch.scan",
    "SeriesKey": "setu.watch.series",
    "ShareShiftParameters": "setu.watch.shares",
    "SurgeParameters": "setu.watch.levels",
    "UnitValueParameters": "setu.watch.prices",
    "Variable": "setu.watch.series",
    "backtest": "setu.watch.backtest",
    "build_digest": "setu.watch.digest",
    "build_series": "setu.watch.series",
    "cannot_show": "setu.watch.baskets",
    "change_points": "setu.watch.changepoints",
    "consequence": "setu.watch.consequences",
    "filter_measures": "setu.watch.measures",
    "garwood": "setu.watch.intervals",
    "hypotheses_tested": "setu.watch.ranking",
    "incidents": "setu.watch.ranking",
    "level_shift": "setu.watch.levels",
    "match_measures": "setu.watch.scan",
    "median_interval": "setu.watch.intervals",
    "monthly_digest": "setu.watch.backtest",
    "rank": "setu.watch.ranking",
    "scan": "setu.watch.scan",
    "share_shift": "setu.watch.shares",
    "slump": "setu.watch.levels",
    "surge": "setu.watch.levels",
    "to_html": "setu.watch.digest",
    "to_markdown": "setu.watch.digest",
    "unit_value_jump": "setu.watch.prices",
    "wilson": "setu.watch.intervals",
}

__all__ = list(_WHERE)


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
