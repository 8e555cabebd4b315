"""Read and validate screening rules (``setu-screening/1``): one regime per file, its coverage (activities and
periods whose law it encodes), country sets (with members held by a reading), flags, versioned definitions and
rules. Conditions are parsed into ``setu.policy.conditions``; every rejection names
file, line and field.

A condition is a mapping whose keys must all hold::

    sector: [battery-manufacturing, ...]   the target's activity is one of these (ids of sectors.yaml)
    acquirer: land-border                  the acquirer's country is in a country set (or an inline list)
    owner: {in: SET, basis: [citizen, situated], share_above: 0.10, share_at_most: 0.10, control: true}
    owner: {in: SET, outside: true, control: true}   an owner from a country *outside* the set
    owners_outside: {of: SET, share_at_least: 0.5}   owners outside the set hold this much together
    stake_above | stake_at_least | stake_below | stake_at_most: 0.10   (fractions 0-1)
    listed: true | false
    flag: NAME                             a fact the regime declares under `flags:`
    use: NAME | [NAME, ...]                named definitions of the regime (all must hold)
    any: [condition, ...] | all: [condition, ...] | not: condition

A rule's condition must test something: a rule that always holds (``when: {}``) would answer for activities the
rules do not encode, which is what ``coverage`` exists to prevent.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

import networkx as nx

from setu.policy.conditions import (
    AcquirerIn,
    AllOf,
    Always,
    AnyOf,
    Condition,
    Flag,
    Listed,
    Noted,
    Not,
    OwnerMatches,
    OwnersOutside,
    SectorIn,
    Stake,
    Use,
    atoms,
)
from setu.policy.screening import Coverage, Definition, Regime, Requirement, Rule
from setu.policy.transaction import Basis
from setu.sources.policy_yaml import Map, Reader, Seq

RULES_FORMAT = "setu-screening/1"
TOP_KEYS = {"format", "regime", "name", "jurisdiction", "authority", "version", "checked", "coverage", "sources",
            "country_sets", "flags", "foreign_acquirer", "definitions", "rules"}
RULE_KEYS = {"id", "text", "effective", "when", "then", "citation", "note", "unconfirmed"}
DEFINITION_KEYS = {"name", "effective", "when", "note", "unconfirmed"}
COVERAGE_KEYS = {"sectors", "from", "until", "note"}
CONDITION_KEYS = {"sector", "acquirer", "owner", "owners_outside", "stake_above", "stake_at_least", "stake_below",
                  "stake_at_most", "listed", "flag", "use", "any", "all", "not"}
OWNER_KEYS = {"in", "outside", "basis", "share_above", "share_at_most", "control"}
OWNERS_OUTSIDE_KEYS = {"of", "share_above", "share_at_least"}


class RuleReader:
    def __init__(self, reader: Reader, sector_ids: frozenset[str]):
        self.r = reader
        self.sector_ids = sector_ids
        self.sets: dict[str, frozenset[str]] = {}
        self.set_names: dict[str, str] = {}
        self.set_readings: dict[str, tuple[tuple[str, str], ...]] = {}
        self.flags: dict[str, str] = {}
        self.definition_names: set[str] = set()
        self.uses: list[tuple[str, str, Map]] = []  # (definition or rule, used name, where)

    def read(self, document: Any) -> Regime:
        r = self.r
        top = r.mapping(document, "the rules file")
        r.keys(top, TOP_KEYS, "the rules file")
        if top.get("format") != RULES_FORMAT:
            raise r.fail(f"format is {top.get('format')!r}; this Setu reads `format: {RULES_FORMAT}`", top, "format")
        jurisdiction = r.country(r.text(top, "jurisdiction", "the rules file"), top, "jurisdiction")
        r.read_sources(top)
        self.read_sets(top)
        raw_flags = top.get("flags") or Map()
        for name, meaning in r.mapping(raw_flags, "flags", top, "flags").items():
            self.flags[str(name)] = str(meaning)
        coverage = self.coverage(top)
        raw_definitions = r.sequence(top, "definitions", "the rules file")
        self.definition_names = {str(d.get("name")) for d in raw_definitions if isinstance(d, Map)}
        definitions = [self.definition(raw, raw_definitions, i) for i, raw in enumerate(raw_definitions)]
        raw_rules = r.sequence(top, "rules", "the rules file")
        if not raw_rules:
            raise r.fail("the rules file has no rules; add a `rules:` list", top, "rules")
        rules = [self.rule(raw, raw_rules, i) for i, raw in enumerate(raw_rules)]
        seen: dict[str, int | None] = {}
        for index, rule in enumerate(rules):
            if rule.id in seen:
                raise r.fail(f"rule id {rule.id!r} is used twice (first at line {seen[rule.id]}); give each rule "
                              "its own id", raw_rules, "id", index)
            seen[rule.id] = rule.line
        foreign_acquirer = (self.condition(top["foreign_acquirer"], top, "foreign_acquirer", "foreign_acquirer")
                            if top.get("foreign_acquirer") is not None else None)
        self.check_definitions()
        self.check_sectors_covered(raw_rules, rules, definitions, coverage)
        checked = self.full_date(top, "checked", "the rules file")
        return Regime(
            id=r.text(top, "regime", "the rules file") or "", name=r.text(top, "name", "the rules file") or "",
            jurisdiction=jurisdiction, authority=r.text(top, "authority", "the rules file") or "",
            version=r.text(top, "version", "the rules file") or "", rules=tuple(rules),
            definitions=tuple(definitions), coverage=coverage, flags=dict(self.flags), country_sets=dict(self.sets),
            checked=checked, foreign_acquirer=foreign_acquirer, source_file=r.file)

    def full_date(self, item: Map, key: str, what: str, optional: bool = True) -> dt.date | None:
        value = self.r.date(item, key, what, optional=optional)
        if value is not None and not value.exact:
            raise self.r.fail(f"{key} of {what} must be a full date \"YYYY-MM-DD\"", item, key)
        return value.earliest if value is not None else None

    def coverage(self, top: Map) -> tuple[Coverage, ...]:
        """``coverage:``: the activities whose law the rules encode, each over a period; required, so that a
        regime never answers for an activity or a day it does not encode."""
        items = self.r.sequence(top, "coverage", "the rules file")
        if not items:
            raise self.r.fail("the rules file declares no `coverage:`; list the activities whose law the rules "
                              "encode and from when, e.g. `coverage: [{sectors: [mining-metal-ores], from: "
                              "\"2017-01-01\"}]`", top, "coverage")
        found = []
        for index, raw in enumerate(items):
            item = self.r.mapping(raw, "each coverage entry", items, "coverage", index)
            self.r.keys(item, COVERAGE_KEYS, "a coverage entry")
            sectors = self.r.sequence(item, "sectors", "a coverage entry")
            if not sectors:
                raise self.r.fail("a coverage entry needs `sectors:` (ids of sectors.yaml)", item, "sectors")
            start = self.full_date(item, "from", "a coverage entry", optional=False)
            end = self.full_date(item, "until", "a coverage entry")
            assert start is not None
            if end is not None and end < start:
                raise self.r.fail(f"coverage ends ({end}) before it starts ({start})", item, "until")
            found.append(Coverage(frozenset(self.sector(s, sectors, "sectors", i) for i, s in enumerate(sectors)),
                                  start, end, self.r.text(item, "note", "a coverage entry", optional=True)))
        return tuple(found)

    def read_sets(self, top: Map) -> None:
        raw = top.get("country_sets") or Map()
        sets = self.r.mapping(raw, "country_sets", top, "country_sets")
        for key, value in sets.items():
            item = self.r.mapping(value, f"country set {key!r}", sets, str(key))
            self.r.keys(item, {"name", "countries", "readings", "note"}, f"country set {key!r}")
            countries = self.r.sequence(item, "countries", f"country set {key!r}")
            self.sets[str(key)] = frozenset(self.r.country(c, countries, "countries", i) for i, c in enumerate(countries))
            self.set_names[str(key)] = str(item.get("name") or key)
            raw_readings = self.r.mapping(item.get("readings") or Map(), "readings", item, "readings")
            readings = []
            for code, basis in raw_readings.items():
                if str(code) not in self.sets[str(key)]:
                    raise self.r.fail(f"reading for {code!r}, which is not among the countries of set {key!r}",
                                      raw_readings, str(code))
                readings.append((str(code), " ".join(str(basis).split())))
            self.set_readings[str(key)] = tuple(sorted(readings))

    def sector(self, value: Any, where: Map | Seq, field: str, index: int | None = None) -> str:
        if value not in self.sector_ids:
            contained = [s for s in sorted(self.sector_ids) if str(value) in s]
            close = (contained + difflib.get_close_matches(str(value), sorted(self.sector_ids), n=3, cutoff=0.5))[:3]
            raise self.r.fail(f"unknown sector {value!r}; use an id of sectors.yaml"
                              + (f" (did you mean {', '.join(close)}?)" if close else ""), where, field, index)
        return str(value)

    def definition(self, raw: Any, parent: Seq, index: int) -> Definition:
        item = self.r.mapping(raw, "each definition", parent, "definitions", index)
        self.r.keys(item, DEFINITION_KEYS, "a definition")
        name = self.r.text(item, "name", "a definition") or ""
        when = self.condition(item.get("when"), item, "when", f"definition {name!r}")
        note = self.r.text(item, "unconfirmed", f"definition {name!r}", optional=True)
        if note:
            when = Noted(when, " ".join(note.split()))
        return Definition(name, when, self.r.period(item, "effective", f"definition {name!r}"))

    def rule(self, raw: Any, parent: Seq, index: int) -> Rule:
        item = self.r.mapping(raw, "each rule", parent, "rules", index)
        self.r.keys(item, RULE_KEYS, "a rule")
        rule_id = self.r.ident(item, "a rule")
        what = f"rule {rule_id!r}"
        then = self.r.mapping(item.get("then"), f"`then` of {what}", item, "then")
        self.r.keys(then, {"requirement", "route"}, f"`then` of {what}")
        requirement = then.get("requirement")
        if requirement not in {q.value for q in Requirement}:
            raise self.r.fail(f"requirement {requirement!r}; use one of {', '.join(q.value for q in Requirement)}",
                              then, "requirement")
        when = self.condition(item.get("when"), item, "when", what)
        if isinstance(when, Always):
            raise self.r.fail(f"{what} holds for every investment (`when: {{}}`); such a rule would answer for "
                              "activities the rules do not encode. Give it a condition (e.g. `sector: [...]`) and "
                              "declare the activities under `coverage:`", item, "when")
        unconfirmed = self.r.text(item, "unconfirmed", what, optional=True)
        return Rule(
            id=rule_id, text=" ".join((self.r.text(item, "text", what) or "").split()),
            when=when, requirement=Requirement(requirement),
            citation=self.r.citation(item, what), effective=self.r.period(item, "effective", what),
            route=self.r.text(then, "route", what, optional=True), line=item.line,
            unconfirmed=" ".join(unconfirmed.split()) if unconfirmed else None)

    def condition(self, raw: Any, parent: Map | Seq, field: str | None, what: str, index: int | None = None
                  ) -> Condition:
        if raw is None:
            raise self.r.fail(f"{what} has no condition; write `when: {{}}` for 'always'", parent, field, index)
        item = self.r.mapping(raw, f"the condition of {what}", parent, field, index)
        self.r.keys(item, CONDITION_KEYS, f"the condition of {what}")
        parts = [self.atom(key, item, what) for key in sorted(item)]
        if not parts:
            return Always()
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def conditions(self, item: Map, key: str, what: str) -> tuple[Condition, ...]:
        items = item[key]
        if not isinstance(items, Seq) or not items:
            raise self.r.fail(f"`{key}` must be a non-empty list of conditions", item, key)
        return tuple(self.condition(sub, items, key, what, i) for i, sub in enumerate(items))

    def fraction(self, item: Map, key: str) -> float:
        value = item[key]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            raise self.r.fail(f"{key} must be a fraction in 0-1 (write 0.10 for 10 %), got {value!r}", item, key)
        return float(value)

    def country_set(self, value: Any, item: Map, key: str) -> tuple[frozenset[str], str]:
        if isinstance(value, Seq):
            return frozenset(self.r.country(c, value, key, i) for i, c in enumerate(value)), ", ".join(value)
        if str(value) not in self.sets:
            close = difflib.get_close_matches(str(value), sorted(self.sets), n=3)
            raise self.r.fail(f"country set {value!r} is not defined under `country_sets:`"
                              + (f"; did you mean {', '.join(close)}?" if close else ""), item, key)
        return self.sets[str(value)], self.set_names[str(value)]

    def atom(self, key: str, item: Map, what: str) -> Condition:
        value = item[key]
        if key == "sector":
            values = value if isinstance(value, Seq) else [value]
            return SectorIn(frozenset(self.sector(v, item, key) for v in values))
        if key == "acquirer":
            countries, label = self.country_set(value, item, key)
            return AcquirerIn(countries, label, self.set_readings.get(str(value), ()) if not isinstance(value, Seq)
                              else ())
        if key == "owner":
            return self.owner(self.r.mapping(value, "owner", item, key), what)
        if key == "owners_outside":
            test = self.r.mapping(value, "owners_outside", item, key)
            self.r.keys(test, OWNERS_OUTSIDE_KEYS, f"an owners_outside test of {what}")
            if "of" not in test or ("share_above" in test) == ("share_at_least" in test):
                raise self.r.fail("owners_outside needs `of:` (a country set or ISO3 list) and one of share_above "
                                  "or share_at_least", test)
            countries, label = self.country_set(test["of"], test, "of")
            return OwnersOutside(countries, label,
                                 self.fraction(test, "share_above") if "share_above" in test else None,
                                 self.fraction(test, "share_at_least") if "share_at_least" in test else None)
        if key.startswith("stake_"):
            return Stake(key.removeprefix("stake_"), self.fraction(item, key))
        if key == "listed":
            return Listed(self.r.flag(item, key, False))
        if key == "flag":
            if str(value) not in self.flags:
                close = difflib.get_close_matches(str(value), sorted(self.flags), n=3)
                raise self.r.fail(f"flag {value!r} is not declared under `flags:`"
                                  + (f"; did you mean {', '.join(close)}?" if close else ""), item, key)
            return Flag(str(value))
        if key == "use":
            names = list(value) if isinstance(value, Seq) else [value]
            uses = []
            for name in names:
                if str(name) not in self.definition_names:
                    close = difflib.get_close_matches(str(name), sorted(self.definition_names), n=3)
                    raise self.r.fail(f"definition {name!r} is not defined under `definitions:`"
                                      + (f"; did you mean {', '.join(close)}?" if close else ""), item, key)
                self.uses.append((what, str(name), item))
                uses.append(Use(str(name)))
            return uses[0] if len(uses) == 1 else AllOf(tuple(uses))
        if key == "not":
            return Not(self.condition(value, item, key, what))
        parts = self.conditions(item, key, what)
        return AnyOf(parts) if key == "any" else AllOf(parts)

    def owner(self, item: Map, what: str) -> OwnerMatches:
        self.r.keys(item, OWNER_KEYS, f"an owner test of {what}")
        if "in" not in item:
            raise self.r.fail("an owner test needs `in:` (a country set or a list of ISO3 codes)", item)
        countries, label = self.country_set(item["in"], item, "in")
        bases = item.get("basis", [b.value for b in Basis])
        for basis in bases:
            if basis not in {b.value for b in Basis}:
                raise self.r.fail(f"basis {basis!r}; use citizen or situated", item, "basis")
        control = item.get("control")
        if control is not None and not isinstance(control, bool):
            raise self.r.fail("control must be true or false", item, "control")
        readings = () if isinstance(item["in"], Seq) else self.set_readings.get(str(item["in"]), ())
        return OwnerMatches(
            countries, label, frozenset(Basis(b) for b in bases),
            share_above=self.fraction(item, "share_above") if "share_above" in item else None,
            share_at_most=self.fraction(item, "share_at_most") if "share_at_most" in item else None,
            control=control, readings=readings, outside=self.r.flag(item, "outside", False))

    def check_sectors_covered(self, raw_rules: Seq, rules: list[Rule], definitions: list[Definition],
                              coverage: tuple[Coverage, ...]) -> None:
        """Every activity a rule or definition names is in ``coverage:``: a rule may not answer for an activity
        whose law the file does not claim to encode."""
        covered = {s for c in coverage for s in c.sectors}
        env = {d.name: d.when for d in definitions}
        for index, rule in enumerate(rules):
            named = {s for atom in atoms(rule.when, env) if isinstance(atom, SectorIn) for s in atom.sectors}
            missing = sorted(named - covered)
            if missing:
                raise self.r.fail(f"rule {rule.id!r} names {', '.join(missing)}, which `coverage:` does not list; "
                                  "add the activities to the coverage (with the period encoded) or drop them",
                                  raw_rules, "when", index)

    def check_definitions(self) -> None:
        """Definitions may use each other but not in a cycle."""
        graph = nx.DiGraph()
        for user, used, _where in self.uses:
            if user.startswith("definition "):
                graph.add_edge(user.removeprefix("definition ").strip("'"), used)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            return
        where = next(w for u, n, w in self.uses if n == cycle[0][1])
        raise self.r.fail("definitions use each other in a cycle: " + " -> ".join([u for u, _ in cycle] + [cycle[0][0]]),
                          where, "use")


