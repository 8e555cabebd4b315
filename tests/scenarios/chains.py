"""Builders for small maps and scenarios used by the scenario and LP tests (Python API, no files)."""

from __future__ import annotations

import itertools
from pathlib import Path

from setu.domain.supply_map import Citation, Edge, Node, NodeKind, Sector, Share, Substitutes, Supply, SupplyMap
from setu.scenarios import Baseline, Responses, Scenario, Shock, SpareCapacity, Stockpile
from setu.sources.supply_map import load_map

HERE = Path(__file__).parent
CITE = Citation("test figure", 2026, confirmed=False)


def two_tier_map() -> SupplyMap:
    return load_map(HERE / "two_tier_map.yaml")


def node(node_id: str, kind: NodeKind, shares: dict[str, float] | None = None) -> Node:
    supply = None
    if shares:
        supply = Supply(2023, CITE, "production", tuple(Share(c, s) for c, s in shares.items()))
    return Node(node_id, node_id, kind, Sector.CRITICAL_MINERALS, "t", kind.value, supply=supply)


def chain_map(length: int, substitutable: tuple[bool, ...] = (), side_branch: bool = True) -> SupplyMap:
    """raw (CHN 0.6, AUS 0.4) -> n1 -> ... -> product, plus an untouched branch sand (IND) -> gadget."""
    ids = ["raw", *[f"n{i}" for i in range(1, length - 1)], "product"]
    kinds = [NodeKind.RAW, *[NodeKind.INTERMEDIATE] * (length - 2), NodeKind.END_PRODUCT]
    nodes = [node(i, k, {"CHN": 0.6, "AUS": 0.4} if i == "raw" else None) for i, k in zip(ids, kinds, strict=True)]
    edges = [Edge(a, b, Substitutes.YES if (substitutable[n] if n < len(substitutable) else False) else Substitutes.NO)
             for n, (a, b) in enumerate(itertools.pairwise(ids))]
    if side_branch:
        nodes += [node("sand", NodeKind.RAW, {"IND": 1.0}), node("gadget", NodeKind.END_PRODUCT)]
        edges.append(Edge("sand", "gadget", Substitutes.NO))
    return SupplyMap("chain", "chain", Sector.CRITICAL_MINERALS, "1", tuple(nodes), tuple(edges))


def chain_scenario(cut: float, baselines: dict[str, float], stocks: dict[str, float] | None = None,
                   spare: float = 0.0, months: int = 6, duration: int = 3, start: int = 1,
                   partners: tuple[str, ...] = ("AUS", "JPN", "IND", "KOR"), share_stockpiles: bool = True,
                   **responses) -> Scenario:
    """Importers with baselines of ``raw`` (units/month); stocks in days; AUS spare capacity at ``raw``."""
    return Scenario(
        id="chain", name="chain", map_id="chain", months=months, importers=tuple(baselines),
        baselines=tuple(Baseline(c, "raw", u, CITE) for c, u in baselines.items()),
        shocks=(Shock(("CHN",), ("raw",), cut, start, duration, CITE),),
        responses=Responses(
            stockpiles=tuple(Stockpile(c, "raw", d, CITE) for c, d in (stocks or {}).items()),
            partners=partners,
            spare_capacity=(SpareCapacity("AUS", "raw", spare, CITE),) if spare > 0 else (),
            share_stockpiles=share_stockpiles, **responses),
    )
