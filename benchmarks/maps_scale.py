"""Scale benchmark: one end product's analysis on a synthetic map of 100,000 nodes and ~1,000,000 edges.

Analysis = tiers (fewest edges to the product), essential inputs, total requirements through every path,
country exposure (weakest link W_c and any-stage dependence D_c with their tie-breaks) and node HHI.
Setu's array engine (``setu.maps.arrays``) is timed against the same analysis written with networkx the
way a competent user would (graph views, ``single_source_shortest_path_length``, ``topological_sort``,
dict loops), in the same run, on the same data; both results are checked to agree.

    python benchmarks/maps_scale.py [--nodes 100000] [--edges 1000000] [--tiers 20] [--seed 7]

Prints the timings and the ratio and writes ``benchmarks/results/maps_scale.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from pathlib import Path

import networkx as nx
import numpy as np

from setu.maps import arrays

RESULTS = Path(__file__).parent / "results" / "maps_scale.json"


def synthetic_map(nodes: int, edges: int, tiers: int, countries: int, seed: int) -> dict[str, np.ndarray]:
    """A layered DAG like a supply chain: tier k draws most inputs from tier k-1, some from earlier tiers;
    the last node is the end product, fed by every node of the last tier."""
    rng = np.random.default_rng(seed)
    per_tier = (nodes - 1) // tiers
    tier_of = np.minimum(np.arange(nodes - 1) // per_tier, tiers - 1)
    product = nodes - 1
    last = np.flatnonzero(tier_of == tiers - 1)
    inner = np.flatnonzero(tier_of > 0)
    count = edges - len(last)
    target = rng.choice(inner, size=count)
    previous = rng.random(count) < 0.8
    target_tier = tier_of[target]
    source_tier = np.where(previous, target_tier - 1, (rng.random(count) * target_tier).astype(np.int64))
    source = source_tier * per_tier + rng.integers(0, per_tier, size=count)
    source = np.concatenate((source, last))
    target = np.concatenate((target, np.full(len(last), product)))
    pairs = np.unique(np.stack((source, target), axis=1), axis=0)  # a map has no duplicate edges
    source, target = pairs[:, 0], pairs[:, 1]
    quantity = rng.uniform(0.01, 0.1, size=len(source))
    substitutable = rng.random(len(source)) < 0.1
    share_node, share_country, share_value = [], [], []
    suppliers = rng.integers(1, 6, size=nodes)
    for node in range(nodes):
        chosen = rng.choice(countries, size=suppliers[node], replace=False)
        weights = rng.dirichlet(np.ones(suppliers[node])) * rng.uniform(0.5, 1.0)
        share_node.extend([node] * suppliers[node])
        share_country.extend(chosen.tolist())
        share_value.extend(np.round(weights, 4).tolist())
    return {
        "node_ids": np.array([f"n{i:06d}" for i in range(nodes)], dtype=object),
        "source": source,
        "target": target,
        "quantity": quantity,
        "substitutable": substitutable,
        "countries": np.array([f"C{i:03d}" for i in range(countries)], dtype=object),
        "share_node": np.array(share_node),
        "share_country": np.array(share_country),
        "share_value": np.array(share_value),
        "product": product,
    }


def with_arrays(data: dict) -> dict:
    flat = arrays.MapArrays.build(
        data["node_ids"],
        data["source"],
        data["target"],
        data["quantity"],
        data["substitutable"],
        data["countries"],
        data["share_node"],
        data["share_country"],
        data["share_value"],
    )
    product = data["product"]
    depth = arrays.distances(flat, product)
    essential = arrays.distances(flat, product, essential_only=True) >= 0
    requirement = arrays.total_requirements(flat, product)
    exposure = arrays.product_exposure(flat, product)
    hhi = arrays.node_hhi(flat)
    return {
        "tiers": int(depth.max()),
        "essential": int(essential.sum()),
        "requirement": requirement,
        "countries": list(exposure.countries),
        "weakest": exposure.weakest_link,
        "any": exposure.any_stage,
        "weakest_node": list(exposure.weakest_node),
        "hhi": hhi,
    }


def with_networkx(data: dict, shares: dict[int, list[tuple[str, float]]]) -> dict:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(data["node_ids"])))
    graph.add_edges_from(
        (int(s), int(t), {"quantity": float(q), "substitutable": bool(b)})
        for s, t, q, b in zip(data["source"], data["target"], data["quantity"], data["substitutable"], strict=True)
    )
    product = data["product"]
    reverse = graph.reverse(copy=False)
    depth = nx.single_source_shortest_path_length(reverse, product)
    firm = nx.subgraph_view(reverse, filter_edge=lambda u, v: not reverse[u][v]["substitutable"])
    essential = nx.descendants(firm, product) | {product}
    upstream = graph.subgraph(depth)
    requirement = dict.fromkeys(range(len(data["node_ids"])), 0.0)
    requirement[product] = 1.0
    for node in reversed(list(nx.topological_sort(upstream))):
        if node != product:
            requirement[node] = sum(d["quantity"] * requirement[c] for _, c, d in upstream.out_edges(node, data=True))
    names = data["node_ids"]
    weakest: dict[str, tuple[float, int]] = {}
    survival: dict[str, float] = {}
    for node in sorted(essential, key=lambda n: (depth[n], names[n])):
        for country, share in shares.get(node, ()):
            if country not in weakest or share > weakest[country][0]:
                weakest[country] = (share, node)
            survival[country] = survival.get(country, 1.0) * (1.0 - share)
    ranked = sorted(weakest, key=lambda c: (-(1 - survival[c]), -weakest[c][0], c))
    hhi = np.zeros(len(names))
    for node, rows in shares.items():
        hhi[node] = sum((100 * s) ** 2 for _, s in rows)
    return {
        "tiers": max(depth.values()),
        "essential": len(essential),
        "requirement": np.array([requirement[i] for i in range(len(names))]),
        "countries": ranked,
        "weakest": np.array([weakest[c][0] for c in ranked]),
        "any": np.array([1 - survival[c] for c in ranked]),
        "weakest_node": [names[weakest[c][1]] for c in ranked],
        "hhi": hhi,
    }


def agree(ours: dict, peer: dict) -> None:
    assert ours["tiers"] == peer["tiers"] and ours["essential"] == peer["essential"]
    assert ours["countries"] == peer["countries"] and ours["weakest_node"] == peer["weakest_node"]
    for key in ("requirement", "weakest", "any", "hhi"):
        assert np.allclose(ours[key], peer[key], rtol=1e-9, atol=1e-12), key


def timed(function, *args) -> tuple[dict, float]:
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--tiers", type=int, default=20)
    parser.add_argument("--countries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    data = synthetic_map(options.nodes, options.edges, options.tiers, options.countries, options.seed)
    names = data["countries"]
    shares: dict[int, list[tuple[str, float]]] = {}
    for node, country, value in zip(data["share_node"], data["share_country"], data["share_value"], strict=True):
        shares.setdefault(int(node), []).append((names[country], float(value)))
    ours_times, peer_times = [], []
    for _ in range(options.repeat):
        ours, seconds = timed(with_arrays, data)
        ours_times.append(seconds)
        peer, seconds = timed(with_networkx, data, shares)
        peer_times.append(seconds)
    agree(ours, peer)
    result = {
        "benchmark": "maps_scale",
        "nodes": options.nodes,
        "edges": len(data["source"]),
        "tiers": ours["tiers"],
        "essential_nodes": ours["essential"],
        "countries_exposed": len(ours["countries"]),
        "setu_arrays_seconds": min(ours_times),
        "networkx_seconds": min(peer_times),
        "ratio_networkx_over_setu": min(peer_times) / min(ours_times),
        "repeat": options.repeat,
        "numpy": np.__version__,
        "networkx": nx.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processors": __import__("os").cpu_count(),
        "check": "results agree (tiers, essential set, requirements, W_c, D_c, weakest nodes, HHI)",
    }
    print(
        f"map: {result['nodes']:,} nodes, {result['edges']:,} edges, {result['tiers']} tiers; "
        f"{result['essential_nodes']:,} essential nodes; {result['countries_exposed']} countries"
    )
    print(
        f"setu arrays: {result['setu_arrays_seconds']:.2f} s   networkx: {result['networkx_seconds']:.2f} s   "
        f"ratio: {result['ratio_networkx_over_setu']:.1f}x (best of {options.repeat})"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    assert math.isfinite(result["ratio_networkx_over_setu"])


if __name__ == "__main__":
    main()
