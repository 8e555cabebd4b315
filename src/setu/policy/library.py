"""The policy library: critical lists and the laws, programmes and instruments around them.

Every list, entry and instrument carries a :class:`Citation` of the official document (title, number, date,
article or annex). ``confirmed=False`` marks what was seen only in secondary reports of that document; such
entries are shown, never hidden, and say so. The library informs; it is not legal advice.

Dates in the library are often known only to the month or year ("2024-02", "1983"); :class:`PartialDate`
keeps that precision instead of inventing a day, and answers "certainly before / possibly on" questions.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

NOTICE = ("Setu's policy library and screening rules inform; they are not legal advice. Check the cited "
          "official text, and take advice, before relying on an entry or a screening result.")

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year: ``earliest`` and ``latest`` bound the true day."""

    earliest: dt.date
    latest: dt.date
    text: str = field(compare=False)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _PARTIAL.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if month is None:
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return cls(dt.date(year, month, 1), dt.date(year, month, last), text)
        exact = dt.date(year, month, day)
        return cls(exact, exact, text)

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Period:
    """When something is in force: from ``start`` to ``end`` inclusive; None = open (unknown start, no end)."""

    start: PartialDate | None = None
    end: PartialDate | None = None

    def certainly_in_force(self, day: dt.date) -> bool:
        return (self.start is None or self.start.latest <= day) and (self.end is None or day <= self.end.earliest)

    def possibly_in_force(self, day: dt.date) -> bool:
        return (self.start is None or self.start.earliest <= day) and (self.end is None or day <= self.end.latest)

    def boundaries(self) -> list[dt.date]:
        """Days on which the in-force status can change (the first day in force, the first day after)."""
        days = []
        if self.start is not None:
            days += [self.start.earliest, self.start.latest]
        if self.end is not None:
            days += [self.end.earliest + dt.timedelta(days=1), self.end.latest + dt.timedelta(days=1)]
        return sorted(set(days))

    def __str__(self) -> str:
        start = str(self.start) if self.start else "..."
        return f"{start} to {self.end}" if self.end else f"from {start}"


@dataclass(frozen=True)
class Citation:
    """The official document an entry rests on, and the article, annex or paragraph within it."""

    title: str
    publisher: str
    date: PartialDate
    number: str | None = None
    article: str | None = None
    url: str | None = None
    confirmed: bool = True
    note: str | None = None

    @property
    def short(self) -> str:
        """The document's number (or title) and the article: for tables."""
        text = f"{self.number or self.title}, {self.article}" if self.article else (self.number or self.title)
        return text if self.confirmed else text + " [unconfirmed]"

    def __str__(self) -> str:
        parts = [self.title]
        if self.number:
            parts.append(self.number)
        parts.append(f"{self.publisher}, {self.date}")
        if self.article:
            parts.append(self.article)
        text = "; ".join(parts)
        return text if self.confirmed else text + " [unconfirmed]"


class Relation(StrEnum):
    """How an entry relates to a catalog material."""

    EXACT = "exact"      # the entry is the material
    PART = "part"        # the entry is part of the material (dysprosium of rare earths; battery-grade nickel)
    COVERS = "covers"    # the entry covers the material among others (Japan's "critical minerals")
    RELATED = "related"  # an input or product of the material, not the material (phosphorus / phosphate rock)

    @property
    def designates(self) -> bool:
        """Whether the link makes the material itself critical (related links do not)."""
        return self is not Relation.RELATED


@dataclass(frozen=True)
class MaterialLink:
    material: str
    relation: Relation = Relation.EXACT


@dataclass(frozen=True)
class HsCode:
    code: str
    revision: str


@dataclass(frozen=True)
class ListEntry:
    id: str
    name: str
    citation: Citation
    materials: tuple[MaterialLink, ...] = ()
    hs: tuple[HsCode, ...] = ()
    nodes: tuple[str, ...] = ()  # "map:node"
    in_force: Period = Period()
    confirmed: bool = True
    note: str | None = None
    line: int | None = None


class ListKind(StrEnum):
    CRITICAL = "critical"
    STRATEGIC = "strategic"
    SPECIFIED_CRITICAL_PRODUCT = "specified-critical-product"


@dataclass(frozen=True)
class CriticalList:
    id: str
    name: str
    jurisdiction: str
    kind: ListKind
    citation: Citation
    entries: tuple[ListEntry, ...]
    in_force: Period = Period()
    confirmed: bool = True
    note: str | None = None
    source_file: str | None = None

    def entry(self, entry_id: str) -> ListEntry:
        return next(e for e in self.entries if e.id == entry_id)


class InstrumentKind(StrEnum):
    LAW = "law"
    PROGRAMME = "programme"
    INCENTIVE = "incentive"
    AGENCY = "agency"
    STOCKPILE = "stockpile"


@dataclass(frozen=True)
class Instrument:
    """A law, programme, incentive scheme, agency role or stockpile, with the materials and nodes it concerns."""

    id: str
    name: str
    jurisdiction: str
    kind: InstrumentKind
    body: str
    citation: Citation
    summary: str
    in_force: Period = Period()
    sectors: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    confirmed: bool = True
    source_file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class PolicyLibrary:
    lists: tuple[CriticalList, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    versions: tuple[tuple[str, str], ...] = ()  # (file, version)

    def critical_list(self, list_id: str) -> CriticalList | None:
        return next((item for item in self.lists if item.id == list_id), None)

    def lists_of(self, jurisdiction: str) -> tuple[CriticalList, ...]:
        return tuple(item for item in self.lists if item.jurisdiction == jurisdiction)

    def merged(self, other: PolicyLibrary) -> PolicyLibrary:
        return PolicyLibrary(self.lists + other.lists, self.instruments + other.instruments,
                             self.versions + other.versions)
