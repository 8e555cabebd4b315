"""Region and sector names of a table, matched the way analysts type them.

Matching is case-insensitive and ignores surrounding spaces. A sector can be named by a
unique prefix ("basic metals" for "Basic Metals and Fabricated Metal"); anything else
raises :class:`~setu.errors.UnknownNameError` with the closest names, so a typo gets a
suggestion instead of a silent empty result.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from setu.errors import UnknownNameError


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def match_name(kind: str, name: str, choices: Sequence[str], *, allow_prefix: bool = True) -> str:
    """The one entry of ``choices`` that ``name`` designates, or UnknownNameError with suggestions."""
    wanted = _key(name)
    by_key = {_key(choice): choice for choice in choices}
    if wanted in by_key:
        return by_key[wanted]
    if allow_prefix and wanted:
        starting = [choice for key, choice in by_key.items() if key.startswith(wanted)]
        if len(starting) == 1:
            return starting[0]
        if len(starting) > 1:
            raise UnknownNameError(kind, name, starting[:5])
    raise UnknownNameError(kind, name, [by_key[key] for key in _closest(wanted, list(by_key))])


def _closest(wanted: str, keys: list[str], *, limit: int = 5, cutoff: float = 0.6) -> list[str]:
    """Keys most like ``wanted``, as a whole or by their beginning (so "basic metalz" finds
    "basic metals and fabricated metal"), then keys containing it; best first."""

    def score(key: str) -> float:
        whole = difflib.SequenceMatcher(None, wanted, key).ratio()
        start = difflib.SequenceMatcher(None, wanted, key[: len(wanted)]).ratio()
        return max(whole, start)

    scored = sorted(((score(key), key) for key in keys), key=lambda pair: (-pair[0], pair[1]))
    close = [key for value, key in scored if value >= cutoff]
    containing = [key for key in keys if wanted and wanted in key and key not in close]
    return (close + containing)[:limit]
