"""Conditions of screening rules: a small, closed language of facts about a transaction.

A condition is a tree of atoms (sector, acquirer country, beneficial owner, stake, listed, flag) joined by
``all`` / ``any`` / ``not`` and ``use`` (a named definition of the regime). Evaluating one returns whether it
holds and the facts that made it hold, so every decision can say *why*. No rule logic lives in Python: the
rules are data (``data/policy/screening/*.yaml``), and this module only knows what each atom means.

All atoms except ``not`` are monotone in the owners: adding a beneficial owner can only make an ``owner``
atom true, never false. Rule files that keep ``not`` away from owner atoms therefore satisfy "adding an owner
never makes a case less restrictive" (checked by property tests on the bundled rules).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from setu.domain.shares import threshold_text
from setu.policy.transaction import Basis, Transaction


@dataclass(frozen=True)
class Match:
    holds: bool
    facts: tuple[str, ...] = ()


NO = Match(False)


class Condition:
    """Base of the atoms and connectives."""

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def children(self, env: Mapping[str, Condition]) -> tuple[Condition, ...]:
        return ()


@dataclass(frozen=True)
class Always(Condition):
    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        return Match(True, ())

    def describe(self) -> str:
        return "any investment"


@dataclass(frozen=True)
class SectorIn(Condition):
    sectors: frozenset[str]

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        hit = sorted(tx.sectors & self.sectors)
        return Match(True, (f"target activity {', '.join(hit)}",)) if hit else NO

    def describe(self) -> str:
        return "target activity in " + ", ".join(sorted(self.sectors))


@dataclass(frozen=True)
class AcquirerIn(Condition):
    countries: frozenset[str]
    label: str

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        if tx.acquirer in self.countries:
            return Match(True, (f"acquirer {tx.acquirer} is in {self.label}",))
        return NO

    def describe(self) -> str:
        return f"acquirer in {self.label}"


@dataclass(frozen=True)
class OwnerMatches(Condition):
    """Some beneficial owner is tied to one of ``countries`` on one of ``bases`` and meets the share/control tests."""

    countries: frozenset[str]
    label: str
    bases: frozenset[Basis] = frozenset(Basis)
    share_above: float | None = None
    share_at_most: float | None = None
    control: bool | None = None

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        facts = []
        for owner in tx.owners:
            if owner.country not in self.countries or owner.basis not in self.bases:
                continue
            if self.control is not None and owner.control is not self.control:
                continue
            if self.share_at_most is not None and (owner.share is None or owner.share > self.share_at_most):
                continue
            assumed = ""
            if self.share_above is not None:
                if owner.share is None:
                    assumed = f"; share not given, taken as above {threshold_text(self.share_above)}"
                elif owner.share <= self.share_above:
                    continue
            facts.append(f"beneficial owner: {owner.describe()} is in {self.label}{assumed}")
        return Match(True, tuple(facts)) if facts else NO

    def describe(self) -> str:
        tests = [f"{'/'.join(sorted(self.bases))} of {self.label}"]
        if self.share_above is not None:
            tests.append(f"holding more than {threshold_text(self.share_above)}")
        if self.share_at_most is not None:
            tests.append(f"holding at most {threshold_text(self.share_at_most)}")
        if self.control is not None:
            tests.append("with control" if self.control else "without control")
        return "a beneficial owner " + ", ".join(tests)


_STAKE_TESTS = {
    "above": (lambda stake, value: stake > value, "above"),
    "at_least": (lambda stake, value: stake >= value, "at least"),
    "below": (lambda stake, value: stake < value, "below"),
    "at_most": (lambda stake, value: stake <= value, "at most"),
}


@dataclass(frozen=True)
class Stake(Condition):
    test: str  # above | at_least | below | at_most
    value: float

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        check, words = _STAKE_TESTS[self.test]
        if check(tx.stake, self.value):
            return Match(True, (f"stake {threshold_text(tx.stake)} is {words} {threshold_text(self.value)}",))
        return NO

    def describe(self) -> str:
        return f"stake {_STAKE_TESTS[self.test][1]} {threshold_text(self.value)}"


@dataclass(frozen=True)
class Listed(Condition):
    value: bool

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        if tx.listed is self.value:
            return Match(True, ("target is listed" if self.value else "target is not listed",))
        return NO

    def describe(self) -> str:
        return "target listed" if self.value else "target not listed"


@dataclass(frozen=True)
class Flag(Condition):
    name: str

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        return Match(True, (f"flag {self.name}",)) if self.name in tx.flags else NO

    def describe(self) -> str:
        return f"flag {self.name}"


@dataclass(frozen=True)
class Not(Condition):
    inner: Condition

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        if self.inner.evaluate(tx, env).holds:
            return NO
        return Match(True, (f"not ({self.inner.describe()})",))

    def describe(self) -> str:
        return f"not ({self.inner.describe()})"

    def children(self, env: Mapping[str, Condition]) -> tuple[Condition, ...]:
        return (self.inner,)


@dataclass(frozen=True)
class AllOf(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        facts: list[str] = []
        for item in self.items:
            match = item.evaluate(tx, env)
            if not match.holds:
                return NO
            facts.extend(match.facts)
        return Match(True, tuple(facts))

    def describe(self) -> str:
        return " and ".join(item.describe() for item in self.items)

    def children(self, env: Mapping[str, Condition]) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True)
class AnyOf(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        facts: list[str] = []
        holds = False
        for item in self.items:
            match = item.evaluate(tx, env)
            if match.holds:
                holds = True
                facts.extend(match.facts)
        return Match(True, tuple(dict.fromkeys(facts))) if holds else NO

    def describe(self) -> str:
        return "(" + " or ".join(item.describe() for item in self.items) + ")"

    def children(self, env: Mapping[str, Condition]) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True)
class Use(Condition):
    """A named definition of the regime (``definitions:``), resolved for the transaction's date."""

    name: str

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        definition = env.get(self.name)
        return definition.evaluate(tx, env) if definition is not None else NO

    def describe(self) -> str:
        return self.name

    def children(self, env: Mapping[str, Condition]) -> tuple[Condition, ...]:
        definition = env.get(self.name)
        return (definition,) if definition is not None else ()


def atoms(condition: Condition, env: Mapping[str, Condition]) -> Iterator[Condition]:
    """Every atom under ``condition``, following ``use`` into the definitions (definitions are acyclic)."""
    children = condition.children(env)
    if not children and not isinstance(condition, (Use, Not, AllOf, AnyOf)):
        yield condition
    for child in children:
        yield from atoms(child, env)
