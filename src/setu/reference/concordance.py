"""The one material model: material <-> HS6 code <-> stage <-> USGS series <-> IEA stage <-> content factor.

``data/reference/trade_concordance.csv`` holds one row per (HS6 code, Setu material). Supply risk, the
dependence answers, the upstream look-through, the trade pages, the watch labels and the materials' own HS
codes all read it here, so a code is mapped once. Columns:

- ``hs6`` (HS 2017, as text), ``material_id`` (a slug of materials.csv; empty for a code that is no Setu
  material, e.g. coal), ``product_name``;
- ``stage``: what the traded good is (ore, concentrate, mineral, chemical, metal, alloy, manufactured, fuel);
  ``role``: ``material`` (the material itself at some stage: its HS codes for import reliance) or ``product``
  (a good made from it: magnets from rare earths, phosphorus from phosphate rock);
- ``basket``: ``yes`` where one code holds several materials (811292: Ga, Ge, Hf, In, Nb, Re, Tl) -
  labelled wherever the code is shown, and never given one material's look-through;
- ``bundled``: ``yes`` if the bundled CEPII BACI extract holds the code, ``absent`` if not (then any figure
  from it needs a user's own BACI or Comtrade import);
- the look-through stage: ``usgs_series`` (the series of the material matching the stage), ``iea_stage``
  (the IEA Critical Minerals table of that stage, where the IEA has one), ``origin`` (``usgs`` or ``iea``:
  which of the two the mass balance reads, by preference the one that lists every country), ``origin_stage``
  (its stage as shown) and ``stage_relation``: ``own`` (the stage that makes this good: mining for an ore,
  refining for a refined metal), ``upstream`` (the stage the good is made from, where its own has no series:
  rare-earth refining for magnets) or ``fallback`` (an earlier stage because the matching one has no series);
- ``content_factor``: tonnes of the production series' content per tonne of the good, with its
  ``content_basis`` and ``content_source`` (stoichiometry with the formula, or a stated grade assumption);
- ``upstream_hs6``: the code(s) whose imports a supplier's shortfall passes through (the good itself for
  ores and refined goods; the ore, if bundled, for a good made from it).

Every code the extract holds is mapped, and every mapped code is bundled or marked absent (tests).
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from setu.errors import DataFormatError, UnknownNameError

FILE = ("reference", "trade_concordance.csv")
STAGES = ("ore", "concentrate", "mineral", "chemical", "metal", "alloy", "manufactured", "fuel")
ROLES = ("material", "product")
ORIGINS = ("usgs", "iea")
RELATIONS = ("own", "upstream", "fallback")
RELATION_TEXT = {
    "own": "the stage that makes this good",
    "upstream": "the stage this good is made from (its own stage has no production series)",
    "fallback": "an earlier stage: the matching stage has no production series",
}


@dataclass(frozen=True)
class Link:
    """One row of the concordance: one HS6 code and one material."""

    hs6: str
    material_id: str | None
    product_name: str
    stage: str
    role: str
    basket: bool
    bundled: bool
    usgs_series: str | None
    iea_stage: str | None
    origin: str | None  # usgs | iea | None (no look-through)
    origin_stage: str | None
    stage_relation: str | None
    content_factor: float | None
    content_basis: str | None
    content_source: str | None
    upstream_hs6: tuple[str, ...]
    note: str
    line: int


def _text(row: dict[str, str], key: str) -> str | None:
    value = (row.get(key) or "").strip()
    return value or None


def _link(row: dict[str, str], line: int, file: str) -> Link:
    def fail(message: str, field: str) -> DataFormatError:
        return DataFormatError(message, file=file, line=line, field=field)

    hs6 = row.get("hs6", "")
    if len(hs6) != 6 or not hs6.isdigit():
        raise fail(f"HS code {hs6!r} must be six digits", "hs6")
    for field, allowed in (("stage", STAGES), ("role", ROLES)):
        if row.get(field) not in allowed:
            raise fail(f"{row.get(field)!r}; use one of {', '.join(allowed)}", field)
    for field, allowed in (("basket", ("yes", "no")), ("bundled", ("yes", "absent"))):
        if row.get(field) not in allowed:
            raise fail(f"{row.get(field)!r}; use one of {', '.join(allowed)}", field)
    origin = _text(row, "origin")
    if origin is not None and origin not in ORIGINS:
        raise fail(f"{origin!r}; use one of {', '.join(ORIGINS)} or leave empty", "origin")
    relation = _text(row, "stage_relation")
    if (relation is None) != (origin is None) or (relation is not None and relation not in RELATIONS):
        raise fail(f"{relation!r}: a row with an origin needs one of {', '.join(RELATIONS)}", "stage_relation")
    factor_text = _text(row, "content_factor")
    try:
        factor = None if factor_text is None else float(factor_text)
    except ValueError:
        raise fail(f"{factor_text!r} is not a number", "content_factor") from None
    if origin is not None and (factor is None or factor <= 0 or not _text(row, "content_source")):
        raise fail("a row with an origin needs a positive content_factor and its content_source", "content_factor")
    return Link(
        hs6=hs6, material_id=_text(row, "material_id"), product_name=row.get("product_name", ""),
        stage=row["stage"], role=row["role"], basket=row["basket"] == "yes", bundled=row["bundled"] == "yes",
        usgs_series=_text(row, "usgs_series"), iea_stage=_text(row, "iea_stage"), origin=origin,
        origin_stage=_text(row, "origin_stage"), stage_relation=relation, content_factor=factor,
        content_basis=_text(row, "content_basis"), content_source=_text(row, "content_source"),
        upstream_hs6=tuple(c for c in (row.get("upstream_hs6") or "").split(";") if c),
        note=(row.get("note") or "").strip(), line=line,
    )


@cache
def links() -> tuple[Link, ...]:
    """Every row of the concordance, in file order. Raises DataFormatError naming the line and field."""
    text = resources.files("setu").joinpath("data", *FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return tuple(_link(row, line, "/".join(FILE)) for line, row in enumerate(reader, start=2))


def for_code(hs6: str) -> tuple[Link, ...]:
    """The rows of one HS6 code (several for a basket); UnknownNameError with close codes if none."""
    found = tuple(link for link in links() if link.hs6 == hs6)
    if not found:
        known = sorted({link.hs6 for link in links()})
        raise UnknownNameError("HS6 code of the concordance", hs6, difflib.get_close_matches(hs6, known, n=3))
    return found


def codes_of(material_id: str, *, roles: tuple[str, ...] = ("material",)) -> tuple[str, ...]:
    """A material's HS6 codes (by default those that are the material itself, not goods made from it)."""
    return tuple(link.hs6 for link in links() if link.material_id == material_id and link.role in roles)


def bundled_codes() -> tuple[str, ...]:
    """The codes the bundled extract holds, in file order, once each."""
    return tuple(dict.fromkeys(link.hs6 for link in links() if link.bundled))


def is_basket(hs6: str) -> bool:
    return any(link.basket for link in for_code(hs6))


def basket_label(hs6: str, names: Mapping[str, str] | None = None) -> str:
    """'one customs basket: Gallium, Germanium, ...' for a basket code ('' for any other); ``names`` maps
    material slugs to the names shown (the slugs themselves without it)."""
    rows = for_code(hs6)
    if not any(link.basket for link in rows):
        return ""
    shown = [(names or {}).get(str(link.material_id), str(link.material_id)) for link in rows if link.material_id]
    return "one customs basket: " + ", ".join(shown)


def origin_link(hs6: str) -> Link | None:
    """The row the look-through of a code reads: its single material's row with an origin (None for a basket,
    or a code without a production stage)."""
    rows = for_code(hs6)
    if len(rows) != 1 or rows[0].basket or rows[0].origin is None:
        return None
    return rows[0]


def describe(hs6: str) -> dict[str, object]:
    """A code as the outputs show it: name, materials, stage, basket flag, whether bundled."""
    rows = for_code(hs6)
    return {"hs6": hs6, "name": rows[0].product_name, "stage": rows[0].stage,
            "materials": [link.material_id for link in rows if link.material_id],
            "basket": any(link.basket for link in rows), "basket_label": basket_label(hs6),
            "bundled": rows[0].bundled}


def label(hs6: str) -> dict[str, object]:
    """A code as a page shows it beside a map node: :func:`describe`, or ``known: False`` for a code outside
    the concordance (goods further downstream: wafers, cells)."""
    if not any(link.hs6 == hs6 for link in links()):
        return {"hs6": hs6, "known": False}
    return {**describe(hs6), "known": True}


def content_factor(hs6: str, material_id: str) -> float | None:
    """Tonnes of the material's production-series content per tonne of the good (None where the concordance
    gives none: a basket, or a code without a look-through row). For converting trade tonnes to the basis of
    a production figure, as the look-through does."""
    for link in for_code(hs6):
        if link.material_id == material_id:
            return link.content_factor
    return None
