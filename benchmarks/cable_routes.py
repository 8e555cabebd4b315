"""Independent routes between countries on the real cable network: Setu's computation against the plain
networkx a competent user would write, in the same run, on the same data (needs the submarine-cables
data pack: `setu data add submarine-cables`).

Setu (``setu.cables.routes``) splits every cable into one unit of capacity (and, for station-disjoint
routes, every landing station), links a country's stations over land, and runs networkx's Edmonds–Karp
maximum flow; for routes of at most two cables it first keeps only the cables landing in either country.
The peers:

* **cable-disjoint, any length** — the same flow graph solved with networkx's default maximum flow
  (preflow-push), as a user calling ``nx.maximum_flow_value`` would;
* **station-disjoint, any length** — ``nx.node_connectivity`` between a super source and sink on the
  station–cable graph with each country's stations joined to one another (the land links), the direct
  way to count paths that share no station and no cable;
* **cable-disjoint, at most two cables** — networkx has no length-bounded disjoint paths, so there is no
  plain peer; it is timed against Setu's own any-length count (tests/cables check it against a brute-force
  packing of the enumerated routes).

Every pair's counts must agree with the peer where the quantity is the same. Prints the timings and
writes ``benchmarks/results/cable_routes.json``.

    python benchmarks/cable_routes.py [--countries JPN IND SGP USA CHN GBR]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from itertools import combinations
from pathlib import Path

import networkx as nx

from setu.cables import route_count
from setu.cables.routes import SINK, SOURCE, flow_network
from setu.services.cables import CableService
from setu.settings import Settings

RESULTS = Path(__file__).parent / "results" / "cable_routes.json"


def peer_station_disjoint(network, a: str, b: str) -> int:
    """node_connectivity on stations + cables, stations of one country pairwise joined (land)."""
    graph = nx.Graph()
    for cable in network.cables.values():
        for s in cable.stations:
            graph.add_edge(("cable", cable.id), s)
    by_country: dict[str, list[str]] = {}
    for s in list(graph.nodes):
        if isinstance(s, str):
            by_country.setdefault(network.stations[s].country, []).append(s)
    for stations in by_country.values():
        graph.add_edges_from(combinations(stations, 2))
    for s in by_country.get(a, []):
        graph.add_edge("S", s)
    for s in by_country.get(b, []):
        graph.add_edge(s, "T")
    return nx.node_connectivity(graph, "S", "T")


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", nargs="+", default=["JPN", "IND", "SGP", "USA", "CHN", "GBR"])
    args = parser.parse_args()
    network = CableService(Settings.from_env()).network
    rows, totals = [], {"setu_cable": 0.0, "peer_cable": 0.0, "setu_station": 0.0, "peer_station": 0.0,
                        "setu_two_cables": 0.0}
    for a, b in combinations(args.countries, 2):
        setu_cable, t1 = timed(route_count, network, a, b)
        graph = flow_network(network, a, b)
        peer_cable, t2 = timed(nx.maximum_flow_value, graph, SOURCE, SINK)
        setu_station, t3 = timed(route_count, network, a, b, station_disjoint=True)
        peer_station, t4 = timed(peer_station_disjoint, network, a, b)
        two, t5 = timed(route_count, network, a, b, max_cables=2)
        assert setu_cable == peer_cable, (a, b, setu_cable, peer_cable)
        assert setu_station == peer_station, (a, b, setu_station, peer_station)
        rows.append({"pair": f"{a}-{b}", "cable_disjoint": setu_cable, "station_disjoint": setu_station,
                     "cable_disjoint_two_cables": two, "seconds": {"setu_cable": t1, "peer_cable": t2,
                                                                  "setu_station": t3, "peer_station": t4,
                                                                  "setu_two_cables": t5}})
        for key, value in zip(totals, (t1, t2, t3, t4, t5), strict=True):
            totals[key] += value
        print(f"{a}-{b}: cable-disjoint {setu_cable} ({t1:.2f}s; preflow-push {t2:.2f}s), station-disjoint "
              f"{setu_station} ({t3:.2f}s; node_connectivity {t4:.2f}s), at most two cables {two} ({t5:.2f}s)")
    result = {
        "benchmark": "cable_routes",
        "network": {"cables": len(network.cables), "stations": len(network.stations), "source": network.source},
        "pairs": rows,
        "totals_seconds": totals,
        "ratios": {"cable_disjoint_peer_over_setu": totals["peer_cable"] / totals["setu_cable"],
                   "station_disjoint_peer_over_setu": totals["peer_station"] / totals["setu_station"],
                   "any_length_over_two_cables": totals["setu_cable"] / totals["setu_two_cables"]},
        "agreement": "every pair: cable-disjoint equal to preflow-push, station-disjoint equal to node_connectivity",
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine()},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["totals_seconds"], indent=2), json.dumps(result["ratios"], indent=2))


if __name__ == "__main__":
    main()
