"""The two supply-risk factors the EU method takes from the criticality assessment, as bundled and cited.

European Commission (2017), *Methodology for establishing the EU list of critical raw materials*
(doi:10.2873/769526), section 4, corrects the supply-risk bracket by ``(1 - EoL_RIR) * SI_SR``:

* ``EoL_RIR``, the end-of-life recycling input rate (0-1): the share of the EU's input of a raw material
  that comes from old (post-consumer) scrap; published per material in the assessment's factsheets and
  republished by Eurostat as indicator cei_srm010 (European Commission 2018, *Report on Critical Raw
  Materials and the Circular Economy*, doi:10.2873/167813, section 1.2.2);
* ``SI_SR``, the substitution index for supply risk (0-1, 1 = no substitute).

``data/reference/sr_factors.csv`` holds one row per (material, factor) with the document, the edition of
the assessment (2017, 2020 or 2023: the two factors of one SR should come from one edition), the table and
page a value was read from and a ``status``: ``confirmed`` rows (value, edition, table and page all given)
enter the score; ``not_confirmed`` rows carry no value and say, in ``note``, where the figure is published
and why it is not bundled, so that the output names the missing input and where to find it. A value is
never filled in from memory: it is confirmed against the document or left out.

``material_id`` is a material of ``reference/materials.csv`` or one named series of it (``palladium`` of
``platinum-group-metals``; ``tables.SERIES_SYNONYMS``); any other id is an error naming the file, line and
field. A factor is looked up for what is computed (``lookup``): where a series is named (palladium), its own
row wins; a group row (``platinum-group-metals``) is applied to a member only when it carries a confirmed
value, i.e. the document states one for the group, and the output then says so. A group row is never read
as a member's own value silently.

The same confirmed EoL_RIR feeds the scenarios' recycling response (``eol_rir: from_reference``,
:mod:`setu.scenarios.reader`): current recycling, which scales the importer's loss by ``1 - EoL_RIR``.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from setu.errors import DataFormatError
from setu.reference.tables import data_path

FACTORS = ("EoL_RIR", "SI_SR")
EDITIONS = ("2017", "2020", "2023")
FILE = "reference/sr_factors.csv"


@dataclass(frozen=True)
class Factor:
    """One published factor of one material; ``value`` None unless confirmed against its document."""

    material_id: str
    factor: str
    value: float | None
    document: str
    table: str
    page: str
    status: str  # "confirmed" | "not_confirmed"
    note: str = ""
    edition: str = ""  # the assessment the value belongs to: "2017", "2020" or "2023"

    @property
    def citation(self) -> str:
        if self.value is None:
            return self.document
        return f"{self.document}, {self.edition} assessment, {self.table}, p. {self.page}"


def known_ids() -> frozenset[str]:
    """The ids a factor row may name: every material and every named series of one (palladium)."""
    from setu.reference import tables

    registry = tables.materials()
    return frozenset(registry.materials) | frozenset(
        series for material in registry.materials.values() for series in material.series_synonyms.values())


def parse(text: str, file: str = FILE) -> dict[tuple[str, str], Factor]:
    """Rows of the factors file keyed by (material_id, factor); a bad row names its line and field."""
    result: dict[tuple[str, str], Factor] = {}
    known = known_ids()
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        material_id = row.get("material_id") or ""
        if material_id not in known:
            close = difflib.get_close_matches(material_id, sorted(known), n=3)
            raise DataFormatError(f"unknown material_id {material_id!r}: not a material of reference/materials.csv "
                                  "nor a named series of one" + (f"; did you mean {', '.join(close)}?" if close else ""),
                                  file=file, line=line, field="material_id")
        factor = row.get("factor", "")
        if factor not in FACTORS:
            raise DataFormatError(f"factor must be one of {', '.join(FACTORS)}, got {factor!r}", file=file,
                                  line=line, field="factor")
        status = row.get("status", "")
        if status not in {"confirmed", "not_confirmed"}:
            raise DataFormatError(f"status must be confirmed or not_confirmed, got {status!r}", file=file,
                                  line=line, field="status")
        value = None
        if status == "confirmed":
            for name in ("value", "document", "edition", "table", "page"):
                if not (row.get(name) or "").strip():
                    raise DataFormatError(f"a confirmed factor needs its {name}", file=file, line=line, field=name)
            try:
                value = float(row["value"])
            except ValueError:
                raise DataFormatError(f"not a number: {row['value']!r}", file=file, line=line, field="value") from None
            if not 0 <= value <= 1:
                raise DataFormatError(f"{factor} must be 0-1, got {value}", file=file, line=line, field="value")
            if (row.get("edition") or "").strip() not in EDITIONS:
                raise DataFormatError(f"edition must be one of {', '.join(EDITIONS)} (the assessment the value "
                                      f"belongs to), got {row.get('edition')!r}", file=file, line=line,
                                      field="edition")
        else:
            if (row.get("value") or "").strip():
                raise DataFormatError("a value that is not confirmed is left empty", file=file, line=line,
                                      field="value")
            if not (row.get("note") or "").strip():
                raise DataFormatError("a factor that is not confirmed says where it is published and why it is "
                                      "not bundled", file=file, line=line, field="note")
        key = (row["material_id"], factor)
        if key in result:
            raise DataFormatError(f"{key[0]} {factor} is listed twice", file=file, line=line, field="material_id")
        result[key] = Factor(row["material_id"], factor, value, row["document"], row.get("table", ""),
                             row.get("page", ""), status, row.get("note", ""), (row.get("edition") or "").strip())
    return result


@cache
def bundled() -> Mapping[tuple[str, str], Factor]:
    return parse(data_path(*FILE.split("/")).read_text(encoding="utf-8"))


def factor_of(material_id: str, factor: str,
              factors: Mapping[tuple[str, str], Factor] | None = None) -> Factor | None:
    """The bundled (or given) row of one factor of one material, or None where none is listed."""
    return (bundled() if factors is None else factors).get((material_id, factor))


def confirmed(material_id: str, factor: str,
              factors: Mapping[tuple[str, str], Factor] | None = None) -> Factor | None:
    """The row of one factor of one material if it carries a confirmed value, else None."""
    row = factor_of(material_id, factor, factors)
    return row if row is not None and row.value is not None else None


def lookup(material_id: str, factor: str, member: str | None = None,
           factors: Mapping[tuple[str, str], Factor] | None = None) -> tuple[Factor | None, str | None, str]:
    """The row that applies to what is computed, a note where a group value is applied to a member, and the
    name the factor is of.

    ``member``: the series computed where one is named (``palladium`` of ``platinum-group-metals``). Its own
    row wins; without a confirmed one, a confirmed group row (the document's value for the group) applies,
    with a note saying so; otherwise the member's row (or, where it has none, the group's, which says where
    the figures are published) is returned without a value."""
    if member is None or member == material_id:
        return factor_of(material_id, factor, factors), None, material_id
    own = factor_of(member, factor, factors)
    if own is not None and own.value is not None:
        return own, None, member
    group = factor_of(material_id, factor, factors)
    if group is not None and group.value is not None:
        return group, (f"{factor} of {member}: no value for {member} itself is bundled; the document's value for "
                       f"the group {material_id} is applied ({group.citation})"), member
    return own if own is not None else group, None, member


def why_missing(material_id: str, factor: str, row: Factor | None) -> str:
    """The sentence an output gives for a factor it does not have."""
    if row is None:
        return f"{factor} of {material_id} is not bundled (no published value is listed for it)"
    edition = f" ({row.edition} assessment)" if row.edition else ""
    return f"{factor} of {material_id} is not bundled: published in {row.document}{edition}; {row.note}"
