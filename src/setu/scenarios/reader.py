"""Read and validate a scenario file (format ``setu-scenario/1``, YAML or JSON; see docs/scenarios.md).

Every rejection names the file, the 1-based line and the field, and says what to do; an unknown node,
material or country lists the closest valid names from the scenario's map. The map is obtained through an
injected ``load_map(map_id) -> SupplyMap`` so this module opens no file but the scenario itself; baselines
taken from trade data (``trade: {source, hs6, year}``) through an injected ``trade(source, hs6, year, importer)
-> TradeFigures``, which the service binds to the trade catalog. A recycling entry with ``eol_rir:
from_reference`` is the importer's *current* recycling at the EU's end-of-life recycling input rate of the
node's material as bundled and cited in ``data/reference/sr_factors.csv`` (``setu.reference.sr_factors``; a
table may be given instead), the EU's rate used as a proxy for the importer's own. EoL_RIR is the share of
use already met from old scrap, inside baseline use, so it is not a new flow: a restriction cuts only the
primary part, and the importer's loss at the node is scaled by ``1 - EoL_RIR`` (as in the EU supply-risk
indicator, ``SR = HHI_WGI x (1 - EoL_RIR) x SI_SR``). China 60 %, EoL_RIR 0.2: gap 0.6 x 0.8 = 0.48 of
baseline, not 0.6 - 0.2.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


from setu.sources.line_yaml import KeyChecks, LineLoader, LineMapping, load_marked, read_text

from setu.domain.supply_map import Citation, SupplyMap
from setu.domain.trade_figures import TradeFigures
from setu.errors import DataFormatError, SetuError
from setu.reference import sr_factors
from setu.scenarios.spec import (
    ALL_IMPORTERS,
    FORMAT,
    Baseline,
    DemandReduction,
    Recycling,
    Responses,
    Scenario,
    Shock,
    Sourcing,
    SpareCapacity,
    Stockpile,
    Substitution,
)
from setu.scenarios.uncertainty import (
    KINDS,
    Distribution,
    UncertainCut,
    UncertainDuration,
    Uncertainty,
    UncertainShares,
    UncertainSpare,
    UncertainStockpile,
)
from setu.scenarios.validation import check_scenario

MapLoader = Callable[[str], SupplyMap]
TradeResolver = Callable[[str, str, int, str], TradeFigures]  # (source, hs6, year, importer)
#: BACI and Comtrade quantities are metric tonnes; a node counted in one of these units takes them.
UNITS_PER_TONNE = {"t": 1.0, "kg": 1000.0, "kt": 0.001}
HS6 = re.compile(r"^[0-9]{6}$")
ISO3 = re.compile(r"^[A-Z]{3}$")
MAX_MONTHS = 240

TOP_KEYS = {"format", "id", "name", "description", "map", "months", "allocation", "sources", "sourcing",
            "baseline", "shocks", "responses", "uncertainty"}
CITE = {"source", "year", "table", "url", "confirmed"}
SOURCING_KEYS = {"node", "importer", "shares"} | CITE
BASELINE_KEYS = {"country", "node", "units_per_month", "trade"} | CITE
SHOCK_KEYS = {"label", "restricting", "node", "nodes", "material", "cut", "importers", "start_month",
              "duration_months", "recovery_months"} | CITE
RESPONSE_KEYS = {"stockpiles", "partners", "spare_capacity", "recycling", "demand_reduction", "substitution",
                 "share_stockpiles"}
STOCK_KEYS = {"country", "node", "days"} | CITE
FLOW_KEYS = {"country", "node", "units_per_month", "from_month"} | CITE
RECYCLING_KEYS = FLOW_KEYS | {"eol_rir"}
FROM_REFERENCE = "from_reference"
Factors = Mapping[tuple[str, str], sr_factors.Factor]
REDUCTION_KEYS = {"country", "node", "share"} | CITE
SUBSTITUTION_KEYS = {"country", "input", "output", "share"} | CITE
UNCERTAINTY_KEYS = {"samples", "seed", "cut", "duration_months", "stockpiles", "spare_capacity", "shares"}
DISTRIBUTION_KEYS = {"distribution", "low", "mode", "high", "sigma", "shape", "relative"} | CITE


_Mapping = LineMapping
_LineLoader = LineLoader


def load_scenario(path: Path | str, load_map: MapLoader, trade: TradeResolver | None = None,
                  factors: Factors | None = None) -> tuple[Scenario, SupplyMap]:
    """Parse and validate one scenario file and the map it names."""
    path = Path(path)
    text = read_text(path, what="scenario")
    return parse_scenario(text, file=str(path), load_map=load_map, trade=trade, factors=factors)


def parse_scenario(text: str, *, file: str, load_map: MapLoader, trade: TradeResolver | None = None,
                   factors: Factors | None = None) -> tuple[Scenario, SupplyMap]:
    """Parse the text of a scenario (YAML, or JSON, which YAML reads); ``file`` names it in messages.
    ``factors``: the EoL_RIR table for ``eol_rir: from_reference`` (default: the bundled one)."""
    document = load_marked(text, file=file, what="YAML/JSON")
    return _Reader(file, load_map, trade, factors).read(document)


class _Reader(KeyChecks):
    def __init__(self, file: str, load_map: MapLoader, trade: TradeResolver | None = None,
                 factors: Factors | None = None):
        self.file = file
        self.load_map = load_map
        self.trade = trade
        self.factors = factors
        self.baselines: tuple[Baseline, ...] = ()
        self.trade_sourcing: list[Sourcing] = []
        self.sources: dict[str, Citation] = {}
        self.lines: dict[int, _Mapping] = {}
        self.keep: list[Any] = []  # the objects whose ids key `lines`, kept alive while reading
        self.map: SupplyMap | None = None

    def fail(self, message: str, mapping: Any = None, field: str | None = None) -> DataFormatError:
        line = None
        if isinstance(mapping, _Mapping):
            line = mapping.key_lines.get(field, mapping.line) if field else mapping.line
        return DataFormatError(message, file=self.file, line=line, field=field)

    def mapping(self, value: Any, what: str, parent: Any = None, field: str | None = None) -> _Mapping:
        if not isinstance(value, _Mapping):
            raise self.fail(f"{what} must be a mapping (key: value)", parent, field)
        return value

    def items(self, parent: _Mapping, key: str, allowed: set[str]) -> list[_Mapping]:
        raw = parent.get(key) or []
        if not isinstance(raw, list):
            raise self.fail(f"`{key}:` must be a list of mappings", parent, key)
        result = []
        for entry in raw:
            item = self.mapping(entry, f"each entry of `{key}`", parent, key)
            self.check_keys(item, allowed, f"an entry of `{key}`")
            result.append(item)
        return result

    def number(self, mapping: _Mapping, key: str, what: str, low: float, high: float | None = None,
               default: Any = None, integer: bool = False, open_low: bool = False) -> Any:
        value = mapping.get(key, default)
        if value is None:
            raise self.fail(f"{what} has no {key!r}; add `{key}: ...`", mapping)
        kind = int if integer else (int, float)
        ok = isinstance(value, kind) and not isinstance(value, bool)
        ok = ok and (value > low if open_low else value >= low) and (high is None or value <= high)
        if not ok:
            bounds = f"{'above' if open_low else 'at least'} {low}"
            bounds += f" and at most {high}" if high is not None else ""
            raise self.fail(f"{key!r} of {what} must be {'a whole number' if integer else 'a number'} {bounds}, "
                            f"got {value!r}", mapping, key)
        return value

    def country(self, value: Any, mapping: _Mapping, key: str) -> str:
        code = str(value)
        if not ISO3.match(code):
            raise self.fail(f"country {code!r} must be an ISO3 code in capitals, such as JPN or IND", mapping, key)
        return code

    def countries(self, mapping: _Mapping, key: str, what: str) -> tuple[str, ...]:
        value = self.required(mapping, key, what)
        values = value if isinstance(value, list) else [value]
        return tuple(self.country(v, mapping, key) for v in values)

    def citation(self, mapping: _Mapping, what: str) -> Citation:
        name = mapping.get("source")
        if name is None or name == "":
            raise self.fail(f"{what} has no source; add `source:` (a key of `sources:` or the document's name; "
                            "say 'Illustrative assumption: ...' where no published figure exists)", mapping)
        base = self.sources.get(str(name))
        if base is not None:
            return base
        year = self.number(mapping, "year", f"the inline source of {what}", 1900, 2100, integer=True)
        confirmed = mapping.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise self.fail("`confirmed` must be true or false", mapping, "confirmed")
        return Citation(str(name), year, _opt(mapping.get("table")), _opt(mapping.get("url")), confirmed)

    # -- document ----------------------------------------------------------------------------------
    def read(self, document: Any) -> tuple[Scenario, SupplyMap]:
        top = self.mapping(document, "the scenario file")
        self.check_keys(top, TOP_KEYS, "the scenario")
        if top.get("format") != FORMAT:
            raise self.fail(f"format is {top.get('format')!r}; this Setu reads `format: {FORMAT}`", top, "format")
        sources = top.get("sources") or _Mapping()
        for key, raw in self.mapping(sources, "`sources:`", top, "sources").items():
            entry = self.mapping(raw, f"source {key!r}", sources, str(key))
            self.check_keys(entry, CITE, f"source {key!r}")
            self.sources[str(key)] = self.citation(entry, f"source {key!r}")
        map_id = str(self.required(top, "map", "the scenario"))
        supply_map = self.load_map(map_id)
        self.map = supply_map
        baselines = tuple(self.baseline(item) for item in self.items(top, "baseline", BASELINE_KEYS))
        self.baselines = baselines
        if not baselines:
            raise self.fail("the scenario has no `baseline:`; state each importer's use of the shocked node "
                            "(units per month) with its source", top)
        raw_shocks = self.items(top, "shocks", SHOCK_KEYS)
        if not raw_shocks:
            raise self.fail("the scenario has no `shocks:`; add at least one", top, "shocks")
        scenario = Scenario(
            id=str(self.required(top, "id", "the scenario")),
            name=str(self.required(top, "name", "the scenario")),
            map_id=map_id,
            months=self.number(top, "months", "the scenario", 1, MAX_MONTHS, integer=True),
            importers=tuple(dict.fromkeys(b.country for b in baselines)),
            baselines=baselines,
            shocks=tuple(self.shock(item) for item in raw_shocks),
            responses=self.responses(top),
            sourcing=self.all_sourcing(top),
            allocation=str(top.get("allocation", "pro-rata")),
            description=str(top.get("description") or ""),
            source_file=self.file,
        )
        if top.get("uncertainty") is not None:
            scenario = replace(scenario, uncertainty=self.uncertainty(top, scenario.shocks))
        self.remember(scenario, top)
        check_scenario(scenario, supply_map, locate=self.locate)
        return scenario, supply_map

    def locate(self, message: str, obj: Any, field: str | None) -> DataFormatError:
        """Turn a map-aware check's complaint about ``obj`` into an error at its line in this file."""
        return self.fail(message, self.lines.get(id(obj)), field)

    def remember(self, obj: Any, mapping: _Mapping) -> Any:
        self.lines[id(obj)] = mapping
        self.keep.append(obj)
        return obj

    def node_ref(self, mapping: _Mapping, key: str, what: str) -> str:
        return str(self.required(mapping, key, what))

    def all_sourcing(self, top: _Mapping) -> tuple[Sourcing, ...]:
        """The file's sourcing entries and those of the trade baselines; one origin per (node, importer)."""
        listed = [self.sourcing(item) for item in self.items(top, "sourcing", SOURCING_KEYS)]
        from_trade = {(s.node, s.importer) for s in self.trade_sourcing}
        for entry in listed:
            if (entry.node, entry.importer) in from_trade:
                raise self.fail(f"the sourcing of {entry.node!r} by {entry.importer} comes from its trade baseline; "
                                "remove this entry or give the baseline as units_per_month",
                                self.lines.get(id(entry)), "importer")
        return tuple(listed) + tuple(self.trade_sourcing)

    def baseline(self, item: _Mapping) -> Baseline:
        what = "a baseline entry"
        if item.get("trade") is not None:
            return self.trade_baseline(item)
        return self.remember(Baseline(
            self.country(self.required(item, "country", what), item, "country"), self.node_ref(item, "node", what),
            float(self.number(item, "units_per_month", what, 0, open_low=True)), self.citation(item, what)), item)

    def trade_baseline(self, item: _Mapping) -> Baseline:
        """A baseline of an importer's yearly imports in a trade dataset, stated per month as annual/12, and
        that importer's sourcing of the node from the same flows (shares of the tonnes)."""
        what = "a baseline entry"
        figure_keys = [k for k in ("units_per_month", *sorted(CITE)) if k in item]
        if figure_keys:
            raise self.fail(f"a baseline from trade data takes its figure and source from the data; remove "
                            f"{figure_keys[0]!r} (or remove `trade:` and give units_per_month with its source)",
                            item, figure_keys[0])
        ref = self.mapping(item["trade"], "`trade`", item, "trade")
        self.check_keys(ref, {"source", "hs6", "year"}, "a trade baseline")
        raw_hs6 = self.required(ref, "hs6", "a trade baseline")
        hs6 = str(raw_hs6)
        if not isinstance(raw_hs6, str) or not HS6.match(hs6):  # unquoted, 081290 would lose its zero
            raise self.fail(f'hs6 {hs6!r} must be six digits written as text, e.g. hs6: "850511"', ref, "hs6")
        year = self.number(ref, "year", "a trade baseline", 1900, 2100, integer=True)
        source = str(self.required(ref, "source", "a trade baseline"))
        country = self.country(self.required(item, "country", what), item, "country")
        node = self.node_ref(item, "node", what)
        assert self.map is not None
        if not self.map.has_node(node):
            close = difflib.get_close_matches(node, [n.id for n in self.map.nodes], n=3)
            raise self.fail(f"node {node!r} is not in map {self.map.id!r}"
                            + (f"; did you mean {', '.join(close)}?" if close else ""), item, "node")
        unit = self.map.node(node).unit
        if unit not in UNITS_PER_TONNE:
            raise self.fail(f"node {node!r} is counted in {unit!r}; trade quantities are tonnes, so a trade "
                            f"baseline needs a node in {', '.join(UNITS_PER_TONNE)}", item, "node")
        if self.trade is None:
            raise self.fail("this baseline refers to trade data, but no trade catalog was given to the reader",
                            item, "trade")
        try:
            figures = self.trade(source, hs6, year, country)
        except SetuError as error:
            raise self.fail(f"{error}", ref, "source") from error
        if figures.quantity_tonnes <= 0:
            raise self.fail(f"{source} reports no tonnes of HS {hs6} imported by {country} in {year}; give "
                            "units_per_month with its source instead", ref, "hs6")
        per_month = figures.quantity_tonnes * UNITS_PER_TONNE[unit] / 12
        cited = figures.citation
        citation = Citation(
            f"{cited.source}: {country}'s imports of HS {hs6} in {year}, {figures.quantity_tonnes:,.1f} t a year, "
            f"stated per month as annual/12", cited.year,
            f"{figures.quantity_tonnes:,.3f} t / 12 = {per_month:,.3f} {unit} a month"
            + (f"; {figures.value_without_quantity:.2%} of the import value has no tonnes and is left out"
               if figures.value_without_quantity > 0 else ""),
            cited.url, cited.confirmed)
        self.trade_sourcing.append(self.remember(Sourcing(node, figures.shares, citation, importer=country), item))
        return self.remember(Baseline(country, node, per_month, citation), item)

    def sourcing(self, item: _Mapping) -> Sourcing:
        what = "a sourcing entry"
        shares = self.mapping(self.required(item, "shares", what), "`shares`", item, "shares")
        pairs = []
        for country in shares:
            self.country(country, shares, str(country))
            pairs.append((str(country), float(self.number(shares, str(country), f"the shares of {what}", 0, 1))))
        if sum(s for _, s in pairs) > 1 + 1e-6:
            total = sum(s for _, s in pairs)
            raise self.fail(f"shares add up to {total:.1%}, above 100 %; correct them", item, "shares")
        importer = item.get("importer")
        return self.remember(Sourcing(self.node_ref(item, "node", what), tuple(pairs), self.citation(item, what),
                                      self.country(importer, item, "importer") if importer else None), item)

    def shock(self, item: _Mapping) -> Shock:
        what = "a shock"
        targets = [key for key in ("node", "nodes", "material") if item.get(key) is not None]
        if len(targets) != 1:
            raise self.fail("a shock names exactly one of `node`, `nodes` or `material`", item)
        if targets[0] == "material":
            nodes = self.material_nodes(str(item["material"]), item)
        else:
            value = item[targets[0]]
            nodes = tuple(str(v) for v in (value if isinstance(value, list) else [value]))
        importers = item.get("importers", ALL_IMPORTERS)
        return self.remember(Shock(
            restricting=self.countries(item, "restricting", what),
            nodes=nodes,
            cut=float(self.number(item, "cut", what, 0, 1, open_low=True)),
            start_month=self.number(item, "start_month", what, 1, MAX_MONTHS, default=1, integer=True),
            duration_months=self.number(item, "duration_months", what, 1, MAX_MONTHS, integer=True),
            recovery_months=self.number(item, "recovery_months", what, 0, MAX_MONTHS, default=0, integer=True),
            importers=None if importers == ALL_IMPORTERS else self.countries(item, "importers", what),
            citation=self.citation(item, what),
            label=str(item.get("label") or ""),
        ), item)

    def material_nodes(self, material: str, item: _Mapping) -> tuple[str, ...]:
        assert self.map is not None  # read() loads the map before the shocks
        nodes = tuple(node.id for node in self.map.nodes if node.material == material)
        if not nodes:
            known = sorted({node.material for node in self.map.nodes if node.material})
            close = difflib.get_close_matches(material, known, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; materials in the map: {', '.join(known)}"
            raise self.fail(f"no node of map {self.map.id!r} is made of material {material!r}{hint}", item, "material")
        return nodes

    def responses(self, top: _Mapping) -> Responses:
        raw = top.get("responses")
        if raw is None:
            return Responses()
        block = self.mapping(raw, "`responses:`", top, "responses")
        self.check_keys(block, RESPONSE_KEYS, "`responses:`")
        share = block.get("share_stockpiles", True)
        if not isinstance(share, bool):
            raise self.fail("`share_stockpiles` must be true or false", block, "share_stockpiles")
        partners = block.get("partners") or []
        if not isinstance(partners, list):
            raise self.fail("`partners:` must be a list of ISO3 codes", block, "partners")
        return Responses(
            stockpiles=tuple(self.remember(Stockpile(
                self.country(self.required(i, "country", "a stockpile"), i, "country"),
                self.node_ref(i, "node", "a stockpile"),
                float(self.number(i, "days", "a stockpile", 0)), self.citation(i, "a stockpile")), i)
                for i in self.items(block, "stockpiles", STOCK_KEYS)),
            partners=tuple(self.country(p, block, "partners") for p in partners),
            spare_capacity=tuple(self.flow(SpareCapacity, i, "a spare capacity")
                                 for i in self.items(block, "spare_capacity", FLOW_KEYS)),
            recycling=tuple(self.recycling(i) for i in self.items(block, "recycling", RECYCLING_KEYS)),
            demand_reduction=tuple(self.remember(DemandReduction(
                self.node_ref(i, "node", "a demand reduction"),
                float(self.number(i, "share", "a demand reduction", 0, 1)), self.citation(i, "a demand reduction"),
                self.country(i["country"], i, "country") if i.get("country") else None), i)
                for i in self.items(block, "demand_reduction", REDUCTION_KEYS)),
            substitution=tuple(self.remember(Substitution(
                self.node_ref(i, "input", "a substitution"), self.node_ref(i, "output", "a substitution"),
                float(self.number(i, "share", "a substitution", 0, 1)), self.citation(i, "a substitution"),
                self.country(i["country"], i, "country") if i.get("country") else None), i)
                for i in self.items(block, "substitution", SUBSTITUTION_KEYS)),
            share_stockpiles=share,
        )

    def flow(self, kind: type, item: _Mapping, what: str) -> Any:
        return self.remember(kind(
            self.country(self.required(item, "country", what), item, "country"), self.node_ref(item, "node", what),
            float(self.number(item, "units_per_month", what, 0)), self.citation(item, what),
            self.number(item, "from_month", what, 1, MAX_MONTHS, default=1, integer=True)), item)

    def recycling(self, item: _Mapping) -> Recycling:
        """A recycling flow stated in units a month with its source, or ``eol_rir: from_reference``: current
        recycling at the EU's end-of-life recycling input rate of the node's material (the confirmed, cited
        figure of the factors table, used as a proxy for the importer), which scales the importer's loss at
        the node by ``1 - EoL_RIR``; the source is carried into the citation."""
        what = "a recycling entry"
        if "eol_rir" not in item:
            return self.flow(Recycling, item, what)
        if item["eol_rir"] != FROM_REFERENCE:
            raise self.fail(f"`eol_rir` takes `{FROM_REFERENCE}` (the cited EU figure of the node's material), got "
                            f"{item['eol_rir']!r}; state another rate as units_per_month with its source",
                            item, "eol_rir")
        stated = [k for k in ("units_per_month", *sorted(CITE)) if k in item]
        if stated:
            raise self.fail(f"a recycling entry with `eol_rir: {FROM_REFERENCE}` takes its figure and source from "
                            f"the reference table; remove {stated[0]!r}", item, stated[0])
        country = self.country(self.required(item, "country", what), item, "country")
        node_id = self.node_ref(item, "node", what)
        assert self.map is not None
        if not self.map.has_node(node_id):
            close = difflib.get_close_matches(node_id, [n.id for n in self.map.nodes], n=3)
            raise self.fail(f"node {node_id!r} is not in map {self.map.id!r}"
                            + (f"; did you mean {', '.join(close)}?" if close else ""), item, "node")
        node = self.map.node(node_id)
        if not node.material:
            raise self.fail(f"recycling of {country} at {node_id!r}: the node names no material in map "
                            f"{self.map.id!r}, so no EoL_RIR applies; give units_per_month with its source",
                            item, "eol_rir")
        group, member = _material_id(node.material)
        if node.supply is not None and node.supply.usgs is not None:  # the series the node's shares are of
            member = _named_series(group, node.supply.usgs.series) or member
        found, group_note, material = sr_factors.lookup(group, "EoL_RIR", member, self.factors)
        row = found if found is not None and found.value is not None else None
        if row is None:
            why = sr_factors.why_missing(material, "EoL_RIR", found)
            raise self.fail(f"recycling of {country} at {node_id!r}: no confirmed EoL_RIR of material {material!r} "
                            f"({why}); give units_per_month with its own source", item, "eol_rir")
        use = next((b for b in self.baselines if b.country == country and b.node == node_id), None)
        if use is None:
            raise self.fail(f"recycling of {country} at {node_id!r} from the EoL_RIR needs {country}'s baseline use "
                            "of the node; add a `baseline:` entry", item, "country")
        assert row.value is not None
        units = row.value * use.units_per_month
        citation = Citation(
            f"{row.citation}: EU end-of-life recycling input rate of {material}, {row.value:.1%}, used as a proxy "
            f"for {country}: the share of {country}'s baseline use of {node_id} already met from old scrap, not "
            f"cut by a restriction (the loss is scaled by 1 - {row.value:g})"
            + (f"; {group_note}" if group_note else ""), int(row.edition),
            f"{row.value:g} x {use.units_per_month:,.3f} {node.unit} = {units:,.3f} {node.unit} a month of current "
            "use from old scrap (inside the baseline, not added)", None, True)
        return self.remember(Recycling(country, node_id, units, citation,
                                       self.number(item, "from_month", what, 1, MAX_MONTHS, default=1,
                                                   integer=True), eol_rir=row.value), item)

    # -- uncertainty: ----------------------------------------------------------------------------------
    def uncertainty(self, top: _Mapping, shocks: tuple[Shock, ...]) -> Uncertainty:
        block = self.mapping(top["uncertainty"], "`uncertainty:`", top, "uncertainty")
        self.check_keys(block, UNCERTAINTY_KEYS, "`uncertainty:`")
        seed = block.get("seed")
        return Uncertainty(
            cuts=tuple(self.remember(UncertainCut(self.shock_refs(i, shocks), self.distribution(i, "an uncertain cut"),
                                                  self.citation(i, "an uncertain cut")), i)
                       for i in self.items(block, "cut", {"shock"} | DISTRIBUTION_KEYS)),
            durations=tuple(self.remember(UncertainDuration(
                self.shock_refs(i, shocks), self.distribution(i, "an uncertain duration"),
                self.citation(i, "an uncertain duration")), i)
                for i in self.items(block, "duration_months", {"shock"} | DISTRIBUTION_KEYS)),
            stockpiles=tuple(self.uncertain_entry(UncertainStockpile, i, "an uncertain stockpile")
                             for i in self.items(block, "stockpiles", {"country", "node"} | DISTRIBUTION_KEYS)),
            spare_capacity=tuple(self.uncertain_entry(UncertainSpare, i, "an uncertain spare capacity")
                                 for i in self.items(block, "spare_capacity", {"country", "node"} | DISTRIBUTION_KEYS)),
            shares=tuple(self.remember(UncertainShares(
                self.node_ref(i, "node", "uncertain shares"),
                float(self.number(i, "concentration", "uncertain shares", 0, open_low=True)),
                self.citation(i, "uncertain shares"),
                self.country(i["importer"], i, "importer") if i.get("importer") else None), i)
                for i in self.items(block, "shares", {"node", "importer", "concentration"} | CITE)),
            samples=self.number(block, "samples", "`uncertainty:`", 1, 1_000_000, default=1000, integer=True),
            seed=None if seed is None else self.number(block, "seed", "`uncertainty:`", 0, integer=True),
        )

    def uncertain_entry(self, kind: type, item: _Mapping, what: str) -> Any:
        return self.remember(kind(self.country(self.required(item, "country", what), item, "country"),
                                  self.node_ref(item, "node", what), self.distribution(item, what),
                                  self.citation(item, what)), item)

    def shock_refs(self, item: _Mapping, shocks: tuple[Shock, ...]) -> tuple[int, ...]:
        """``shock: 2`` (1-based), a shock's label, a list of either, or ``all``."""
        value = self.required(item, "shock", "an uncertain shock figure")
        if value == "all":
            return tuple(range(len(shocks)))
        labels = {shock.label: number for number, shock in enumerate(shocks) if shock.label}
        numbers = []
        for ref in value if isinstance(value, list) else [value]:
            if isinstance(ref, int) and not isinstance(ref, bool) and 1 <= ref <= len(shocks):
                numbers.append(ref - 1)
            elif isinstance(ref, str) and ref in labels:
                numbers.append(labels[ref])
            else:
                close = difflib.get_close_matches(str(ref), sorted(labels), n=2)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                raise self.fail(f"shock {ref!r} is not a shock number (1-{len(shocks)}), a shock's label or `all`"
                                f"{hint}", item, "shock")
        return tuple(dict.fromkeys(numbers))

    def distribution(self, item: _Mapping, what: str) -> Distribution:
        kind = str(self.required(item, "distribution", what))
        if kind not in KINDS:
            close = difflib.get_close_matches(kind, KINDS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; use one of: {', '.join(KINDS)}"
            raise self.fail(f"distribution {kind!r} is unknown{hint}", item, "distribution")
        relative = item.get("relative", kind == "lognormal")
        if not isinstance(relative, bool) or (kind == "lognormal" and not relative):
            raise self.fail("`relative` must be true or false (a lognormal is always relative)", item, "relative")
        unused = {"lognormal": ("low", "mode", "high", "shape"), "uniform": ("sigma",)}.get(kind, ("sigma",))
        for key in unused:
            if key in item:
                raise self.fail(f"a {kind} distribution has no `{key}`", item, key)
        if kind == "lognormal":
            return Distribution(kind, sigma=float(self.number(item, "sigma", what, 0, 5)), relative=True)
        low = float(self.number(item, "low", what, 0))
        high = float(self.number(item, "high", what, low))
        mode = None
        if kind != "uniform":
            mode = float(self.number(item, "mode", what, low, high))
        elif "mode" in item:
            raise self.fail("a uniform distribution has no `mode`; use triangular or pert", item, "mode")
        shape = float(self.number(item, "shape", what, 0, 100, default=4.0, open_low=True))
        if shape != 4.0 and kind != "pert":
            raise self.fail("`shape` applies to pert only", item, "shape")
        return Distribution(kind, low, high, mode, shape=shape, relative=relative)


def _material_id(name: str) -> tuple[str, str | None]:
    """The material id of a map node's material (synonyms resolved) and the series it names, if any
    (``palladium`` -> ``("platinum-group-metals", "palladium")``): the factors table keys a per-metal row by
    the series, and a group row applies to a member only as the document's group value."""
    from setu.reference import tables

    try:
        registry = tables.materials()
        return registry.resolve(name), registry.series_named(name)
    except SetuError:
        return name, None


def _named_series(material_id: str, series: str) -> str | None:
    """``series`` where it is a named member of the material (palladium of the PGMs), else None (a stage
    such as ``mine`` is not a member)."""
    from setu.reference import tables

    material = tables.materials().materials.get(material_id)
    return series if material is not None and series in material.series_synonyms.values() else None


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)
