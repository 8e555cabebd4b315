"""Disruption scenarios on supply-chain maps: specification, month-by-month propagation, TTS/TTR.

``spec`` holds the scenario dataclasses, ``reader`` reads ``setu-scenario/1`` files with located errors,
``model`` compiles a scenario and its map to arrays, ``propagation`` runs it month by month under an
allocation rule from ``allocation``, and ``survival`` measures time-to-survive against time-to-recover
(Simchi-Levi et al., HBR 2014; Interfaces 2015). ``best_response`` states the best response as an LP and
solves it through the HiGHS adapter of ``setu.optimise``.

Uncertainty: ``uncertainty`` holds the distributions of a scenario's ``uncertainty:`` block, ``montecarlo``
draws them and compiles every sample at once, ``batch`` propagates all samples together and
``percentiles`` summarises them, with the value of coordination per sample.
"""

from setu.scenarios.allocation import STRATEGIES, strategy, water_fill
from setu.scenarios.batch import SampledPropagation, propagate_samples, water_fill_rows
from setu.scenarios.best_response import (
    AUTARKY,
    COORDINATED,
    BestResponse,
    CapacityDual,
    Cooperation,
    StockDual,
    best_response,
    cooperation,
    objective_weights,
)
from setu.domain.trade_figures import TradeFigures
from setu.scenarios.model import ChainModel, compile_scenario
from setu.scenarios.montecarlo import Draws, SampledModel, draw_inputs, drawn_scenario, sample_model
from setu.scenarios.percentiles import MonteCarlo, Progress, monte_carlo
from setu.scenarios.propagation import Propagation, propagate
from setu.scenarios.reader import load_scenario, parse_scenario
from setu.scenarios.spec import (
    DAYS_PER_MONTH,
    FORMAT,
    Baseline,
    DemandReduction,
    Recycling,
    Responses,
    Scenario,
    Shock,
    Sourcing,
    SpareCapacity,
    Stockpile,
    Substitution,
)
from setu.scenarios.survival import Survival, survival_table, time_to_survive
from setu.scenarios.uncertainty import (
    Distribution,
    UncertainCut,
    UncertainDuration,
    Uncertainty,
    UncertainShares,
    UncertainSpare,
    UncertainStockpile,
)
from setu.scenarios.validation import check_scenario, origin_shares

__all__ = [
    "AUTARKY",
    "COORDINATED",
    "DAYS_PER_MONTH",
    "FORMAT",
    "STRATEGIES",
    "Baseline",
    "BestResponse",
    "CapacityDual",
    "ChainModel",
    "Cooperation",
    "DemandReduction",
    "Distribution",
    "Draws",
    "MonteCarlo",
    "Progress",
    "Propagation",
    "Recycling",
    "Responses",
    "SampledModel",
    "SampledPropagation",
    "Scenario",
    "Shock",
    "Sourcing",
    "SpareCapacity",
    "StockDual",
    "Stockpile",
    "Substitution",
    "Survival",
    "TradeFigures",
    "UncertainCut",
    "UncertainDuration",
    "UncertainShares",
    "UncertainSpare",
    "UncertainStockpile",
    "Uncertainty",
    "best_response",
    "check_scenario",
    "compile_scenario",
    "cooperation",
    "draw_inputs",
    "drawn_scenario",
    "load_scenario",
    "monte_carlo",
    "objective_weights",
    "origin_shares",
    "parse_scenario",
    "propagate",
    "propagate_samples",
    "sample_model",
    "strategy",
    "survival_table",
    "time_to_survive",
    "water_fill",
    "water_fill_rows",
]
