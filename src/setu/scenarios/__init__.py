"""Disruption scenarios on supply-chain maps: specification, month-by-month propagation, TTS/TTR.

``spec`` holds the scenario dataclasses, ``reader`` reads ``setu-scenario/1`` files with located errors,
``model`` compiles a scenario and its map to arrays, ``propagation`` runs it month by month under an
allocation rule from ``allocation``, and ``survival`` measures time-to-survive against time-to-recover
(Simchi-Levi et al., HBR 2014; Interfaces 2015). The best response (an LP) is in ``setu.optimise``.
"""

from setu.scenarios.allocation import STRATEGIES, strategy, water_fill
from setu.scenarios.model import ChainModel, compile_scenario
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
from setu.scenarios.validation import check_scenario, origin_shares

__all__ = [
    "DAYS_PER_MONTH",
    "FORMAT",
    "STRATEGIES",
    "Baseline",
    "ChainModel",
    "DemandReduction",
    "Propagation",
    "Recycling",
    "Responses",
    "Scenario",
    "Shock",
    "Sourcing",
    "SpareCapacity",
    "Stockpile",
    "Substitution",
    "Survival",
    "check_scenario",
    "compile_scenario",
    "load_scenario",
    "origin_shares",
    "parse_scenario",
    "propagate",
    "strategy",
    "survival_table",
    "time_to_survive",
    "water_fill",
]
