"""The screening engine: one small, pure evaluator of rules held as data.

A regime (India's FDI policy, Japan's FEFTA) is a set of rules, each with an effective period, a condition
and a requirement. For a transaction on date *d*, the engine keeps the rules possibly in force on *d*, fires
those whose condition holds, and gives the regime's requirement as the **most restrictive** requirement
among the fired rules::

    none < report < notification < approval < prohibited

Taking the maximum makes the result independent of rule order. Each fired rule comes back with its text,
citation and the facts that matched. The engine then looks for *conditions that would change the outcome*
by re-screening the transaction with each value the rules themselves test (a stake just either side of each
threshold, each owner removed or below its threshold, each flag toggled, listed/unlisted, the acquirer
outside each country set, the days on which rules start or stop) and keeping the changes that alter the
requirement. Nothing here is specific to a country.
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


@dataclass(frozen=True)
class Definition:
    """A named condition, versioned like a rule; versions in force on the same day are joined by *or*."""

    name: str
    when: Condition
    effective: Period = Period()


@dataclass(frozen=True)
class Regime:
    id: str
    name: str
    jurisdiction: str
    authority: str
    version: str
    rules: tuple[Rule, ...]
    definitions: tuple[Definition, ...] = ()
    sectors_covered: frozenset[str] = frozenset()
    flags: Mapping[str, str] = field(default_factory=dict)  # flag -> what asserting it means
    country_sets: Mapping[str, frozenset[str]] = field(default_factory=dict)
    encoded_from: dt.date | None = None  # the law before this day is only partly encoded
    source_file: str | None = None

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


@dataclass(frozen=True)
class Change:
    """A condition that would change the outcome, and the requirement it would lead to."""

    description: str
    requirement: Requirement


@dataclass(frozen=True)
class RegimeDecision:
    regime: str
    name: str
    requirement: Requirement
    route: str | None
    rules: tuple[FiredRule, ...]
    changes: tuple[Change, ...] = ()
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class NotApplicable:
    regime: str
    reason: str


def applies(regime: Regime, tx: Transaction) -> str | None:
    """None when the regime screens ``tx``; otherwise why it does not."""
    if tx.target != regime.jurisdiction:
        return f"the target is in {tx.target}, not {regime.jurisdiction}"
    if tx.acquirer == regime.jurisdiction:
        return f"the acquirer is from {regime.jurisdiction}: not a foreign investment under this regime"
    return None


def _fire(regime: Regime, tx: Transaction) -> tuple[Requirement, str | None, tuple[FiredRule, ...]]:
    env = regime.environment(tx.date)
    fired = []
    for rule in regime.rules:
        if not rule.effective.possibly_in_force(tx.date):
            continue
        match = rule.when.evaluate(tx, env)
        if match.holds:
            fired.append(FiredRule(rule.id, rule.text, rule.requirement, rule.citation, match.facts, rule.route,
                                   certain=rule.effective.certainly_in_force(tx.date)))
    fired.sort(key=lambda f: (-f.requirement.rank, f.id))
    requirement = fired[0].requirement if fired else Requirement.NONE
    routes = sorted({f.route for f in fired if f.route and f.requirement is requirement})
    return requirement, ("/".join(routes) or None), tuple(fired)


def requirement_of(regime: Regime, tx: Transaction) -> Requirement:
    """The regime's requirement for ``tx`` (``none`` where the regime does not apply)."""
    if applies(regime, tx) is not None:
        return Requirement.NONE
    return _fire(regime, tx)[0]


def screen_regime(regime: Regime, tx: Transaction) -> RegimeDecision:
    requirement, route, fired = _fire(regime, tx)
    caveats = []
    uncovered = sorted(tx.sectors - regime.sectors_covered)
    if uncovered:
        caveats.append(f"the bundled rules of {regime.id} do not cover {', '.join(uncovered)}; "
                       "check the full policy for these activities")
    for rule in fired:
        if not rule.certain:
            caveats.append(f"rule {rule.id} may not be in force on {tx.date}: its dates are known only "
                           "approximately; it was applied as the cautious reading")
    if regime.encoded_from is not None and tx.date < regime.encoded_from:
        caveats.append(f"the bundled rules of {regime.id} encode the law from {regime.encoded_from}; "
                       "earlier law is only partly encoded")
    unconfirmed = sorted({r.id for r in fired if not r.citation.confirmed})
    if unconfirmed:
        caveats.append("unconfirmed against the official text: " + ", ".join(unconfirmed))
    return RegimeDecision(regime.id, regime.name, requirement, route, fired,
                          tuple(what_would_change(regime, tx, requirement)), tuple(caveats))


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
                if owner.country not in atom.countries:
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
        if day != tx.date:
            variants.append((f"the transaction were dated {day}", tx.with_(date=day)))
    return variants


def what_would_change(regime: Regime, tx: Transaction, current: Requirement) -> list[Change]:
    """One-fact changes to ``tx`` that alter the regime's requirement, most permissive first."""
    changes: dict[str, Change] = {}
    for description, variant in _variants(regime, tx):
        outcome = requirement_of(regime, variant)
        if outcome is not current and description not in changes:
            changes[description] = Change(description, outcome)
    return sorted(changes.values(), key=lambda c: (c.requirement.rank, c.description))
