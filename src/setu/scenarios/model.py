"""A scenario compiled to arrays: the importers' chains below the shocked nodes, month by month.

Notation (used by ``propagation`` and ``best_response``), with ``T`` months, ``K`` importers,
``N`` affected nodes (the shocked nodes and everything downstream of them, in topological order) and ``P``
partners:

=============  =========  ==========================================================================
symbol         shape      meaning
=============  =========  ==========================================================================
``loss``       T x K x N  direct loss: share of importer k's baseline supply of node n cut in month t
``need``       K x N      share of baseline k still needs (1 minus demand reduction; ``nu``)
``target``     K x N      share of baseline k's chain must get, given substitution downstream (``tau``)
``baseline``   K x N      baseline use in units per month (``R``; NaN where the scenario states none)
``stock``      K x N      initial stock in months of baseline use (days / 30.4375)
``recycle``    T x K x N  recycled supply as a share of baseline use (a stated flow / R, or, for
                         current recycling at the EoL_RIR ``r``, ``r x loss``: the cut share of the
                         recycled part of use, which the restriction does not reach)
``spare``      T x P x N  partners' spare capacity, units per month
``inputs``     per node   (input index, substitution share per importer) for affected inputs only
=============  =========  ==========================================================================

The loss of importer ``k`` at node ``n`` is ``min(1, sum_s cut_s(t) sum_{c in restricting_s, c != k}
sigma_k(c, n))`` where ``sigma_k(c, n)`` is k's sourcing share from ``c`` (``validation.origin_shares``) and
``cut_s(t)`` the shock's cut in month ``t`` (ramping linearly back to 0 over its recovery months).

A node's ``need`` is the largest need among the end products it feeds (a node's use falls only as far as
that of the least-reduced product made from it). Nodes outside the affected set are never short.

A node's ``target`` is what its chain must get for every product to meet its need once substitution is
counted: ``tau_p = nu_p`` for an end product and, backwards through the edges ``i -> j`` with substitutable
share ``s``, ``tau_i = max_j (tau_j - s) / (1 - s)`` clipped to ``[0, nu_i]`` (0 where ``s = 1``): an input
short of ``tau_i`` leaves some product short, one above it helps nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from setu.domain.supply_map import SupplyMap
from setu.scenarios.spec import DAYS_PER_MONTH, Scenario
from setu.scenarios.validation import check_scenario, origin_shares


@dataclass(frozen=True)
class ChainModel:
    scenario_id: str
    months: int
    importers: tuple[str, ...]
    nodes: tuple[str, ...]
    units: tuple[str, ...]
    end_products: tuple[int, ...]  # indices into nodes
    partners: tuple[str, ...]
    loss: np.ndarray
    need: np.ndarray
    target: np.ndarray
    baseline: np.ndarray
    stock: np.ndarray
    recycle: np.ndarray
    spare: np.ndarray
    inputs: tuple[tuple[tuple[int, np.ndarray], ...], ...]
    shock_start: np.ndarray  # K x N: first month a shock reaches the node for the importer (0: never)
    shock_end: np.ndarray  # K x N: last month of that shock's recovery (TTR end)
    allocation: str

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.months, len(self.importers), len(self.nodes)


def affected_nodes(scenario: Scenario, graph: nx.DiGraph) -> list[str]:
    shocked = {node for shock in scenario.shocks for node in shock.nodes}
    reach = set(shocked)
    for node in shocked:
        reach |= nx.descendants(graph, node)
    return [node for node in nx.topological_sort(graph) if node in reach]


def compile_scenario(scenario: Scenario, supply_map: SupplyMap,
                     spare_capacity: dict[tuple[str, str], float] | None = None) -> ChainModel:
    """Arrays for one scenario on its map. ``spare_capacity`` maps ``(node_or_material, iso3)`` to units per
    month (e.g. from the catalog's capacity headroom / 12); entries stated in the scenario take precedence."""
    check_scenario(scenario, supply_map)
    graph = nx.DiGraph()
    graph.add_nodes_from(node.id for node in supply_map.nodes)
    graph.add_edges_from((edge.input, edge.output) for edge in supply_map.edges)
    nodes = affected_nodes(scenario, graph)
    index = {node: i for i, node in enumerate(nodes)}
    importers = scenario.importers
    at = {country: i for i, country in enumerate(importers)}
    T, K, N = scenario.months, len(importers), len(nodes)
    months = np.arange(1, T + 1)

    loss = np.zeros((T, K, N))
    start = np.zeros((K, N), dtype=int)
    end = np.zeros((K, N), dtype=int)
    for shock in scenario.shocks:
        ramp = _cut_profile(months, shock.start_month, shock.duration_months, shock.recovery_months, shock.cut)
        last = shock.start_month + shock.time_to_recover - 1
        for node in shock.nodes:
            n = index[node]
            for country in shock.importers or importers:
                k = at[country]
                shares = origin_shares(scenario, supply_map, node, country)
                hit = sum(shares.get(c, 0.0) for c in shock.restricting if c != country)
                if hit <= 0:
                    continue
                loss[:, k, n] += ramp * hit
                for d in [n, *(index[x] for x in nx.descendants(graph, node) if x in index)]:
                    start[k, d] = shock.start_month if start[k, d] == 0 else min(start[k, d], shock.start_month)
                    end[k, d] = max(end[k, d], last)
    np.clip(loss, 0.0, 1.0, out=loss)

    end_ids = {node.id for node in supply_map.end_products}
    product_need = {}
    for node in end_ids:
        for k, country in enumerate(importers):
            product_need[node, k] = 1.0 - max(
                (r.share for r in scenario.responses.demand_reduction
                 if r.node == node and r.country in (None, country)), default=0.0)
    need = np.ones((K, N))
    for node in nodes:
        downstream = ({node} | nx.descendants(graph, node)) & end_ids
        for k in range(K):
            need[k, index[node]] = max(product_need[p, k] for p in downstream)

    baseline = np.full((K, N), np.nan)
    for entry in scenario.baselines:
        if entry.node in index:
            baseline[at[entry.country], index[entry.node]] = entry.units_per_month
    stock = np.zeros((K, N))
    for entry in scenario.responses.stockpiles:
        if entry.node in index:
            stock[at[entry.country], index[entry.node]] += entry.days / DAYS_PER_MONTH
    recycle = np.zeros((T, K, N))
    for entry in scenario.responses.recycling:
        if entry.node in index:
            k, n = at[entry.country], index[entry.node]
            later = months >= entry.from_month
            if entry.eol_rir is not None:  # current recycling: the recycled share of use is not cut
                recycle[later, k, n] += entry.eol_rir * loss[later, k, n]
            else:
                recycle[later, k, n] += entry.units_per_month / baseline[k, n]

    partners = scenario.responses.partners
    spare = np.zeros((T, len(partners), N))
    stated = set()
    for entry in scenario.responses.spare_capacity:
        stated.add((entry.node, entry.country))
        if entry.node in index:
            spare[months >= entry.from_month, partners.index(entry.country), index[entry.node]] += entry.units_per_month
    for (key, country), units in (spare_capacity or {}).items():
        targets = [n for n in supply_map.nodes if key in (n.id, n.material)]
        for node in targets:
            if node.id in index and country in partners and (node.id, country) not in stated:
                spare[:, partners.index(country), index[node.id]] += units

    inputs = []
    for node in nodes:
        entries = []
        for parent in graph.predecessors(node):
            if parent not in index:
                continue
            share = np.zeros(K)
            for entry in scenario.responses.substitution:
                if entry.input == parent and entry.output == node:
                    for k, country in enumerate(importers):
                        if entry.country in (None, country):
                            share[k] = max(share[k], entry.share)
            entries.append((index[parent], share))
        inputs.append(tuple(entries))

    ends = [index[n] for n in nodes if n in end_ids]
    target = np.zeros((K, N))
    target[:, ends] = need[:, ends]
    for j in reversed(range(N)):  # outputs come after their inputs in topological order
        for i, share in inputs[j]:
            partial = share < 1.0
            usable = np.where(partial, (target[:, j] - share) / np.where(partial, 1.0 - share, 1.0), 0.0)
            target[:, i] = np.maximum(target[:, i], np.clip(usable, 0.0, need[:, i]))
    return ChainModel(
        scenario_id=scenario.id, months=T, importers=importers, nodes=tuple(nodes),
        units=tuple(supply_map.node(n).unit for n in nodes),
        end_products=tuple(ends), partners=partners,
        loss=loss, need=need, target=target, baseline=baseline, stock=stock, recycle=recycle, spare=spare,
        inputs=tuple(inputs), shock_start=start, shock_end=end, allocation=scenario.allocation,
    )


def _cut_profile(months: np.ndarray, start: int, duration: int, recovery: int, cut: float) -> np.ndarray:
    """The cut in each month: ``cut`` during the shock, then falling linearly to 0 over ``recovery`` months
    (month ``m`` of the recovery keeps ``cut * (1 - m / (recovery + 1))``)."""
    profile = np.where((months >= start) & (months < start + duration), cut, 0.0)
    for m in range(1, recovery + 1):
        profile = np.where(months == start + duration + m - 1, cut * (1 - m / (recovery + 1)), profile)
    return profile

