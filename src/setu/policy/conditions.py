"""Conditions of screening rules: a small, closed language of facts about a transaction.

A condition is a tree of atoms (sector, acquirer country, beneficial owner, owners' total share, stake, listed,
flag) joined by
``all`` / ``any`` / ``not`` and ``use`` (a named definition of the regime). Evaluating one returns whether it
holds and the facts that made it hold, so every decision can say *why*. No rule logic lives in Python: the
rules are data (``data/policy/screening/*.yaml``), and this module only knows what each atom means.

All atoms except ``not`` are monotone in the owners: adding a beneficial owner can only make an ``owner``
atom true, never false. Rule files that keep ``not`` away from owner atoms therefore satisfy "adding an owner
never makes a case less restrictive" (checked by property tests on the bundled rules).

A country set may hold members by a *reading* (an administrative practice or Setu's interpretation, not the
text: Hong Kong and Macao as parts of China for India's land-border rule). An atom that matches through such a
member says so in its fact and returns the reading with its basis in ``Match.readings``, so the rule that fired
can show that it rests on a reading, not on confirmed text.
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
    readings: tuple[str, ...] = ()  # "HKG: basis" for each member matched only by a reading
    unconfirmed: tuple[str, ...] = ()  # what the match rests on that is not confirmed against the official text


def _joined(matches: list[Match]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    facts = tuple(dict.fromkeys(f for m in matches for f in m.facts))
    readings = tuple(dict.fromkeys(r for m in matches for r in m.readings))
    return facts, readings, tuple(dict.fromkeys(u for m in matches for u in m.unconfirmed))


def _reading(country: str, readings: tuple[tuple[str, str], ...]) -> str | None:
    return next((f"{country} is counted by a reading, not by the text: {basis}" for code, basis in readings
                 if code == country), None)


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
    readings: tuple[tuple[str, str], ...] = ()  # (member, basis) held by a reading, not by the text

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        if tx.acquirer in self.countries:
            reading = _reading(tx.acquirer, self.readings)
            if reading:
                return Match(True, (f"acquirer {tx.acquirer} is in {self.label} (by a reading)",), (reading,))
            return Match(True, (f"acquirer {tx.acquirer} is in {self.label}",))
        return NO

    def describe(self) -> str:
        return f"acquirer in {self.label}"


@dataclass(frozen=True)
class OwnerMatches(Condition):
    """Some beneficial owner is tied to one of ``countries`` (or, with ``outside``, to a country not among them)
    on one of ``bases`` and meets the share/control tests."""

    countries: frozenset[str]
    label: str
    bases: frozenset[Basis] = frozenset(Basis)
    share_above: float | None = None
    share_at_most: float | None = None
    control: bool | None = None
    readings: tuple[tuple[str, str], ...] = ()
    outside: bool = False

    def matches_country(self, country: str) -> bool:
        return (country in self.countries) is not self.outside

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        facts, readings = [], []
        for owner in tx.owners:
            if not self.matches_country(owner.country) or owner.basis not in self.bases:
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
            reading = _reading(owner.country, self.readings)
            where = f"is outside {self.label}" if self.outside else f"is in {self.label}"
            facts.append(f"beneficial owner: {owner.describe()} {where}{' (by a reading)' if reading else ''}{assumed}")
            if reading:
                readings.append(reading)
        return Match(True, tuple(facts), tuple(dict.fromkeys(readings))) if facts else NO

    def describe(self) -> str:
        tests = [f"{'/'.join(sorted(self.bases))} of {'a country outside ' if self.outside else ''}{self.label}"]
        if self.share_above is not None:
            tests.append(f"holding more than {threshold_text(self.share_above)}")
        if self.share_at_most is not None:
            tests.append(f"holding at most {threshold_text(self.share_at_most)}")
        if self.control is not None:
            tests.append("with control" if self.control else "without control")
        return "a beneficial owner " + ", ".join(tests)


@dataclass(frozen=True)
class OwnersOutside(Condition):
    """The owners given, taken together, hold more than ``share_above`` of the acquirer from outside ``countries``.

    For "owned by non-residents" tests (India: an investing company is owned by resident Indian citizens only
    when they hold more than 50 % of its capital, so non-residents holding 50 % or more make its downstream
    investment indirect foreign investment, NDI Rules rule 23; Japan: a company with 50 % or more of its voting
    rights held by foreign investors is itself a foreign investor, FEFTA Article 26(1)(iii)). An owner whose share is not given is read cautiously, as enough on its
    own, and the fact says so.
    """

    countries: frozenset[str]
    label: str
    share_above: float | None = None
    share_at_least: float | None = None

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        outside = [o for o in tx.owners if o.country not in self.countries]
        if not outside:
            return NO
        if any(o.share is None for o in outside):
            unknown = ", ".join(sorted({o.country for o in outside if o.share is None}))
            return Match(True, (f"owners outside {self.label} ({unknown}: share not given, read as enough)",))
        total = sum(o.share or 0.0 for o in outside)
        if self.share_above is not None and not total > self.share_above + 1e-12:
            return NO
        if self.share_at_least is not None and not total >= self.share_at_least - 1e-12:
            return NO
        limit = (f"more than {threshold_text(self.share_above)}" if self.share_above is not None
                 else f"at least {threshold_text(self.share_at_least or 0.0)}")
        countries = ", ".join(sorted({o.country for o in outside}))
        return Match(True, (f"owners outside {self.label} ({countries}) hold {threshold_text(total)} of the "
                            f"investor, {limit}",))

    def describe(self) -> str:
        limit = (f"more than {threshold_text(self.share_above)}" if self.share_above is not None
                 else f"at least {threshold_text(self.share_at_least or 0.0)}")
        return f"owners outside {self.label} holding {limit} of the investor together"


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
        matches = []
        for item in self.items:
            match = item.evaluate(tx, env)
            if not match.holds:
                return NO
            matches.append(match)
        return Match(True, *_joined(matches))

    def describe(self) -> str:
        return " and ".join(item.describe() for item in self.items)

    def children(self, env: Mapping[str, Condition]) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True)
class AnyOf(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        matches = [match for match in (item.evaluate(tx, env) for item in self.items) if match.holds]
        return Match(True, *_joined(matches)) if matches else NO

    def describe(self) -> str:
        return "(" + " or ".join(item.describe() for item in self.items) + ")"

    def children(self, env: Mapping[str, Condition]) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True)
class Noted(Condition):
    """A condition whose date or scope is not confirmed against the official text; a match carries the note to
    the rule that fires on it (a versioned definition, such as a FEFTA core sector added on a reported day)."""

    inner: Condition
    note: str

    def evaluate(self, tx: Transaction, env: Mapping[str, Condition]) -> Match:
        match = self.inner.evaluate(tx, env)
        if not match.holds:
            return NO
        return Match(True, match.facts, match.readings, tuple(dict.fromkeys((*match.unconfirmed, self.note))))

    def describe(self) -> str:
        return self.inner.describe()

    def children(self, env: Mapping[str, Condition]) -> tuple[Condition, ...]:
        return (self.inner,)


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
    if not children and not isinstance(condition, (Use, Not, AllOf, AnyOf, Noted)):
        yield condition
    for child in children:
        yield from atoms(child, env)
