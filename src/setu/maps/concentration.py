"""Supplier concentration of one node: HHI, top-1 and top-3 shares, governance-weighted HHI.

Shares are fractions (0-1) of world supply; HHI is on the 0-10,000 scale,
``HHI = sum_c (100 * s_c)^2`` (Herfindahl 1950; Hirschman 1964; U.S. DOJ/FTC Horizontal Merger
Guidelines 2023 use the same scale). When the listed shares cover less than all of supply, the HHI of
the listed shares is a *lower bound* of the true HHI: the unlisted remainder contributes at least 0 and,
split ever finer, tends to 0.

The governance-weighted HHI follows the European Commission's supply-risk indicator
(Blengini et al. 2017, *Methodology for establishing the EU list of critical raw materials*, JRC,
eq. 2: ``HHI_WGI = sum_c S_c^2 * WGI_c``) with the governance risk ``g_c`` rescaled to 0-1
(1 = weakest governance), which keeps the result on the HHI's 0-10,000 scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from setu.domain.supply_map import Share
from setu.metrics.concentration import hhi

__all__ = ["Concentration", "concentration", "governance_hhi", "hhi", "top_shares"]


def top_shares(shares: Iterable[float], k: int) -> float:
    """Sum of the ``k`` largest shares (top-1, top-3 concentration ratios)."""
    return sum(sorted(shares, reverse=True)[:k])


def governance_hhi(shares: Mapping[str, float], risk: Mapping[str, float]) -> tuple[float, float]:
    """``sum_c (100 s_c)^2 * g_c`` with ``g_c`` in 0-1 (0-10,000 scale), and the fraction of the listed shares
    that had a governance score. With ``g = EU risk / 10`` this is the catalog's ``gw_hhi_scaled``
    (:func:`setu.metrics.concentration.governance_weighted_hhi` takes the EU's 0.1-10 risk instead).

    Countries without a score are left out (and reported through the coverage), never given a guessed score.
    """
    weighted = 0.0
    scored = 0.0
    for country, share in shares.items():
        if country in risk:
            weighted += (100.0 * share) ** 2 * risk[country]
            scored += share
    total = sum(shares.values())
    return weighted, (scored / total if total else 0.0)


@dataclass(frozen=True)
class Concentration:
    hhi: float
    top1_country: str
    top1_share: float
    top3_share: float
    coverage: float  # sum of listed country shares; HHI is a lower bound when below 1
    governance_hhi: float | None = None
    governance_coverage: float | None = None


def concentration(shares: Iterable[Share], risk: Mapping[str, float] | None = None) -> Concentration | None:
    """Concentration of a node's country shares, or None where the node lists none."""
    by_country: dict[str, float] = {}
    for share in shares:
        by_country[share.country] = by_country.get(share.country, 0.0) + share.share
    if not by_country:
        return None
    top_country = min(by_country, key=lambda c: (-by_country[c], c))
    governance = governance_hhi(by_country, risk) if risk is not None else None
    return Concentration(
        hhi=hhi(by_country.values()),
        top1_country=top_country,
        top1_share=by_country[top_country],
        top3_share=top_shares(by_country.values(), 3),
        coverage=sum(by_country.values()),
        governance_hhi=governance[0] if governance else None,
        governance_coverage=governance[1] if governance else None,
    )
