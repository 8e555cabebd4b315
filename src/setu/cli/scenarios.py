"""`setu scenario ...`: list, show, validate, run and report disruption scenarios on supply-chain maps, and
run a Monte Carlo over their uncertain inputs (`uncertainty`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from setu.domain.shares import share_text
from setu.cli.options import CsvOption, JsonOption
from setu.cli.render import emit_document

from setu.errors import ValidationError
from setu.settings import Settings

if TYPE_CHECKING:
    from setu.services.scenarios import ScenarioService

app = typer.Typer(help="Disruption scenarios: export restrictions propagated down supply-chain maps, "
                       "time-to-survive, and the best response of partners.", no_args_is_help=True)

ScenarioArgument = Annotated[str, typer.Argument(help="A bundled scenario id (see `setu scenario list`) or a file.")]


def _service() -> ScenarioService:
    from setu.services.scenarios import ScenarioService  # the model, NumPy and SciPy: not for stored runs

    # Partners' spare capacity from the catalog's capacity headroom is injected here once the catalog is wired
    # in; without it, only the spare capacity stated in the scenario file is used.
    return ScenarioService()


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6) + 0.0  # + 0.0: no -0.0 from solver round-off
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _emit(rows: Sequence[dict[str, Any]], title: str, as_json: bool, as_csv: bool, extra: dict | None = None) -> None:
    emit_document([_clean(row) for row in rows], title, as_json, as_csv, _clean(extra or {}))


@app.command("list")
def list_scenarios(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List the bundled scenarios."""
    rows = [{"id": s.id, "name": s.name, "map": s.map_id, "months": s.months, "importers": " ".join(s.importers),
             "shocks": s.shocks, "partners": " ".join(s.partners), "assumed_figures": s.assumptions}
            for s in _service().list_scenarios()]
    if not (as_json or as_csv):
        rows = [{k: row[k] for k in ("id", "map", "months", "importers", "shocks")} for row in rows]
    _emit(rows, "Disruption scenarios (setu scenario show ID for details)", as_json, as_csv)


@app.command()
def show(scenario_id: ScenarioArgument, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Show a scenario's shocks, baselines and responses, each with its source."""
    from setu.services.scenarios import citations

    scenario, _ = _service().load(scenario_id)
    responses = scenario.responses
    rows: list[dict[str, Any]] = []
    for shock in scenario.shocks:
        rows.append({"kind": "shock", "country": " ".join(shock.restricting), "node": " ".join(shock.nodes),
                     "value": shock.cut, "unit": "cut share",
                     "detail": f"to {' '.join(shock.importers) if shock.importers else 'all'}; months "
                               f"{shock.start_month}-{shock.start_month + shock.duration_months - 1}"
                               f" + {shock.recovery_months} recovery", "source": shock.citation.source})
    for kind, entries, unit in (("baseline", scenario.baselines, "units/month"),
                                ("stockpile", responses.stockpiles, "days"),
                                ("spare capacity", responses.spare_capacity, "units/month"),
                                ("recycling", responses.recycling, "units/month")):
        for e in entries:
            value = e.days if kind == "stockpile" else e.units_per_month
            rows.append({"kind": kind, "country": e.country, "node": e.node, "value": value, "unit": unit,
                         "detail": (f"from month {e.from_month}" if hasattr(e, "from_month") else "")
                         + (f"; current recycling at EoL_RIR {e.eol_rir:.1%}: part of baseline use, not added; "
                            f"the loss is scaled by {1 - e.eol_rir:g}" if getattr(e, "eol_rir", None) is not None
                            else ""),
                         "source": e.citation.source})
    for e in responses.demand_reduction:
        rows.append({"kind": "demand reduction", "country": e.country or "all", "node": e.node, "value": e.share,
                     "unit": "share", "detail": "", "source": e.citation.source})
    for e in responses.substitution:
        rows.append({"kind": "substitution", "country": e.country or "all", "node": f"{e.input} -> {e.output}",
                     "value": e.share, "unit": "share", "detail": "", "source": e.citation.source})
    block = scenario.uncertainty
    for e in block.entries if block else ():
        where = ("shock " + ", ".join(str(n + 1) for n in e.shocks) if hasattr(e, "shocks")
                 else getattr(e, "importer", None) or getattr(e, "country", None) or "all")
        distribution = getattr(e, "distribution", None)
        rows.append({"kind": f"uncertain {type(e).__name__.removeprefix('Uncertain').lower()}", "country": where,
                     "node": getattr(e, "node", ""), "value": "",
                     "unit": "" if distribution is None else ("factor" if distribution.relative else "absolute"),
                     "detail": _describe(e), "source": e.citation.source})
    extra = {"scenario": scenario.id, "name": scenario.name, "map": scenario.map_id, "months": scenario.months,
             "allocation": scenario.allocation, "partners": " ".join(responses.partners),
             "sources": [asdict(c) for c in citations(scenario)]}
    _emit(rows, scenario.name, as_json, as_csv, extra)


def _describe(entry: Any) -> str:
    """``pert(0.1, 0.3, 0.6)``, ``lognormal(sigma 0.3)``, ``dirichlet(concentration 500)``."""
    d = getattr(entry, "distribution", None)
    if d is None:
        return f"dirichlet(concentration {entry.concentration:g})"
    if d.kind == "lognormal":
        return f"lognormal(sigma {d.sigma:g})"
    points = (d.low, d.high) if d.mode is None else (d.low, d.mode, d.high)
    shape = f", shape {d.shape:g}" if d.kind == "pert" and d.shape != 4 else ""
    return f"{d.kind}({', '.join(f'{p:g}' for p in points)}{shape})"


@app.command()
def validate(path: Annotated[Path, typer.Argument(help="A setu-scenario/1 YAML or JSON file.")],
             as_json: JsonOption = False) -> None:
    """Check a scenario file against its map; prints the first problem with file and line (exit code 2)."""
    summary = _service().validate(path)
    if as_json:
        typer.echo(json.dumps({"valid": True, **asdict(summary)}))
        return
    typer.echo(f"{path}: valid setu-scenario/1 scenario {summary.id!r} on map {summary.map_id!r}: "
               f"{summary.shocks} shock(s), importers {', '.join(summary.importers)}")


def _parse_weights(values: list[str] | None) -> dict[str, float]:
    weights = {}
    for value in values or []:
        country, _, number = value.partition("=")
        try:
            weights[country.strip().upper()] = float(number)
        except ValueError:
            raise ValidationError(f"--weight {value!r} must look like JPN=2") from None
    return weights


@app.command()
def run(scenario_id: ScenarioArgument,
        allocation: Annotated[str | None, typer.Option(help="Allocation rule: pro-rata, baseline, max-min.")] = None,
        optimise: Annotated[bool, typer.Option("--optimise/--no-optimise", help="Solve the LPs.")] = True,
        weight: Annotated[list[str] | None, typer.Option(help="Importer weight in the LP, e.g. JPN=2.")] = None,
        series: Annotated[bool, typer.Option("--series", help="Rows are months (unmet demand over time).")] = False,
        out: Annotated[Path | None, typer.Option("--out", help="Also write the full result as JSON here.")] = None,
        as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Propagate a scenario month by month: TTS against TTR per importer and node, and the value of cooperation."""
    from setu.services import scenario_runs

    weights = _parse_weights(weight)
    options = {"allocation": allocation, "optimise": optimise, "weights": weights}
    stored = scenario_runs.stored(Settings.from_env(), scenario_id, options,
                                  lambda: _run_values(scenario_id, allocation, optimise, weights))
    document, name = stored["document"], stored["name"]
    if out is not None:
        out.write_text(json.dumps(_clean(document), indent=2, ensure_ascii=False), encoding="utf-8")
    if series:
        _emit(document["series"], f"Unmet demand by month - {name}", as_json, as_csv)
        return
    extra = {k: v for k, v in document.items() if k not in ("survival", "series")}
    if as_json or as_csv:
        _emit(document["survival"], "", as_json, as_csv, extra)
        return
    compact = [{"importer": r["importer"], "node": r["node"] + (" *" if r["end_product"] else ""),
                "TTS": "beyond horizon" if r["time_to_survive"] is None else r["time_to_survive"],
                "TTR": r["time_to_recover"], "exposed": "yes" if r["exposed"] else "",
                "unmet_months": round(r["unmet_months"], 3),
                "unmet_units": "" if r["unmet_units"] is None else f"{r['unmet_units']:,.1f} {r['unit']}"}
               for r in document["survival"]]
    _emit(compact, f"Time to survive vs time to recover (months) - {name}", False, False,
          {"allocation": stored["allocation"], "*": "end product"})
    if stored["cooperation"]:
        c = document["cooperation"]
        typer.echo(f"unmet demand ({c['unit']}): allocation rule {c['simulated']:,.1f}; every country for itself "
                   f"{c['autarky']:,.1f}; partners coordinate {c['coordinated']:,.1f}")
        share = "" if c["value_share"] is None else f" ({share_text(c['value_share'])})"
        typer.echo(f"value of cooperation: {c['value']:,.1f} {c['unit']}{share}")
        if c["binding"]:
            _emit([{k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()} for row in c["binding"]],
                  "Binding constraints when partners coordinate (shadow price: unmet demand avoided per extra "
                  "unit of capacity, or per extra day of stock)", False, False)
        else:
            typer.echo("no partner capacity or stockpile binds when partners coordinate")
    if out is not None:
        typer.echo(f"wrote {out}")


def _run_values(scenario_id: str, allocation: str | None, optimise: bool, weights: dict[str, float]) -> dict[str, Any]:
    """What `scenario run` shows, as JSON values (kept by :mod:`setu.services.scenario_runs`)."""
    from setu.services.documents.scenarios import run_document

    result = _service().run(scenario_id, allocation, optimise, weights)
    values = {"document": run_document(result), "name": result.scenario.name, "allocation": result.allocation,
              "cooperation": result.cooperation is not None}
    return json.loads(json.dumps(values, default=lambda o: o.item() if hasattr(o, "item") else str(o)))


@app.command()
def report(scenario_id: ScenarioArgument,
           out: Annotated[Path | None, typer.Option("--out", help="HTML file (default: <scenario>.html).")] = None,
           json_out: Annotated[Path | None, typer.Option("--json-out", help="Also write the JSON result.")] = None,
           allocation: Annotated[str | None, typer.Option(help="Allocation rule: pro-rata, baseline, max-min.")] = None,
           as_json: JsonOption = False) -> None:
    """Run a scenario, print a summary and write a self-contained HTML report (opens offline)."""
    from setu.services.documents.scenarios import run_document
    from setu.web.scenario_report import render_report

    result = _service().run(scenario_id, allocation)
    document = run_document(result)
    path = out or Path(f"{result.scenario.id}.html")
    path.write_text(render_report(_clean(document)), encoding="utf-8")
    if json_out is not None:
        json_out.write_text(json.dumps(_clean(document), indent=2, ensure_ascii=False), encoding="utf-8")
    exposed = [r for r in document["survival"] if r["end_product"] and r["exposed"]]
    c = document["cooperation"]
    if as_json:
        typer.echo(json.dumps(_clean({"scenario": result.scenario.id, "html": str(path),
                                      "json": str(json_out) if json_out else None,
                                      "exposed": [[r["importer"], r["node"]] for r in exposed],
                                      "value_of_cooperation": c["value"], "unit": c["unit"]})))
        return
    typer.echo(f"{result.scenario.name}: {len(exposed)} importer-product pair(s) exposed (TTS < TTR)")
    typer.echo(f"value of cooperation: {c['value']:,.1f} {c['unit']}")
    typer.echo(f"wrote {path}" + (f" and {json_out}" if json_out else ""))


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """A row of the JSON twin with its spreads spread over columns (for CSV)."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if key == "central":
            for name in ("time_to_survive", "exposed", "unmet_units"):
                flat[f"central_{name}"] = None if value is None else value[name]
        elif isinstance(value, dict) or (value is None and key in ("unmet_units",)):
            for level in ("p5", "p50", "p95", "mean"):
                flat[f"{key}_{level}"] = None if value is None else value[level]
        else:
            flat[key] = value
    return flat


def _number(value: float) -> str:
    return f"{round(value, 1) + 0.0:,.1f}"  # + 0.0: no "-0.0" from LP round-off


def _months(value: float | None) -> str:
    return "beyond" if value is None else f"{value:g}"


@app.command()
def uncertainty(scenario_id: ScenarioArgument,
                samples: Annotated[int | None, typer.Option(help="Samples (default: the file's, else 1,000).")] = None,
                seed: Annotated[int | None, typer.Option(help="Seed (default: the file's, else a fresh one, "
                                                                 "printed).")] = None,
                lp_samples: Annotated[int, typer.Option(help="Also solve the LPs (value of coordination) on "
                                                             "this many of the samples.")] = 0,
                allocation: Annotated[str | None, typer.Option(help="Allocation rule: pro-rata, baseline, "
                                                                    "max-min.")] = None,
                weight: Annotated[list[str] | None, typer.Option(help="Importer weight in the LP, e.g. JPN=2.")] = None,
                out: Annotated[Path | None, typer.Option("--out", help="Also write the result as JSON here.")] = None,
                as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Monte Carlo over the scenario's uncertain inputs: P5, P50, P95 and mean of unmet demand and
    time-to-survive, and the probability of being exposed (TTS < TTR)."""
    from rich.progress import Progress

    from setu.services.documents.scenarios import uncertainty_document

    with Progress(transient=True, disable=as_json or as_csv or lp_samples == 0) as bar:
        task = bar.add_task("solving the LPs", total=lp_samples)
        result = _service().uncertainty(scenario_id, samples, seed, allocation, lp_samples, _parse_weights(weight),
                                        progress=lambda done, total: bar.update(task, completed=done, total=total))
    document = uncertainty_document(result)
    if out is not None:
        out.write_text(json.dumps(_clean(document), indent=2, ensure_ascii=False), encoding="utf-8")
    if as_json:
        _emit(document["rows"], "", True, False, {k: v for k, v in document.items() if k != "rows"})
        return
    if as_csv:
        _emit([_flat(row) for row in document["rows"]], "", False, True)
        return
    rows = []
    for r in document["rows"]:
        units = r["unmet_units"] or r["unmet_months"]
        tts = r["time_to_survive"]
        rows.append({"importer": r["importer"], "node": r["node"] + (" *" if r["end_product"] else ""),
                     "unit": r["unit"] if r["unmet_units"] else "months",
                     **{f"unmet {k.upper()}": _number(units[k]) for k in ("p5", "p50", "p95", "mean")},
                     "TTS P5/50/95": "/".join(_months(tts[k]) for k in ("p5", "p50", "p95")),
                     "P(exposed)": f"{r['exposed_probability']:.0%}",
                     "TTS stated": "" if r["central"] is None else _months(r["central"]["time_to_survive"])})
    _emit(rows, f"Unmet demand over the horizon and time-to-survive: {result.samples:,} samples, seed {result.seed}",
          False, False, {"*": "end product; TTS in months ('beyond': beyond the horizon); "
                              "P(exposed): share of samples with TTS < TTR"})
    _emit([{"figure": i["figure"], "stated": f"{i['stated']:g}", "P5": f"{i['p5']:.4g}", "P50": f"{i['p50']:.4g}",
            "P95": f"{i['p95']:.4g}", "unit": i["unit"],
            "rank corr.": "" if i["rank_correlation"] is None else f"{i['rank_correlation']:+.2f}"}
           for i in sorted(document["inputs"], key=lambda i: -abs(i["rank_correlation"] or 0))],
          f"Sampled inputs, by rank correlation with total unmet demand (sources: setu scenario show {scenario_id})",
          False, False)
    total = document["total_unmet"]
    typer.echo(f"unmet demand of the end products ({total['unit']}): P5 {_number(total['p5'])}, P50 "
               f"{_number(total['p50'])}, P95 {_number(total['p95'])}, mean {_number(total['mean'])}; with the stated "
               f"values {_number(total['central'])}")
    if "cooperation" in document:
        c = document["cooperation"]
        v = c["value"]
        typer.echo(f"value of coordination over {c['samples']} samples ({c['unit']}): P5 {_number(v['p5'])}, "
                   f"P50 {_number(v['p50'])}, P95 {_number(v['p95'])}, mean {_number(v['mean'])}")
    typer.echo(f"seed: {result.seed} (rerun with --seed {result.seed} for the same draws)")
    if out is not None:
        typer.echo(f"wrote {out}")
