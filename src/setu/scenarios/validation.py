"""Checks of a scenario against its map: every node, country and edge it names must make sense there.

Shared by the file reader (which turns each complaint into an error at the entry's line) and by the
Python API (which raises ``UnknownNameError`` or ``ValidationError`` naming the entry).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from setu.domain.supply_map import Substitutes, SupplyMap
from setu.errors import InputError, UnknownNameError, ValidationError
from setu.scenarios.allocation import STRATEGIES
from setu.scenarios.spec import Scenario

Locate = Callable[[str, Any, str | None], InputError]


def origin_shares(scenario: Scenario, supply_map: SupplyMap, node: str, importer: str | None) -> dict[str, float]:
    """Where ``importer`` buys ``node``, by origin country (fractions of its supply).

    In order of precedence: the scenario's ``sourcing`` entry for this importer, then its entry for all
    importers, then the map's import sourcing of the importer (``imports:``), then the map's world supply
    shares — the proportional-sourcing assumption: an importer buys from each producer in proportion to
    that producer's share of world supply. Empty when nothing is known.
    """
    for entry in scenario.sourcing:
        if entry.node == node and entry.importer == importer and importer is not None:
            return dict(entry.shares)
    for entry in scenario.sourcing:
        if entry.node == node and entry.importer is None:
            return dict(entry.shares)
    map_node = supply_map.node(node)
    for sourcing in map_node.imports:
        if sourcing.importer == importer:
            return {s.country: s.share for s in sourcing.supply.shares}
    if map_node.supply is not None:
        return {s.country: s.share for s in map_node.supply.shares}
    return {}


def check_scenario(scenario: Scenario, supply_map: SupplyMap, locate: Locate | None = None) -> None:
    """Raise the first problem found (located by ``locate`` when reading a file)."""
    fail = locate or _plain
    nodes = [node.id for node in supply_map.nodes]
    ends = {node.id for node in supply_map.end_products}
    importers = set(scenario.importers)

    def node(entry: Any, node_id: str, field: str) -> None:
        if not supply_map.has_node(node_id):
            close = difflib.get_close_matches(node_id, nodes, n=3)
            if locate is None:
                raise UnknownNameError("node", node_id, close)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise fail(f"node {node_id!r} is not in map {supply_map.id!r}{hint}", entry, field)

    def importer(entry: Any, country: str, field: str) -> None:
        if country not in importers:
            close = difflib.get_close_matches(country, sorted(importers), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise fail(f"{country} has no `baseline:` entry, so its chain is not modelled; add its baseline use"
                       f" (importers: {', '.join(sorted(importers))}){hint}", entry, field)

    if scenario.allocation not in STRATEGIES:
        raise fail(f"allocation {scenario.allocation!r} is unknown; use one of: {', '.join(sorted(STRATEGIES))}",
                   scenario, "allocation")
    for baseline in scenario.baselines:
        node(baseline, baseline.node, "node")
    for entry in scenario.sourcing:
        node(entry, entry.node, "node")
    for shock in scenario.shocks:
        if shock.start_month > scenario.months:
            raise fail(f"start_month {shock.start_month} is after the horizon of {scenario.months} months",
                       shock, "start_month")
        for country in shock.importers or ():
            importer(shock, country, "importers")
        for node_id in shock.nodes:
            node(shock, node_id, "node")
            suppliers = origin_shares(scenario, supply_map, node_id, None)
            for entry in supply_map.node(node_id).imports:
                suppliers.update({s.country: s.share for s in entry.supply.shares})
            for entry in scenario.sourcing:
                if entry.node == node_id:
                    suppliers.update(dict(entry.shares))
            if not suppliers:
                raise fail(f"node {node_id!r} has no country shares in the map (a USGS reference no catalog "
                           "resolved, or no public figures); add a `sourcing:` entry with its shares and source",
                           shock, "node")
            for country in shock.restricting:
                if country not in suppliers:
                    close = difflib.get_close_matches(country, sorted(suppliers), n=3)
                    hint = f"; did you mean {', '.join(close)}?" if close else ""
                    raise fail(f"{country} does not supply {node_id!r} (suppliers: "
                               f"{', '.join(sorted(suppliers))}){hint}", shock, "restricting")
    partners = set(scenario.responses.partners)
    for stock in scenario.responses.stockpiles:
        importer(stock, stock.country, "country")
        node(stock, stock.node, "node")
    for spare in scenario.responses.spare_capacity:
        node(spare, spare.node, "node")
        if spare.country not in partners:
            raise fail(f"{spare.country} has spare capacity but is not in `partners:`; add it to the group",
                       spare, "country")
        if not any(scenario.baseline(k, spare.node) for k in scenario.importers):
            raise fail(f"no importer has a baseline use of {spare.node!r}, so units of spare capacity cannot be "
                       "turned into shares of demand; add a `baseline:` entry for that node", spare, "node")
    for recycling in scenario.responses.recycling:
        node(recycling, recycling.node, "node")
        importer(recycling, recycling.country, "country")
        if scenario.baseline(recycling.country, recycling.node) is None:
            raise fail(f"recycling of {recycling.node!r} in {recycling.country} needs that country's baseline use "
                       "of the node; add a `baseline:` entry", recycling, "node")
    for reduction in scenario.responses.demand_reduction:
        node(reduction, reduction.node, "node")
        if reduction.node not in ends:
            raise fail(f"demand reduction applies to end products; {reduction.node!r} is not one "
                       f"(end products: {', '.join(sorted(ends))})", reduction, "node")
        if reduction.country is not None:
            importer(reduction, reduction.country, "country")
    for substitution in scenario.responses.substitution:
        node(substitution, substitution.input, "input")
        node(substitution, substitution.output, "output")
        edge = next((e for e in supply_map.edges
                     if e.input == substitution.input and e.output == substitution.output), None)
        if edge is None:
            raise fail(f"map {supply_map.id!r} has no edge {substitution.input} -> {substitution.output}",
                       substitution, "output")
        if edge.substitutes is not Substitutes.YES:
            raise fail(f"the map says edge {edge.input} -> {edge.output} has substitutes: {edge.substitutes.value};"
                       " substitution is allowed only where the map says yes", substitution, "input")
        if substitution.country is not None:
            importer(substitution, substitution.country, "country")


def _plain(message: str, entry: Any, field: str | None) -> InputError:
    return ValidationError(f"{type(entry).__name__}{f' field {field!r}' if field else ''}: {message}")
