"""Setu's vocabulary of target activities, and how a user's words, HS codes or map nodes resolve to it.

Screening rules name activities by id (``battery-manufacturing``); a user may name them by id, name or
synonym, by an HS code (an activity lists HS prefixes: chapters, headings or subheadings) or by a supply-map
node (``batteries:cell``). Unknown names raise ``UnknownNameError`` with the closest valid ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from setu.errors import UnknownNameError, ValidationError


@dataclass(frozen=True)
class Sector:
    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    hs_prefixes: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()  # "map:node"


@dataclass(frozen=True)
class SectorVocabulary:
    sectors: tuple[Sector, ...]

    def ids(self) -> list[str]:
        return [sector.id for sector in self.sectors]

    def get(self, sector_id: str) -> Sector:
        return next(s for s in self.sectors if s.id == sector_id)

    def resolve(self, name: str) -> str:
        """The id of the activity called ``name`` (id, name or synonym, any case)."""
        key = name.strip().casefold()
        for sector in self.sectors:
            if key in {sector.id.casefold(), sector.name.casefold(), *(s.casefold() for s in sector.synonyms)}:
                return sector.id
        choices = {s.id: s.id for s in self.sectors}
        choices.update({syn.casefold(): s.id for s in self.sectors for syn in s.synonyms})
        close = difflib.get_close_matches(key, list(choices), n=5, cutoff=0.5)
        raise UnknownNameError("sector", name, list(dict.fromkeys(choices[c] for c in close)))

    def by_hs(self, code: str) -> list[str]:
        """Activities whose HS prefixes start ``code`` (2 to 6 digits)."""
        digits = code.strip().replace(".", "")
        if not digits.isdigit() or not 2 <= len(digits) <= 6:
            raise ValidationError(f"HS code {code!r} must be 2 to 6 digits, e.g. 850760")
        found = [s.id for s in self.sectors
                 if any(digits.startswith(p) or p.startswith(digits) for p in s.hs_prefixes)]
        if not found:
            prefixes = sorted({p for s in self.sectors for p in s.hs_prefixes})
            close = difflib.get_close_matches(digits, prefixes, n=5, cutoff=0.5)
            raise UnknownNameError("HS code (no screening activity covers it)", code, close)
        return found

    def by_node(self, node: str) -> list[str]:
        """Activities that list the supply-map node ``map:node``."""
        found = [s.id for s in self.sectors if node in s.nodes]
        if not found:
            known = sorted({n for s in self.sectors for n in s.nodes})
            raise UnknownNameError("map node (no screening activity lists it)", node,
                                   difflib.get_close_matches(node, known, n=5, cutoff=0.5))
        return found

    def nodes_of(self, sector_ids: Iterable[str]) -> list[str]:
        wanted = set(sector_ids)
        return sorted({n for s in self.sectors if s.id in wanted for n in s.nodes})
