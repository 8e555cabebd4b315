"""Line-marked YAML for Setu's policy files, and the reader helpers every policy format shares.

A SafeLoader subclass keeps the start mark of each mapping, each key and each list item, so that a
rejection can name the file, the 1-based line and the field (``DataFormatError``).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any


from setu.errors import DataFormatError
from setu.reference import tables
from setu.policy.library import Citation, PartialDate, Period
from setu.sources.line_yaml import KeyChecks, LineLoader, LineMapping, LineSequence, load_marked, read_text
from setu.sources.supply_map import known_materials

ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
NODE_REF = re.compile(r"^[a-z0-9][a-z0-9._-]*:[a-z0-9][a-z0-9._-]*$")
SOURCE_KEYS = {"title", "publisher", "number", "date", "url", "note", "confirmed"}
CITATION_KEYS = {"source", "article", "confirmed", "note"}


Map = LineMapping
Seq = LineSequence
_LineLoader = LineLoader


def read_yaml(path: Path | str) -> tuple[Any, str]:
    """The parsed document (with line marks) and the file name used in messages."""
    path = Path(path)
    text = read_text(path)
    return parse_yaml(text, str(path)), str(path)


def parse_yaml(text: str, file: str) -> Any:
    return load_marked(text, file=file, what="YAML")


def known_countries() -> dict[str, str]:
    """ISO3 code -> name, from the reference table bundled with Setu."""
    return {iso3: country.name for iso3, country in tables.country_table().items()}


class Reader(KeyChecks):
    """Shared helpers: every failure names file, line and field."""

    def __init__(self, file: str):
        self.file = file
        self.materials = known_materials()
        self.countries = known_countries()
        self.sources: dict[str, Map] = {}

    def fail(self, message: str, where: Map | Seq | None = None, field: str | None = None,
             index: int | None = None) -> DataFormatError:
        line = None
        if isinstance(where, Map):
            line = where.key_lines.get(field, where.line) if field else where.line
        elif isinstance(where, Seq):
            line = where.item_lines[index] if index is not None and index < len(where.item_lines) else where.line
        return DataFormatError(message, file=self.file, line=line, field=field)

    def mapping(self, value: Any, what: str, parent: Map | Seq | None = None, field: str | None = None,
                index: int | None = None) -> Map:
        if not isinstance(value, Map):
            raise self.fail(f"{what} must be a mapping (key: value lines)", parent, field, index)
        return value

    def sequence(self, parent: Map, key: str, what: str) -> Seq:
        value = parent.get(key)
        if value is None:
            empty = Seq()
            empty.line, empty.item_lines = parent.line, []
            return empty
        if not isinstance(value, Seq):
            raise self.fail(f"{key!r} of {what} must be a list", parent, key)
        return value

    def keys(self, mapping: Map, allowed: set[str], what: str) -> None:
        self.check_keys(mapping, allowed, what)

    def text(self, mapping: Map, key: str, what: str, optional: bool = False) -> str | None:
        value = mapping.get(key)
        if value is None or value == "":
            if optional:
                return None
            raise self.fail(f"{what} has no {key!r}; add `{key}: ...`", mapping, key if key in mapping else None)
        if isinstance(value, (Map, Seq, bool)):
            raise self.fail(f"{key!r} of {what} must be text", mapping, key)
        return str(value)

    def ident(self, mapping: Map, what: str) -> str:
        value = self.text(mapping, "id", what) or ""
        if not ID.match(value):
            raise self.fail(f"id {value!r} must be lower-case letters, digits, '-', '_' or '.'", mapping, "id")
        return value

    def flag(self, mapping: Map, key: str, default: bool) -> bool:
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{key!r} must be true or false", mapping, key)
        return value

    def date(self, mapping: Map, key: str, what: str, optional: bool = False) -> PartialDate | None:
        value = mapping.get(key)
        if value is None and optional:
            return None
        try:
            return PartialDate.parse(str(value if value is not None else ""))
        except ValueError:
            raise self.fail(f"{key!r} of {what} is {value!r}; write a quoted date \"YYYY-MM-DD\" "
                            "(or \"YYYY-MM\" / \"YYYY\" when only that is known)", mapping, key) from None

    def period(self, mapping: Map, key: str, what: str) -> Period:
        raw = mapping.get(key)
        if raw is None:
            return Period()
        period = self.mapping(raw, f"{key} of {what}", mapping, key)
        self.keys(period, {"from", "until"}, f"{key} of {what}")
        start = self.date(period, "from", what, optional=True)
        end = self.date(period, "until", what, optional=True)
        if start and end and end.latest < start.earliest:
            raise self.fail(f"{key} of {what} ends ({end}) before it starts ({start})", period, "until")
        return Period(start, end)

    def country(self, value: Any, where: Map | Seq, field: str | None = None, index: int | None = None) -> str:
        code = str(value)
        if code not in self.countries:
            by_name = {name.casefold(): iso for iso, name in self.countries.items()}
            close = difflib.get_close_matches(code.casefold(), list(by_name), n=3)
            hint = f"; did you mean {', '.join(by_name[c] for c in close)}?" if close else ""
            raise self.fail(f"{code!r} is not an ISO3 country code such as JPN or IND{hint}", where, field, index)
        return code

    def material(self, value: Any, where: Map | Seq, field: str | None, index: int | None = None) -> str:
        slug = str(value)
        if slug not in self.materials:
            close = difflib.get_close_matches(slug, sorted(self.materials), n=3)
            raise self.fail(f"unknown material {slug!r}; use a slug of materials.csv"
                            + (f" (did you mean {', '.join(close)}?)" if close else ""), where, field, index)
        return slug

    def node_refs(self, mapping: Map, what: str) -> tuple[str, ...]:
        items = self.sequence(mapping, "nodes", what)
        for index, ref in enumerate(items):
            if not NODE_REF.match(str(ref)):
                raise self.fail(f"node {ref!r} must be written map:node, e.g. batteries:cell", items, "nodes", index)
        return tuple(str(ref) for ref in items)

    def read_sources(self, top: Map) -> None:
        raw = top.get("sources") or Map()
        sources = self.mapping(raw, "sources", top, "sources")
        for key, value in sources.items():
            source = self.mapping(value, f"source {key!r}", sources, str(key))
            self.keys(source, SOURCE_KEYS, f"source {key!r}")
            self.text(source, "title", f"source {key!r}")
            self.text(source, "publisher", f"source {key!r}")
            self.date(source, "date", f"source {key!r}")
            self.flag(source, "confirmed", True)
            self.sources[str(key)] = source

    def citation(self, parent: Map, what: str, inherited: Citation | None = None) -> Citation:
        raw = parent.get("citation")
        if raw is None:
            if inherited is None:
                raise self.fail(f"{what} has no citation; add `citation: {{source: KEY, article: ...}}`", parent)
            return inherited
        cite = self.mapping(raw, f"citation of {what}", parent, "citation")
        self.keys(cite, CITATION_KEYS, f"citation of {what}")
        key = self.text(cite, "source", f"citation of {what}") or ""
        if key not in self.sources:
            close = difflib.get_close_matches(key, sorted(self.sources), n=3)
            raise self.fail(f"citation source {key!r} is not a key of `sources:`"
                            + (f"; did you mean {', '.join(close)}?" if close else "; add it there"), cite, "source")
        source = self.sources[key]
        confirmed = self.flag(source, "confirmed", True) and self.flag(cite, "confirmed", True)
        return Citation(
            title=self.text(source, "title", key) or "",
            publisher=self.text(source, "publisher", key) or "",
            date=self.date(source, "date", key) or PartialDate.parse("1900"),
            number=self.text(source, "number", key, optional=True),
            article=self.text(cite, "article", f"citation of {what}", optional=True),
            url=self.text(source, "url", key, optional=True),
            confirmed=confirmed,
            note=self.text(cite, "note", what, optional=True) or self.text(source, "note", key, optional=True),
        )


