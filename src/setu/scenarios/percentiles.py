"""Percentiles of a Monte Carlo run: unmet demand, time-to-survive, the probability of being exposed, the
value of coordination, and the spread of the sampled inputs.

For each importer and node a shock reaches, over the ``S`` samples: P5, P50, P95 and the mean of total
unmet demand (units and months of baseline use) and of time-to-recover; P5, P50, P95 of time-to-survive
(a sample that survives to the horizon counts as infinitely long, so a percentile may read "beyond
horizon" and no mean is given); and the share of samples with ``TTS < TTR`` (``survival``'s *exposed*).

Continuous quantities use numpy's default percentile, the linear interpolation of Hyndman & Fan (1996),
definition 7; whole-month quantities (TTS, TTR) the inverse of the empirical CDF (their definition 1), so
a percentile is a month that occurred. The Monte Carlo standard error of a mean is ``sd / sqrt(S)``; with
``S = 1,000`` a probability of exposure is known to about +-1.6 points (``sqrt(p (1 - p) / S)`` at
``p = 0.5``, one standard error).

The value of coordination needs two LPs per sample (``best_response.cooperation``); it is computed on the first
``lp_samples`` samples, a simple random subsample since the samples are independent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from setu.domain.supply_map import Citation, SupplyMap
from setu.scenarios.best_response import cooperation, objective_weights
from setu.scenarios.batch import SampledPropagation, propagate_samples
from setu.scenarios.montecarlo import Draws, SampledModel, draw_inputs, sample_model
from setu.scenarios.propagation import propagate
from setu.scenarios.spec import Scenario
from setu.scenarios.survival import TOLERANCE, Survival, survival_table

LEVELS = (5.0, 50.0, 95.0)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Spread:
    """P5, P50, P95 and the mean; ``None`` for "beyond the horizon" (time-to-survive) or no mean."""

    p5: float | None
    p50: float | None
    p95: float | None
    mean: float | None


def spread(values: np.ndarray, whole: bool = False) -> Spread:
    """Percentiles of ``values`` (Hyndman & Fan definition 7; definition 1 when ``whole``); inf -> None."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return Spread(None, None, None, None)
    points = np.percentile(values, LEVELS, method="inverted_cdf" if whole else "linear")
    finite = np.isfinite(values).all()
    p5, p50, p95 = (float(p) if np.isfinite(p) else None for p in points)
    return Spread(p5, p50, p95, float(values.mean()) if finite else None)


@dataclass(frozen=True)
class ExposureSpread:
    importer: str
    node: str
    unit: str
    end_product: bool
    reached_share: float  # share of samples in which a shock reaches the pair
    unmet_units: Spread | None  # total over the horizon (None without a baseline)
    unmet_months: Spread  # months of baseline use lost
    time_to_survive: Spread  # months; None: beyond the horizon
    time_to_recover: Spread
    exposed_probability: float  # share of samples with TTS < TTR
    central: Survival | None  # the run with the stated values


@dataclass(frozen=True)
class InputSpread:
    figure: str
    unit: str
    stated: float
    spread: Spread
    citation: Citation | None
    rank_correlation: float | None = None  # Spearman, with the total unmet demand of the end products


@dataclass(frozen=True)
class CooperationSpread:
    samples: int
    unit: str
    simulated: Spread
    autarky: Spread
    coordinated: Spread
    value: Spread
    value_share: Spread  # over the samples where autarky leaves demand unmet


@dataclass(frozen=True)
class MonteCarlo:
    scenario_id: str
    samples: int
    seed: int
    allocation: str
    rows: tuple[ExposureSpread, ...]
    inputs: tuple[InputSpread, ...]
    total_unit: str
    total_unmet: Spread  # weighted unmet demand of the end products, as the LP counts it
    central_total: float
    cooperation: CooperationSpread | None
    sampled: SampledModel
    result: SampledPropagation


def monte_carlo(scenario: Scenario, supply_map: SupplyMap, samples: int, seed: int, allocation: str | None = None,
                spare_capacity: Mapping[tuple[str, str], float] | None = None, lp_samples: int = 0,
                weights: Mapping[str, float] | None = None, progress: Progress | None = None) -> MonteCarlo:
    """Draw, propagate all samples at once, and summarise; ``lp_samples`` > 0 adds the value of coordination."""
    draws = draw_inputs(scenario, supply_map, samples, seed)
    sampled = sample_model(scenario, supply_map, draws, spare_capacity)
    result = propagate_samples(sampled, allocation)
    central = propagate(sampled.base, allocation)
    model = sampled.base
    goal, unit = objective_weights(model, dict(weights or {}))
    ends = list(model.end_products)
    totals = (result.unmet[:, :, :, ends] * goal[:, ends]).reshape(samples, -1).sum(axis=1)
    central_total = float((central.unmet[:, :, ends] * goal[:, ends]).sum())
    comparison = None
    if lp_samples > 0:
        comparison = _cooperation(sampled, result, min(lp_samples, samples), scenario.responses.share_stockpiles,
                                  dict(weights or {}), progress)
    return MonteCarlo(scenario.id, samples, seed, allocation or scenario.allocation,
                      exposure_spreads(result, survival_table(central)), input_spreads(scenario, draws, totals),
                      unit, spread(totals), central_total, comparison, sampled, result)


def survival_samples(result: SampledPropagation) -> dict[str, np.ndarray]:
    """TTS (inf: beyond the horizon), TTR, exposure and unmet totals per sample: arrays S x K x N."""
    sampled = result.sampled
    unmet = result.unmet
    T = unmet.shape[1]  # unmet is S x T x K x N
    start = sampled.shock_start
    months = np.arange(T)[None, :, None, None]
    short = (unmet > TOLERANCE) & (months >= (start - 1)[:, None])
    any_short = short.any(axis=1)
    tts = np.where(any_short, short.argmax(axis=1) - (start - 1), np.inf)
    ttr = np.where(start > 0, sampled.shock_end - start + 1, 0)
    exposed = any_short & (tts < np.minimum(ttr, T - start + 1)) & (start > 0)
    by_month = np.ascontiguousarray(np.moveaxis(unmet, 1, -1))  # sums in survival_table()'s order
    units = np.ascontiguousarray(np.moveaxis(unmet * sampled.base.baseline[None, None], 1, -1))
    return {"tts": tts, "ttr": ttr, "exposed": exposed, "reached": start > 0,
            "unmet_months": by_month.sum(axis=-1), "unmet_units": units.sum(axis=-1)}


def exposure_spreads(result: SampledPropagation, central: list[Survival]) -> tuple[ExposureSpread, ...]:
    """One row per importer and node reached in any sample, in the order of the central survival table."""
    model = result.sampled.base
    data = survival_samples(result)
    reached_any = data["reached"].any(axis=0)
    known = {(row.importer, row.node): row for row in central}
    pairs = [(k, n) for n in range(len(model.nodes)) for k in range(len(model.importers)) if reached_any[k, n]]
    order = {key: i for i, key in enumerate(known)}
    pairs.sort(key=lambda p: (order.get((model.importers[p[0]], model.nodes[p[1]]), len(order)),
                              p[1] not in model.end_products, p[1], p[0]))
    rows = []
    for k, n in pairs:
        has_baseline = not np.isnan(model.baseline[k, n])
        rows.append(ExposureSpread(
            importer=model.importers[k], node=model.nodes[n], unit=model.units[n],
            end_product=n in model.end_products, reached_share=float(data["reached"][:, k, n].mean()),
            unmet_units=spread(data["unmet_units"][:, k, n]) if has_baseline else None,
            unmet_months=spread(data["unmet_months"][:, k, n]),
            time_to_survive=spread(data["tts"][:, k, n], whole=True),
            time_to_recover=spread(data["ttr"][:, k, n], whole=True),
            exposed_probability=float(data["exposed"][:, k, n].mean()),
            central=known.get((model.importers[k], model.nodes[n]))))
    return tuple(rows)


def input_spreads(scenario: Scenario, draws: Draws, totals: np.ndarray | None = None) -> tuple[InputSpread, ...]:
    """The spread of each sampled figure, with the source of its distribution and, given the samples'
    ``totals`` (unmet demand), their rank correlation with it."""
    block = scenario.uncertainty
    assert block is not None
    rows: list[tuple[str, str, float, np.ndarray, bool, Citation | None]] = []
    for entry in block.cuts:
        for number in entry.shocks:
            rows.append((_shock_name(scenario, number, "cut"), "share", scenario.shocks[number].cut,
                         draws.cut[:, number], False, entry.citation))
    for entry in block.durations:
        for number in entry.shocks:
            rows.append((_shock_name(scenario, number, "duration"), "months", scenario.shocks[number].duration_months,
                         draws.duration[:, number], True, entry.citation))
    for number, stock in enumerate(scenario.responses.stockpiles):
        entry = next((e for e in block.stockpiles if (e.country, e.node) == (stock.country, stock.node)), None)
        if entry is not None:
            rows.append((f"stockpile of {stock.country} at {stock.node}", "days", stock.days,
                         draws.stock_days[:, number], False, entry.citation))
    for number, spare in enumerate(scenario.responses.spare_capacity):
        entry = next((e for e in block.spare_capacity if (e.country, e.node) == (spare.country, spare.node)), None)
        if entry is not None:
            rows.append((f"spare capacity of {spare.country} at {spare.node}", "units/month", spare.units_per_month,
                         draws.spare_units[:, number], False, entry.citation))
    restricting = {c for shock in scenario.shocks for c in shock.restricting}
    for key, (countries, stated, values) in draws.shares.items():
        entry = next((e for e in block.shares if e.node == key[1]), None)
        origin = {"sourcing": "the scenario's sourcing", "imports": f"{key[-1]}'s imports", "world": "world supply"}
        for i, country in enumerate(countries):
            if country in restricting:
                rows.append((f"share of {country} in {key[1]} ({origin.get(key[0], key[0])})", "share",
                             float(stated[i]), values[:, i], False, entry.citation if entry else None))
    return tuple(InputSpread(figure, unit, stated, spread(column, whole=whole), citation,
                             None if totals is None else rank_correlation(column, totals))
                 for figure, unit, stated, column, whole, citation in rows)


def rank_correlation(values: np.ndarray, outcome: np.ndarray) -> float | None:
    """Spearman's rank correlation of an input with an outcome over the samples (average ranks for ties;
    None when either is constant): the usual measure of which uncertain input drives an outcome's spread
    (Vose 2008, tornado charts; Saltelli et al., *Global Sensitivity Analysis: The Primer*,
    Wiley 2008)."""
    a, b = average_ranks(values), average_ranks(outcome)
    if a.std() == 0 or b.std() == 0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of a 1-D array, tied values sharing the mean of their ranks (the "average" method of
    Kendall & Gibbons, *Rank Correlation Methods*, 1990; equal to ``scipy.stats.rankdata``, tested). Written
    here because importing scipy.stats for it would add a second to every command that loads the scenarios."""
    values = np.asarray(values).ravel()
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts_run = np.r_[True, ordered[1:] != ordered[:-1]] if len(values) else np.zeros(0, dtype=bool)
    run = np.cumsum(starts_run) - 1
    starts = np.flatnonzero(starts_run)
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values), dtype=float)
    ranks[order] = ((starts + 1 + ends) / 2.0)[run]
    return ranks


def _shock_name(scenario: Scenario, number: int, what: str) -> str:
    shock = scenario.shocks[number]
    return f"{what} of shock {number + 1}" + (f" ({shock.label})" if shock.label else "")


def _cooperation(sampled: SampledModel, result: SampledPropagation, count: int, share_stockpiles: bool,
                 weights: dict[str, float], progress: Progress | None) -> CooperationSpread:
    values = np.zeros((4, count))
    shares = []
    unit = ""
    for s in range(count):
        # totals only: the second (least-movement) stage changes the plan's flows, not the unmet demand
        outcome = cooperation(sampled.model(s), result.propagation(s), share_stockpiles, weights, plan=False)
        values[:, s] = (outcome.simulated, outcome.autarky.weighted_unmet, outcome.coordinated.weighted_unmet,
                        outcome.value)
        if outcome.value_share is not None:
            shares.append(outcome.value_share)
        unit = outcome.coordinated.objective_unit
        if progress is not None:
            progress(s + 1, count)
    return CooperationSpread(count, unit, spread(values[0]), spread(values[1]), spread(values[2]),
                             spread(values[3]), spread(np.array(shares)))
