"""The EU critical raw materials supply-risk score (SR), for any importing country or group. Pure; no I/O.

European Commission (2017), *Methodology for establishing the EU list of critical raw materials: guidelines*,
Publications Office of the EU, doi:10.2873/769526, section 4 (supply risk), as applied in the 2023
assessment (*Study on the critical raw materials for the EU 2023*, doi:10.2873/725585):

    SR = [ HHI_WGI,t(GS) * IR/2 + HHI_WGI,t(sourcing) * (1 - IR/2) ] * (1 - EoL_RIR) * SI_SR

    HHI_WGI,t = sum_i  S_i^2 * WGI_i * t_i          (S_i fraction 0-1, WGI_i rescaled 0.1-10, t_i trade term)
    IR        = (imports - exports) / (domestic production + imports - exports)       (kept in 0-1)

* ``GS``: global supply, producing countries' shares of world production;
* ``sourcing``: the importer's actual supply, its own production plus its imports by partner (a group such
  as EU27 counts each member's production, and only imports from outside the group);
* ``t_i``: the trade-related variable (export restrictions, taxes and quotas of country ``i`` raise it above
  1; an agreement with the importer lowers it); 1 when no adjustment is given, which the result states;
* ``EoL_RIR``: end-of-life recycling input rate (0-1); ``SI_SR``: substitution index for supply risk (0-1,
  1 = no substitute).

The global term weighs IR/2 and the sourcing term 1 - IR/2: an importer that imports everything still sees
half its risk through its own suppliers, one that imports nothing sees all of it there.

Missing is missing: a supplier without a WGI score is listed under ``missing`` and its term left out (the
HHI is then a lower bound, as the result says); an SR input that is not given (EoL_RIR, SI_SR, IR) is
listed as missing and the SR is not computed (``None``), never computed with 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Input:
    """One input of the score, with where it comes from; ``value`` None means missing."""

    name: str
    value: float | None
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class WeightedHhi:
    """``HHI_WGI,t`` on the EU scale (0-10 when shares are fractions and WGI runs 0.1-10)."""

    value: float
    shares: Mapping[str, float]
    missing_governance: tuple[str, ...] = ()  # suppliers left out: no WGI score
    adjusted: Mapping[str, float] = field(default_factory=dict)  # t_i != 1, by supplier


@dataclass(frozen=True)
class SupplyRisk:
    importer: str
    global_hhi: WeightedHhi
    sourcing_hhi: WeightedHhi | None
    import_reliance: Input
    eol_rir: Input
    si_sr: Input
    score: float | None  # None while an input is missing
    before_recycling_and_substitution: float | None  # the bracket, when IR and both HHIs are known
    missing: tuple[str, ...]
    notes: tuple[str, ...]


def weighted_hhi(
    shares: Mapping[str, float], governance: Mapping[str, float], trade: Mapping[str, float] | None = None
) -> WeightedHhi:
    """``sum_i S_i^2 WGI_i t_i`` over suppliers with a governance score; the others are reported missing."""
    trade = trade or {}
    total = 0.0
    missing = []
    for country, share in shares.items():
        if share < 0 or share > 1 + 1e-9:
            raise ValueError(f"share of {country} must be a fraction 0-1, got {share}")
        if country not in governance:
            if share > 0:
                missing.append(country)
            continue
        total += share * share * governance[country] * trade.get(country, 1.0)
    adjusted = {c: t for c, t in trade.items() if t != 1.0 and c in shares}
    return WeightedHhi(total, dict(shares), tuple(sorted(missing)), adjusted)


def import_reliance(production: float | None, imports: float | None, exports: float | None) -> float | None:
    """``IR = (imports - exports) / (production + imports - exports)``, kept in 0-1.

    A net exporter (exports above imports) has IR = 0, as the EC method sets it (European Commission
    2017, section 4: IR runs 0-1), whatever its apparent consumption. None if an input is missing (trade
    of a product the data do not hold is unknown, not zero) or if nothing is consumed and nothing is net
    traded (0/0: undefined)."""
    if production is None or imports is None or exports is None:
        return None
    net_imports = imports - exports
    if net_imports < 0:
        return 0.0
    consumption = production + net_imports
    if consumption <= 0:
        return None
    return min(1.0, net_imports / consumption)


def sourcing_shares(domestic: Mapping[str, float], imports_by_partner: Mapping[str, float]) -> dict[str, float]:
    """Shares of the importer's actual supply: its own producers' output (one entry per producing member of
    a group) and its imports by partner, each divided by their sum; same unit for both (tonnes)."""
    combined: dict[str, float] = {}
    for source in (domestic, imports_by_partner):
        for country, amount in source.items():
            if amount < 0:
                raise ValueError(f"amount from {country} must be at least 0, got {amount}")
            combined[country] = combined.get(country, 0.0) + amount
    total = sum(combined.values())
    return {country: amount / total for country, amount in combined.items()} if total > 0 else {}


def supply_risk(
    importer: str,
    global_shares: Mapping[str, float],
    sourcing: Mapping[str, float] | None,
    governance: Mapping[str, float],
    import_reliance: Input,
    eol_rir: Input,
    si_sr: Input,
    trade: Mapping[str, float] | None = None,
) -> SupplyRisk:
    """The SR score and each of its terms; any missing input is named and the score is then None."""
    global_hhi = weighted_hhi(global_shares, governance, trade)
    sourcing_hhi = weighted_hhi(sourcing, governance, trade) if sourcing else None
    missing = []
    notes = []
    for item in (import_reliance, eol_rir, si_sr):
        if item.value is None:
            missing.append(item.name)
        elif not 0 <= item.value <= 1:
            raise ValueError(f"{item.name} must be in 0-1, got {item.value}")
    if sourcing_hhi is None:
        missing.append("sourcing shares")
    for label, term in (("global", global_hhi), ("sourcing", sourcing_hhi)):
        if term is not None and term.missing_governance:
            notes.append(f"{label} HHI_WGI,t leaves out {', '.join(term.missing_governance)} (no WGI score): "
                         "a lower bound")
    if not trade:
        notes.append("t = 1 for every supplier: no export-restriction or agreement adjustment was given")
    bracket = None
    if import_reliance.value is not None and sourcing_hhi is not None:
        ir = import_reliance.value
        bracket = global_hhi.value * ir / 2 + sourcing_hhi.value * (1 - ir / 2)
    score = None
    if bracket is not None and eol_rir.value is not None and si_sr.value is not None:
        score = bracket * (1 - eol_rir.value) * si_sr.value
    return SupplyRisk(importer, global_hhi, sourcing_hhi, import_reliance, eol_rir, si_sr, score, bracket,
                      tuple(missing), tuple(notes))
