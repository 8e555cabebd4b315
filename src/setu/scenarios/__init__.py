"""Disruption scenarios on supply-chain maps: specification, month-by-month propagation, TTS/TTR.

``spec`` holds the scenario dataclasses, ``reader`` reads ``setu-scenario/1`` files with located errors,
``model`` compiles a scenario and its map to arrays, ``propagation`` runs it month by month under an
allocation rule from ``allocation``, and ``survival`` measures time-to-survive against time-to-recover
(Simchi-Levi et al., HBR 2014; Interfaces 2015). ``best_response`` states the best response as an LP and
solves it through the HiGHS adapter of ``setu.optimise``.

Uncertainty: ``uncertainty`` holds the distributions of a scenario's ``uncertainty:`` block, ``montecarlo``
draws them and compiles every sample at once, ``batch`` propagates all samples together and
``percentiles`` summarises them, with the value of coordination per sample.

The names below load on first use (PEP 562): reading a scenario file or the allocation rules does not bring
SciPy (the LP solver, the distributions) or networkx with it.
"""

from __future__ import annotations

import importlib

#: public name -> the submodule that defines it
_WHERE = {
    "AUTARKY": "setu.scenarios.best_response",
    "COORDINATED": "setu.scenarios.best_response",
    "DAYS_PER_MONTH": "setu.scenarios.spec",
    "FORMAT": "setu.scenarios.spec",
    "STRATEGIES": "setu.scenarios.allocation",
    "Baseline": "setu.scenarios.spec",
    "BestResponse": "setu.scenarios.best_response",
    "CapacityDual": "setu.scenarios.best_response",
    "ChainModel": "setu.scenarios.model",
    "Cooperation": "setu.scenarios.best_response",
    "DemandReduction": "setu.scenarios.spec",
    "Distribution": "setu.scenarios.uncertainty",
    "Draws": "setu.scenarios.montecarlo",
    "MonteCarlo": "setu.scenarios.percentiles",
    "Progress": "setu.scenarios.percentiles",
    "Propagation": "setu.scenarios.propagation",
    "Recycling": "setu.scenarios.spec",
    "Responses": "setu.scenarios.spec",
    "SampledModel": "setu.scenarios.montecarlo",
    "SampledPropagation": "setu.scenarios.batch",
    "Scenario": "setu.scenarios.spec",
    "Shock": "setu.scenarios.spec",
    "Sourcing": "setu.scenarios.spec",
    "SpareCapacity": "setu.scenarios.spec",
    "StockDual": "setu.scenarios.best_response",
    "Stockpile": "setu.scenarios.spec",
    "Substitution": "setu.scenarios.spec",
    "Survival": "setu.scenarios.survival",
    "TradeFigures": "setu.domain.trade_figures",
    "UncertainCut": "setu.scenarios.uncertainty",
    "UncertainDuration": "setu.scenarios.uncertainty",
    "UncertainShares": "setu.scenarios.uncertainty",
    "UncertainSpare": "setu.scenarios.uncertainty",
    "UncertainStockpile": "setu.scenarios.uncertainty",
    "Uncertainty": "setu.scenarios.uncertainty",
    "best_response": "setu.scenarios.best_response",
    "check_scenario": "setu.scenarios.validation",
    "compile_scenario": "setu.scenarios.model",
    "cooperation": "setu.scenarios.best_response",
    "draw_inputs": "setu.scenarios.montecarlo",
    "drawn_scenario": "setu.scenarios.montecarlo",
    "load_scenario": "setu.scenarios.reader",
    "monte_carlo": "setu.scenarios.percentiles",
    "objective_weights": "setu.scenarios.best_response",
    "origin_shares": "setu.scenarios.validation",
    "parse_scenario": "setu.scenarios.reader",
    "propagate": "setu.scenarios.propagation",
    "propagate_samples": "setu.scenarios.batch",
    "sample_model": "setu.scenarios.montecarlo",
    "strategy": "setu.scenarios.allocation",
    "survival_table": "setu.scenarios.survival",
    "time_to_survive": "setu.scenarios.survival",
    "water_fill": "setu.scenarios.allocation",
    "water_fill_rows": "setu.scenarios.batch",
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
