"""USGS Mineral Commodity Summaries (MCS) world production tables.

One CSV per commodity and edition (``mcs2024-galli_world.csv``), as published in the MCS data
releases (doi:10.5066/P9WCYUI6 and successors). The files are irregular, and this parser keeps every
irregularity explicit rather than guessing:

* column names carry measure, unit, estimate flag and year (``Prod_kg_est_2023``, ``Cap_kt_2023``,
  ``Reserves_ore_K2O_equiv_kt``, ``Prod_Sponge_t_Est_2022``); both ``Prod_note`` and ``Prod_notes`` occur;
* country names carry footnote letters and digits (``Japane``, ``Other countries4``): they are resolved
  through the explicit table ``data/reference/usgs_country_names.csv``, never by fuzzy matching;
* the ``Type`` column separates series (mine vs refinery, platinum vs palladium) and is resolved through
  ``data/reference/usgs_series.csv``;
* ``W`` (withheld), ``NA``, ``XX``, blanks, "Included with ...", "Large", ``<100`` and ``>100,000,000``
  are kept as *missing values with a status* (and a bound where one is given), never as 0;
* a leading ``e`` on a value (``e5,000``) or an ``est`` token in the column name marks an estimate;
* byte-order marks, trailing empty rows and trailing empty columns are ignored.

Reserves carry no year in the files; MCS reports them "as of" the latest production year of the
edition, so they are dated ``edition - 1``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from setu.domain.usgs import CountryName, Series
from setu.errors import DataFormatError

#: Units found in MCS column names, mapped to a canonical label and a factor to the base unit.
UNITS: dict[str, tuple[str, str, float]] = {
    # token: (canonical unit, base unit, factor to base unit)
    "kg": ("kg", "t", 0.001),
    "t": ("t", "t", 1.0),
    "kt": ("kt", "t", 1_000.0),
    "Mt": ("Mt", "t", 1_000_000.0),
    "mt": ("Mt", "t", 1_000_000.0),  # iron ore reserves: million metric tons
    "mmt": ("Mt", "t", 1_000_000.0),
    "kct": ("kct", "ct", 1_000.0),  # thousand carats
    "mct": ("Mct", "ct", 1_000_000.0),  # million carats
    "mcm": ("Mm3", "m3", 1_000_000.0),  # million cubic metres (helium)
}

MEASURES = {"Prod": "production", "Cap": "capacity", "Reserves": "reserves"}

_MISSING_STATUSES: dict[str, str] = {
    "": "blank",
    "NA": "not_available",
    "W": "withheld",
    "XX": "not_applicable",
    "LARGE": "qualitative",
    'CATEGORIZED AS "LARGE"': "qualitative",
    "VERY SMALL": "qualitative",
    "LESS THAN ½ UNIT.": "less_than_half_unit",
}
_NUMBER = re.compile(r"^(?P<estimate>e)?\s*(?P<bound>[<>])?\s*(?P<number>\d[\d,]*(\.\d+)?|\.\d+)$")


@dataclass(frozen=True)
class Column:
    """What one value column of an MCS file holds."""

    name: str
    measure: str  # production | capacity | reserves
    unit: str  # canonical unit
    base_unit: str
    factor_to_base: float
    year: int | None
    is_estimate: bool
    qualifier: str  # e.g. "sponge", "ore K2O equiv"


@dataclass(frozen=True)
class ParsedValue:
    value: float | None
    status: str
    is_estimate: bool
    bound: str | None  # "<" or ">" when the file gives only a bound


def parse_value(text: str) -> ParsedValue:
    """Parse one MCS cell: a number, an estimate (``e5,000``), a bound (``<100``) or a status."""
    cleaned = text.replace("\xa0", " ").strip()
    match = _NUMBER.match(cleaned.replace(" ", ""))
    if match:
        number = float(match.group("number").replace(",", ""))
        estimate = bool(match.group("estimate"))
        if match.group("bound"):
            kind = "less_than" if match.group("bound") == "<" else "greater_than"
            return ParsedValue(None, kind, estimate, f"{match.group('bound')}{number:g}")
        return ParsedValue(number, "reported", estimate, None)
    upper = cleaned.upper()
    if upper in _MISSING_STATUSES:
        return ParsedValue(None, _MISSING_STATUSES[upper], False, None)
    if upper.startswith("INCLUDED"):
        return ParsedValue(None, "included_elsewhere", False, None)
    raise ValueError(f"not a number or a known USGS status: {text!r}")


def parse_column(name: str) -> Column | None:
    """Classify a header cell; ``None`` for the notes columns. Raises ValueError if unknown."""
    tokens = name.strip().split("_")
    if tokens[0] not in MEASURES:
        raise ValueError(f"unknown column {name!r}")
    if tokens[-1].lower() in {"note", "notes"}:
        return None
    unit = None
    year = None
    estimate = False
    qualifier: list[str] = []
    for token in tokens[1:]:
        if re.fullmatch(r"\d{4}", token):
            year = int(token)
        elif token.lower() == "est":
            estimate = True
        elif token in UNITS:
            unit = token
        else:
            qualifier.append(token)
    if unit is None:
        raise ValueError(f"column {name!r} names no known unit (known: {', '.join(UNITS)})")
    canonical, base, factor = UNITS[unit]
    return Column(
        name=name.strip(),
        measure=MEASURES[tokens[0]],
        unit=canonical,
        base_unit=base,
        factor_to_base=factor,
        year=year,
        is_estimate=estimate,
        qualifier=" ".join(qualifier).lower(),
    )


def clean_name(raw: str) -> str:
    """Normalise the whitespace of a country or type cell (non-breaking spaces, padding)."""
    return " ".join(raw.replace("\xa0", " ").split())


_FILE_NAME = re.compile(r"^mcs(?P<edition>\d{4})-(?P<code>[a-z]+(?:-[a-z]+)?)_world\.csv$", re.IGNORECASE)


def edition_and_code(path: Path) -> tuple[int, str]:
    match = _FILE_NAME.match(path.name)
    if not match:
        raise DataFormatError(
            "file name is not an MCS world table (expected e.g. mcs2024-galli_world.csv)", file=str(path)
        )
    return int(match.group("edition")), match.group("code").lower()


def _check_overflow(
    overflow: list[str], row: list[str], columns: list[tuple[int, Column, int | None]], file: str, line: int
) -> str:
    """Cells beyond the named columns. Two real quirks occur and are accepted explicitly:

    * a repeat of the last value column (MCS2024 barite repeats ``Reserves_kt`` in an unnamed column):
      accepted only if it is identical, then ignored;
    * note text spilling past the header (MCS2024 vermiculite): returned, to be appended to the notes.

    Anything else is an error: a value we cannot attribute to a column must not be loaded.
    """
    if not overflow:
        return ""
    last_value = clean_name(row[columns[-1][0]]) if columns else ""
    texts = []
    for cell in overflow:
        try:
            parsed = parse_value(cell)
        except ValueError:
            texts.append(cell)
            continue
        if parsed != parse_value(last_value):
            raise DataFormatError(
                f"value {cell!r} in an unnamed column beyond the header (it does not repeat {columns[-1][1].name})",
                file=file,
                line=line,
            )
    return " ".join(texts)


def parse_world_table(
    path: Path,
    *,
    materials_by_code: Mapping[str, str],
    country_names: Mapping[str, CountryName],
    series_table: Mapping[tuple[str, str], Series],
    display_name: str | None = None,
) -> Iterator[dict[str, object]]:
    """Yield one observation per (row, value column) of an MCS world table.

    Every row yields its values, missing ones included (with their status), so that a "W" stays
    visible as withheld rather than silently disappearing. Errors name the file, line and field.
    """
    shown = display_name or path.name
    edition, code = edition_and_code(path)
    material_id = materials_by_code.get(code) or materials_by_code.get(code.split("-")[0])
    if material_id is None:
        raise DataFormatError(f"unknown USGS commodity code {code!r}", file=shown, line=None)
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise DataFormatError("empty file", file=shown, line=1) from None
    while header and not header[-1].strip():
        header.pop()
    if len(header) < 4 or header[0] != "Source" or header[1] != "Country":
        raise DataFormatError("header must start with Source,Country,Type", file=shown, line=1)
    columns: list[tuple[int, Column, int | None]] = []
    notes_by_measure: dict[str, int] = {}
    for index, name in enumerate(header[3:], start=3):
        try:
            column = parse_column(name)
        except ValueError as error:
            raise DataFormatError(str(error), file=shown, line=1, field=name) from None
        if column is None:
            notes_by_measure[MEASURES[name.split("_")[0]]] = index
        else:
            columns.append((index, column, None))
    reserves_year = edition - 1
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        overflow = [clean_name(cell) for cell in row[len(header) :] if cell.strip()]
        row = (row + [""] * len(header))[: len(header)]
        overflow_note = _check_overflow(overflow, row, columns, shown, line_number)
        raw_country = clean_name(row[1])
        if raw_country not in country_names:
            raise DataFormatError(
                f"country name {raw_country!r} is not in the USGS name table "
                "(add it to data/reference/usgs_country_names.csv with its ISO3 code)",
                file=shown,
                line=line_number,
                field="Country",
            )
        country = country_names[raw_country]
        raw_type = clean_name(row[2])
        series = series_table.get((code.split("-")[0], raw_type))
        if series is None:
            raise DataFormatError(
                f"Type {raw_type!r} is not in the USGS series table for {code!r} "
                "(add it to data/reference/usgs_series.csv)",
                file=shown,
                line=line_number,
                field=header[2],
            )
        footnote_estimate = "footnote e" in country.note
        for index, column, _ in columns:
            try:
                parsed = parse_value(row[index])
            except ValueError as error:
                raise DataFormatError(str(error), file=shown, line=line_number, field=column.name) from None
            note_index = notes_by_measure.get(column.measure)
            note = clean_name(row[note_index]) if note_index is not None else ""
            if overflow_note and column.measure == "reserves":
                note = f"{note} {overflow_note}".strip()
            yield {
                "source_id": f"usgs-mcs{edition}",
                "edition": edition,
                "file": path.name,
                "line": line_number,
                "material_id": material_id,
                "usgs_code": code,
                "type": raw_type,
                "series": series.series,
                "stage": series.stage,
                "comparable": series.comparable,
                "country_name": raw_country,
                "iso3": country.iso3,
                "entity": country.entity,
                "measure": column.measure,
                "qualifier": column.qualifier,
                "year": column.year if column.year is not None else reserves_year,
                "unit": column.unit,
                "base_unit": column.base_unit,
                "factor_to_base": column.factor_to_base,
                "value": parsed.value,
                "value_status": parsed.status,
                "value_bound": parsed.bound,
                "value_text": row[index].strip(),
                "is_estimate": parsed.is_estimate or column.is_estimate or footnote_estimate,
                "note": note,
            }
