"""The map analysis on flat numpy arrays, for maps with millions of edges.

Same quantities as ``graph``, ``exposure`` and ``concentration`` (formulas there), computed with
level-synchronous sweeps over a compressed-sparse-row index of the edges by target, so each sweep costs
O(edges touched) in vectorised numpy and the number of sweeps is the depth of the map (its number of tiers).
Used by the scale benchmark and by callers with large synthetic or imported maps; the networkx-based
functions remain the reference (the tests check the two agree on random maps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from setu.domain.supply_map import Substitutes, SupplyMap


@dataclass(frozen=True)
class MapArrays:
    """Edges ``source -> target`` (node indices) sorted by target, and country shares as rows."""

    node_ids: np.ndarray  # str, one per node
    countries: np.ndarray  # str, one per country index
    source: np.ndarray  # int64, edges sorted by target
    target: np.ndarray  # int64
    quantity: np.ndarray  # float64, NaN where the map gives none
    substitutable: np.ndarray  # bool
    in_indptr: np.ndarray  # int64, n + 1: edges into node i are [in_indptr[i], in_indptr[i+1])
    share_node: np.ndarray  # int64
    share_country: np.ndarray  # int64
    share_value: np.ndarray  # float64

    @property
    def size(self) -> int:
        return len(self.node_ids)

    @classmethod
    def build(
        cls,
        node_ids: np.ndarray,
        source: np.ndarray,
        target: np.ndarray,
        quantity: np.ndarray,
        substitutable: np.ndarray,
        countries: np.ndarray,
        share_node: np.ndarray,
        share_country: np.ndarray,
        share_value: np.ndarray,
    ) -> MapArrays:
        order = np.argsort(target, kind="stable")
        target_sorted = np.asarray(target, dtype=np.int64)[order]
        counts = np.bincount(target_sorted, minlength=len(node_ids))
        indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return cls(
            np.asarray(node_ids),
            np.asarray(countries),
            np.asarray(source, dtype=np.int64)[order],
            target_sorted,
            np.asarray(quantity, dtype=np.float64)[order],
            np.asarray(substitutable, dtype=bool)[order],
            indptr,
            np.asarray(share_node, dtype=np.int64),
            np.asarray(share_country, dtype=np.int64),
            np.asarray(share_value, dtype=np.float64),
        )

    @classmethod
    def from_map(cls, supply_map: SupplyMap) -> MapArrays:
        ids = [node.id for node in supply_map.nodes]
        index = {node_id: i for i, node_id in enumerate(ids)}
        rows = [
            (index[node.id], share.country, share.share)
            for node in supply_map.nodes
            if node.supply is not None
            for share in node.supply.shares
        ]
        countries = sorted({country for _, country, _ in rows})
        country_index = {c: i for i, c in enumerate(countries)}
        edges = supply_map.edges
        return cls.build(
            np.array(ids, dtype=object),
            np.array([index[e.input] for e in edges], dtype=np.int64),
            np.array([index[e.output] for e in edges], dtype=np.int64),
            np.array([e.quantity.value if e.quantity else np.nan for e in edges], dtype=np.float64),
            np.array([e.substitutes is Substitutes.YES for e in edges], dtype=bool),
            np.array(countries, dtype=object),
            np.array([r[0] for r in rows], dtype=np.int64),
            np.array([country_index[r[1]] for r in rows], dtype=np.int64),
            np.array([r[2] for r in rows], dtype=np.float64),
        )


def _edges_into(arrays: MapArrays, nodes: np.ndarray) -> np.ndarray:
    """Positions (in the target-sorted edge arrays) of every edge into ``nodes``."""
    starts = arrays.in_indptr[nodes]
    counts = arrays.in_indptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    shifts = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return shifts + np.arange(total, dtype=np.int64)


def distances(arrays: MapArrays, product: int, essential_only: bool = False) -> np.ndarray:
    """Fewest edges from each node to ``product`` (-1 where there is no path). With ``essential_only``,
    only edges without a substitute are followed, so ``>= 0`` marks the essential nodes."""
    distance = np.full(arrays.size, -1, dtype=np.int64)
    distance[product] = 0
    frontier = np.array([product], dtype=np.int64)
    level = 0
    while frontier.size:
        positions = _edges_into(arrays, frontier)
        if essential_only:
            positions = positions[~arrays.substitutable[positions]]
        parents = np.unique(arrays.source[positions])
        frontier = parents[distance[parents] < 0]
        level += 1
        distance[frontier] = level
    return distance


def total_requirements(arrays: MapArrays, product: int) -> np.ndarray:
    """Units of each node per unit of ``product`` (NaN where a path lacks a quantity, 0 off the upstream).

    Reverse Kahn sweep: a node is settled once all its upstream uses are, then ``r(i) = sum_j a_ij r(j)``.
    """
    upstream = distances(arrays, product) >= 0
    inside = upstream[arrays.target]
    remaining = np.bincount(arrays.source[inside], minlength=arrays.size)
    requirement = np.zeros(arrays.size)
    requirement[product] = 1.0
    ready = np.array([product], dtype=np.int64)
    while ready.size:
        positions = _edges_into(arrays, ready)
        parents = arrays.source[positions]
        np.add.at(requirement, parents, arrays.quantity[positions] * requirement[arrays.target[positions]])
        np.subtract.at(remaining, parents, 1)
        ready = np.unique(parents[remaining[parents] == 0])
    requirement[~upstream] = 0.0
    return requirement


@dataclass(frozen=True)
class ExposureArrays:
    countries: np.ndarray  # str, countries with a share at an essential node
    weakest_link: np.ndarray
    weakest_node: np.ndarray  # str
    any_stage: np.ndarray
    nodes_supplied: np.ndarray


def product_exposure(arrays: MapArrays, product: int) -> ExposureArrays:
    """``W_c`` and ``D_c`` (see ``setu.maps.exposure``) for every country, in the same order and with the
    same tie-breaks as the reference: by D, then W, then ISO3; weakest node by tier, then node id."""
    depth = distances(arrays, product)
    essential = distances(arrays, product, essential_only=True) >= 0
    rows = essential[arrays.share_node]
    node, country, share = arrays.share_node[rows], arrays.share_country[rows], arrays.share_value[rows]
    count = np.bincount(country, minlength=len(arrays.countries))
    weakest = np.full(len(arrays.countries), -np.inf)
    np.maximum.at(weakest, country, share)
    log_survival = np.zeros(len(arrays.countries))
    below_one = share < 1.0
    np.add.at(log_survival, country[below_one], np.log1p(-share[below_one]))
    any_stage = -np.expm1(log_survival)
    any_stage[np.unique(country[~below_one])] = 1.0
    id_rank = np.empty(arrays.size, dtype=np.int64)
    id_rank[np.argsort(arrays.node_ids.astype(str), kind="stable")] = np.arange(arrays.size)
    order = np.lexsort((id_rank[node], depth[node], -share, country))
    first = order[np.concatenate(([True], country[order][1:] != country[order][:-1]))] if order.size else order
    present = np.flatnonzero(count)
    weakest_node = np.empty(len(arrays.countries), dtype=object)
    weakest_node[country[first]] = arrays.node_ids[node[first]]
    codes = arrays.countries[present].astype(str)
    ranking = np.lexsort((codes, -weakest[present], -any_stage[present]))
    chosen = present[ranking]
    return ExposureArrays(
        arrays.countries[chosen], weakest[chosen], weakest_node[chosen], any_stage[chosen], count[chosen]
    )


def node_hhi(arrays: MapArrays) -> np.ndarray:
    """HHI (0-10,000) of every node's listed country shares; 0 where a node lists none."""
    return np.bincount(arrays.share_node, weights=(100.0 * arrays.share_value) ** 2, minlength=arrays.size)
