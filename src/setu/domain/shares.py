"""How a share is written for people: one formatter for every table, page and message.

Shares are fractions in 0–1 everywhere in Setu (docs/architecture.md); they become percentages only when
shown. ``share_text`` is for figures (rounded to ``digits`` decimals of a percent); ``threshold_text`` is
for thresholds stated in law or rules (25 % of the voting rights), written without rounding noise.
"""

from __future__ import annotations


def share_text(value: float | None, digits: int = 1) -> str:
    """``0.4567 -> '45.7%'``; ``None`` (no figure) -> ``''``."""
    return "" if value is None else f"{100 * float(value):.{digits}f}%"


def threshold_text(value: float) -> str:
    """``0.25 -> '25 %'``, ``0.1 -> '10 %'``: a stated threshold, as the rule writes it."""
    return f"{100 * value:.6g} %"
