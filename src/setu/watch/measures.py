"""The measures register: export restrictions and similar trade measures, as validated records.

A *measure* is one legal act (or one documented informal practice) by one issuing country that restricts
exports of named goods: a licence requirement, a ban, a quota, an export tax, a price floor. Each record
carries the goods (HS six-digit codes with their revision, Setu material slugs, optional supply-map node
ids), the targeted countries (empty = every destination), the dates of its life cycle and two sources: the
official notice and a secondary source that reports it.

Honesty rule: a date or a notice number that could not be confirmed from the official text is stored with
``confirmed: false`` and a ``note`` saying what is uncertain. It is never guessed silently.

This module is pure: it defines the schema (Pydantic models, so the same schema validates bundled and
user files and exports a JSON schema) and the queries over a loaded register. Reading YAML with line
numbers lives in :mod:`setu.sources.measures`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORMAT_VERSION = "setu-measures/1"

ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 country code")]
HS6 = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="HS six-digit code as a 6-character string")]
SLUG = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]

_PARTIAL_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


class MeasureKind(StrEnum):
    """What the measure does to exports."""

    LICENSING = "licensing"  # exports need a case-by-case licence
    BAN = "ban"  # exports prohibited (possibly to named destinations only)
    QUOTA = "quota"  # volume caps
    TAX = "tax"  # export duty
    PRICE_FLOOR = "price_floor"  # minimum export price
    INFORMAL_HALT = "informal_halt"  # shipments stopped without a published act


class HSRevision(StrEnum):
    HS2007 = "HS2007"
    HS2012 = "HS2012"
    HS2017 = "HS2017"
    HS2022 = "HS2022"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _partial_date(value: object) -> str:
    """``YYYY-MM-DD`` or ``YYYY-MM`` (YAML dates accepted), checked against the calendar."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if not _PARTIAL_DATE.match(text):
        raise ValueError("expected a date as YYYY-MM-DD or YYYY-MM")
    try:
        dt.date.fromisoformat(text if len(text) == 10 else text + "-01")
    except ValueError as error:
        raise ValueError(f"not a calendar date: {text}") from error
    return text


def _optional_partial_date(value: object) -> str | None:
    return None if value is None else _partial_date(value)


class DatedEvent(_Strict):
    """One date in a measure's life. ``date`` is ``YYYY-MM-DD`` or, when only the month is known, ``YYYY-MM``."""

    date: str
    confirmed: bool = True
    note: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _iso(cls, value: object) -> str:
        return _partial_date(value)

    @model_validator(mode="after")
    def _unconfirmed_needs_note(self) -> DatedEvent:
        if not self.confirmed and not self.note:
            raise ValueError("an unconfirmed date needs a note saying what is uncertain")
        return self

    @property
    def day(self) -> dt.date:
        """The date; a month-precision date stands for the first day of that month."""
        return dt.date.fromisoformat(self.date if len(self.date) == 10 else self.date + "-01")

    @property
    def month(self) -> str:
        return self.date[:7]


class Goods(_Strict):
    """Goods covered by a measure, as HS six-digit codes of one HS revision.

    ``partial`` is true when the measure covers only part of what the six-digit code holds (e.g. only
    graphite of purity above 99.9 % within 380110): trade statistics at six digits then mix controlled
    and uncontrolled goods.
    """

    hs6: list[HS6] = Field(default_factory=list)
    hs_revision: HSRevision
    materials: list[SLUG] = Field(default_factory=list)
    nodes: list[str] = Field(default_factory=list, description="supply-map node ids")
    description: str
    partial: bool = True
    national_codes: list[str] = Field(default_factory=list, description="issuer's tariff lines, as printed")
    confirmed: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _unconfirmed_needs_note(self) -> Goods:
        if not self.confirmed and not self.note:
            raise ValueError("unconfirmed goods need a note saying what is uncertain")
        return self


class OfficialSource(_Strict):
    issuer: str = Field(description="the body that issued the act")
    notice: str | None = Field(default=None, description="number or title of the act")
    date: str | None = None
    url: str | None = None
    confirmed: bool = True
    note: str | None = None

    _date = field_validator("date", mode="before")(lambda cls, value: _optional_partial_date(value))

    @model_validator(mode="after")
    def _unconfirmed_needs_note(self) -> OfficialSource:
        if not self.confirmed and not self.note:
            raise ValueError("an unconfirmed source needs a note saying what is uncertain")
        if self.notice is None and self.confirmed:
            raise ValueError("no notice number: set confirmed: false and say why in note")
        return self


class SecondarySource(_Strict):
    publisher: str
    title: str
    date: str | None = None
    url: str | None = None

    _date = field_validator("date", mode="before")(lambda cls, value: _optional_partial_date(value))


class Dates(_Strict):
    announced: DatedEvent
    effective: DatedEvent | None = None
    suspended: DatedEvent | None = None
    resumed: DatedEvent | None = None
    lifted: DatedEvent | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Dates:
        if self.effective is not None and self.effective.day < self.announced.day.replace(day=1):
            raise ValueError("effective date is before the announced date")
        for later in ("suspended", "resumed", "lifted"):
            event = getattr(self, later)
            if event is not None and event.day < self.announced.day.replace(day=1):
                raise ValueError(f"{later} date is before the announced date")
        if self.resumed is not None and self.suspended is None:
            raise ValueError("a resumed date needs a suspended date")
        return self


class EventName(StrEnum):
    ANNOUNCED = "announced"
    EFFECTIVE = "effective"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    LIFTED = "lifted"


class Measure(_Strict):
    """One export-restriction measure."""

    id: SLUG
    title: str
    issuer: ISO3
    kind: MeasureKind
    goods: list[Goods] = Field(min_length=1)
    targets: list[ISO3] = Field(default_factory=list, description="destinations targeted; empty = all")
    dates: Dates
    official: OfficialSource
    secondary: list[SecondarySource] = Field(min_length=1)
    amends: list[SLUG] = Field(default_factory=list, description="ids of measures this one changes")
    note: str | None = None

    @property
    def hs6(self) -> frozenset[str]:
        return frozenset(code for goods in self.goods for code in goods.hs6)

    @property
    def materials(self) -> frozenset[str]:
        return frozenset(slug for goods in self.goods for slug in goods.materials)

    def events(self) -> list[tuple[EventName, DatedEvent]]:
        """The measure's dated events in life-cycle order."""
        return [
            (name, event)
            for name in EventName
            if (event := getattr(self.dates, name.value)) is not None
        ]

    def covers(self, *, reporter: str, partner: str | None, hs6: str) -> bool:
        """Whether exports of ``hs6`` from ``reporter`` to ``partner`` fall under the measure.

        ``partner=None`` stands for the reporter's exports to all partners together; a measure aimed at
        some destinations only still covers that total. ``hs6`` may be a finer national line
        (:meth:`covers_code`).
        """
        if reporter != self.issuer or not self.covers_code(hs6):
            return False
        return partner is None or not self.targets or partner in self.targets

    def covers_code(self, code: str) -> bool:
        """Whether goods of ``code`` fall under the measure: a six-digit code it lists, or a finer national
        line (8 or 10 digits) under one of them that matches a listed national line (either is a prefix of
        the other); under goods listed without national lines any finer line counts."""
        if len(code) == 6:
            return code in self.hs6
        return any(
            code[:6] in goods.hs6
            and (not goods.national_codes or any(line.startswith(code) or code.startswith(line)
                                                 for line in goods.national_codes))
            for goods in self.goods
        )

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the measure applied on ``day`` (after taking effect, not lifted, not suspended)."""
        dates = self.dates
        if day < (dates.effective or dates.announced).day:
            return False
        if dates.lifted is not None and day >= dates.lifted.day:
            return False
        suspended = dates.suspended is not None and day >= dates.suspended.day
        resumed = dates.resumed is not None and day >= dates.resumed.day
        return not suspended or resumed


class Register(_Strict):
    """One measures file: a format tag and its measures."""

    format: str
    measures: list[Measure]

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value != FORMAT_VERSION:
            raise ValueError(f"unknown format {value!r}; expected {FORMAT_VERSION!r}")
        return value


def filter_measures(
    measures: Iterable[Measure],
    *,
    issuer: str | None = None,
    target: str | None = None,
    material: str | None = None,
    hs6: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[Measure]:
    """Measures matching every given criterion, ordered by announcement date then id.

    ``since``/``until`` keep a measure when any of its dated events falls in the interval.
    """
    kept = []
    for measure in measures:
        if issuer is not None and measure.issuer != issuer:
            continue
        if target is not None and measure.targets and target not in measure.targets:
            continue
        if material is not None and material not in measure.materials:
            continue
        if hs6 is not None and hs6 not in measure.hs6:
            continue
        days = [event.day for _, event in measure.events()]
        if since is not None and not any(day >= since for day in days):
            continue
        if until is not None and not any(day <= until for day in days):
            continue
        kept.append(measure)
    return sorted(kept, key=lambda m: (m.dates.announced.day, m.id))


def check_references(
    measures: Sequence[Measure], *, known_materials: Iterable[str]
) -> list[tuple[int, str, str]]:
    """Cross-record rules a single record cannot check: unique ids, known slugs, resolvable ``amends``.

    Returns ``(measure index, field path, message)`` for each problem, so the loader can attach lines.
    """
    problems: list[tuple[int, str, str]] = []
    materials = set(known_materials)
    seen: dict[str, int] = {}
    for index, measure in enumerate(measures):
        if measure.id in seen:
            problems.append((index, "id", f"duplicate id {measure.id!r} (first at measure {seen[measure.id] + 1})"))
        seen.setdefault(measure.id, index)
        for goods_index, goods in enumerate(measure.goods):
            for slug_index, slug in enumerate(goods.materials):
                if slug not in materials:
                    problems.append(
                        (index, f"goods.{goods_index}.materials.{slug_index}", f"unknown material {slug!r}")
                    )
    ids = set(seen)
    for index, measure in enumerate(measures):
        for amend_index, other in enumerate(measure.amends):
            if other not in ids:
                problems.append((index, f"amends.{amend_index}", f"no measure with id {other!r}"))
    return problems
