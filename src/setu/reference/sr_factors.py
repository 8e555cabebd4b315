"""The two supply-risk factors the EU method takes from the criticality assessment, as bundled and cited.

European Commission (2017), *Methodology for establishing the EU list of critical raw materials*
(doi:10.2873/769526), section 4, corrects the supply-risk bracket by ``(1 - EoL_RIR) * SI_SR``:

* ``EoL_RIR``, the end-of-life recycling input rate (0-1): the share of the EU's input of a raw material
  that comes from old (post-consumer) scrap; published per material in the assessment's factsheets and
  republished by Eurostat as indicator cei_srm010 (European Commission 2018, *Report on Critical Raw
  Materials and the Circular Economy*, doi:10.2873/167813, section 1.2.2);
* ``SI_SR``, the substitution index for supply risk (0-1, 1 = no substitute).

``data/reference/sr_factors.csv`` holds one row per (material, factor) with the document, table and page a
value was read from and a ``status``: ``confirmed`` rows (value, table and page all given) enter the score;
``not_confirmed`` rows carry no value and say where the figure is published, so that the output names the
missing input and where to find it. A value is never filled in from memory: it is confirmed against the
document or left out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from setu.errors import DataFormatError
from setu.reference.tables import data_path

FACTORS = ("EoL_RIR", "SI_SR")
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

    @property
    def citation(self) -> str:
        return f"{self.document}, {self.table}, p. {self.page}" if self.value is not None else self.document


def parse(text: str, file: str = FILE) -> dict[tuple[str, str], Factor]:
    """Rows of the factors file keyed by (material_id, factor); a bad row names its line and field."""
    result: dict[tuple[str, str], Factor] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
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
            for name in ("value", "document", "table", "page"):
                if not (row.get(name) or "").strip():
                    raise DataFormatError(f"a confirmed factor needs its {name}", file=file, line=line, field=name)
            try:
                value = float(row["value"])
            except ValueError:
                raise DataFormatError(f"not a number: {row['value']!r}", file=file, line=line, field="value") from None
            if not 0 <= value <= 1:
                raise DataFormatError(f"{factor} must be 0-1, got {value}", file=file, line=line, field="value")
        elif (row.get("value") or "").strip():
            raise DataFormatError("a value that is not confirmed is left empty", file=file, line=line, field="value")
        key = (row["material_id"], factor)
        if key in result:
            raise DataFormatError(f"{key[0]} {factor} is listed twice", file=file, line=line, field="material_id")
        result[key] = Factor(row["material_id"], factor, value, row["document"], row.get("table", ""),
                             row.get("page", ""), status, row.get("note", ""))
    return result


@cache
def bundled() -> Mapping[tuple[str, str], Factor]:
    return parse(data_path(*FILE.split("/")).read_text(encoding="utf-8"))


def factor_of(material_id: str, factor: str,
              factors: Mapping[tuple[str, str], Factor] | None = None) -> Factor | None:
    """The bundled (or given) row of one factor of one material, or None where none is listed."""
    return (bundled() if factors is None else factors).get((material_id, factor))


def why_missing(material_id: str, factor: str, row: Factor | None) -> str:
    """The sentence an output gives for a factor it does not have."""
    if row is None:
        return f"{factor} of {material_id} is not bundled (no published value is listed for it)"
    return (f"{factor} of {material_id} is not bundled: published in the {row.document}"
            + (f", {row.note}" if row.note else "") + ", but not yet confirmed against it, so left out")
