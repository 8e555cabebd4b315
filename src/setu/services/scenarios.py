"""Use cases on disruption scenarios: list the bundled ones, load and validate a file, run one.

The service owns the I/O boundary: it finds bundled scenario files, loads their maps through a
``MapService`` (which carries the catalog's USGS resolver when one is wired in), and takes partners'
spare capacity as an injected mapping ``{(node_or_material, iso3): units_per_month}`` — filled by the
caller from the catalog's capacity headroom (capacity minus production, divided by 12 for monthly units);
figures stated in a scenario file take precedence. Shells render what ``run`` returns.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from setu.domain.supply_map import Citation, SupplyMap
from setu.domain.trade_figures import TradeFigures
from setu.errors import SolverError, UnknownNameError, UnsolvableInputError, ValidationError
from setu.scenarios import (
    STRATEGIES,
    ChainModel,
    Propagation,
    Scenario,
    Survival,
    compile_scenario,
    load_scenario,
    parse_scenario,
    propagate,
    survival_table,
)
from setu.scenarios.best_response import Cooperation, cooperation
from setu.scenarios.percentiles import MonteCarlo, Progress, monte_carlo
from setu.scenarios.reader import TradeResolver
from setu.services.maps import MapService
from setu.services.scenario_runs import MAX_SCENARIO_BYTES, bundled_scenario_files
from setu.settings import Settings

SpareCapacity = Mapping[tuple[str, str], float]
MAX_SAMPLES = 1_000_000
MAX_BYTES = 4 * 2**30  # the sample arrays of one Monte Carlo run
EDITED = "edited scenario"  # how messages name a scenario given as text


@dataclass(frozen=True)
class ScenarioSummary:
    id: str
    name: str
    map_id: str
    months: int
    importers: tuple[str, ...]
    shocks: int
    partners: tuple[str, ...]
    assumptions: int  # cited figures marked confirmed: false


@dataclass(frozen=True)
class ScenarioRun:
    scenario: Scenario
    supply_map: SupplyMap
    model: ChainModel
    propagation: Propagation
    survival: tuple[Survival, ...]
    cooperation: Cooperation | None
    allocation: str

    def series(self) -> list[dict[str, object]]:
        """Unmet demand month by month for each importer and end product reached by a shock."""
        rows = []
        reached = self.model.shock_start > 0
        for j in self.model.end_products:
            for k, importer in enumerate(self.model.importers):
                if not reached[k, j]:
                    continue
                for t in range(self.model.months):
                    baseline = self.model.baseline[k, j]
                    share = float(self.propagation.unmet[t, k, j])
                    rows.append({"month": t + 1, "importer": importer, "product": self.model.nodes[j],
                                 "unmet_share": share, "unmet_units": None if np.isnan(baseline) else share * baseline,
                                 "stock_left_months": float(self.propagation.stock_left[t + 1, k, :].sum())})
        return rows


def spare_capacity_from_headroom(material: str, headroom: Iterable[Mapping[str, object]],
                                 units_per_catalog_unit: float = 1.0) -> dict[tuple[str, str], float]:
    """The injected mapping from the catalog's capacity headroom rows of one material.

    ``headroom`` holds rows like those of the concentration document's ``capacity_headroom``
    (``{"country", "capacity", "production", "headroom", ...}``, annual figures in the catalog's unit).
    Spare capacity per month is ``max(0, headroom) / 12 * units_per_catalog_unit``; pass the factor that
    turns the catalog's unit into the map node's (e.g. 1,000 for t into kg). Negative headroom (production
    figures newer than capacity figures) gives none.
    """
    spare = {}
    for row in headroom:
        value = float(row["headroom"])  # type: ignore[arg-type]
        if value > 0:
            spare[material, str(row["country"])] = value / 12 * units_per_catalog_unit
    return spare


def catalog_trade_figures(settings: Settings | None = None) -> TradeResolver:
    """Trade baselines read from the trade catalog of ``settings`` (default: from the environment), which holds
    the bundled BACI extract from the first run. The trade service is built on the first trade baseline only:
    scenarios without one never open the catalog (nor import its engine)."""
    services: list = []

    def figures(source: str, hs6: str, year: int, importer: str) -> TradeFigures:
        if not services:
            from setu.services.trade import TradeService  # deferred: Ibis and DuckDB load only when needed

            services.append(TradeService(settings or Settings.from_env()))
        return services[0].import_figures(importer, hs6, year=year, source=source)

    return figures


class ScenarioService:
    def __init__(self, maps: MapService | None = None, spare_capacity: SpareCapacity | None = None,
                 trade_figures: TradeResolver | None = None):
        self.maps = maps or MapService()
        self.spare_capacity = dict(spare_capacity or {})
        self.trade_figures = trade_figures or catalog_trade_figures()

    def load(self, name_or_path: str) -> tuple[Scenario, SupplyMap]:
        """A bundled scenario by id, or a scenario file (.yaml, .yml, .json) by path."""
        files = bundled_scenario_files()
        if name_or_path in files:
            return load_scenario(files[name_or_path], self.maps.load, self.trade_figures)
        path = Path(name_or_path)
        if path.suffix in (".yaml", ".yml", ".json") and path.exists():
            return load_scenario(path, self._map_loader(path), self.trade_figures)
        raise UnknownNameError("scenario", name_or_path,
                               difflib.get_close_matches(name_or_path, sorted(files), n=3))

    def list_scenarios(self) -> list[ScenarioSummary]:
        return [summarise(self.load(name)[0]) for name in sorted(bundled_scenario_files())]

    def validate(self, path: Path) -> ScenarioSummary:
        return summarise(load_scenario(path, self._map_loader(Path(path)), self.trade_figures)[0])

    def _map_loader(self, scenario_path: Path):
        """Maps by bundled id, or by a path relative to the scenario file's folder."""

        def load(map_id: str) -> SupplyMap:
            beside = scenario_path.parent / map_id
            if map_id.endswith((".yaml", ".yml")) and not Path(map_id).is_absolute() and beside.exists():
                return self.maps.load(str(beside))
            return self.maps.load(map_id)

        return load

    def run(self, name_or_path: str, allocation: str | None = None, optimise: bool = True,
            weights: Mapping[str, float] | None = None) -> ScenarioRun:
        """Propagate the scenario and, unless ``optimise`` is False, compare autarky with coordination."""
        if allocation is not None and allocation not in STRATEGIES:
            raise UnknownNameError("allocation rule", allocation,
                                   difflib.get_close_matches(allocation, sorted(STRATEGIES), n=3))
        return self._run(*self.load(name_or_path), allocation, optimise, weights)

    def run_text(self, text: str, allocation: str | None = None, optimise: bool = True,
                 weights: Mapping[str, float] | None = None) -> ScenarioRun:
        """Run a scenario given as the text of a ``setu-scenario/1`` document (an edit in the browser); its
        map is a bundled map id. Errors name the ``edited scenario`` and its line."""
        if allocation is not None and allocation not in STRATEGIES:
            raise UnknownNameError("allocation rule", allocation,
                                   difflib.get_close_matches(allocation, sorted(STRATEGIES), n=3))
        if len(text.encode("utf-8", errors="replace")) > MAX_SCENARIO_BYTES:
            raise ValidationError(f"the scenario is larger than {MAX_SCENARIO_BYTES // 1024} kB")
        try:
            text.encode("utf-8")
            loaded = parse_scenario(text, file=EDITED, load_map=self.maps.load, trade=self.trade_figures)
        except UnicodeError:
            raise ValidationError("the edited scenario holds characters that are not valid Unicode") from None
        except yaml.YAMLError as error:  # not YAML at all (no line to point at): say so, as bad input
            raise ValidationError(f"the edited scenario is not valid YAML: {error}") from None
        return self._run(*loaded, allocation, optimise, weights)

    def _run(self, scenario: Scenario, supply_map: SupplyMap, allocation: str | None, optimise: bool,
             weights: Mapping[str, float] | None) -> ScenarioRun:
        _check_weights(scenario, weights)
        model = compile_scenario(scenario, supply_map, self.spare_capacity)
        result = propagate(model, allocation)
        comparison = None
        if optimise:
            try:
                comparison = cooperation(model, result, scenario.responses.share_stockpiles, dict(weights or {}))
            except SolverError as error:  # the bundled scenarios solve: the LP comes from this input
                raise UnsolvableInputError(
                    f"scenario {scenario.id!r}: the best response cannot be computed ({error}); look for "
                    "extreme figures (a baseline or capacity near 0 or above 1e12 units) or run without "
                    "optimisation"
                ) from error
        return ScenarioRun(scenario, supply_map, model, result, tuple(survival_table(result)), comparison,
                           allocation or scenario.allocation)

    def uncertainty(self, name_or_path: str, samples: int | None = None, seed: int | None = None,
                    allocation: str | None = None, lp_samples: int = 0, weights: Mapping[str, float] | None = None,
                    progress: Progress | None = None) -> MonteCarlo:
        """Monte Carlo over the scenario's ``uncertainty:`` block: ``samples`` and ``seed`` default to the
        block's; without a seed anywhere, a fresh one is drawn from the operating system and reported."""
        if allocation is not None and allocation not in STRATEGIES:
            raise UnknownNameError("allocation rule", allocation,
                                   difflib.get_close_matches(allocation, sorted(STRATEGIES), n=3))
        scenario, supply_map = self.load(name_or_path)
        _check_weights(scenario, weights)
        if scenario.uncertainty is None:
            raise ValidationError(f"scenario {scenario.id!r} has no `uncertainty:` block; add one to its file "
                                  "(docs/scenarios.md, section Uncertainty)")
        samples = scenario.uncertainty.samples if samples is None else samples
        if not 1 <= samples <= MAX_SAMPLES:
            raise ValidationError(f"--samples must be between 1 and {MAX_SAMPLES:,}, got {samples}")
        T, K, N = compile_scenario(scenario, supply_map, self.spare_capacity).shape
        cells = samples * T * K * N * (2 * len(scenario.responses.partners) + 12)  # arrays of S x T x K x N (measured)
        if cells * 8 > MAX_BYTES:
            raise ValidationError(f"{samples:,} samples of this scenario need about {cells * 8 / 2**30:.1f} GiB; "
                                  f"use at most {MAX_BYTES // (8 * cells // samples):,} samples")
        if lp_samples < 0:
            raise ValidationError(f"--lp-samples must be 0 or more, got {lp_samples}")
        if seed is None:
            seed = scenario.uncertainty.seed
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**32)
        if seed < 0:
            raise ValidationError(f"--seed must be 0 or more, got {seed}")
        try:
            return monte_carlo(scenario, supply_map, samples, seed, allocation, self.spare_capacity, lp_samples,
                               weights, progress)
        except SolverError as error:
            raise UnsolvableInputError(
                f"scenario {scenario.id!r}: the value of coordination cannot be computed ({error}); look for "
                "extreme figures or run with --lp-samples 0"
            ) from error


def _check_weights(scenario: Scenario, weights: Mapping[str, float] | None) -> None:
    for country, weight in (weights or {}).items():
        if country not in scenario.importers:
            raise UnknownNameError("importer", country, difflib.get_close_matches(country, scenario.importers, n=3))
        if not weight >= 0:
            raise ValidationError(f"weight of {country} must be zero or more, got {weight}")


def citations(scenario: Scenario) -> list[Citation]:
    """Every citation the scenario uses, once each."""
    found: dict[tuple, Citation] = {}
    responses = scenario.responses
    for group in (scenario.baselines, scenario.sourcing, scenario.shocks, responses.stockpiles,
                  responses.spare_capacity, responses.recycling, responses.demand_reduction, responses.substitution,
                  scenario.uncertainty.entries if scenario.uncertainty else ()):
        for entry in group:
            citation = entry.citation  # type: ignore[attr-defined]
            found.setdefault((citation.source, citation.year), citation)
    return list(found.values())


def summarise(scenario: Scenario) -> ScenarioSummary:
    return ScenarioSummary(scenario.id, scenario.name, scenario.map_id, scenario.months, scenario.importers,
                           len(scenario.shocks), scenario.responses.partners,
                           sum(1 for c in citations(scenario) if not c.confirmed))
