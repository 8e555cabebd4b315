"""Economic-security context of a screened transaction, from Setu's own supply maps.

For each supply-map node the target's activities touch, the context gives the node's supplier concentration
(HHI on the 0-10,000 scale, top supplier and share; ``setu.maps.concentration``), the acquirer's and the
beneficial owners' countries' shares of world supply, whether the node is essential to an end product of
its map and whether it is a chokepoint there (a single point of failure: top supplier at or above the
threshold, default 80 %; or a structural cut: a dominator of the product, Cooper, Harvey & Kennedy 2001),
and the critical-list entries that name it. Pure: it takes loaded maps and a library and returns values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from setu.domain.supply_map import SupplyMap
from setu.maps import concentration, essential, single_points_of_failure, structural_cuts, to_graph
from setu.policy.library import PolicyLibrary

SPOF_THRESHOLD = 0.8


@dataclass(frozen=True)
class NodeContext:
    node: str  # map:node
    name: str
    hhi: float | None
    top_country: str | None
    top_share: float | None
    acquirer_share: float | None  # the acquirer country's share of world supply (None = no figures)
    owner_shares: tuple[tuple[str, float], ...]  # beneficial owners' countries and their shares of supply
    essential_for: tuple[str, ...]  # end products of the map the node is essential to
    chokepoint: bool  # single point of failure or structural cut for one of those products
    listed_in: tuple[str, ...]  # "list-id:entry-id" of critical-list entries naming the node
    supply_source: str | None  # "measure, year: source"


def entries_by_node(library: PolicyLibrary) -> dict[str, list[str]]:
    """``map:node`` -> the critical-list entries that link it."""
    index: dict[str, list[str]] = {}
    for critical in library.lists:
        for entry in critical.entries:
            for node in entry.nodes:
                index.setdefault(node, []).append(f"{critical.id}:{entry.id}")
    return index


def node_contexts(maps: Mapping[str, SupplyMap], nodes: Iterable[str], acquirer: str, owners: Iterable[str],
                  library: PolicyLibrary, threshold: float = SPOF_THRESHOLD) -> list[NodeContext]:
    """Context of each ``map:node`` in ``nodes`` whose map is in ``maps``, most concentrated first."""
    by_node = entries_by_node(library)
    owner_countries = sorted(set(owners) - {acquirer})
    wanted: dict[str, list[str]] = {}
    for ref in nodes:
        map_id, node_id = ref.split(":", 1)
        if map_id in maps and maps[map_id].has_node(node_id):
            wanted.setdefault(map_id, []).append(node_id)
    rows = []
    for map_id, node_ids in sorted(wanted.items()):
        supply_map = maps[map_id]
        graph = to_graph(supply_map)
        essential_for: dict[str, list[str]] = {}
        chokepoints: set[str] = set()
        for product in supply_map.end_products:
            for node_id in essential(graph, product.id) | {product.id}:
                essential_for.setdefault(node_id, []).append(product.id)
            chokepoints.update(structural_cuts(graph, product.id))
            chokepoints.update(p.node for p in single_points_of_failure(supply_map, graph, product.id, threshold))
        for node_id in sorted(set(node_ids)):
            node = supply_map.node(node_id)
            supply = node.supply
            shares = {s.country: s.share for s in supply.shares} if supply is not None else {}
            conc = concentration(supply.shares) if supply is not None else None
            rows.append(NodeContext(
                node=f"{map_id}:{node_id}", name=node.name,
                hhi=conc.hhi if conc else None,
                top_country=conc.top1_country if conc else None,
                top_share=conc.top1_share if conc else None,
                acquirer_share=shares.get(acquirer, 0.0) if shares else None,
                owner_shares=tuple((c, shares.get(c, 0.0)) for c in owner_countries) if shares else (),
                essential_for=tuple(sorted(essential_for.get(node_id, []))),
                chokepoint=node_id in chokepoints,
                listed_in=tuple(sorted(by_node.get(f"{map_id}:{node_id}", []))),
                supply_source=(f"{supply.measure}, {supply.year}: {supply.citation.source}" if supply and shares
                               else None)))
    rows.sort(key=lambda r: (-(r.hhi or -1), r.node))
    return rows
