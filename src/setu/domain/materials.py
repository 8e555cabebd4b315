"""Materials: the catalog's commodities, with slug ids, names, synonyms and HS codes.

Names are matched case-insensitively against ids, names and synonyms ("rare earths", "REE",
"Rare-Earths" all resolve to ``rare-earths``); unknown names raise UnknownNameError with the
closest valid ids.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from setu.errors import UnknownNameError


@dataclass(frozen=True)
class Material:
    material_id: str
    name: str
    usgs_code: str
    synonyms: tuple[str, ...] = ()
    hs6_hs2017: tuple[str, ...] = ()
    default_series: str = ""
    #: names that mean one series of the material ("palladium" -> the PGM table's palladium series)
    series_synonyms: Mapping[str, str] = field(default_factory=dict)


def _key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").casefold().split())


@dataclass(frozen=True)
class MaterialRegistry:
    materials: Mapping[str, Material]

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for material in self.materials.values():
            for name in (material.material_id, material.name, *material.synonyms):
                index.setdefault(_key(name), material.material_id)
        object.__setattr__(self, "_index", index)

    def resolve(self, name: str) -> str:
        index: dict[str, str] = self._index  # type: ignore[attr-defined]
        key = _key(name)
        if key in index:
            return index[key]
        if key.endswith("s") and key[:-1] in index:
            return index[key[:-1]]
        close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.6)
        suggestions = list(dict.fromkeys(index[c] for c in close))[:5]
        raise UnknownNameError("material", name, suggestions)

    def series_named(self, name: str) -> str | None:
        """The series a name selects (``Pd`` -> ``palladium``), or None for a name of the whole material.

        A synonym such as ``palladium`` resolves to the platinum-group-metals table, whose default series
        is platinum; without this the user asking for palladium would silently get platinum figures.
        """
        material = self.materials[self.resolve(name)]
        return {_key(k): v for k, v in material.series_synonyms.items()}.get(_key(name))

    def get(self, name: str) -> Material:
        return self.materials[self.resolve(name)]
