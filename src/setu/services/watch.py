"""Watch use cases: list and validate measures, scan series for alerts, backtest against the register.

The shells (CLI, API) call these and render the plain dicts they return; nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from setu.errors import InputError, NotFoundError, UnknownNameError
from setu.sources import comtrade_monthly
from setu.sources.measures import expand, known_material_slugs, load_register, material_rows
from setu.watch.backtest import BacktestReport, backtest, evaluate_digest
from setu.watch.consequences import consequence, materials_by_hs6
from setu.watch.digest import build_digest, to_html, to_markdown
from setu.watch.ranking import ALPHA, Incident, incidents, rank, hypotheses_tested
from setu.watch.measures import Measure, Register, filter_measures
from setu.watch.scan import ALL_DETECTORS, ScanResult, scan
from setu.watch.series import ALL_PARTNERS, Alert

BUNDLED_SERIES_LABEL = (
    "UN Comtrade, China exports by partner, HS 250410/380110/811292, monthly 2017-2024 "
    "(as tabulated by qennis/ChinaCriticalMineralComtrade)"
)


def measures(registers: Sequence[Path] = ()) -> list[Measure]:
    """The bundled register plus the user's files/folders, validated together."""
    return load_register(list(registers))


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
    result = scan(flows, measures=register, detectors=chosen, progress=progress)
    alerts = [a for a in result.alerts if (since is None or a.period >= since) and (a.measures or not near_measures_only)]
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
    """Markdown (or self-contained HTML) digest of the alerts and measure events of a period."""
    if months < 1:
        raise InputError("--months must be at least 1")
    end = pd.Period(last_month, freq="M")
    first_month = str(end - (months - 1))
    flows, label = load_flows(file)
    register = measures(registers)
    result = scan(flows, measures=register)
    ranked = rank(incidents(result), hypotheses_tested(result))
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


def run_backtest(*, registers: Sequence[Path] = (), max_lag: int = 3) -> dict:
    flows, label = load_flows(None)
    register = measures(registers)
    result: ScanResult = scan(flows, measures=register)
    if not result.series:
        raise NotFoundError("no usable series in the bundled data")
    report: BacktestReport = backtest(result, register, max_lag=max_lag)
    found = incidents(result)
    tests = hypotheses_tested(result)
    ranked = rank(found, tests)
    evaluation = evaluate_digest(result, ranked, register, max_lag=max_lag)
    product_years = evaluation.product_years
    raw_unmatched = sum(1 for a in result.alerts if not a.measures)
    return {
        "source": label,
        "window": [report.first_month, report.last_month],
        "max_lag_months": report.max_lag,
        "series_scanned": len(result.series),
        "measures": [asdict(o) for o in report.outcomes],
        "false_alarms": [
            {**asdict(rate), "per_series_year": round(rate.per_series_year, 4)} for rate in report.false_alarms
        ],
        "digest": {
            **asdict(evaluation),
            "unmatched_per_product_year": round(evaluation.unmatched_per_product_year, 4),
            "alpha": ALPHA,
            "tests": tests,
            "incidents_before_fdr": len(found),
            "raw_alerts": len(result.alerts),
            "raw_alerts_near_no_measure": raw_unmatched,
            "raw_alerts_near_no_measure_per_product_year": round(raw_unmatched / product_years, 3)
            if product_years else None,
            "ranked": [incident_row(i) for i in ranked],
        },
    }


def backtest_markdown(payload: dict) -> str:
    """The backtest's two tables in Markdown (the form quoted in docs/watch.md)."""
    lines = [
        "| measure | HS6 | announced | effective | covered series | flagged | lag (months) | detectors "
        "| front-loading surge | partner series with a drop | note |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in payload["measures"]:
        front = "—" if m["front_loading"] is None else ("yes" if m["front_loading"] else "no")
        lag = "—" if m["lag_months"] is None else str(m["lag_months"])
        lines.append(
            f"| {m['measure_id']} | {m['hs6']} | {m['announced']} | {m['effective']} | {m['covered_series']} "
            f"| {'yes' if m['flagged'] else 'no'} | {lag} | {', '.join(m['detectors']) or '—'} | {front} "
            f"| {m['partner_series_flagged']} of {m['partner_series']} | {m['note']} |"
        )
    lines += [
        "",
        "| detector | scope | alerts | near no measure | series-years | false alarms per series-year |",
        "|---|---|---|---|---|---|",
    ]
    for r in payload["false_alarms"]:
        lines.append(
            f"| {r['detector']} | {r['scope']} | {r['alerts']} | {r['unmatched']} | {r['series_years']:.0f} "
            f"| {r['per_series_year']:.3f} |"
        )
    d = payload["digest"]
    lines += [
        "",
        "| digest (ranked, FDR 5 %) | value |",
        "|---|---|",
        f"| events used for tuning | {', '.join(d['tuning_measures'])} |",
        f"| tuning events flagged within one month | {', '.join(d['tuning_flagged_within_one_month']) or 'none'} |",
        f"| held-out events | {', '.join(d['held_out']) or 'none'} |",
        f"| held-out events too close to the end of the data | {', '.join(d['not_evaluable']) or 'none'} |",
        f"| held-out recall | {len(d['held_out_flagged'])} of {len(d['held_out'])} = {_ratio(d['recall'])} |",
        f"| held-out precision (digest incidents not near a tuning event) | {d['true_positives']} of "
        f"{d['outside_tuning']} = {_ratio(d['precision'])} |",
        f"| alerts before / incidents / digest incidents | {d['raw_alerts']} / {d['incidents_before_fdr']} / "
        f"{d['digest_incidents']} |",
        f"| near no measure per product-year: raw alerts / digest | "
        f"{d['raw_alerts_near_no_measure_per_product_year']:.2f} / {d['unmatched_per_product_year']:.3f} "
        f"({d['unmatched']} in {d['product_years']:.0f} product-years) |",
    ]
    return "\n".join(lines) + "\n"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


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


def parse_month(text: str | None, *, option: str) -> str | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:7] + "-01").isoformat()[:7]
    except ValueError:
        raise InputError(f"{option}: expected a month as YYYY-MM, got {text!r}") from None


def _close(name: str, candidates: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
