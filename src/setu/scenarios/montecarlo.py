"""Monte Carlo over a scenario's uncertain inputs: draw ``S`` samples, compile them to arrays with a leading
sample axis, and propagate all samples at once.

``sample_model`` compiles the scenario once (``model.compile_scenario``: the chain, needs, targets and
baselines do not vary) and rebuilds only the parts that depend on uncertain figures, each with a leading
sample axis: the loss (``S x T x K x N``; cuts, durations and origin shares), the stock (``S x K x N``), the
partners' spare capacity (``S x T x P x N``) and the months each shock reaches and leaves each node. The
arithmetic is the one of ``compile_scenario``, in the same order, so a sample whose draws equal the stated
values gives the deterministic arrays bit for bit (tested).

``propagate_samples`` (in ``setu.scenarios.batch``) runs the month-by-month propagation on all samples at
once. ``SampledModel.model(s)`` gives sample ``s`` as an ordinary ``ChainModel`` for the per-sample engine
(``propagate``) and for the LP.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import networkx as nx
import numpy as np

from setu.domain.supply_map import SupplyMap
from setu.errors import ValidationError
from setu.scenarios.model import ChainModel, compile_scenario
from setu.scenarios.spec import DAYS_PER_MONTH, Scenario, Sourcing
from setu.scenarios.uncertainty import DEFAULT_SAMPLES, dirichlet_shares, stream, uniforms
from setu.scenarios.validation import share_source


@dataclass(frozen=True)
class Draws:
    """The sampled figures, one row per sample: cuts and durations per shock (the stated value where the
    figure is certain), days per stated stockpile, units per stated spare capacity, and origin shares by
    share source (``validation.share_source`` key -> (countries, stated shares, S x countries draws))."""

    seed: int
    samples: int
    cut: np.ndarray  # S x shocks
    duration: np.ndarray  # S x shocks, whole months
    stock_days: np.ndarray  # S x stockpile entries
    spare_units: np.ndarray  # S x spare-capacity entries
    shares: Mapping[tuple[str, ...], tuple[tuple[str, ...], np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class SampledModel:
    """A ``ChainModel`` (the stated values) and the arrays that vary by sample."""

    base: ChainModel
    draws: Draws
    loss: np.ndarray  # S x T x K x N
    stock: np.ndarray  # S x K x N, months of baseline use
    spare: np.ndarray  # S x T x P x N, units per month
    shock_start: np.ndarray  # S x K x N
    shock_end: np.ndarray  # S x K x N

    @property
    def samples(self) -> int:
        return self.loss.shape[0]

    def model(self, sample: int) -> ChainModel:
        """Sample ``sample`` as an ordinary ``ChainModel``."""
        return replace(self.base, loss=self.loss[sample], stock=self.stock[sample], spare=self.spare[sample],
                       shock_start=self.shock_start[sample], shock_end=self.shock_end[sample])


def draw_inputs(scenario: Scenario, supply_map: SupplyMap, samples: int = DEFAULT_SAMPLES,
                seed: int = 0) -> Draws:
    """Draw every uncertain figure of the scenario ``samples`` times; certain figures keep their value.

    An entry is one uncertain quantity: an entry naming several shocks draws one uniform per sample for all
    of them (the same duration, or the same quantile of each shock's relative range), so they move
    together; separate entries draw independently."""
    block = scenario.uncertainty
    if block is None:
        raise ValidationError(f"scenario {scenario.id!r} has no `uncertainty:` block; add one (docs/scenarios.md)")
    if samples < 1:
        raise ValidationError(f"samples must be at least 1, got {samples}")
    shocks, responses = scenario.shocks, scenario.responses
    cut = np.array([[shock.cut for shock in shocks]] * samples, dtype=float)
    duration = np.array([[shock.duration_months for shock in shocks]] * samples, dtype=int)
    stock_days = np.array([[entry.days for entry in responses.stockpiles]] * samples, dtype=float)
    spare_units = np.array([[entry.units_per_month for entry in responses.spare_capacity]] * samples, dtype=float)
    stock_days = stock_days.reshape(samples, len(responses.stockpiles))
    spare_units = spare_units.reshape(samples, len(responses.spare_capacity))
    for entry in block.cuts:  # one draw per entry: the shocks it names move together
        u = uniforms(stream(seed, "cut|" + ",".join(map(str, entry.shocks))), samples)
        for number in entry.shocks:
            cut[:, number] = entry.distribution.draw(shocks[number].cut, u)
    for entry in block.durations:
        u = uniforms(stream(seed, "duration|" + ",".join(map(str, entry.shocks))), samples)
        for number in entry.shocks:
            duration[:, number] = entry.distribution.draw(shocks[number].duration_months, u, whole=True)
    for entry in block.stockpiles:
        index = next(i for i, s in enumerate(responses.stockpiles) if (s.country, s.node) == (entry.country, entry.node))
        u = uniforms(stream(seed, f"stockpile|{entry.country}|{entry.node}"), samples)
        stock_days[:, index] = entry.distribution.draw(responses.stockpiles[index].days, u)
    for entry in block.spare_capacity:
        index = next(i for i, s in enumerate(responses.spare_capacity)
                     if (s.country, s.node) == (entry.country, entry.node))
        u = uniforms(stream(seed, f"spare|{entry.country}|{entry.node}"), samples)
        spare_units[:, index] = entry.distribution.draw(responses.spare_capacity[index].units_per_month, u)
    shares: dict[tuple[str, ...], tuple[tuple[str, ...], np.ndarray, np.ndarray]] = {}
    for entry in block.shares:
        for country in (entry.importer,) if entry.importer else scenario.importers:
            key, stated = share_source(scenario, supply_map, entry.node, country)
            if stated and key not in shares:
                rng = stream(seed, "shares|" + "|".join(key))
                countries = tuple(stated)
                values = np.array([stated[c] for c in countries])
                shares[key] = countries, values, dirichlet_shares(rng, values, entry.concentration, samples)
    return Draws(seed, samples, cut, duration.astype(int), stock_days, spare_units, shares)


def sample_model(scenario: Scenario, supply_map: SupplyMap, draws: Draws,
                 spare_capacity: Mapping[tuple[str, str], float] | None = None) -> SampledModel:
    """The scenario's arrays for every sample of ``draws`` (same arithmetic as ``compile_scenario``)."""
    base = compile_scenario(scenario, supply_map, dict(spare_capacity or {}))
    S = draws.samples
    T, K, N = base.shape
    graph = nx.DiGraph()
    graph.add_nodes_from(node.id for node in supply_map.nodes)
    graph.add_edges_from((edge.input, edge.output) for edge in supply_map.edges)
    index = {node: i for i, node in enumerate(base.nodes)}
    at = {country: k for k, country in enumerate(base.importers)}
    months = np.arange(1, T + 1)

    loss = np.zeros((S, T, K, N))
    start = np.zeros((S, K, N), dtype=int)
    end = np.zeros((S, K, N), dtype=int)
    for number, shock in enumerate(scenario.shocks):
        cut, duration = draws.cut[:, number], draws.duration[:, number]
        ramp = cut_profiles(months, shock.start_month, duration, shock.recovery_months, cut)  # S x T
        last = shock.start_month + duration + shock.recovery_months - 1
        for node in shock.nodes:
            n = index[node]
            below = [n, *(index[x] for x in nx.descendants(graph, node) if x in index)]
            for country in shock.importers or base.importers:
                k = at[country]
                key, stated = share_source(scenario, supply_map, node, country)
                hit = np.zeros(S)
                if key in draws.shares:
                    countries, _, values = draws.shares[key]
                    for c in shock.restricting:
                        if c != country and c in countries:
                            hit = hit + values[:, countries.index(c)]
                else:
                    for c in shock.restricting:
                        if c != country:
                            hit = hit + stated.get(c, 0.0)
                reached = hit > 0
                loss[:, :, k, n] += np.where(reached[:, None], ramp * hit[:, None], 0.0)
                for d in below:
                    first = np.where(start[:, k, d] == 0, shock.start_month,
                                     np.minimum(start[:, k, d], shock.start_month))
                    start[:, k, d] = np.where(reached, first, start[:, k, d])
                    end[:, k, d] = np.where(reached, np.maximum(end[:, k, d], last), end[:, k, d])
    np.clip(loss, 0.0, 1.0, out=loss)

    stock = np.zeros((S, K, N))
    for number, entry in enumerate(scenario.responses.stockpiles):
        if entry.node in index:
            stock[:, at[entry.country], index[entry.node]] += draws.stock_days[:, number] / DAYS_PER_MONTH

    partners = scenario.responses.partners
    spare = np.zeros((S, T, len(partners), N))
    stated_pairs = set()
    for number, entry in enumerate(scenario.responses.spare_capacity):
        stated_pairs.add((entry.node, entry.country))
        if entry.node in index:
            active = months >= entry.from_month
            p, n = partners.index(entry.country), index[entry.node]
            spare[:, active, p, n] += draws.spare_units[:, number][:, None]
    for (key, country), units in (spare_capacity or {}).items():
        for node in supply_map.nodes:
            if key in (node.id, node.material) and node.id in index and country in partners \
                    and (node.id, country) not in stated_pairs:
                spare[:, :, partners.index(country), index[node.id]] += units
    return SampledModel(base, draws, loss, stock, spare, start, end)


def drawn_scenario(scenario: Scenario, supply_map: SupplyMap, draws: Draws, sample: int) -> Scenario:
    """The scenario with sample ``sample``'s figures written in (and no uncertainty): what
    ``compile_scenario`` turns into ``sample_model(...).model(sample)``, for the per-sample engine and reports."""
    responses = scenario.responses
    shocks = tuple(replace(shock, cut=float(draws.cut[sample, n]), duration_months=int(draws.duration[sample, n]))
                   for n, shock in enumerate(scenario.shocks))
    sourcing = list(scenario.sourcing)
    extra = []
    for key, (countries, _, values) in draws.shares.items():
        shares = tuple(zip(countries, (float(v) for v in values[sample]), strict=True))
        if key[0] == "sourcing":
            number = int(key[2])
            sourcing[number] = replace(sourcing[number], shares=shares)
            continue
        node = key[1]
        assert scenario.uncertainty is not None  # draws of shares come from its block
        citation = next(e.citation for e in scenario.uncertainty.shares if e.node == node)
        for country in scenario.importers:  # map shares: an override for each importer that uses them
            if share_source(scenario, supply_map, node, country)[0] == key:
                extra.append(Sourcing(node, shares, citation, country))
    return replace(
        scenario, uncertainty=None, shocks=shocks, sourcing=(*extra, *sourcing),
        responses=replace(
            responses,
            stockpiles=tuple(replace(e, days=float(draws.stock_days[sample, i]))
                             for i, e in enumerate(responses.stockpiles)),
            spare_capacity=tuple(replace(e, units_per_month=float(draws.spare_units[sample, i]))
                                 for i, e in enumerate(responses.spare_capacity))))


def cut_profiles(months: np.ndarray, start: int, duration: np.ndarray, recovery: int, cut: np.ndarray) -> np.ndarray:
    """``model._cut_profile`` for a vector of durations and cuts: S x T."""
    months = months[None, :]
    duration, cut = duration[:, None], cut[:, None]
    profile = np.where((months >= start) & (months < start + duration), cut, 0.0)
    for m in range(1, recovery + 1):
        profile = np.where(months == start + duration + m - 1, cut * (1 - m / (recovery + 1)), profile)
    return profile
