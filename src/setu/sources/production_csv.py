"""Production, capacity and reserves figures supplied by users, in a documented CSV schema.

Schema (UTF-8, comma-separated, one header row; see docs/data-formats.md):

==============  =========  ============================================================================
column          required   meaning
==============  =========  ============================================================================
material        yes        a Setu material id, name or synonym (``gallium``, ``REE``)
country         yes        ISO3 code or country name; ``World total`` or ``Other countries`` for aggregates
year            yes        four-digit year the figure refers to
measure         yes        ``production``, ``capacity`` or ``reserves``
value           yes        a number (no thousands separators), or ``W`` (withheld) / ``NA`` (not available)
unit            yes        ``kg``, ``t``, ``kt``, ``Mt``, ``kct``, ``Mct`` or ``Mm3``
source          yes        who published the figure (e.g. "Ministry of Mines, Annual Report 2023-24, table 4")
series          no         production series (``mine``, ``refinery``...); default: the material's default series
stage           no         ``mine``, ``refinery``, ``smelter``, ``plant``...; default: the series name
is_estimate     no         ``true``/``false`` (default false)
note            no         free text
==============  =========  ============================================================================

The whole file is validated before anything is loaded: one bad row rejects the file, with an error naming
the file, the line and the field. A second row for the same material, series, country, year and measure is
refused (which figure would be true?), and so is a value that exceeds :data:`MAX_BASE_VALUE` once converted to
the base unit (10^15 tonnes, carats or cubic metres: beyond any country's output, and a sum of such values
could overflow to infinity).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from setu.domain.countries import CountryRegistry
from setu.domain.materials import MaterialRegistry
from setu.errors import DataFormatError, UnknownNameError
from setu.sources.text import read_csv_text
from setu.sources.usgs import UNITS

REQUIRED = ("material", "country", "year", "measure", "value", "unit", "source")
OPTIONAL = ("series", "stage", "is_estimate", "note")
MEASURES = ("production", "capacity", "reserves")
_UNITS = {canonical: (base, factor) for canonical, base, factor in UNITS.values()}
_AGGREGATES = {"world total": "world_total", "other countries": "other"}
_STATUSES = {"W": "withheld", "NA": "not_available"}
MAX_BASE_VALUE = 1e15


def source_id_of(path: Path) -> str:
    return "user:" + re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem)


def parse(path: Path, materials: MaterialRegistry, countries: CountryRegistry) -> list[dict[str, object]]:
    """Validate the whole file and return its observations (same columns as the USGS parser)."""
    return list(_parse(path, materials, countries))


class _CountedLines:
    """The lines of a text, counting how many the csv reader has taken (its own count lags on some errors)."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text))
        self.taken = 0

    def __iter__(self) -> _CountedLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken += 1
        return line


def _records(reader: csv.DictReader, lines: _CountedLines, name: str) -> Iterator[dict[str, str]]:
    """The reader's rows; a line the csv module cannot read (a field over its limit, a stray quote) is an
    error at its line."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise DataFormatError(f"not a CSV line ({error})", file=name, line=lines.taken) from None
        yield record


def _parse(path: Path, materials: MaterialRegistry, countries: CountryRegistry) -> Iterator[dict[str, object]]:
    name = str(path)
    lines = _CountedLines(read_csv_text(path, what="production file"))
    reader = csv.DictReader(lines)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise DataFormatError(f"not a CSV header ({error})", file=name, line=1) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DataFormatError(f"missing required column(s) {', '.join(missing)}", file=name, line=1)
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise DataFormatError(
            f"unknown column(s) {', '.join(unknown)}; allowed: {', '.join(REQUIRED + OPTIONAL)}", file=name, line=1
        )
    source_id = source_id_of(path)
    rows = 0
    seen: dict[tuple, int] = {}
    for record in _records(reader, lines, name):
        line = reader.line_num
        rows += 1
        if None in record:
            raise DataFormatError("more cells than columns in the header", file=name, line=line)

        def fail(field: str, message: str, line: int = line) -> DataFormatError:
            return DataFormatError(message, file=name, line=line, field=field)

        for column in REQUIRED:
            if record.get(column) is None or not record[column].strip():
                raise fail(column, "required value is empty")
        try:
            material = materials.get(record["material"])
        except UnknownNameError as error:
            raise fail("material", str(error)) from None
        country_text = record["country"].strip()
        entity = _AGGREGATES.get(country_text.casefold(), "country")
        iso3 = None
        if entity == "country":
            try:
                iso3 = countries.resolve(country_text)
            except UnknownNameError as error:
                raise fail("country", str(error)) from None
        year_text = record["year"].strip()
        if not re.fullmatch(r"\d{4}", year_text):
            raise fail("year", f"expected a four-digit year, got {year_text!r}")
        measure = record["measure"].strip().lower()
        if measure not in MEASURES:
            raise fail("measure", f"expected one of {', '.join(MEASURES)}, got {measure!r}")
        unit = record["unit"].strip()
        if unit not in _UNITS:
            raise fail("unit", f"expected one of {', '.join(_UNITS)}, got {unit!r}")
        value_text = record["value"].strip()
        if value_text.upper() in _STATUSES:
            value, status = None, _STATUSES[value_text.upper()]
        else:
            try:
                value = float(value_text)
            except ValueError:
                raise fail("value", f"expected a number, W or NA, got {value_text!r}") from None
            if value != value or value < 0 or value == float("inf"):
                raise fail("value", f"expected a finite non-negative number, got {value_text!r}")
            if value * _UNITS[unit][1] > MAX_BASE_VALUE:
                raise fail("value", f"{value_text} {unit} is over {MAX_BASE_VALUE:.0e} {_UNITS[unit][0]}: check the "
                                    "value and its unit")
            status = "reported"
        estimate_text = (record.get("is_estimate") or "false").strip().lower()
        if estimate_text not in {"true", "false", "1", "0", "yes", "no"}:
            raise fail("is_estimate", f"expected true or false, got {estimate_text!r}")
        series = (record.get("series") or "").strip() or material.default_series or "production"
        key = (material.material_id, series, iso3 or entity, int(year_text), measure)
        if key in seen:
            raise fail("material,country,year,measure",
                       f"a second row for {material.material_id} ({series}), {country_text}, {year_text}, {measure} "
                       f"(first at line {seen[key]}); keep one")
        seen[key] = line
        base, factor = _UNITS[unit]
        yield {
            "source_id": source_id,
            "edition": 0,
            "file": path.name,
            "line": line,
            "material_id": material.material_id,
            "usgs_code": material.usgs_code,
            "type": "",
            "series": series,
            "stage": (record.get("stage") or "").strip() or series,
            "comparable": True,
            "country_name": country_text,
            "iso3": iso3,
            "entity": entity,
            "measure": measure,
            "qualifier": "",
            "year": int(year_text),
            "unit": unit,
            "base_unit": base,
            "factor_to_base": factor,
            "value": value,
            "value_status": status,
            "value_bound": None,
            "value_text": value_text,
            "is_estimate": estimate_text in {"true", "1", "yes"},
            "note": f"{record['source'].strip()}; {(record.get('note') or '').strip()}".strip("; "),
        }
    if rows == 0:
        raise DataFormatError("no data rows", file=name, line=2)
