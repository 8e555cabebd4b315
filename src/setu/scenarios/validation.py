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
MAX_DURATION = 240.0  # months, as the reader's limit on stated durations


def origin_shares(scenario: Scenario, supply_map: SupplyMap, node: str, importer: str | None) -> dict[str, float]:
    """Where ``importer`` buys ``node``, by origin country (fractions of its supply).

    In order of precedence: the scenario's ``sourcing`` entry for this importer, then its entry for all
    importers, then the map's import sourcing of the importer (``imports:``), then the map's world supply
    shares — the proportional-sourcing assumption: an importer buys from each producer in proportion to
    that producer's share of world supply. Empty when nothing is known.
    """
    return share_source(scenario, supply_map, node, importer)[1]


def share_source(scenario: Scenario, supply_map: SupplyMap, node: str,
                 importer: str | None) -> tuple[tuple[str, ...], dict[str, float]]:
    """``origin_shares`` with a key naming where they come from (importers with one key share one set of
    shares, so one uncertain draw of them: ``setu.scenarios.montecarlo``)."""
    for number, entry in enumerate(scenario.sourcing):
        if entry.node == node and entry.importer == importer and importer is not None:
            return ("sourcing", node, str(number)), dict(entry.shares)
    for number, entry in enumerate(scenario.sourcing):
        if entry.node == node and entry.importer is None:
            return ("sourcing", node, str(number)), dict(entry.shares)
    map_node = supply_map.node(node)
    for sourcing in map_node.imports:
        if sourcing.importer == importer:
            return ("imports", node, str(importer)), {s.country: s.share for s in sourcing.supply.shares}
    if map_node.supply is not None:
        return ("world", node), {s.country: s.share for s in map_node.supply.shares}
    return ("none", node), {}


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
    if scenario.uncertainty is not None:
        check_uncertainty(scenario, supply_map, fail)


def check_uncertainty(scenario: Scenario, supply_map: SupplyMap, fail: Locate) -> None:
    """Each uncertain figure must exist in the scenario, be made uncertain once, and its distribution must
    contain the stated value and stay within the figure's range (cuts 0-1, durations at least 1 month)."""
    assert scenario.uncertainty is not None
    block = scenario.uncertainty
    seen: set[tuple] = set()

    def once(entry: Any, key: tuple, what: str) -> None:
        if key in seen:
            raise fail(f"{what} is made uncertain twice; keep one entry", entry, None)
        seen.add(key)

    def within(entry: Any, stated: float, low: float, high: float, what: str, field: str = "distribution") -> None:
        bottom, top = entry.distribution.bounds(stated)
        if entry.distribution.kind == "lognormal" and high != float("inf"):
            raise fail(f"{what} is bounded ({low}-{high}); use uniform, triangular or pert, not lognormal",
                       entry, field)
        if bottom < low - 1e-12 or top > high + 1e-12:
            raise fail(f"the distribution of {what} spans {bottom:g}-{top:g}, outside {low:g}-{high:g}", entry, field)
        if not bottom - 1e-12 <= stated <= top + 1e-12:
            raise fail(f"the stated value of {what}, {stated:g}, is outside its distribution ({bottom:g}-{top:g}); "
                       "state the central estimate in the scenario and the range here", entry, field)

    for entry in block.cuts:
        for number in entry.shocks:
            once(entry, ("cut", number), f"the cut of shock {number + 1}")
            within(entry, scenario.shocks[number].cut, 0.0, 1.0, f"the cut of shock {number + 1}")
    for entry in block.durations:
        for number in entry.shocks:
            once(entry, ("duration", number), f"the duration of shock {number + 1}")
            within(entry, scenario.shocks[number].duration_months, 1.0, MAX_DURATION,
                   f"the duration of shock {number + 1}")
    for entry, stated_entries, what in (
            *((e, scenario.responses.stockpiles, "stockpile") for e in block.stockpiles),
            *((e, scenario.responses.spare_capacity, "spare capacity") for e in block.spare_capacity)):
        matches = [s for s in stated_entries if s.country == entry.country and s.node == entry.node]
        if len(matches) != 1:
            raise fail(f"the scenario states {len(matches)} {what} entries of {entry.country} at {entry.node!r};"
                       f" an uncertain {what} needs exactly one to vary", entry, "node")
        once(entry, (what, entry.country, entry.node), f"the {what} of {entry.country} at {entry.node!r}")
        stated = matches[0].days if what == "stockpile" else matches[0].units_per_month
        within(entry, stated, 0.0, float("inf"), f"the {what} of {entry.country} at {entry.node!r}")
    shocked = {node_id for shock in scenario.shocks for node_id in shock.nodes}
    for entry in block.shares:
        if entry.node not in shocked:
            close = difflib.get_close_matches(entry.node, sorted(shocked), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise fail(f"origin shares matter only at shocked nodes ({', '.join(sorted(shocked))}); "
                       f"{entry.node!r} is not one{hint}", entry, "node")
        if entry.importer is not None and entry.importer not in scenario.importers:
            raise fail(f"{entry.importer} has no `baseline:` entry (importers: {', '.join(scenario.importers)})",
                       entry, "importer")
        keys = {}
        for country in (entry.importer,) if entry.importer else scenario.importers:
            key, shares = share_source(scenario, supply_map, entry.node, country)
            if shares:
                keys.setdefault(key, country)
        for key, country in keys.items():
            once(entry, ("shares", *key), f"the origin shares of {entry.node!r} used by {country}")


def _plain(message: str, entry: Any, field: str | None) -> InputError:
    return ValidationError(f"{type(entry).__name__}{f' field {field!r}' if field else ''}: {message}")
