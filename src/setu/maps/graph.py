"""The map as a graph: upstream closure of a product, tiers, essential inputs and total requirements.

Semantics (docs/maps.md): an edge ``i -> j`` means one unit of ``j`` consumes ``a_ij`` units of ``i``
(fixed proportions). All inputs of a node are needed unless the edge says ``substitutes: yes``; an edge
marked ``no`` or ``unknown`` is treated as having no substitute (the conservative reading).
"""

from __future__ import annotations

import difflib
from collections import deque
from typing import TYPE_CHECKING

from setu.domain.supply_map import Substitutes, SupplyMap
from setu.errors import UnknownNameError

if TYPE_CHECKING:  # networkx loads with the first function that walks the graph
    import networkx as nx


def to_graph(supply_map: SupplyMap) -> nx.DiGraph:
    """A networkx DiGraph with node ids; edges carry ``quantity`` (or None) and ``substitutable``."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(node.id for node in supply_map.nodes)
    for edge in supply_map.edges:
        graph.add_edge(
            edge.input,
            edge.output,
            quantity=edge.quantity.value if edge.quantity else None,
            substitutable=edge.substitutes is Substitutes.YES,
        )
    return graph


def require_node(supply_map: SupplyMap, node_id: str) -> None:
    if not supply_map.has_node(node_id):
        ids = [node.id for node in supply_map.nodes]
        raise UnknownNameError("node", node_id, difflib.get_close_matches(node_id, ids, n=3))


def upstream(graph: nx.DiGraph, product: str) -> set[str]:
    """The product and every node with a path to it."""
    import networkx as nx

    return nx.ancestors(graph, product) | {product}


def tiers(graph: nx.DiGraph, product: str) -> dict[str, int]:
    """Fewest edges from each upstream node to the product (the product is tier 0, direct inputs tier 1)."""
    import networkx as nx

    return dict(nx.single_source_shortest_path_length(graph.reverse(copy=False), product))


def essential(graph: nx.DiGraph, product: str) -> set[str]:
    """Nodes whose loss stops the product: those with a path to it on which no edge has a substitute.

    Breadth-first search backwards from the product along non-substitutable edges.
    """
    found = {product}
    queue = deque([product])
    while queue:
        node = queue.popleft()
        for parent in graph.predecessors(node):
            if parent not in found and not graph.edges[parent, node]["substitutable"]:
                found.add(parent)
                queue.append(parent)
    return found


def total_requirements(graph: nx.DiGraph, product: str) -> dict[str, float | None]:
    """Units of each upstream node consumed per unit of the product, through every path.

    ``r(product) = 1`` and ``r(i) = sum_j a_ij r(j)`` over the edges ``i -> j`` inside the product's
    upstream closure: the product's column of the Leontief inverse ``(I - A)^-1`` (Leontief 1936;
    Miller & Blair 2009, ch. 2), computed by one pass in reverse topological order since the map is a DAG.
    A node is None when an edge on one of its paths has no quantity (its requirement is unknown).
    """
    import networkx as nx

    closure = upstream(graph, product)
    sub = graph.subgraph(closure)
    requirement: dict[str, float | None] = {}
    for node in reversed(list(nx.topological_sort(sub))):
        if node == product:
            requirement[node] = 1.0
            continue
        total: float | None = 0.0
        for child in sub.successors(node):
            quantity = sub.edges[node, child]["quantity"]
            child_requirement = requirement[child]
            if quantity is None or child_requirement is None:
                total = None
                break
            total += quantity * child_requirement
        requirement[node] = total
    return requirement


def structural_cuts(graph: nx.DiGraph, product: str) -> list[str]:
    """Nodes that lie on every path from the product's raw sources to it (dominators), nearest first.

    Removing one of them disconnects the product from all its raw materials whatever the substitutes
    between parallel inputs. Computed as the dominators of the product in the upstream subgraph with a
    virtual root joined to every source (Cooper, Harvey & Kennedy 2001, via networkx).
    """
    import networkx as nx

    closure = upstream(graph, product)
    sub = nx.DiGraph(graph.subgraph(closure))
    sources = [node for node in sub if sub.in_degree(node) == 0 and node != product]
    if not sources:
        return []
    root = ("__root__",)
    sub.add_edges_from((root, source) for source in sources)
    dominators = nx.immediate_dominators(sub, root)
    chain = []
    node = dominators[product]
    while node != root:
        chain.append(node)
        node = dominators[node]
    return chain
