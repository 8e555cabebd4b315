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
from typing import TYPE_CHECKING

from setu.domain.supply_map import SupplyMap
from setu.maps.graph import essential, tiers, total_requirements

if TYPE_CHECKING:  # networkx loads with the first function that walks the graph
    import networkx as nx


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
        CountryExposure(
            country=c,
            weakest_link=weakest[c][0],
            weakest_node=weakest[c][1],
            any_stage=1.0 - survival[c],
            nodes_supplied=count[c],
        )
        for c in weakest
    ]
    exposures.sort(key=lambda e: (-e.any_stage, -e.weakest_link, e.country))
    return ProductExposure(product, tuple(exposures), tuple(with_shares), tuple(without))


@dataclass(frozen=True)
class StageDependence:
    """One node seen from one country: its own share of world supply and who else supplies it."""

    node: str
    stage: str
    own_share: float | None  # country's share of world supply; None on an import basis
    outside_share: float  # world basis: 1 - own share; import basis: share of imports from named partners
    top_other_country: str | None
    top_other_share: float
    basis: str
    source: str


WORLD_BASIS = "world supply shares, not the country's own sourcing (no trade data loaded)"
IMPORT_BASIS = "the country's published import shares"


def country_dependence(supply_map: SupplyMap, country: str) -> list[StageDependence]:
    """For every node with figures: how much ``country`` depends on others for it.

    Where the map carries the country's own import sourcing for a node (``imports:``), that is used and
    labelled as such; otherwise the basis is world production: the share of world supply produced outside
    the country (which says nothing about what the country actually buys, only what it could buy).
    Sorted by outside share (largest first), then by the largest other supplier's share, then node id.
    """
    rows = []
    for node in supply_map.nodes:
        sourcing = next((entry.supply for entry in node.imports if entry.importer == country), None)
        if sourcing is not None:
            partners = [s for s in sourcing.shares if s.country != country]
            top = min(partners, key=lambda s: (-s.share, s.country)) if partners else None
            rows.append(
                StageDependence(
                    node.id,
                    node.stage,
                    None,
                    sum(s.share for s in partners),
                    top.country if top else None,
                    top.share if top else 0.0,
                    f"{IMPORT_BASIS} ({sourcing.measure}, {sourcing.year})",
                    sourcing.citation.source,
                )
            )
            continue
        supply = node.supply
        if supply is None or not supply.shares:
            continue
        own = sum((s.share for s in supply.shares if s.country == country), 0.0)
        others = [s for s in supply.shares if s.country != country]
        top = min(others, key=lambda s: (-s.share, s.country)) if others else None
        rows.append(
            StageDependence(
                node.id,
                node.stage,
                own,
                1.0 - own,
                top.country if top else None,
                top.share if top else 0.0,
                f"{WORLD_BASIS} ({supply.measure}, {supply.year})",
                supply.citation.source,
            )
        )
    rows.sort(key=lambda r: (-r.outside_share, -r.top_other_share, r.node))
    return rows


@dataclass(frozen=True)
class CountryRequirement:
    """Units of one upstream node that a unit of the product needs, and how many of them come from a country."""

    node: str
    unit: str
    tier: int
    requirement: float | None  # r(n) per unit of product; None where a path lacks a quantity
    share: float  # s_c(n)
    from_country: float | None  # r(n) * s_c(n)


def country_requirements(
    supply_map: SupplyMap, graph: nx.DiGraph, product: str, country: str
) -> list[CountryRequirement]:
    """The country's supply propagated by the input coefficients: ``r(n) * s_c(n)`` for every upstream node
    where the country has a share, in the node's own unit (e.g. kg of gallium per chip that are mined there).

    ``r`` is the total requirement (``graph.total_requirements``); units differ between nodes, so the rows
    are not summed. Sorted by tier, then node id.
    """
    requirement = total_requirements(graph, product)
    depth = tiers(graph, product)
    rows = []
    for node_id in sorted(requirement, key=lambda n: (depth[n], n)):
        node = supply_map.node(node_id)
        share = sum((s.share for s in node.supply.shares if s.country == country), 0.0) if node.supply else 0.0
        if share == 0.0:
            continue
        amount = requirement[node_id]
        rows.append(
            CountryRequirement(
                node_id, node.unit, depth[node_id], amount, share, None if amount is None else amount * share
            )
        )
    return rows
