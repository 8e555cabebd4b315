"""The screening engine: one small, pure evaluator of rules held as data.

A regime (India's FDI policy, Japan's FEFTA) is a set of rules, each with an effective period, a condition
and a requirement, and a **coverage**: the activities whose law it encodes and the period over which it encodes
them. For a transaction on date *d*, the engine first asks whether every activity of the target is covered on
*d*; then it keeps the rules possibly in force on *d*, fires those whose condition holds, and gives the
regime's requirement as the **most restrictive** requirement among the fired rules::

    none < report < notification < approval < prohibited

Taking the maximum makes the result independent of rule order. Where an activity or the date lies outside the
coverage, the answer is *not covered by the encoded rules*, with what is missing, never ``none`` or a route:
the rules that did fire give only a lower bound (``at_least``). The one exception is ``prohibited``, the top
of the order: nothing an uncovered activity could add would change it. Outside the encoded period no rule is
fired at all, since none is known to be in force there. Each fired rule comes back with its
text, citation, the facts that matched, whether its citation is confirmed and the readings it rests on.

The engine then looks for *conditions that would change the outcome* by re-screening the transaction with each
value the rules themselves test (a stake just either side of each threshold, each owner removed or below its
threshold, each flag toggled, listed/unlisted, the acquirer outside each country set, the days on which rules
start or stop, but only days inside the coverage of the target's activities) and keeping the changes that
alter the requirement. Nothing here is specific to a country.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from setu.domain.shares import threshold_text
from setu.policy.conditions import (
    AcquirerIn,
    AnyOf,
    Condition,
    Flag,
    Listed,
    Match,
    OwnerMatches,
    Stake,
    atoms,
)
from setu.policy.library import Citation, PartialDate, Period
from setu.policy.transaction import BeneficialOwner, Transaction

OTHER_COUNTRY = "(other)"  # stands for "a country outside every set the rules name" in what-if checks
_NUDGE = 1e-6
_OPEN = PartialDate.parse("0001")  # sorts an open start first


class Requirement(StrEnum):
    NONE = "none"
    REPORT = "report"
    NOTIFICATION = "notification"
    APPROVAL = "approval"
    PROHIBITED = "prohibited"

    @property
    def rank(self) -> int:
        return list(Requirement).index(self)


NOT_COVERED = "not covered"  # how a decision without a requirement reads


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    when: Condition
    requirement: Requirement
    citation: Citation
    effective: Period = Period()
    route: str | None = None
    line: int | None = None
    unconfirmed: str | None = None  # what of the rule's date or scope is not confirmed against the official text


@dataclass(frozen=True)
class Definition:
    """A named condition, versioned like a rule; versions in force on the same day are joined by *or*."""

    name: str
    when: Condition
    effective: Period = Period()


@dataclass(frozen=True)
class Coverage:
    """Activities whose law a regime encodes over a period (``start`` to ``end`` inclusive; None = open end)."""

    sectors: frozenset[str]
    start: dt.date
    end: dt.date | None = None
    note: str | None = None

    def holds(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        return f"{self.start} to {self.end}" if self.end else f"from {self.start}"


@dataclass(frozen=True)
class Regime:
    id: str
    name: str
    jurisdiction: str
    authority: str
    version: str
    rules: tuple[Rule, ...]
    definitions: tuple[Definition, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    flags: Mapping[str, str] = field(default_factory=dict)  # flag -> what asserting it means
    country_sets: Mapping[str, frozenset[str]] = field(default_factory=dict)
    checked: dt.date | None = None  # the day the encoded law was last checked; later law may differ
    foreign_acquirer: Condition | None = None  # when an acquirer from the jurisdiction is a foreign investor
    source_file: str | None = None

    @property
    def sectors_covered(self) -> frozenset[str]:
        return frozenset(s for c in self.coverage for s in c.sectors)

    @property
    def encoded_from(self) -> dt.date | None:
        return min((c.start for c in self.coverage), default=None)

    def in_period(self, day: dt.date) -> bool:
        """Whether ``day`` is inside the period the rules encode for at least one activity; before it no rule
        is known to be in force, so none is fired."""
        return any(c.holds(day) for c in self.coverage)

    def covered_on(self, sector: str, day: dt.date) -> bool:
        return any(sector in c.sectors and c.holds(day) for c in self.coverage)

    def gaps(self, tx: Transaction) -> tuple[str, ...]:
        """What the encoded rules lack to answer for ``tx``: the date outside the encoded period, or one line per
        uncovered activity (empty = covered)."""
        if not self.in_period(tx.date):
            start = self.encoded_from
            return (f"{tx.date} is before the period the rules encode (from {start})" if start else
                    "the rules declare no coverage",)
        found = []
        for sector in sorted(tx.sectors):
            if self.covered_on(sector, tx.date):
                continue
            periods = [str(c) for c in self.coverage if sector in c.sectors]
            if periods:
                found.append(f"{sector} on {tx.date}: the rules encode its law only {', '.join(periods)}")
            else:
                found.append(f"{sector}: not among the activities whose law the rules encode")
        return tuple(found)

    def environment(self, day: dt.date) -> dict[str, Condition]:
        by_name: dict[str, list[Condition]] = {}
        ordered = sorted(self.definitions, key=lambda d: (d.name, d.effective.start or _OPEN, repr(d.when)))
        for definition in ordered:
            if definition.effective.possibly_in_force(day):
                by_name.setdefault(definition.name, []).append(definition.when)
        return {name: conds[0] if len(conds) == 1 else AnyOf(tuple(conds)) for name, conds in by_name.items()}


@dataclass(frozen=True)
class FiredRule:
    id: str
    text: str
    requirement: Requirement
    citation: Citation
    facts: tuple[str, ...]
    route: str | None = None
    certain: bool = True  # False when the rule's start or end date is known only to the month or year
    unconfirmed: str | None = None  # why the rule's date, scope or citation is not confirmed, if it is not
    readings: tuple[str, ...] = ()  # readings (not the text) the match rests on, each with its basis


@dataclass(frozen=True)
class Change:
    """A condition that would change the outcome, and the requirement it would lead to."""

    description: str
    requirement: Requirement


@dataclass(frozen=True)
class RegimeDecision:
    """A regime's answer. ``requirement`` is None when the encoded rules do not cover the case (``not_covered``
    says what is missing); ``at_least`` is then the most restrictive requirement of the rules that did fire."""

    regime: str
    name: str
    requirement: Requirement | None
    route: str | None
    rules: tuple[FiredRule, ...]
    changes: tuple[Change, ...] = ()
    caveats: tuple[str, ...] = ()
    not_covered: tuple[str, ...] = ()
    at_least: Requirement | None = None
    basis: tuple[str, ...] = ()  # why the regime applies when that is not plain (indirect foreign investment)

    @property
    def outcome(self) -> str:
        return self.requirement.value if self.requirement is not None else NOT_COVERED


@dataclass(frozen=True)
class NotApplicable:
    regime: str
    reason: str


def _indirect(regime: Regime, tx: Transaction) -> Match | None:
    """For an acquirer from the regime's own jurisdiction: the match that makes it a foreign investor, if any."""
    if regime.foreign_acquirer is None:
        return None
    match = regime.foreign_acquirer.evaluate(tx, regime.environment(tx.date))
    return match if match.holds else None


def applies(regime: Regime, tx: Transaction) -> str | None:
    """None when the regime screens ``tx``; otherwise why it does not.

    An acquirer incorporated in the regime's own country is a foreign investor when the owners given make it one
    (the regime's ``foreign_acquirer`` condition: India's indirect foreign investment, Japan's FEFTA Article
    26(1)(iii)); without owners it is taken as domestic and the reason says which facts would change that.
    """
    if tx.target != regime.jurisdiction:
        return f"the target is in {tx.target}, not {regime.jurisdiction}"
    if tx.acquirer == regime.jurisdiction and _indirect(regime, tx) is None:
        owners = "no owners were given" if not tx.owners else "the owners given do not make it foreign-owned or -controlled"
        test = (f"; it is one when {regime.foreign_acquirer.describe().strip('()')}"
                if regime.foreign_acquirer is not None else "")
        return (f"the acquirer is from {regime.jurisdiction} and {owners}: not a foreign investment under this "
                f"regime{test}; give its owners with --owner")
    return None


def _fire(regime: Regime, tx: Transaction) -> tuple[Requirement | None, str | None, tuple[FiredRule, ...]]:
    if not regime.in_period(tx.date):
        return None, None, ()
    env = regime.environment(tx.date)
    fired = []
    for rule in regime.rules:
        if not rule.effective.possibly_in_force(tx.date):
            continue
        match = rule.when.evaluate(tx, env)
        if match.holds:
            notes = [*([rule.unconfirmed] if rule.unconfirmed else []), *match.unconfirmed]
            if not rule.citation.confirmed:
                notes.append("the cited document or paragraph is not confirmed against the official text")
            unconfirmed = "; ".join(dict.fromkeys(note.rstrip(". ") for note in notes)) or None
            fired.append(FiredRule(rule.id, rule.text, rule.requirement, rule.citation, match.facts, rule.route,
                                   certain=rule.effective.certainly_in_force(tx.date), unconfirmed=unconfirmed,
                                   readings=match.readings))
    fired.sort(key=lambda f: (-f.requirement.rank, f.id))
    top = fired[0].requirement if fired else None
    routes = sorted({f.route for f in fired if f.route and f.requirement is top})
    return top, ("/".join(routes) or None), tuple(fired)


def _settled(regime: Regime, tx: Transaction, top: Requirement | None) -> Requirement | None:
    """The requirement when the rules answer for ``tx``: None where an activity or the date is not covered
    (unless a rule already prohibits), ``none`` where everything is covered and no rule fires."""
    if regime.gaps(tx) and top is not Requirement.PROHIBITED:
        return None
    return top if top is not None else Requirement.NONE


def requirement_of(regime: Regime, tx: Transaction) -> Requirement | None:
    """The regime's requirement for ``tx`` (``none`` where the regime does not apply; None where not covered)."""
    if applies(regime, tx) is not None:
        return Requirement.NONE
    return _settled(regime, tx, _fire(regime, tx)[0])


def screen_regime(regime: Regime, tx: Transaction) -> RegimeDecision:
    top, route, fired = _fire(regime, tx)
    requirement = _settled(regime, tx, top)
    gaps = regime.gaps(tx)
    caveats = []
    if gaps and requirement is not None:
        caveats.append(f"the rules of {regime.id} do not cover {'; '.join(gaps)}; the prohibition stands whatever "
                       "the law of those activities")
    for rule in fired:
        if not rule.certain:
            caveats.append(f"rule {rule.id} may not be in force on {tx.date}: its dates are known only "
                           "approximately; it was applied as the cautious reading")
    if regime.checked is not None and tx.date > regime.checked:
        caveats.append(f"the rules of {regime.id} state the law as checked on {regime.checked}; a change after "
                       "that day is not encoded")
    unconfirmed = sorted({r.id for r in fired if r.unconfirmed})
    if unconfirmed:
        caveats.append("unconfirmed against the official text: " + ", ".join(unconfirmed))
    if any(r.readings for r in fired):
        caveats.append("rests on a reading, not on the text: "
                       + "; ".join(dict.fromkeys(x for r in fired for x in r.readings)))
    indirect = _indirect(regime, tx) if tx.acquirer == regime.jurisdiction else None
    basis = (("indirect foreign investment: the acquirer is from " + regime.jurisdiction + " but "
              + "; ".join(indirect.facts)),) if indirect is not None else ()
    changes = tuple(what_would_change(regime, tx, requirement)) if requirement is not None else ()
    return RegimeDecision(regime.id, regime.name, requirement, route if requirement is not None else None, fired,
                          changes, tuple(caveats), gaps if requirement is None else (), top, basis)


def screen(regimes: Iterable[Regime], tx: Transaction) -> tuple[list[RegimeDecision], list[NotApplicable]]:
    """Screen ``tx`` under every regime: decisions for those that apply, reasons for the others."""
    decisions, skipped = [], []
    for regime in sorted(regimes, key=lambda r: r.id):
        reason = applies(regime, tx)
        if reason is None:
            decisions.append(screen_regime(regime, tx))
        else:
            skipped.append(NotApplicable(regime.id, reason))
    return decisions, skipped


def _variants(regime: Regime, tx: Transaction) -> list[tuple[str, Transaction]]:
    """Transactions that differ from ``tx`` in one fact the regime's rules test, each with a description."""
    env: dict[str, Condition] = {}
    for definition in sorted(regime.definitions, key=lambda d: (d.name, repr(d.when))):
        env.setdefault(definition.name, definition.when)
    seen: set[Condition] = set()
    for rule in regime.rules:
        seen.update(atoms(rule.when, env))
    for definition in regime.definitions:
        seen.update(atoms(definition.when, env))
    variants: list[tuple[str, Transaction]] = []
    for atom in sorted(seen, key=repr):
        if isinstance(atom, Stake):
            for value, words in ((atom.value - _NUDGE, "just below"), (atom.value, "of exactly"),
                                 (atom.value + _NUDGE, "just above")):
                if 0 < value <= 1 and value != tx.stake:
                    variants.append((f"the stake were {words} {threshold_text(atom.value)}", tx.with_(stake=value)))
        elif isinstance(atom, Flag):
            flags = tx.flags - {atom.name} if atom.name in tx.flags else tx.flags | {atom.name}
            verb = "withdrawn" if atom.name in tx.flags else "asserted"
            variants.append((f"flag {atom.name} were {verb}", tx.with_(flags=frozenset(flags))))
        elif isinstance(atom, Listed):
            words = "the target were unlisted" if tx.listed else "the target were listed"
            variants.append((words, tx.with_(listed=not tx.listed)))
        elif isinstance(atom, AcquirerIn) and tx.acquirer in atom.countries:
            variants.append((f"the acquirer were from outside {atom.label}", tx.with_(acquirer=OTHER_COUNTRY)))
        elif isinstance(atom, OwnerMatches):
            for index, owner in enumerate(tx.owners):
                if not atom.matches_country(owner.country):
                    continue
                rest = tx.owners[:index] + tx.owners[index + 1:]
                variants.append((f"the beneficial owner {owner.describe()} were absent", tx.with_(owners=rest)))

                def swap(changed: BeneficialOwner, index: int = index, rest: tuple = rest) -> Transaction:
                    return tx.with_(owners=rest[:index] + (changed,) + rest[index:])

                name = f"the beneficial owner from {owner.country}"
                control = "had" if not owner.control else "gave up"
                variants.append((f"{name} {control} control", swap(replace(owner, control=not owner.control))))
                for limit in (atom.share_above, atom.share_at_most):
                    if limit is None:
                        continue
                    for share, words in ((limit, "held at most"), (min(1.0, limit + _NUDGE), "held more than")):
                        if owner.share != share:
                            variants.append((f"{name} {words} {threshold_text(limit)}",
                                             swap(replace(owner, share=share))))
    boundaries = {d for r in regime.rules for d in r.effective.boundaries()}
    boundaries |= {d for df in regime.definitions for d in df.effective.boundaries()}
    for day in sorted(boundaries):
        if day != tx.date and all(regime.covered_on(sector, day) for sector in tx.sectors):
            variants.append((f"the transaction were dated {day}", tx.with_(date=day)))
    return variants


def what_would_change(regime: Regime, tx: Transaction, current: Requirement) -> list[Change]:
    """One-fact changes to ``tx`` that alter the regime's requirement, most permissive first. Only variants the
    rules cover are tried: a change that leads outside the coverage has no answer to report."""
    changes: dict[str, Change] = {}
    for description, variant in _variants(regime, tx):
        outcome = requirement_of(regime, variant)
        if outcome is not None and outcome is not current and description not in changes:
            changes[description] = Change(description, outcome)
    return sorted(changes.values(), key=lambda c: (c.requirement.rank, c.description))
