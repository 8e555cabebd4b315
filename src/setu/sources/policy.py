"""Read and validate the policy library (``setu-policy/1``), the activity vocabulary (``setu-sectors/1``) and
screening rules (``setu-screening/1``); the formats are documented in docs/policy.md.

Every rejection names the file, the 1-based line and the field, and says what to write instead (the
line-marked YAML and shared helpers are in ``policy_yaml``; the rules reader in ``policy_rules``).
Materials must be slugs of ``data/reference/materials.csv`` and countries ISO3 codes of
``data/reference/countries.csv``; map node references (``map:node``) are checked against the maps by the
caller (``check_nodes``), so this module never loads a map.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from setu.errors import DataFormatError
from setu.policy.library import (
    Citation,
    CriticalList,
    HsCode,
    Instrument,
    InstrumentKind,
    ListEntry,
    ListKind,
    MaterialLink,
    Period,
    PolicyLibrary,
    Relation,
)
from setu.policy.screening import Regime
from setu.policy.sectors import Sector, SectorVocabulary
from setu.sources.policy_rules import RuleReader
from setu.sources.policy_yaml import Map, Reader, Seq, read_yaml
from setu.sources.supply_map import HS_REVISIONS

LIBRARY_FORMAT = "setu-policy/1"
SECTORS_FORMAT = "setu-sectors/1"
HS6 = re.compile(r"^[0-9]{6}$")
JURISDICTIONS_BEYOND_ISO3 = {"EU"}  # the European Union issues lists but is not a country
LIST_KEYS = {"id", "name", "kind", "citation", "in_force", "confirmed", "note", "entries"}
ENTRY_KEYS = {"id", "name", "materials", "hs", "nodes", "citation", "in_force", "confirmed", "note"}
INSTRUMENT_KEYS = {"id", "name", "kind", "body", "citation", "in_force", "sectors", "materials", "nodes",
                   "summary", "confirmed", "note"}
SECTOR_KEYS = {"id", "name", "synonyms", "hs", "nodes"}
DOMAIN_SECTORS = {"semiconductors", "critical-minerals", "ict", "clean-energy", "pharmaceuticals"}


class LibraryReader(Reader):
    def read(self, document: Any) -> PolicyLibrary:
        top = self.mapping(document, "the policy file")
        self.keys(top, {"format", "jurisdiction", "version", "sources", "lists", "instruments"}, "the policy file")
        if top.get("format") != LIBRARY_FORMAT:
            raise self.fail(f"format is {top.get('format')!r}; this Setu reads `format: {LIBRARY_FORMAT}`", top,
                            "format")
        jurisdiction = self.text(top, "jurisdiction", "the policy file") or ""
        if jurisdiction not in JURISDICTIONS_BEYOND_ISO3:
            self.country(jurisdiction, top, "jurisdiction")
        version = self.text(top, "version", "the policy file") or ""
        self.read_sources(top)
        lists = [self.critical_list(raw, jurisdiction, items, i)
                 for items in [self.sequence(top, "lists", "the policy file")] for i, raw in enumerate(items)]
        instruments = [self.instrument(raw, jurisdiction, items, i)
                       for items in [self.sequence(top, "instruments", "the policy file")] for i, raw in enumerate(items)]
        self.unique([(x.id, None) for x in lists], "list", top)
        self.unique([(x.id, x.line) for x in instruments], "instrument", top)
        return PolicyLibrary(tuple(lists), tuple(instruments), ((self.file, version),))

    def unique(self, ids: Iterable[tuple[str, int | None]], what: str, top: Map) -> None:
        seen: set[str] = set()
        for item_id, line in ids:
            if item_id in seen:
                raise DataFormatError(f"{what} id {item_id!r} is used twice; give each its own id", file=self.file,
                                      line=line or top.line, field="id")
            seen.add(item_id)

    def critical_list(self, raw: Any, jurisdiction: str, parent: Seq, index: int) -> CriticalList:
        item = self.mapping(raw, "each list", parent, "lists", index)
        self.keys(item, LIST_KEYS, "a list")
        list_id = self.ident(item, "a list")
        what = f"list {list_id!r}"
        kind = item.get("kind")
        if kind not in {k.value for k in ListKind}:
            raise self.fail(f"kind of {what} is {kind!r}; use one of {', '.join(k.value for k in ListKind)}",
                            item, "kind")
        citation = self.citation(item, what)
        confirmed = self.flag(item, "confirmed", True)
        in_force = self.period(item, "in_force", what)
        entries_raw = self.sequence(item, "entries", what)
        if not entries_raw:
            raise self.fail(f"{what} has no entries; add an `entries:` list", item, "entries")
        entries = [self.entry(raw_entry, citation, in_force, confirmed, entries_raw, i)
                   for i, raw_entry in enumerate(entries_raw)]
        self.unique([(e.id, e.line) for e in entries], f"entry of {what}:", item)
        return CriticalList(list_id, self.text(item, "name", what) or "", jurisdiction, ListKind(kind), citation,
                            tuple(entries), in_force, confirmed, self.text(item, "note", what, optional=True),
                            self.file)

    def entry(self, raw: Any, inherited: Citation, period: Period, list_confirmed: bool, parent: Seq,
              index: int) -> ListEntry:
        item = self.mapping(raw, "each entry", parent, "entries", index)
        self.keys(item, ENTRY_KEYS, "an entry")
        entry_id = self.ident(item, "an entry")
        what = f"entry {entry_id!r}"
        links = []
        materials = self.sequence(item, "materials", what)
        for i, raw_link in enumerate(materials):
            link = self.mapping(raw_link, "each material link", materials, "materials", i)
            self.keys(link, {"material", "relation"}, "a material link")
            relation = link.get("relation", "exact")
            if relation not in {r.value for r in Relation}:
                raise self.fail(f"relation {relation!r}; use one of {', '.join(r.value for r in Relation)}",
                                link, "relation")
            links.append(MaterialLink(self.material(link.get("material"), link, "material"), Relation(relation)))
        hs_codes = []
        codes = self.sequence(item, "hs", what)
        for i, raw_code in enumerate(codes):
            code = self.mapping(raw_code, "each HS code", codes, "hs", i)
            self.keys(code, {"code", "revision"}, "an HS code")
            value, revision = str(code.get("code", "")), str(code.get("revision", ""))
            if not HS6.match(value):
                raise self.fail(f"HS code {value!r} must be six digits written as text, e.g. code: \"811292\"",
                                code, "code")
            if revision not in HS_REVISIONS:
                raise self.fail(f"HS revision {revision!r}; use one of {', '.join(HS_REVISIONS)}", code, "revision")
            hs_codes.append(HsCode(value, revision))
        citation = self.citation(item, what, inherited)
        own_period = self.period(item, "in_force", what)
        return ListEntry(
            id=entry_id, name=self.text(item, "name", what) or "", citation=citation, materials=tuple(links),
            hs=tuple(hs_codes), nodes=self.node_refs(item, what),
            in_force=own_period if item.get("in_force") is not None else period,
            confirmed=self.flag(item, "confirmed", list_confirmed) and citation.confirmed,
            note=self.text(item, "note", what, optional=True), line=item.line)

    def instrument(self, raw: Any, jurisdiction: str, parent: Seq, index: int) -> Instrument:
        item = self.mapping(raw, "each instrument", parent, "instruments", index)
        self.keys(item, INSTRUMENT_KEYS, "an instrument")
        inst_id = self.ident(item, "an instrument")
        what = f"instrument {inst_id!r}"
        kind = item.get("kind")
        if kind not in {k.value for k in InstrumentKind}:
            raise self.fail(f"kind of {what} is {kind!r}; use one of {', '.join(k.value for k in InstrumentKind)}",
                            item, "kind")
        sectors = self.sequence(item, "sectors", what)
        for i, sector in enumerate(sectors):
            if sector not in DOMAIN_SECTORS:
                raise self.fail(f"sector {sector!r}; use one of {', '.join(sorted(DOMAIN_SECTORS))}", sectors,
                                "sectors", i)
        materials = self.sequence(item, "materials", what)
        citation = self.citation(item, what)
        return Instrument(
            id=inst_id, name=self.text(item, "name", what) or "", jurisdiction=jurisdiction,
            kind=InstrumentKind(kind), body=self.text(item, "body", what) or "", citation=citation,
            summary=self.text(item, "summary", what) or "", in_force=self.period(item, "in_force", what),
            sectors=tuple(str(s) for s in sectors),
            materials=tuple(self.material(m, materials, "materials", i) for i, m in enumerate(materials)),
            nodes=self.node_refs(item, what), confirmed=self.flag(item, "confirmed", True) and citation.confirmed,
            source_file=self.file, line=item.line)


def load_library(paths: Iterable[Path | str]) -> PolicyLibrary:
    """Parse and validate library files; raises DataFormatError naming file:line:field."""
    library = PolicyLibrary()
    first_file: dict[str, str] = {}
    for path in paths:
        document, file = read_yaml(path)
        part = LibraryReader(file).read(document)
        for item_id in [c.id for c in part.lists] + [i.id for i in part.instruments]:
            if item_id in first_file:
                raise DataFormatError(f"id {item_id!r} is already used in {first_file[item_id]}; give each list "
                                      "and instrument its own id", file=file, field="id")
            first_file[item_id] = file
        library = library.merged(part)
    return library


def load_sectors(path: Path | str) -> SectorVocabulary:
    """Parse the activity vocabulary (``setu-sectors/1``)."""
    document, file = read_yaml(path)
    reader = Reader(file)
    top = reader.mapping(document, "the sectors file")
    reader.keys(top, {"format", "sectors"}, "the sectors file")
    if top.get("format") != SECTORS_FORMAT:
        raise reader.fail(f"format is {top.get('format')!r}; this Setu reads `format: {SECTORS_FORMAT}`", top,
                          "format")
    sectors = []
    items = reader.sequence(top, "sectors", "the sectors file")
    for index, raw in enumerate(items):
        item = reader.mapping(raw, "each sector", items, "sectors", index)
        reader.keys(item, SECTOR_KEYS, "a sector")
        sector_id = reader.ident(item, "a sector")
        prefixes = reader.sequence(item, "hs", f"sector {sector_id!r}")
        for i, prefix in enumerate(prefixes):
            if not re.fullmatch(r"[0-9]{2,6}", str(prefix)):
                raise reader.fail(f"HS prefix {prefix!r} must be 2 to 6 digits written as text", prefixes, "hs", i)
        sectors.append(Sector(sector_id, reader.text(item, "name", sector_id) or "",
                              tuple(str(s) for s in reader.sequence(item, "synonyms", sector_id)),
                              tuple(str(p) for p in prefixes), reader.node_refs(item, sector_id)))
    return SectorVocabulary(tuple(sectors))


def load_regime(path: Path | str, sector_ids: Iterable[str]) -> Regime:
    """Parse and validate one screening-rules file against the activity vocabulary."""
    document, file = read_yaml(path)
    return RuleReader(Reader(file), frozenset(sector_ids)).read(document)


def check_nodes(references: Iterable[tuple[str, str]], has_node: Callable[[str, str], bool | None]) -> list[str]:
    """Problems with ``(where, "map:node")`` references; ``has_node(map, node)`` is None for an unknown map."""
    problems = []
    for where, ref in references:
        map_id, node_id = ref.split(":", 1)
        known = has_node(map_id, node_id)
        if known is None:
            problems.append(f"{where}: map {map_id!r} of node {ref!r} is not a bundled map")
        elif not known:
            problems.append(f"{where}: node {node_id!r} is not in map {map_id!r}")
    return problems
