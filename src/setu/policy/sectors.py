"""Setu's vocabulary of target activities, and how a user's words, HS codes or map nodes resolve to it.

Screening rules name activities by id (``battery-manufacturing``); a user may name them by id, name or
synonym, by an HS code (an activity lists HS prefixes: chapters, headings or subheadings) or by a supply-map
node (``batteries:cell``). Names are compared after normalisation (case, and runs of spaces, hyphens and
underscores, count as one separator: "Electronic components" is ``electronic-components``). Unknown names
raise ``UnknownNameError`` with the closest valid ones: only genuinely close names (a similarity ratio of at
least ``CLOSE``, difflib's Ratcliff-Obershelp measure), so "lottery" is not offered "battery-manufacturing".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from setu.errors import UnknownNameError, ValidationError

CLOSE = 0.75  # the lowest similarity ratio of a suggested name
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise(name: str) -> str:
    """The comparison key of a name: case-folded, with runs of spaces, hyphens and underscores as one space."""
    return _SEPARATORS.sub(" ", name.casefold()).strip()


def closest(name: str, choices: Iterable[str], n: int = 5) -> list[str]:
    """The choices genuinely close to ``name`` (normalised on both sides), closest first."""
    keyed: dict[str, str] = {}
    for choice in choices:
        keyed.setdefault(normalise(choice), choice)
    return [keyed[k] for k in difflib.get_close_matches(normalise(name), list(keyed), n=n, cutoff=CLOSE)]


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
        """The id of the activity called ``name`` (id, name or synonym; any case and separators)."""
        key = normalise(name)
        choices: dict[str, str] = {}
        for sector in self.sectors:
            for word in (sector.id, sector.name, *sector.synonyms):
                choices.setdefault(normalise(word), sector.id)
        if key in choices:
            return choices[key]
        close = difflib.get_close_matches(key, list(choices), n=8, cutoff=CLOSE)
        raise UnknownNameError("sector", name, list(dict.fromkeys(choices[c] for c in close))[:5])

    def by_hs(self, code: str) -> list[str]:
        """Activities whose HS prefixes start ``code`` (2 to 6 digits), and those listing a longer code inside it.

        A code wider than every prefix it meets (``9001``, when only 900110 optical fibres is listed) is refused
        with the listed codes inside it: the rest of the heading (contact lenses, say) belongs to no screening
        activity, so a screen from the wider code would answer for a business the target may not be in.
        """
        digits = code.strip().replace(".", "")
        if not digits.isdigit() or not 2 <= len(digits) <= 6:
            raise ValidationError(f"HS code {code!r} must be 2 to 6 digits, e.g. 850760")
        found = [s.id for s in self.sectors
                 if any(digits.startswith(p) or p.startswith(digits) for p in s.hs_prefixes)]
        whole = any(digits.startswith(p) for s in self.sectors for p in s.hs_prefixes)
        if found and not whole:
            inside = sorted({p for s in self.sectors for p in s.hs_prefixes if p.startswith(digits)})
            raise UnknownNameError("HS code (wider than the codes screening activities list; give one of these)",
                                   code, inside[:5])
        if not found:
            prefixes = sorted({p for s in self.sectors for p in s.hs_prefixes})
            close = [p for p in prefixes if p[:2] == digits[:2]][:5]  # same HS chapter: the only honest "close"
            raise UnknownNameError("HS code (no screening activity covers it)", code, close)
        return found

    def by_node(self, node: str) -> list[str]:
        """Activities that list the supply-map node ``map:node``."""
        found = [s.id for s in self.sectors if node in s.nodes]
        if not found:
            known = sorted({n for s in self.sectors for n in s.nodes})
            raise UnknownNameError("map node (no screening activity lists it)", node, closest(node, known))
        return found

    def nodes_of(self, sector_ids: Iterable[str]) -> list[str]:
        wanted = set(sector_ids)
        return sorted({n for s in self.sectors if s.id in wanted for n in s.nodes})
