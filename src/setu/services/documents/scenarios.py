"""The scenario documents: a run and a Monte Carlo turned into the JSON that every shell shows.

``setu scenario run --json`` / ``uncertainty --json``, the scenario page, its twin under
``/api/views/scenarios`` and the HTML report all take their figures from these two functions, so they agree
figure for figure. Each takes the service's typed result (:class:`setu.services.scenarios.ScenarioRun`,
:class:`setu.scenarios.percentiles.MonteCarlo`) and returns plain JSON-ready data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from setu.scenarios.best_response import BestResponse
from setu.scenarios.percentiles import MonteCarlo
from setu.services.scenarios import ScenarioRun, citations


def _ranges(months: Sequence[int]) -> str:
    """1 2 3 5 -> "1-3, 5"."""
    parts: list[str] = []
    for month in months:
        if parts and int(parts[-1].split("-")[-1]) == month - 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{month}"
        else:
            parts.append(str(month))
    return ", ".join(parts)


def _plan(best: BestResponse, result: ScenarioRun) -> list[dict[str, Any]]:
    model = result.model
    rows = []
    totals = best.resourced.sum(axis=0)  # P x K x N
    for p, k, j in zip(*totals.nonzero(), strict=True):
        if totals[p, k, j] > 1e-9:
            rows.append({"from": model.partners[p], "to": model.importers[k], "node": model.nodes[j],
                         "kind": "re-sourcing", "units": float(totals[p, k, j])})
    lent = best.lent.sum(axis=0)  # K x K x N
    for o, k, j in zip(*lent.nonzero(), strict=True):
        if lent[o, k, j] > 1e-9:
            rows.append({"from": model.importers[o], "to": model.importers[k], "node": model.nodes[j],
                         "kind": "stock lending", "units": float(lent[o, k, j])})
    return rows


def run_document(result: ScenarioRun) -> dict[str, Any]:
    """Everything ``run`` shows, as plain data (the JSON twin)."""
    document: dict[str, Any] = {
        "scenario": result.scenario.id, "name": result.scenario.name, "map": result.scenario.map_id,
        "months": result.scenario.months, "allocation": result.allocation,
        "survival": [{"importer": s.importer, "node": s.node, "end_product": s.end_product,
                      "shock_start": s.shock_start, "time_to_survive": s.time_to_survive,
                      "time_to_recover": s.time_to_recover, "exposed": s.exposed,
                      "unmet_months": s.unmet_share_months, "unmet_units": s.unmet_units, "unit": s.unit,
                      "peak_unmet_share": s.peak_unmet_share} for s in result.survival],
        "series": result.series(),
        "sources": [asdict(c) for c in citations(result.scenario)],
    }
    c = result.cooperation
    if c is not None:
        binding = [{"constraint": "partner capacity", "who": d.partner, "node": d.node,
                    "shadow_price": d.shadow_price, "binding_months": _ranges(d.binding_months),
                    "used": d.used_units, "available": d.available_units}
                   for d in c.coordinated.capacity_duals if d.binding_months]
        binding += [{"constraint": "stockpile", "who": d.owner, "node": d.node,
                     "shadow_price": d.shadow_price_per_day, "binding_months": "", "used": d.drawn_days,
                     "available": d.stock_days} for d in c.coordinated.stock_duals if d.binding]
        document["cooperation"] = {
            "unit": c.coordinated.objective_unit, "simulated": c.simulated, "autarky": c.autarky.weighted_unmet,
            "coordinated": c.coordinated.weighted_unmet, "value": c.value, "value_share": c.value_share,
            "binding": binding,
            "plan": {"autarky": _plan(c.autarky, result), "coordinated": _plan(c.coordinated, result)},
            "duals": {mode.mode: {"capacity": [asdict(d) for d in mode.capacity_duals],
                                  "stockpiles": [asdict(d) for d in mode.stock_duals]}
                      for mode in (c.autarky, c.coordinated)},
        }
    return document


def _spread(value: Any) -> dict[str, Any] | None:
    return None if value is None else asdict(value)


def uncertainty_document(result: MonteCarlo) -> dict[str, Any]:
    """Everything ``uncertainty`` shows, as plain data (the JSON twin)."""
    document: dict[str, Any] = {
        "scenario": result.scenario_id, "samples": result.samples, "seed": result.seed,
        "allocation": result.allocation, "percentiles": ["p5", "p50", "p95", "mean"],
        "rows": [{"importer": r.importer, "node": r.node, "end_product": r.end_product, "unit": r.unit,
                  "reached_share": r.reached_share, "exposed_probability": r.exposed_probability,
                  "unmet_units": _spread(r.unmet_units), "unmet_months": _spread(r.unmet_months),
                  "time_to_survive": _spread(r.time_to_survive), "time_to_recover": _spread(r.time_to_recover),
                  "central": None if r.central is None else {
                      "time_to_survive": r.central.time_to_survive, "time_to_recover": r.central.time_to_recover,
                      "exposed": r.central.exposed, "unmet_units": r.central.unmet_units,
                      "unmet_months": r.central.unmet_share_months}}
                 for r in result.rows],
        "inputs": [{"figure": i.figure, "unit": i.unit, "stated": i.stated, **asdict(i.spread),
                    "rank_correlation": i.rank_correlation, "source": i.citation.source if i.citation else None}
                   for i in result.inputs],
        "total_unmet": {"unit": result.total_unit, "central": result.central_total, **asdict(result.total_unmet)},
    }
    c = result.cooperation
    if c is not None:
        document["cooperation"] = {"samples": c.samples, "unit": c.unit,
                                   **{name: asdict(getattr(c, name)) for name in
                                      ("simulated", "autarky", "coordinated", "value", "value_share")}}
    return document
