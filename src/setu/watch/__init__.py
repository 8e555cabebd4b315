"""Watch: a register of export-restriction measures and early-warning detectors on monthly trade flows.

Pure core (no I/O): :mod:`.measures` (schema and queries), :mod:`.series` (typed series and alerts),
detectors in :mod:`.levels` (level shift, surge, slump), :mod:`.changepoints` (PELT), :mod:`.prices`
(unit-value jumps) and :mod:`.shares` (share shifts), all evaluated in real time (each alert from data
up to the month it is known), :mod:`.baskets` (codes that cannot show a measure), :mod:`.intervals`, :mod:`.scan` (registry, measure matching) and
:mod:`.backtest`, :mod:`.ranking` (incidents, FDR, scores), :mod:`.consequences` and :mod:`.digest`. File reading lives in :mod:`setu.sources.measures` and :mod:`setu.sources.comtrade_monthly`.
"""

from setu.watch.backtest import BacktestReport, DigestEntry, EventOutcome, PlaceboWindow, backtest, monthly_digest
from setu.watch.baskets import Basket, cannot_show
from setu.watch.intervals import Estimate, garwood, median_interval, wilson
from setu.watch.changepoints import ChangePointParameters, change_points
from setu.watch.consequences import Consequence, Exposure, consequence
from setu.watch.digest import Digest, build_digest, to_html, to_markdown
from setu.watch.levels import LevelShiftParameters, SurgeParameters, level_shift, slump, surge
from setu.watch.measures import Measure, MeasureKind, filter_measures
from setu.watch.prices import UnitValueParameters, unit_value_jump
from setu.watch.ranking import Incident, hypotheses_tested, incidents, rank
from setu.watch.scan import SERIES_DETECTORS, ScanResult, match_measures, scan
from setu.watch.series import Alert, MeasureMatch, MonthlySeries, SeriesKey, Variable, build_series
from setu.watch.shares import ShareShiftParameters, share_shift

__all__ = [
    "SERIES_DETECTORS",
    "Alert",
    "BacktestReport",
    "Basket",
    "ChangePointParameters",
    "Consequence",
    "Digest",
    "DigestEntry",
    "Estimate",
    "EventOutcome",
    "Exposure",
    "Incident",
    "LevelShiftParameters",
    "Measure",
    "MeasureKind",
    "MeasureMatch",
    "MonthlySeries",
    "PlaceboWindow",
    "ScanResult",
    "SeriesKey",
    "ShareShiftParameters",
    "SurgeParameters",
    "UnitValueParameters",
    "Variable",
    "backtest",
    "build_digest",
    "build_series",
    "cannot_show",
    "change_points",
    "consequence",
    "filter_measures",
    "garwood",
    "hypotheses_tested",
    "incidents",
    "level_shift",
    "match_measures",
    "median_interval",
    "monthly_digest",
    "rank",
    "scan",
    "share_shift",
    "slump",
    "surge",
    "to_html",
    "to_markdown",
    "unit_value_jump",
    "wilson",
]
