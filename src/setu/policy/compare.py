"""Compare two jurisdictions' critical lists: which materials are critical for one, for both, for neither,
and which of the "neither" are highly concentrated in Setu's own metrics - the gap where cooperation starts.

A material is critical for a jurisdiction on a day when an entry of one of its lists in force that day links
the material with an ``exact``, ``part`` or ``covers`` relation (``related`` links - an input or product of
the material - do not count). Concentration is the supplier HHI (0-10,000) of the material, supplied by the
caller (from the supply maps, or the catalog's production shares); "highly concentrated" means an HHI above
1,800, the threshold of the U.S. DOJ/FTC Merger Guidelines (2023), section 2.1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from setu.policy.library import PolicyLibrary

HIGHLY_CONCENTRATED_HHI = 1800.0


class Standing(StrEnum):
    BOTH = "both"
    FIRST_ONLY = "first only"
    SECOND_ONLY = "second only"
    NEITHER = "neither"


@dataclass(frozen=True)
class MaterialConcentration:
    hhi: float
    top_country: str
    top_share: float
    basis: str  # where the figure comes from: "map:node (measure, year: source)"


@dataclass(frozen=True)
class MaterialComparison:
    material: str
    name: str
    standing: Standing
    first: tuple[str, ...]  # "list-id:entry-id" that make it critical for the first jurisdiction
    second: tuple[str, ...]
    concentration: MaterialConcentration | None

    @property
    def gap(self) -> bool:
        """Critical for neither, yet highly concentrated."""
        return (self.standing is Standing.NEITHER and self.concentration is not None
                and self.concentration.hhi > HIGHLY_CONCENTRATED_HHI)


def concentration_from_shares(shares: Mapping[str, Mapping[str, float]], basis: Mapping[str, str]
                              ) -> dict[str, MaterialConcentration]:
    """Concentration of each material from its country shares of world supply (fractions 0-1), e.g. the
    catalog's USGS production shares; ``basis`` names the figures' source and year per material. HHI is
    ``sum_c (100 s_c)^2`` (Herfindahl 1950), a lower bound where the shares cover less than all supply; ties for
    the top supplier go to the alphabetically first ISO3 code."""
    result = {}
    for material, by_country in shares.items():
        if not by_country:
            continue
        top = min(by_country, key=lambda c: (-by_country[c], c))
        result[material] = MaterialConcentration(sum((100 * s) ** 2 for s in by_country.values()), top,
                                                 by_country[top], basis.get(material, ""))
    return result


def critical_for(library: PolicyLibrary, jurisdiction: str, day: dt.date) -> dict[str, list[str]]:
    """material -> the list entries that make it critical for ``jurisdiction`` on ``day``."""
    found: dict[str, list[str]] = {}
    for critical in library.lists_of(jurisdiction):
        for entry in critical.entries:
            if not entry.in_force.possibly_in_force(day):
                continue
            for link in entry.materials:
                if link.relation.designates:
                    found.setdefault(link.material, []).append(f"{critical.id}:{entry.id}")
    return found


def compare_lists(library: PolicyLibrary, first: str, second: str, day: dt.date, materials: Mapping[str, str],
                  concentration: Mapping[str, MaterialConcentration]) -> list[MaterialComparison]:
    """One row per catalog material (``materials``: slug -> name): both, first only, second only, then
    neither; within each, the most concentrated first, then by slug."""
    a, b = critical_for(library, first, day), critical_for(library, second, day)
    rows = []
    for slug, name in materials.items():
        in_a, in_b = slug in a, slug in b
        standing = (Standing.BOTH if in_a and in_b else Standing.FIRST_ONLY if in_a
                    else Standing.SECOND_ONLY if in_b else Standing.NEITHER)
        rows.append(MaterialComparison(slug, name, standing, tuple(sorted(a.get(slug, []))),
                                       tuple(sorted(b.get(slug, []))), concentration.get(slug)))
    order = list(Standing)
    rows.sort(key=lambda r: (order.index(r.standing), -(r.concentration.hhi if r.concentration else -1), r.material))
    return rows
