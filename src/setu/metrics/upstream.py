"""Upstream ("look-through") exposure: where an importer's supply really comes from, one stage up.

Japan buys most of its NdFeB magnets (HS 850511) from the Philippines and Viet Nam, which mine and refine no
rare earths: its *direct* supplier shares understate its exposure to the countries that do. Following the
look-through logic used to trace gross trade back to its origin (Koopman, Wang & Wei 2014, "Tracing
value-added and double counting in gross exports", American Economic Review 104(2): 459–494; the OECD/EU
notion of *indirect* dependence), Setu traces each supplier's share one stage upstream:

    exposure_upstream(c) = Σ_s t_s · m_s(c)

where t_s is supplier s's share of the importer's imports (0–1, Σ t_s = 1) and m_s is where s's input of the
upstream stage comes from:

    m_s = f_s · {s: 1} + (1 − f_s) · w_s

* f_s, the part of s's exports its own upstream production covers: min(1, p_s / x_s), with p_s its share of
  world production of the upstream stage and x_s its share of world exports of the product (equal input per
  dollar of exports everywhere). Without export shares, f_s = 1 for any producer (p_s > 0), 0 otherwise.
  China (69 % of rare-earth mining, 63 % of magnet exports) is self-supplied; Viet Nam (0.2 % of mining,
  a few % of magnet exports) mostly passes through; the Philippines (no mining) wholly does.
* w_s, where the rest comes from: s's own known sourcing of the input if given (e.g. its imports of the
  upstream HS code), else the world production shares p of the upstream stage, with the unattributed
  remainder 1 − Σ p_c (USGS's "other countries") under ``OTHER``.

Assumptions, stated with every result: one stage only; shares by value for trade and by tonnage for
production; a producer serves its own exports first; what it lacks, and everything a non-producer sells,
comes at the world production mix. The exposures sum to 1 (as the trade shares do). Pure: dictionaries in,
dictionary out.
"""

from __future__ import annotations

from collections.abc import Mapping

OTHER = "other"  # production not attributed to a country (USGS "Other countries" and rounding)


def self_supplied(production_share: float, export_share: float | None) -> float:
    """f_s = min(1, p_s / x_s): the part of a supplier's exports its own upstream production covers."""
    if production_share <= 0:
        return 0.0
    if export_share is None or export_share <= 0:
        return 1.0
    return min(1.0, production_share / export_share)


def upstream_exposure(trade_shares: Mapping[str, float], production_shares: Mapping[str, float],
                      export_shares: Mapping[str, float] | None = None,
                      sourcing: Mapping[str, Mapping[str, float]] | None = None) -> dict[str, float]:
    """Exposure of an importer to each upstream producing country (see the module docstring).

    ``trade_shares``: supplier ISO3 → share of the importer's imports (summing to 1).
    ``production_shares``: country ISO3 → share of world production of the upstream stage (sum ≤ 1; the rest
    is unattributed and reported under :data:`OTHER`).
    ``export_shares``: optional supplier → share of world exports of the product (for f_s).
    ``sourcing``: optional supplier → known mix of its upstream input (each summing to 1), used for a
    non-producer instead of the world mix.
    Returns country → exposure (0–1), largest first, ties by code; the values sum to Σ trade_shares.
    """
    attributed = sum(production_shares.values())
    if attributed > 1 + 1e-9 or any(v < 0 for v in production_shares.values()):
        raise ValueError("production shares must be ≥ 0 and sum to at most 1")
    world = {c: p for c, p in production_shares.items() if p > 0}
    if attributed < 1:
        world[OTHER] = world.get(OTHER, 0.0) + 1 - attributed
    exposure: dict[str, float] = {}
    for supplier, share in trade_shares.items():
        own = self_supplied(production_shares.get(supplier, 0.0),
                            None if export_shares is None else export_shares.get(supplier, 0.0))
        if own > 0:
            exposure[supplier] = exposure.get(supplier, 0.0) + share * own
        if own < 1:
            mix = sourcing[supplier] if sourcing is not None and supplier in sourcing else world
            for country, part in mix.items():
                exposure[country] = exposure.get(country, 0.0) + share * (1 - own) * part
    return dict(sorted(exposure.items(), key=lambda item: (-item[1], item[0])))


def pass_through_share(trade_shares: Mapping[str, float], production_shares: Mapping[str, float],
                       export_shares: Mapping[str, float] | None = None) -> float:
    """The part of the imports whose upstream input the suppliers do not produce themselves (0–1)."""
    return sum(share * (1 - self_supplied(production_shares.get(supplier, 0.0),
                                          None if export_shares is None else export_shares.get(supplier, 0.0)))
               for supplier, share in trade_shares.items())
