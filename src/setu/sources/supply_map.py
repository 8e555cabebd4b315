"""Read and validate a supply-chain map file (format ``setu-map/1``, YAML; see docs/maps.md).

Every rejection names the file, the 1-based line and the fix. Line numbers come from a SafeLoader
subclass that keeps the start mark of each mapping and of each value in it. Supply that refers to the
catalog's USGS series (``usgs: {material, series, year}``) is resolved through an injected
``resolver(material_id, series, year) -> [(iso3, value, share), ...]``; this module never opens the
catalog, so the analysis can run on any source of production figures.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any


from setu.sources.line_yaml import KeyChecks, LineLoader, LineMapping, load_marked, read_text

from setu.domain.supply_map import (
    BOUNDS,
    FORMAT,
    Citation,
    Edge,
    HsCode,
    IeaReference,
    ImportSourcing,
    Node,
    Provider,
    Providers,
    NodeKind,
    Quantity,
    Sector,
    Share,
    Substitutes,
    Substitution,
    Supply,
    SupplyMap,
    UsgsReference,
)
from setu.errors import DataFormatError, UnknownNameError, ValidationError
from setu.reference import tables
from setu.sources import iea_minerals

Resolver = Callable[[str, str, int], Sequence[tuple[str, float, float]]]

ISO3 = re.compile(r"^[A-Z]{3}$")
HS6 = re.compile(r"^[0-9]{6}$")
HS_REVISIONS = ("HS1992", "HS1996", "HS2002", "HS2007", "HS2012", "HS2017", "HS2022")
DEFAULT_TOLERANCE = 0.005
MAX_TOLERANCE = 0.05
USGS_SOURCE = "U.S. Geological Survey, Mineral Commodity Summaries (world production by country)"

TOP_KEYS = {
    "format",
    "id",
    "name",
    "sector",
    "version",
    "description",
    "licence",
    "attribution",
    "share_sum_tolerance",
    "sources",
    "nodes",
    "edges",
}
NODE_KEYS = {
    "id", "name", "kind", "sector", "unit", "stage", "hs", "material", "supply", "proxy", "imports", "notes",
    "providers", "no_figure",
}
PROVIDER_KEYS = {"year", "source", "table", "url", "confirmed", "names", "note"}
SUPPLY_KEYS = {
    "importer",
    "year",
    "measure",
    "source",
    "table",
    "url",
    "confirmed",
    "shares",
    "firms",
    "others",
    "usgs",
    "iea",
    "history",
    "note",
}
EDGE_KEYS = {
    "input", "output", "substitutes", "substitution", "quantity", "note", "source", "year", "table", "url", "confirmed"
}
SUBSTITUTION_KEYS = {"si_sr", "share_of_uses", "years_to_switch", "source", "year", "table", "url", "confirmed"}
CITATION_KEYS = {"source", "year", "table", "url", "confirmed"}
SHARE_KEYS = {"share", "bound", "as_written"}


_Mapping = LineMapping
_LineLoader = LineLoader


def known_materials() -> frozenset[str]:
    """Material slugs of the reference table bundled with Setu."""
    return frozenset(tables.material_slugs())


def load_map(path: Path | str, resolver: Resolver | None = None) -> SupplyMap:
    """Parse and validate one map file. Raises DataFormatError or ValidationError naming file:line."""
    path = Path(path)
    text = read_text(path, what="map")
    return parse_map(text, file=str(path), resolver=resolver)


def parse_map(text: str, *, file: str, resolver: Resolver | None = None) -> SupplyMap:
    """Parse and validate the text of a map; ``file`` is the name used in error messages."""
    document = load_marked(text, file=file, what="YAML")
    return _MapReader(file, resolver).read(document)


class _MapReader(KeyChecks):
    def __init__(self, file: str, resolver: Resolver | None):
        self.file = file
        self.resolver = resolver
        self.materials = known_materials()
        self.sources: dict[str, _Mapping] = {}
        self.tolerance = DEFAULT_TOLERANCE

    # -- helpers --------------------------------------------------------------------------------
    def fail(self, message: str, mapping: _Mapping | None = None, field: str | None = None) -> DataFormatError:
        line = None
        if isinstance(mapping, _Mapping):
            line = mapping.key_lines.get(field, mapping.line) if field else mapping.line
        return DataFormatError(message, file=self.file, line=line, field=field)

    def invalid(self, message: str, mapping: _Mapping | None, field: str | None = None) -> ValidationError:
        where = self.file
        if isinstance(mapping, _Mapping):
            where += f":{mapping.key_lines.get(field, mapping.line) if field else mapping.line}"
        if field:
            where += f": field {field!r}"
        return ValidationError(f"{where}: {message}")

    def mapping(self, value: Any, what: str, parent: _Mapping | None, field: str | None) -> _Mapping:
        if not isinstance(value, _Mapping):
            raise self.fail(f"{what} must be a mapping (key: value lines)", parent, field)
        return value

    def text(self, mapping: _Mapping, key: str, what: str, optional: bool = False) -> str | None:
        value = mapping.get(key) if optional else self.required(mapping, key, what)
        if value is None:
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(f"{key!r} of {what} must be text", mapping, key)
        return str(value)

    def year(self, mapping: _Mapping, key: str, what: str) -> int:
        value = self.required(mapping, key, what)
        if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2100:
            raise self.fail(f"{key!r} of {what} must be a four-digit year, got {value!r}", mapping, key)
        return value

    def choice(self, mapping: _Mapping, key: str, enum: type, what: str, default: Any = None) -> Any:
        value = mapping.get(key, default)
        if value is None:
            raise self.fail(f"{what} has no {key!r}; add `{key}: ...`", mapping)
        if isinstance(value, bool) and enum is Substitutes:  # YAML 1.1 reads yes/no as booleans
            value = "yes" if value else "no"
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise self.fail(f"{key!r} of {what} is {value!r}; use one of: {allowed}", mapping, key) from None

    # -- document -------------------------------------------------------------------------------
    def read(self, document: Any) -> SupplyMap:
        top = self.mapping(document, "the map file", None, None)
        self.check_keys(top, TOP_KEYS, "the map")
        fmt = top.get("format")
        if fmt != FORMAT:
            raise self.fail(f"format is {fmt!r}; this Setu reads `format: {FORMAT}`", top, "format")
        tolerance = top.get("share_sum_tolerance", DEFAULT_TOLERANCE)
        if not isinstance(tolerance, (int, float)) or not 0 <= tolerance <= MAX_TOLERANCE:
            raise self.fail(f"share_sum_tolerance must be a number in 0-{MAX_TOLERANCE}", top, "share_sum_tolerance")
        self.tolerance = float(tolerance)
        sector = self.choice(top, "sector", Sector, "the map")
        sources = top.get("sources") or _Mapping()
        for key, citation in self.mapping(sources, "sources", top, "sources").items():
            self.sources[str(key)] = self.mapping(citation, f"source {key!r}", sources, str(key))
            self.check_keys(self.sources[str(key)], CITATION_KEYS, f"source {key!r}")
            self.citation(self.sources[str(key)], f"source {key!r}", default_year=None)
        raw_nodes = top.get("nodes")
        if not isinstance(raw_nodes, list) or not raw_nodes:
            raise self.fail("the map has no nodes; add a `nodes:` list", top, "nodes")
        nodes = [self.node(raw, sector) for raw in raw_nodes]
        seen: dict[str, Node] = {}
        for node in nodes:
            if node.id in seen:
                raise self.invalid(
                    f"node id {node.id!r} is used twice (first at line {seen[node.id].line}); give each node its own id",
                    _at(node.line),
                    None,
                )
            seen[node.id] = node
        raw_edges = top.get("edges") or []
        if not isinstance(raw_edges, list):
            raise self.fail("`edges:` must be a list", top, "edges")
        edges = [self.edge(raw, seen) for raw in raw_edges]
        self.check_acyclic(edges)
        return SupplyMap(
            id=self.text(top, "id", "the map") or "",
            name=self.text(top, "name", "the map") or "",
            sector=sector,
            version=self.text(top, "version", "the map") or "",
            description=self.text(top, "description", "the map", optional=True) or "",
            licence=self.text(top, "licence", "the map", optional=True),
            attribution=self.text(top, "attribution", "the map", optional=True),
            nodes=tuple(nodes),
            edges=tuple(edges),
            source_file=self.file,
        )

    def citation(self, mapping: _Mapping, what: str, default_year: int | None) -> Citation:
        """A citation given inline (source/table/url/confirmed) or as a key into `sources:`."""
        name = mapping.get("source")
        if name is None or name == "":
            raise self.fail(
                f"{what} has no source; add `source:` (a key of `sources:` or the document's name)", mapping
            )
        base = self.sources.get(str(name))
        table = mapping.get("table") or (base.get("table") if base else None)
        url = mapping.get("url") or (base.get("url") if base else None)
        confirmed = mapping.get("confirmed", base.get("confirmed", True) if base else True)
        if not isinstance(confirmed, bool):
            raise self.fail("`confirmed` must be true or false", mapping, "confirmed")
        if base is not None and base.get("year") is not None:
            year = self.year(base, "year", f"source {name!r}")
        elif mapping.get("year") is not None and default_year is None:
            year = self.year(mapping, "year", what)
        else:
            year = default_year
        if year is None:
            raise self.fail(
                f"{what} has no year; add `year:` (the document's year) here or to its `sources:` entry", mapping
            )
        return Citation(
            source=str(base.get("source") if base else name),
            year=year,
            table=str(table) if table is not None else None,
            url=str(url) if url is not None else None,
            confirmed=confirmed,
        )

    def node(self, raw: Any, map_sector: Sector) -> Node:
        node = self.mapping(raw, "each node", None, None)
        self.check_keys(node, NODE_KEYS, "a node")
        node_id = self.text(node, "id", "a node") or ""
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", node_id):
            raise self.fail(f"node id {node_id!r} must be lower-case letters, digits, '-', '_' or '.'", node, "id")
        what = f"node {node_id!r}"
        kind = self.choice(node, "kind", NodeKind, what)
        material = self.text(node, "material", what, optional=True)
        if material is not None and material not in self.materials:
            close = difflib.get_close_matches(material, sorted(self.materials), n=3)
            raise self.fail(
                f"unknown material {material!r}; use a slug of materials.csv"
                + (f" (did you mean {', '.join(close)}?)" if close else ""),
                node,
                "material",
            )
        hs = tuple(self.hs_code(entry, node) for entry in (node.get("hs") or []))
        unit = self.text(node, "unit", what) or ""
        return Node(
            id=node_id,
            name=self.text(node, "name", what) or node_id,
            kind=kind,
            sector=self.choice(node, "sector", Sector, what, default=map_sector.value),
            unit=unit,
            stage=self.text(node, "stage", what, optional=True) or kind.value,
            hs=hs,
            material=material,
            supply=self.supply(node["supply"], node, what) if node.get("supply") is not None else None,
            imports=self.imports(node, what),
            notes=self.text(node, "notes", what, optional=True),
            line=node.line,
            proxy=self.supply(node["proxy"], node, f"{what} (proxy)") if node.get("proxy") is not None else None,
            providers=self.providers(node, what) if node.get("providers") is not None else None,
            no_figure=self.text(node, "no_figure", what, optional=True),
        )

    def providers(self, node: _Mapping, what: str) -> Providers:
        """Producers a source names without shares: ``{year, source, names: [{firm, country} | {country}]}``."""
        block = self.mapping(node["providers"], f"providers of {what}", node, "providers")
        self.check_keys(block, PROVIDER_KEYS, f"providers of {what}")
        year = self.year(block, "year", f"providers of {what}")
        names = block.get("names")
        if not isinstance(names, list) or not names:
            raise self.fail(f"providers of {what} need `names:`, a list of {{firm, country}} or {{country}}", block)
        result = []
        for entry in names:
            item = self.mapping(entry, "a provider", block, "names")
            self.check_keys(item, {"firm", "country"}, "a provider")
            country = item.get("country")
            if country is not None and not ISO3.match(str(country)):
                raise self.fail(f"provider country {country!r} is not an ISO3 code", item, "country")
            firm = self.text(item, "firm", "a provider", optional=True)
            if country is None and firm is None:
                raise self.fail("a provider needs `firm:` or `country:`", item)
            result.append(Provider(country=str(country) if country is not None else None, firm=firm))
        return Providers(year, self.citation(block, f"providers of {what}", default_year=year), tuple(result),
                         self.text(block, "note", what, optional=True))

    def imports(self, node: _Mapping, what: str) -> tuple[ImportSourcing, ...]:
        raw = node.get("imports") or []
        if not isinstance(raw, list):
            raise self.fail("`imports:` must be a list of {importer, year, measure, source, shares}", node, "imports")
        result = []
        for entry in raw:
            item = self.mapping(entry, "an import sourcing entry", node, "imports")
            importer = str(item.get("importer", ""))
            if not ISO3.match(importer):
                raise self.fail(f"importer {importer!r} must be an ISO3 code such as IND", item, "importer")
            if item.get("usgs") is not None:
                raise self.fail("import shares cannot refer to USGS production; list the partner shares", item, "usgs")
            result.append(ImportSourcing(importer, self.supply(item, node, f"{what} imports of {importer}")))
        return tuple(result)

    def hs_code(self, entry: Any, node: _Mapping) -> HsCode:
        item = self.mapping(entry, "an HS code", node, "hs")
        code = str(item.get("code", ""))
        revision = str(item.get("revision", ""))
        if not HS6.match(code):
            raise self.fail(f'HS code {code!r} must be six digits written as text, e.g. code: "811292"', item, "code")
        if revision not in HS_REVISIONS:
            raise self.fail(f"HS revision {revision!r}; use one of {', '.join(HS_REVISIONS)}", item, "revision")
        return HsCode(code=code, revision=revision)

    def supply(self, raw: Any, node: _Mapping, what: str, history: bool = True) -> Supply:
        """The node's current supply, with its dated ``history`` (older figures, each a supply entry)."""
        supply = self.mapping(raw, f"supply of {what}", node, "supply")
        self.check_keys(supply, SUPPLY_KEYS if history else SUPPLY_KEYS - {"history"}, f"supply of {what}")
        current = self.current_supply(supply, what)
        if supply.get("history") is None:
            return current
        raw_history = supply["history"]
        if not isinstance(raw_history, list) or not raw_history:
            raise self.fail("`history:` must be a list of dated supply entries", supply, "history")
        older = []
        for entry in raw_history:
            item = self.mapping(entry, "a history entry", supply, "history")
            past = self.supply(item, node, f"{what} (history)", history=False)
            if past.year >= current.year:
                raise self.invalid(
                    f"history entry of {past.year} is not older than the current figure ({current.year}); "
                    "history keeps older figures only - make the newer one the current supply",
                    item,
                    "year" if "year" in item else None,
                )
            older.append(past)
        return replace(current, history=tuple(sorted(older, key=lambda s: -s.year)))

    def current_supply(self, supply: _Mapping, what: str) -> Supply:
        for reference in ("usgs", "iea"):
            if supply.get(reference) is None:
                continue
            extra = sorted(set(supply) & {"shares", "firms", "others", "year", "measure", "source", "usgs", "iea"})
            extra.remove(reference)
            if extra:
                name = "USGS" if reference == "usgs" else "IEA"
                raise self.fail(
                    f"supply of {what} has both `{reference}:` and {', '.join(extra)}; keep the {name} "
                    "reference or list the figures, not both",
                    supply,
                    extra[0],
                )
            return self.usgs_supply(supply, what) if reference == "usgs" else self.iea_supply(supply, what)
        year = self.year(supply, "year", f"supply of {what}")
        citation = self.citation(supply, f"supply of {what}", default_year=year)
        shares = self.country_shares(supply, what)
        firms = self.firm_shares(supply, what)
        others = supply.get("others") or _Mapping()
        others_total = 0.0
        for label, value in self.mapping(others, "others", supply, "others").items():
            others_total += self.fraction(others, str(label), value)
        total = sum(s.share for s in shares) + others_total
        if total > 1 + self.tolerance:
            raise self.invalid(
                f"shares of {what} add up to {total:.1%}, above 100 %; correct them "
                f"(or, for rounded published figures, set share_sum_tolerance)",
                supply,
                "shares",
            )
        firm_total = sum(f.share for f in firms)
        if firm_total > 1 + self.tolerance:
            raise self.invalid(f"firm shares of {what} add up to {firm_total:.1%}, above 100 %", supply, "firms")
        if not shares and not firms:
            raise self.fail(
                f"supply of {what} lists no shares; add `shares:` or `usgs:`, or remove `supply:` "
                "and say in `notes` that no public figure exists",
                supply,
            )
        return Supply(
            year=year,
            citation=citation,
            measure=self.text(supply, "measure", f"supply of {what}") or "",
            shares=tuple(sorted(shares, key=lambda s: (-s.share, s.country))),
            firms=tuple(sorted(firms, key=lambda s: (-s.share, s.firm or ""))),
            others=tuple(sorted(((str(k), float(v)) for k, v in others.items()), key=lambda kv: -kv[1])),
            note=self.text(supply, "note", what, optional=True),
        )

    def fraction(self, mapping: _Mapping, key: str, value: Any) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            raise self.invalid(f"share {value!r} must be a fraction in 0-1 (write 0.6 for 60 %)", mapping, key)
        return float(value)

    def country_shares(self, supply: _Mapping, what: str) -> list[Share]:
        raw = supply.get("shares") or _Mapping()
        shares = self.mapping(raw, f"shares of {what}", supply, "shares")
        result = []
        for country, value in shares.items():
            if not ISO3.match(str(country)):
                raise self.fail(
                    f"country {country!r} is not an ISO3 code such as JPN; put regions and "
                    "'other countries' under `others:`",
                    shares,
                    str(country),
                )
            result.append(self.country_share(shares, str(country), value))
        return result

    def country_share(self, shares: _Mapping, country: str, value: Any) -> Share:
        """``CHN: 0.6``, or ``CHN: {share: 1.0, bound: upper, as_written: "almost 100 %"}`` where the source
        gives a limit rather than a value."""
        if not isinstance(value, dict):
            return Share(country=country, share=self.fraction(shares, country, value))
        item = self.mapping(value, f"the share of {country}", shares, country)
        self.check_keys(item, SHARE_KEYS, f"the share of {country}")
        bound = item.get("bound")
        if bound is not None and bound not in BOUNDS:
            raise self.fail(f"bound {bound!r} must be one of {', '.join(BOUNDS)}", item, "bound")
        as_written = self.text(item, "as_written", f"the share of {country}", optional=True)
        if bound is not None and as_written is None:
            raise self.fail("a bounded share needs `as_written:`, the source's own words (\"almost 100 %\")",
                            item, "as_written")
        return Share(country=country, share=self.fraction(item, "share", item.get("share")), bound=bound,
                     as_written=as_written)

    def firm_shares(self, supply: _Mapping, what: str) -> list[Share]:
        raw = supply.get("firms") or []
        if not isinstance(raw, list):
            raise self.fail("`firms:` must be a list of {firm, country, share}", supply, "firms")
        result = []
        for entry in raw:
            item = self.mapping(entry, "a firm share", supply, "firms")
            country = str(item.get("country", ""))
            if not ISO3.match(country):
                raise self.fail(f"firm country {country!r} is not an ISO3 code", item, "country")
            result.append(
                Share(
                    country=country,
                    share=self.fraction(item, "share", item.get("share")),
                    firm=self.text(item, "firm", "a firm share"),
                )
            )
        return result

    def usgs_supply(self, supply: _Mapping, what: str) -> Supply:
        ref = self.mapping(supply["usgs"], "usgs", supply, "usgs")
        self.check_keys(ref, {"material", "series", "year"}, "a usgs reference")
        material = self.text(ref, "material", "the usgs reference") or ""
        if material not in self.materials:
            close = difflib.get_close_matches(material, sorted(self.materials), n=3)
            raise self.fail(
                f"unknown material {material!r} in usgs reference"
                + (f"; did you mean {', '.join(close)}?" if close else ""),
                ref,
                "material",
            )
        reference = UsgsReference(
            material=material,
            series=self.text(ref, "series", "the usgs reference") or "",
            year=self.year(ref, "year", "the usgs reference"),
        )
        shares: tuple[Share, ...] = ()
        unresolved = "USGS reference not resolved (catalog not loaded)"
        if self.resolver is not None:
            rows = self.resolver(reference.material, reference.series, reference.year)
            shares = tuple(
                sorted(
                    (Share(country=iso3, share=float(share)) for iso3, _value, share in rows),
                    key=lambda s: (-s.share, s.country),
                )
            )
            unresolved = (
                f"no figure: the catalog has no country shares for {material} ({reference.series} production, "
                f"{reference.year}); USGS withholds or does not estimate them"
            )
        return Supply(
            year=reference.year,
            citation=Citation(
                source=USGS_SOURCE,
                year=reference.year + 1,
                table=f"{material}, {reference.series} production, {reference.year}",
            ),
            measure=f"{reference.series} production",
            shares=shares,
            usgs=reference,
            note=self.text(supply, "note", what, optional=True),
            unresolved_reason=None if shares else unresolved,
        )

    def iea_supply(self, supply: _Mapping, what: str) -> Supply:
        """Country shares of one IEA mining or refining table (observed years only, not projections)."""
        ref = self.mapping(supply["iea"], "iea", supply, "iea")
        self.check_keys(ref, {"material", "stage", "year"}, "an iea reference")
        material = self.text(ref, "material", "the iea reference") or ""
        stage = self.text(ref, "stage", "the iea reference") or ""
        year = self.year(ref, "year", "the iea reference")
        if year > iea_minerals.OBSERVED_YEAR:
            raise self.fail(
                f"{year} is an IEA projection; a map's supply takes observed figures "
                f"(year: {iea_minerals.OBSERVED_YEAR})",
                ref,
                "year",
            )
        try:
            table = iea_minerals.stage_supply(material, stage, year)
        except UnknownNameError as error:
            field = {"IEA mineral": "material", "IEA stage": "stage"}.get(error.kind, "year")
            raise self.fail(str(error), ref, field) from error
        return Supply(
            year=year,
            citation=Citation(
                source=iea_minerals.CITATION,
                year=iea_minerals.CITATION_YEAR,
                table=f"{table.material}, {stage} by country, {year} (kt; share of the IEA world total)",
                url=iea_minerals.URL,
            ),
            measure=f"{stage} volume",
            shares=tuple(Share(country=c.country, share=c.share) for c in table.countries),
            others=((iea_minerals.REST_OF_WORLD, table.residual),) if table.residual > 0 else (),
            iea=IeaReference(material=material, stage=stage, year=year, edition=iea_minerals.EDITION),
            note=self.text(supply, "note", what, optional=True),
        )

    def edge(self, raw: Any, nodes: dict[str, Node]) -> Edge:
        edge = self.mapping(raw, "each edge", None, None)
        self.check_keys(edge, EDGE_KEYS, "an edge")
        ends = []
        for key in ("input", "output"):
            node_id = self.text(edge, key, "an edge") or ""
            if node_id not in nodes:
                close = difflib.get_close_matches(node_id, sorted(nodes), n=3)
                raise self.invalid(
                    f"edge {key} {node_id!r} is not a node of this map"
                    + (f"; did you mean {', '.join(close)}?" if close else "; add the node"),
                    edge,
                    key,
                )
            ends.append(nodes[node_id])
        source, target = ends
        if source.id == target.id:
            raise self.invalid(f"edge from {source.id!r} to itself; remove it", edge, "output")
        quantity = None
        if edge.get("quantity") is not None:
            raw_quantity = self.mapping(edge["quantity"], "quantity", edge, "quantity")
            value = raw_quantity.get("value")
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise self.fail("quantity value must be a positive number", raw_quantity, "value")
            unit = str(raw_quantity.get("unit", ""))
            expected = f"{source.unit}/{target.unit}"
            if unit != expected:
                raise self.invalid(
                    f"quantity unit {unit!r} does not match the nodes' units; {source.id!r} is in "
                    f"{source.unit!r} and {target.id!r} in {target.unit!r}, so write unit: {expected!r} "
                    "(convert the value if needed)",
                    raw_quantity,
                    "unit",
                )
            quantity = Quantity(value=float(value), unit=unit)
        citation = None
        if quantity is not None:
            citation = self.citation(edge, f"the quantity of edge {source.id} -> {target.id}", default_year=None)
        substitutes = self.choice(edge, "substitutes", Substitutes, "an edge", default="unknown")
        substitution = None
        if edge.get("substitution") is not None:
            substitution = self.substitution(edge, substitutes, f"edge {source.id} -> {target.id}")
        return Edge(
            input=source.id,
            output=target.id,
            substitutes=substitutes,
            substitution=substitution,
            quantity=quantity,
            note=self.text(edge, "note", "an edge", optional=True),
            citation=citation,
            line=edge.line,
        )

    def substitution(self, edge: _Mapping, substitutes: Substitutes, what: str) -> Substitution:
        """A cited degree of substitution: ``{si_sr, source, year}`` (EU CRM index) or
        ``{share_of_uses, years_to_switch, source, year}``."""
        raw = self.mapping(edge["substitution"], "substitution", edge, "substitution")
        self.check_keys(raw, SUBSTITUTION_KEYS, f"the substitution of {what}")
        if substitutes is not Substitutes.YES:
            raise self.fail(f"{what} gives a substitution but `substitutes: {substitutes.value}`; set "
                            "`substitutes: yes` or remove `substitution:`", edge, "substitution")
        citation = self.citation(raw, f"the substitution of {what}", default_year=None)
        if raw.get("si_sr") is not None:
            extra = sorted(set(raw) & {"share_of_uses", "years_to_switch"})
            if extra:
                raise self.fail(f"the substitution of {what} has both `si_sr` and {extra[0]!r}; give one basis",
                                raw, extra[0])
            return Substitution("si-sr", citation, si_sr=self.fraction(raw, "si_sr", raw["si_sr"]))
        if raw.get("share_of_uses") is None or raw.get("years_to_switch") is None:
            raise self.fail(f"the substitution of {what} needs `si_sr` (EU CRM index), or `share_of_uses` "
                            "and `years_to_switch`", raw)
        years = raw["years_to_switch"]
        if not isinstance(years, (int, float)) or isinstance(years, bool) or not 0 <= years <= 50:
            raise self.fail(f"years_to_switch {years!r} must be a number of years in 0-50", raw, "years_to_switch")
        return Substitution("share-of-uses", citation,
                            share_of_uses=self.fraction(raw, "share_of_uses", raw["share_of_uses"]),
                            years_to_switch=float(years))

    def check_acyclic(self, edges: list[Edge]) -> None:
        """No edge twice and no cycle. Acyclic maps (every valid one) are checked by peeling off nodes with
        no remaining input (Kahn 1962) without networkx; a map that fails it is handed to networkx, whose
        ``find_cycle`` names the cycle in the message."""
        seen: set[tuple[str, str]] = set()
        for edge in edges:
            if (edge.input, edge.output) in seen:
                raise self.invalid(f"edge {edge.input} -> {edge.output} appears twice; keep one", _at(edge.line), None)
            seen.add((edge.input, edge.output))
        if _acyclic(seen):
            return
        import networkx as nx

        graph = nx.DiGraph()
        for edge in edges:
            graph.add_edge(edge.input, edge.output, line=edge.line)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            return
        path = " -> ".join([u for u, _v in cycle] + [cycle[0][0]])
        last = max((graph.edges[u, v]["line"] for u, v in cycle), default=None)
        raise self.invalid(
            f"the edges form a cycle {path}; a map must be acyclic - remove or reverse one " "of these edges",
            _at(last),
            None,
        )


def _at(line: int | None) -> _Mapping:
    mapping = _Mapping()
    mapping.line = line or 0
    mapping.key_lines = {}
    return mapping


def _acyclic(edges: set[tuple[str, str]]) -> bool:
    """Whether the directed graph of ``edges`` has no cycle (Kahn's peeling: every node leaves)."""
    inputs: dict[str, int] = {}
    outputs: dict[str, list[str]] = {}
    for u, v in edges:
        inputs.setdefault(u, 0)
        inputs[v] = inputs.get(v, 0) + 1
        outputs.setdefault(u, []).append(v)
    ready = [node for node, count in inputs.items() if count == 0]
    left = len(inputs)
    while ready:
        node = ready.pop()
        left -= 1
        for nxt in outputs.get(node, ()):
            inputs[nxt] -= 1
            if inputs[nxt] == 0:
                ready.append(nxt)
    return left == 0
