"""Maximum flow on small integer-capacity graphs (PURE: no I/O), for the route counts of
:mod:`setu.cables.routes`.

Dinic's algorithm (Dinic 1970; Even & Tarjan, "Network flow and testing graph connectivity", SIAM J.
Comput. 4(4), 1975, which shows it needs O(sqrt(V)) phases on unit-capacity networks such as these): each
phase finds the shortest augmenting paths by breadth-first search and saturates them by depth-first search
along the levels. Nodes are small integers and edges live in flat lists, so one count on the whole cable
network (about 3,000 nodes) takes milliseconds where building a networkx graph for it takes tenths of a
second; the answers are the same maximum-flow values (tests/cables check them against networkx and against
brute-force minimum cuts).
"""

from __future__ import annotations

from collections.abc import Hashable

#: Capacity standing for "unbounded": larger than any flow these graphs can carry (every path crosses a
#: unit-capacity cable edge, and there are far fewer cables than this).
INFINITE = 1 << 40


class FlowGraph:
    """A directed graph with integer capacities; nodes are any hashable keys, numbered as they are added."""

    __slots__ = ("cap", "head", "index", "keys", "original", "to")

    def __init__(self) -> None:
        self.keys: list[Hashable] = []
        self.index: dict[Hashable, int] = {}
        self.head: list[list[int]] = []  # edge ids leaving each node
        self.to: list[int] = []  # edge id -> head node; edge e ^ 1 is its residual twin
        self.cap: list[int] = []  # residual capacity
        self.original: list[int] = []

    def node(self, key: Hashable) -> int:
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.head.append([])
        return found

    def __contains__(self, key: Hashable) -> bool:
        return key in self.index

    def add_edge(self, u: Hashable, v: Hashable, capacity: int = INFINITE) -> None:
        self.add_indexed(self.node(u), self.node(v), capacity)

    def add_indexed(self, u: int, v: int, capacity: int = INFINITE) -> None:
        edge = len(self.to)
        self.to += (v, u)
        self.cap += (capacity, 0)
        self.original += (capacity, 0)
        self.head[u].append(edge)
        self.head[v].append(edge + 1)

    def max_flow(self, source: Hashable, sink: Hashable) -> int:
        """The maximum ``source -> sink`` flow value; the flow itself stays in the residual capacities
        (read it with :meth:`flow`). Zero when either node is absent or they are the same node."""
        if source not in self.index or sink not in self.index:
            return 0
        s, t = self.index[source], self.index[sink]
        if s == t:
            return 0
        head, to, cap = self.head, self.to, self.cap
        total = 0
        while True:
            level = [-1] * len(head)
            level[s] = 0
            queue = [s]
            for u in queue:  # breadth first: the level graph
                next_level = level[u] + 1
                for edge in head[u]:
                    v = to[edge]
                    if cap[edge] and level[v] < 0:
                        level[v] = next_level
                        queue.append(v)
            if level[t] < 0:
                return total
            cursor = [0] * len(head)
            path: list[int] = []
            u = s
            while True:  # depth first along the levels, saturating one path at a time
                if u == t:
                    pushed = min(cap[edge] for edge in path)
                    for edge in path:
                        cap[edge] -= pushed
                        cap[edge ^ 1] += pushed
                    total += pushed
                    path.clear()
                    u = s
                    continue
                edges = head[u]
                position = cursor[u]
                wanted = level[u] + 1
                while position < len(edges):
                    edge = edges[position]
                    if cap[edge] and level[to[edge]] == wanted:
                        break
                    position += 1
                cursor[u] = position
                if position < len(edges):
                    path.append(edges[position])
                    u = to[edges[position]]
                elif u == s:
                    break
                else:  # a dead end: step back and skip the edge that led here
                    edge = path.pop()
                    u = to[edge ^ 1]
                    cursor[u] += 1

    def flow(self) -> dict[Hashable, dict[Hashable, int]]:
        """Positive flow on the edges as added, by node key: ``{u: {v: units}}``."""
        result: dict[Hashable, dict[Hashable, int]] = {}
        keys, to = self.keys, self.to
        for edge in range(0, len(to), 2):
            units = self.original[edge] - self.cap[edge]
            if units > 0:
                u, v = keys[to[edge + 1]], keys[to[edge]]
                result.setdefault(u, {})[v] = result.get(u, {}).get(v, 0) + units
        return result
