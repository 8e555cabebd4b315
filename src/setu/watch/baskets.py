"""Basket codes: an HS six-digit code that holds more than a measure's goods may be unable to show it.

HS 811292 mixes gallium and germanium with indium, niobium and other metals; when China's gallium and
germanium exports fell to zero in August 2023 the code held steady, so no detector on it could flag the
licensing. Calling that a detector *miss* would blame the method for the data; hiding it would overstate
what the data can see. A :class:`Basket` record (bundled in ``data/watch/baskets.yaml``) names the
materials whose controls a code cannot show, with the evidence, and the finer codes that can (national
tariff lines, or a narrower six-digit code); :func:`cannot_show` applies it to one measure and code. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from setu.watch.measures import Measure


@dataclass(frozen=True)
class FinerCode:
    code: str  # six to ten digits, as printed
    what: str


@dataclass(frozen=True)
class Basket:
    hs6: str
    hs_revision: str
    holds: tuple[str, ...]
    description: str
    cannot_show: frozenset[str]  # material slugs
    evidence: str
    source: str
    finer_codes: tuple[FinerCode, ...]


def cannot_show(measure: Measure, code: str, baskets: Sequence[Basket]) -> Basket | None:
    """The basket record that says ``code`` cannot show ``measure`` (all the measure's goods on that code are
    materials the basket hides), or None. A finer line (more than six digits) is never a basket here."""
    if len(code) != 6:
        return None
    for basket in baskets:
        if basket.hs6 != code:
            continue
        materials = {slug for goods in measure.goods if code in goods.hs6 for slug in goods.materials}
        if materials and materials <= basket.cannot_show:
            return basket
    return None


def finer_codes(measure: Measure, code: str, baskets: Sequence[Basket]) -> tuple[str, ...]:
    """Codes finer than ``code`` that could show ``measure``: the basket's list and the measure's own
    national tariff lines under that code (deduplicated, in that order)."""
    found = [f.code for b in baskets if b.hs6 == code for f in b.finer_codes]
    found += [line for goods in measure.goods if code in goods.hs6 for line in goods.national_codes
              if line.startswith(code)]
    return tuple(dict.fromkeys(found))
