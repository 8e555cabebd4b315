"""A product's exposure to each producing country through all tiers of its map.

For a product ``P`` let ``E`` be its essential upstream nodes (``graph.essential``) that carry country
shares, and ``s_c(n)`` country ``c``'s share of node ``n``'s world supply. If ``c`` stopped supplying:

* **weakest link** ``W_c = max_{n in E} s_c(n)``: the share of ``P`` lost when the rest of the world's
  supply at every stage can be re-routed to whoever needs it (fixed proportions: output is bounded by the
  scarcest input, ``min_n (1 - s_c(n))``). It is a lower bound of the loss; its ``n`` is the weakest stage.
* **any-stage dependence** ``D_c = 1 - prod_{n in E} (1 - s_c(n))``: the share of ``P`` whose chain passes
  through ``c`` at some stage when each stage's buyers source in proportion to world shares,
  independently of each other. A node reached by two paths (a diamond) counts once: it is one market.

``0 <= W_c <= D_c <= 1``. Both use world production shares unless a map states otherwise; they say nothing
about a particular importer's sourcing, which trade data would give.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from setu.domain.supply_map import SupplyMap
from setu.maps.graph import essential, tiers


@dataclass(frozen=True)
class CountryExposure:
    country: str
    weakest_link: float  # W_c
    weakest_node: str
    any_stage: float  # D_c
    nodes_supplied: int  # essential nodes where the country has a share


@dataclass(frozen=True)
class ProductExposure:
    product: str
    countries: tuple[CountryExposure, ...]  # by any-stage dependence, then weakest link, then ISO3
    nodes_with_shares: tuple[str, ...]
    nodes_without_shares: tuple[str, ...]  # essential nodes the exposure could not see


def product_exposure(supply_map: SupplyMap, graph: nx.DiGraph, product: str) -> ProductExposure:
    """Exposure of ``product`` to every country that supplies one of its essential upstream nodes."""
    needed = essential(graph, product)
    depth = tiers(graph, product)
    with_shares, without = [], []
    weakest: dict[str, tuple[float, str]] = {}
    survival: dict[str, float] = {}
    count: dict[str, int] = {}
    for node_id in sorted(needed, key=lambda n: (depth[n], n)):
        supply = supply_map.node(node_id).supply
        if supply is None or not supply.shares:
            without.append(node_id)
            continue
        with_shares.append(node_id)
        for share in supply.shares:
            c = share.country
            if c not in weakest or share.share > weakest[c][0]:
                weakest[c] = (share.share, node_id)
            survival[c] = survival.get(c, 1.0) * (1.0 - share.share)
            count[c] = count.get(c, 0) + 1
    exposures = [
        CountryExposure(country=c, weakest_link=weakest[c][0], weakest_node=weakest[c][1],
                        any_stage=1.0 - survival[c], nodes_supplied=count[c])
        for c in weakest
    ]
    exposures.sort(key=lambda e: (-e.any_stage, -e.weakest_link, e.country))
    return ProductExposure(product, tuple(exposures), tuple(with_shares), tuple(without))


@dataclass(frozen=True)
class StageDependence:
    """One node seen from one country: its own share of world supply and who else supplies it."""

    node: str
    stage: str
    own_share: float
    outside_share: float  # 1 - own share: supply produced elsewhere (world-production basis)
    top_other_country: str | None
    top_other_share: float
    basis: str = "world production shares (no trade data loaded)"


def country_dependence(supply_map: SupplyMap, country: str) -> list[StageDependence]:
    """For every node with country shares: how much of world supply lies outside ``country``.

    Sorted by outside share (largest first), then by the largest other supplier's share, then node id.
    """
    rows = []
    for node in supply_map.nodes:
        supply = node.supply
        if supply is None or not supply.shares:
            continue
        own = sum(s.share for s in supply.shares if s.country == country)
        others = [s for s in supply.shares if s.country != country]
        top = min(others, key=lambda s: (-s.share, s.country)) if others else None
        rows.append(StageDependence(node=node.id, stage=node.stage, own_share=own, outside_share=1.0 - own,
                                    top_other_country=top.country if top else None,
                                    top_other_share=top.share if top else 0.0))
    rows.sort(key=lambda r: (-r.outside_share, -r.top_other_share, r.node))
    return rows
