"""The 30 HS6 codes of the bundled BACI extract, with the Setu material whose production is their upstream stage.

Names and the material ↔ HS6 labels follow the extract's crosswalk (``data/baci/crosswalk.json``, checked by
tests); the link to a Setu material (and USGS series) is Setu's, chosen as the stage the traded good is
made from: magnets (850511) from rare-earth mining, elemental phosphorus (280470) from phosphate rock,
refined copper (740311) at the refinery stage. ``material_id`` is None where USGS has no world production
series (coking coal). 811292 is one customs basket (gallium, germanium, hafnium, indium, niobium, rhenium,
thallium, unwrought); its upstream stage is taken to be gallium, the largest by value, and the basket says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from setu.errors import UnknownNameError
from setu.reference import tables


@dataclass(frozen=True)
class TradeProduct:
    hs6: str
    name: str
    labels: tuple[str, ...]  # the crosswalk's material labels traded under this code
    material_id: str | None  # Setu material whose production is the upstream stage
    series: str | None = None  # its USGS series, where not the material's default
    note: str = ""


PRODUCTS: tuple[TradeProduct, ...] = (
    TradeProduct("850511", "Permanent magnets (rare-earth NdFeB and others)", ("magnets",), "rare-earths"),
    TradeProduct("810411", "Magnesium, unwrought", ("magnesium",), "magnesium-metal"),
    TradeProduct("811292", "Ga, Ge, Hf, In, Nb, Re, Tl unwrought (one basket)", ("gallium", "germanium", "hafnium"),
                 "gallium", note="one customs basket of gallium, germanium, hafnium, indium, niobium, rhenium and "
                 "thallium (unwrought): its flows are not one metal's alone; gallium is taken as its upstream stage"),
    TradeProduct("250490", "Natural graphite (other than powder or flakes)", ("graphite",), "graphite"),
    TradeProduct("810194", "Tungsten, unwrought", ("tungsten",), "tungsten"),
    TradeProduct("282200", "Cobalt oxides and hydroxides", ("cobalt",), "cobalt"),
    TradeProduct("720293", "Ferro-niobium", ("niobium",), "niobium"),
    TradeProduct("252800", "Natural borates", ("boron",), "boron"),
    TradeProduct("283691", "Lithium carbonate", ("lithium",), "lithium"),
    TradeProduct("811010", "Antimony, unwrought", ("antimony",), "antimony"),
    TradeProduct("711011", "Platinum, unwrought", ("platinum",), "platinum-group-metals", "platinum"),
    TradeProduct("711021", "Palladium, unwrought", ("palladium",), "platinum-group-metals", "palladium"),
    TradeProduct("252922", "Fluorspar, > 97 % CaF2", ("fluorspar",), "fluorspar"),
    TradeProduct("810820", "Titanium, unwrought", ("titanium",), "titanium"),
    TradeProduct("280469", "Silicon, < 99.99 % Si", ("silicon",), "silicon"),
    TradeProduct("252910", "Feldspar", ("feldspar",), "feldspar"),
    TradeProduct("720292", "Ferro-vanadium", ("vanadium",), "vanadium"),
    TradeProduct("260200", "Manganese ores and concentrates", ("manganese",), "manganese"),
    TradeProduct("260600", "Aluminium ores (bauxite)", ("bauxite",), "bauxite"),
    TradeProduct("251010", "Natural calcium phosphates, unground", ("phosphate",), "phosphate-rock"),
    TradeProduct("251110", "Natural barium sulphate (baryte)", ("baryte",), "barite"),
    TradeProduct("280480", "Arsenic", ("arsenic",), "arsenic"),
    TradeProduct("811212", "Beryllium, unwrought", ("beryllium",), "beryllium"),
    TradeProduct("283692", "Strontium carbonate", ("strontium",), "strontium"),
    TradeProduct("280470", "Phosphorus", ("phosphorus",), "phosphate-rock",
                 note="made from phosphate rock: its mining is the upstream stage"),
    TradeProduct("810320", "Tantalum, unwrought", ("tantalum",), "tantalum"),
    TradeProduct("270112", "Bituminous coal (thermal and coking)", ("cokingcoal",), None,
                 note="USGS publishes no world coal production: no upstream stage"),
    TradeProduct("280429", "Rare gases other than argon (helium)", ("helium",), "helium"),
    TradeProduct("740311", "Refined copper cathodes", ("copper",), "copper", "refinery"),
    TradeProduct("750210", "Nickel, unalloyed, unwrought", ("nickel",), "nickel"),
)
BY_CODE = {p.hs6: p for p in PRODUCTS}


def product(code: str) -> TradeProduct:
    if code not in BY_CODE:
        raise UnknownNameError("bundled trade product", code, sorted(BY_CODE)[:5])
    return BY_CODE[code]


def for_material(material_id: str) -> list[TradeProduct]:
    """The bundled products whose upstream stage, or one of whose crosswalk labels, is this material."""
    return [p for p in PRODUCTS if p.material_id == material_id or material_id in p.labels]


@cache
def crosswalk() -> dict[str, dict]:
    """The extract's material → HS6 crosswalk as published (ore and refined codes, flags)."""
    return json.loads(tables.data_path("baci", "crosswalk.json").read_text(encoding="utf-8"))
