"""The HS6 codes of the bundled BACI extract as trade products, read from the one concordance.

Each product is a view of its rows in :mod:`setu.reference.concordance` (name, materials, stage, basket flag,
the stage and content its look-through reads). ``material_id`` is the material whose production stage the
look-through and the production column use; it is None for a basket (811292: seven metals; 280429: four
rare gases), which is labelled as one, and for a code that is no Setu material (coal).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from setu.errors import UnknownNameError
from setu.reference import concordance, tables


@dataclass(frozen=True)
class TradeProduct:
    hs6: str
    name: str
    labels: tuple[str, ...]  # the Setu materials traded under this code
    material_id: str | None  # the material whose production stage the look-through reads (None: none)
    series: str | None = None  # its USGS series
    note: str = ""
    basket: bool = False
    stage: str = ""
    link: concordance.Link | None = None  # the concordance row the look-through reads

    @property
    def basket_label(self) -> str:
        """'one customs basket: Gallium, Germanium, ...' (material names), or '' for a single material."""
        names = {m.material_id: m.name for m in tables.materials().materials.values()}
        return concordance.basket_label(self.hs6, names)


def _product(hs6: str) -> TradeProduct:
    rows = concordance.for_code(hs6)
    chosen = concordance.origin_link(hs6)
    single = rows[0] if len(rows) == 1 and not rows[0].basket else None
    notes = [rows[0].note] if rows[0].note else []
    if chosen is None and single is not None and single.material_id is not None:
        notes.append("no production stage to look through to")
    return TradeProduct(
        hs6=hs6, name=rows[0].product_name,
        labels=tuple(str(link.material_id) for link in rows if link.material_id),
        material_id=single.material_id if single is not None else None,
        series=single.usgs_series if single is not None else None,
        note="; ".join(notes), basket=any(link.basket for link in rows), stage=rows[0].stage, link=chosen,
    )


PRODUCTS: tuple[TradeProduct, ...] = tuple(_product(code) for code in concordance.bundled_codes())
BY_CODE = {p.hs6: p for p in PRODUCTS}


def product(code: str) -> TradeProduct:
    if code not in BY_CODE:
        raise UnknownNameError("bundled trade product", code, sorted(BY_CODE)[:5])
    return BY_CODE[code]


def for_material(material_id: str) -> list[TradeProduct]:
    """The bundled products traded under this material (a basket it belongs to included)."""
    return [p for p in PRODUCTS if material_id in p.labels]


@cache
def crosswalk() -> dict[str, dict]:
    """The extract's material -> HS6 crosswalk as published (ore and refined codes, flags)."""
    return json.loads(tables.data_path("baci", "crosswalk.json").read_text(encoding="utf-8"))
