"""Watch use cases: list and validate measures, scan series for alerts, backtest against the register.

The shells (CLI, API) call these and render the plain dicts they return; nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from functools import cache
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from setu.errors import InputError, NotFoundError, UnknownNameError
from setu.sources import comtrade_monthly
from setu.sources.measures import expand, known_material_slugs, load_register, material_rows
from setu.sources.baskets import load_baskets
from setu.watch.backtest import BacktestReport, backtest
from setu.watch.consequences import consequence, materials_by_hs6
from setu.watch.digest import build_digest, to_html, to_markdown
from setu.watch.intervals import Estimate
from setu.watch.ranking import Incident, hypotheses_tested, incidents, rank
from setu.watch.measures import Measure, Register, filter_measures
from setu.watch.scan import ALL_DETECTORS, ScanResult, scan
from setu.watch.series import ALL_PARTNERS, Alert

BUNDLED_SERIES_LABEL = (
    "UN Comtrade, China exports by partner, HS 250410/380110/811292, monthly 2017-2024 "
    "(as tabulated by qennis/ChinaCriticalMineralComtrade)"
)


def measures(registers: Sequence[Path] = ()) -> list[Measure]:
    """The bundled register plus the user's files/folders, validated together."""
    return list(_bundled_register()) if not registers else load_register(list(registers))


@cache
def _bundled_register() -> tuple[Measure, ...]:
    """The bundled register, parsed once per process (its files do not change while it runs)."""
    return tuple(load_register([]))


def list_measures(
    registers: Sequence[Path] = (),
    *,
    issuer: str | None = None,
    target: str | None = None,
    material: str | None = None,
    hs6: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict]:
    if material is not None:
        slugs = known_material_slugs()
        if material not in slugs:
            raise UnknownNameError("material", material, _close(material, slugs))
    found = filter_measures(
        measures(registers), issuer=issuer, target=target, material=material, hs6=hs6, since=since, until=until
    )
    return [measure_row(m) for m in found]


def show_measure(measure_id: str, registers: Sequence[Path] = ()) -> dict:
    every = measures(registers)
    for measure in every:
        if measure.id == measure_id:
            return measure.model_dump(mode="json", exclude_none=True)
    raise UnknownNameError("measure", measure_id, _close(measure_id, [m.id for m in every]))


def validate(paths: Sequence[Path]) -> dict:
    """Validate files/folders together with the bundled register; raises MeasuresFileError on problems."""
    files = expand(paths)
    loaded = load_register(files, include_bundled=True)
    return {"files": [str(f) for f in files], "measures": len(loaded), "ok": True}


def load_flows(file: Path | None) -> tuple[pd.DataFrame, str]:
    if file is None:
        return comtrade_monthly.read_bundled(), BUNDLED_SERIES_LABEL
    return comtrade_monthly.read_monitoring_csv(file), str(file)


def run_scan(
    file: Path | None = None,
    *,
    registers: Sequence[Path] = (),
    detectors: Iterable[str] | None = None,
    since: str | None = None,
    near_measures_only: bool = False,
    explain: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    chosen = list(detectors) if detectors else None
    for name in chosen or []:
        if name not in ALL_DETECTORS:
            raise UnknownNameError("detector", name, _close(name, list(ALL_DETECTORS)))
    flows, label = load_flows(file)
    register = measures(registers)
    evaluated = None if since is None else sorted(p for p in flows["period"].unique() if p >= since)
    result = scan(flows, measures=register, detectors=chosen, months=evaluated, progress=progress)
    alerts = [a for a in result.alerts if a.measures or not near_measures_only]
    rows = [alert_row(a) for a in alerts]
    if explain:
        hs_materials = materials_by_hs6(material_rows())
        for row, alert in zip(rows, alerts, strict=True):
            row["consequences"] = asdict(consequence(alert, flows, register, hs_materials))
    return {
        "source": label,
        "series_scanned": len(result.series),
        "detectors": list(result.detectors),
        "alerts": rows,
    }


def digest(
    *, last_month: str, months: int = 3, file: Path | None = None, registers: Sequence[Path] = (),
    html: bool = False, near_measures_only: bool = True, as_json: bool = False, limit: int = 10,
) -> str:
    """Markdown (or self-contained HTML) digest of the alerts known in a period, each computed from the data
    up to its month (the flows are cut at ``last_month`` first), and of the period's measure events."""
    if months < 1:
        raise InputError("--months must be at least 1")
    end = pd.Period(last_month, freq="M")
    first_month = str(end - (months - 1))
    flows, label = load_flows(file)
    register = measures(registers)
    period = [str(end - k) for k in range(months - 1, -1, -1)]
    result = scan(flows, measures=register, until=str(end), months=period)  # nothing after the period is read
    ranked = rank(incidents(result), hypotheses_tested(result, months=period))
    built = build_digest(
        result.series, result.alerts, register, first_month=first_month, last_month=str(end), source=label,
        near_measures_only=near_measures_only, ranked=ranked, limit=limit,
    )
    if as_json:
        return json.dumps({"first_month": first_month, "last_month": str(end), "source": label,
                           "ranked": [incident_row(i) for i in built.ranked],
                           "events": [{"date": e.date, "event": e.event, "measure": e.measure.id} for e in built.events],
                           "alerts_in_period": len(built.alerts)}, indent=2) + "\n"
    return to_html(built) if html else to_markdown(built)


def incident_row(incident: Incident) -> dict:
    return {
        "reporter": incident.reporter, "hs6": incident.hs6, "first_month": incident.first_month,
        "last_month": incident.last_month, "direction": incident.direction, "score": round(incident.score or 0.0, 3),
        "p_value": incident.p_value, "q_value": incident.q_value, "size_usd": round(incident.size_usd),
        "detectors": list(incident.detectors), "series": list(incident.partners),
        "persistence_months": incident.persistence_months,
        "measures": [asdict(m) for m in incident.measures], "why": list(incident.reasons),
    }


def run_backtest(*, file: Path | None = None, registers: Sequence[Path] = (), max_lag: int = 3,
                 partners: bool = False, progress: Callable[[int, int], None] | None = None) -> dict:
    """Replay the monthly digest over the bundled series (or ``file``) and score it against the register.

    The digest's entries depend on the reporter totals only (partner series add agreement, never evidence),
    so partner series are scanned only with ``partners`` (for the per-detector false-alarm table).
    """
    flows, label = load_flows(file)
    register = measures(registers)
    result: ScanResult = scan(flows, measures=register, include_partners=partners, progress=progress)
    if not result.series:
        raise NotFoundError(f"no usable series in {label}")
    report: BacktestReport = backtest(result, register, load_baskets(), max_lag=max_lag)
    return backtest_payload(report, source=label, series_scanned=len(result.series))


def backtest_payload(report: BacktestReport, *, source: str, series_scanned: int) -> dict:
    """The backtest as plain values (every figure with its 95 % interval and what it was computed from)."""
    return {
        "source": source,
        "window": [report.first_month, report.last_month],
        "first_evaluated_month": report.first_evaluated,
        "max_lag_months": report.max_lag,
        "series_scanned": series_scanned,
        "tuning_measures": list(report.tuning),
        "held_out": [e.label for e in report.events if e.status == "held_out"],
        "events": [{**asdict(e), "label": e.label} for e in report.events],
        "figures": {
            "recall": estimate_row(report.recall),
            "precision": estimate_row(report.precision),
            "false_alerts_per_product_year": estimate_row(report.false_alerts),
            "placebo_alert_rate": estimate_row(report.placebo_rate),
            "lead_time_months": estimate_row(report.lead_time),
            "product_years": report.product_years,
            "product_years_at_risk": round(report.product_years_at_risk, 4),
        },
        "entries": [asdict(e) for e in report.entries],
        "placebos": [asdict(p) for p in report.placebos],
        "detectors": [{**asdict(r), "rate": estimate_row(r.rate)} for r in report.detector_rates],
    }


def estimate_row(estimate: Estimate) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(estimate).items()}


def backtest_markdown(payload: dict) -> str:
    """The backtest's tables in Markdown (the form quoted in docs/watch.md and the benchmark results)."""
    f = payload["figures"]
    lines = [
        f"Data: {payload['source']}, {payload['window'][0]} to {payload['window'][1]}; evaluated (monthly digest "
        f"replayed as of each month) from {payload['first_evaluated_month']}; window: entry into force to "
        f"+{payload['max_lag_months']} months.",
        "",
        "| figure | value | 95 % interval | from |",
        "|---|---|---|---|",
        _figure_row("recall (held-out events)", f["recall"], "events flagged"),
        _figure_row("precision (held-out windows)", f["precision"], "entries"),
        _figure_row("false alerts per product-year", f["false_alerts_per_product_year"],
                    "product-years outside event windows", rate=True),
        _figure_row("placebo windows with an alert", f["placebo_alert_rate"], "windows"),
        _figure_row("lead time, median (months; negative = after entry into force)", f["lead_time_months"],
                    "events", rate=True),
        "",
        f"Events used for tuning: {', '.join(payload['tuning_measures'])}. "
        f"Held out: {', '.join(payload['held_out']) or 'none evaluable in these data'}.",
        "",
        "| measure | code | announced | effective | status | flagged | lag (months) | detectors | finer codes | why |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in payload["events"]:
        flagged = "—" if e["flagged"] is None else ("yes" if e["flagged"] else "no")
        lag = "—" if e["lag_months"] is None else str(e["lag_months"])
        lines.append(
            f"| {e['measure_id']} | {e['hs6']} | {e['announced']} | {e['effective']} | {e['status']} | {flagged} "
            f"| {lag} | {', '.join(e['detectors']) or '—'} | {', '.join(e['finer_codes']) or '—'} "
            f"| {e['reason'].replace('|', '/')} |"
        )
    lines += ["", "| month | code | onset | detectors | q | near |", "|---|---|---|---|---|---|"]
    for e in payload["entries"]:
        lines.append(f"| {e['month']} | {e['hs6']} | {e['onset']} | {', '.join(e['detectors'])} | {e['q_value']:.2g} "
                     f"| {e['label']}: {', '.join(e['events']) or '—'} |")
    if payload["detectors"]:
        lines += ["", "| detector | scope | alerts | known in no event window | series-years outside windows | per series-year "
                  "(95 % interval) |", "|---|---|---|---|---|---|"]
        for r in payload["detectors"]:
            lines.append(f"| {r['detector']} | {r['scope']} | {r['alerts']} | {r['near_no_event']} "
                         f"| {r['series_years']:.0f} | {_interval(r['rate'])} |")
    return "\n".join(lines) + "\n"


def _figure_row(name: str, estimate: dict, base: str, *, rate: bool = False) -> str:
    value = "not estimable" if estimate["value"] is None else (
        f"{estimate['value']:.3f}" if rate else f"{estimate['count']:g} of {estimate['base']:g} = {estimate['value']:.2f}")
    bounds = "—" if estimate["low"] is None else f"{estimate['low']:.3f} – {estimate['high']:.3f}"
    return f"| {name} | {value} | {bounds} ({estimate['method']}) | {estimate['count']:g} in {estimate['base']:.4g} {base} |"


def _interval(estimate: dict) -> str:
    if estimate["value"] is None:
        return "—"
    return f"{estimate['value']:.3f} ({estimate['low']:.3f} – {estimate['high']:.3f})"


def measures_schema() -> dict:
    """JSON schema of a measures file (``format: setu-measures/1``)."""
    return Register.model_json_schema()


def measure_row(measure: Measure) -> dict:
    dates = {name.value: event.date for name, event in measure.events()}
    unconfirmed = [name.value for name, event in measure.events() if not event.confirmed]
    if not measure.official.confirmed:
        unconfirmed.append("official")
    if any(not goods.confirmed for goods in measure.goods):
        unconfirmed.append("goods")
    return {
        "id": measure.id,
        "issuer": measure.issuer,
        "kind": measure.kind.value,
        "title": measure.title,
        "targets": measure.targets or ["all"],
        "materials": sorted(measure.materials),
        "hs6": sorted(measure.hs6),
        **{name: dates.get(name) for name in ("announced", "effective", "suspended", "resumed", "lifted")},
        "notice": measure.official.notice,
        "unconfirmed": unconfirmed,
    }


def alert_row(alert: Alert) -> dict:
    key = alert.series
    return {
        "as_of": alert.as_of,
        "period": alert.period,
        "detector": alert.detector,
        "reporter": key.reporter,
        "partner": key.partner or ALL_PARTNERS,
        "hs6": key.hs6,
        "variable": key.variable.value,
        "direction": alert.direction,
        "magnitude": round(alert.magnitude, 4),
        "magnitude_unit": alert.magnitude_unit,
        "percent_change": None if alert.percent_change is None else round(alert.percent_change, 1),
        "score": round(alert.score, 2),
        "duration_months": alert.duration_months,
        "parameters": dict(alert.parameters),
        "reference": alert.reference,
        "measures": [asdict(m) for m in alert.measures],
    }


def _close(name: str, candidates: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
