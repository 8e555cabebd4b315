"""Upstream ("look-through") origin of an importer's supply: a mass balance on a content basis.

Japan buys most of its NdFeB magnets (HS 850511) from the Philippines and Viet Nam, which refine no rare
earths: its direct supplier shares understate its exposure to the countries that do. The look-through asks,
for every tonne of *content* (Li in lithium carbonate, REO in magnets, Cu in cathode) an importer buys, which
country produced it at the stage that matches the product (``setu.reference.concordance``).

Mass balance (after the physical trade-tracing of Kastner, Kastner & Nonhebel 2011, "Tracing distant
environmental impacts of agricultural products from a consumer perspective", Ecological Economics 70(6):
1032-1040, doi:10.1016/j.ecolecon.2011.01.012, which follows re-exports back to the producing country; where
they mix a country's production and imports in proportion, here a producer serves its own exports first. It
replaces the value-share look-through after Koopman, Wang & Wei 2014, AER 104(2):459-494, used before). For the world trade network of one
product in one year, in tonnes of content (BACI quantity x content factor):

    X_s = sum_j x_sj                    exports of s;   P_s: its production at the matching stage (same content)
    M_s = sum_t u_ts                    its imports of the upstream product (the product itself for an ore or
                                        a refined good; the ore a good is made from otherwise)
    r_s = min(max(0, X_s - P_s), M_s)   the re-exported part: a shortfall can pass through no more than s imports
    l_s = max(0, X_s - P_s) - r_s       exports above production and imports (a year's growth, stocks, imports
                                        the data miss): kept by s if it produces at all, else at the world mix
    O_s = (X_s - r_s) / X_s e_s + r_s / X_s R_s      (l_s moved to W when P_s = 0)
    R_s = sum_t (u_ts / M_s) O'_t       O' = O when the upstream product is the product itself (a fixed point);
                                        else the upstream product's own origins, solved first
    W                                   the world production mix of the stage (the unattributed rest under
                                        OTHER): used where the data do not hold the upstream product, for a
                                        non-producer's unexplained exports, and for a closed re-export cycle

    exposure(c) = sum_s (x_sc / M_c) O_s                       for an importer c

A producer serves its own exports first (a self-sufficient exporter is its own origin whatever it imports);
only the shortfall passes through, at its own imports' mix. An ore is its own upstream (its pass-through is a
re-export of the ore). The importer's own output is not counted as coming back to it: c is left out of every
import mix and of W before the shares are renormalised. A cycle of pure re-exporters that never reaches a
producer is resolved at W too. Every origin mix sums to 1 and is never negative. Pure: mappings in, values out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

OTHER = "other"  # production not attributed to a country (USGS "Other countries", IEA "Rest of world")

Flows = Mapping[tuple[str, str], float]  # (exporter, importer) -> tonnes of content, positive
Mix = dict[str, float]


@dataclass(frozen=True)
class Origins:
    """Where each exporter's exports of one product come from (each mix sums to 1)."""

    mix: dict[str, Mix]  # exporter -> origin country -> share
    own: dict[str, float]  # f_s: the part of s's exports it produces itself (0-1)
    world_mix: dict[str, float]  # the part of s's exports resolved at the world mix (the fallback, 0-1)
    beyond_supply: dict[str, float]  # the part above s's production and imports, kept by s (a producer)
    reexported: dict[str, float]  # r_s / X_s: the part passed through s's imports of the upstream product

    def of(self, exporter: str, world: Mix) -> Mix:
        """An exporter's origin mix; one the network does not hold is taken at the world mix."""
        return self.mix.get(exporter, world)


@dataclass(frozen=True)
class LookThrough:
    """One importer's exposure to the producing countries, and how it was reached."""

    exposure: Mix  # origin country -> share of the importer's content (sums to 1), largest first
    self_served: float  # share of the content its suppliers produced themselves (0-1)
    passed_through: float  # share that passed through a supplier's own imports to another producer (0-1)
    world_mix: float  # share resolved at the world production mix (the fallback, 0-1)
    suppliers: tuple[tuple[str, float, float, float], ...]  # (supplier, content share, f_s, world-mix part)


def self_served(production: float, exports: float) -> float:
    """f_s = min(1, P_s / X_s): the part of s's exports its own production covers (1 when it exports nothing)."""
    if exports <= 0:
        return 1.0
    return min(1.0, max(production, 0.0) / exports)


def world_mix(production: Mapping[str, float], world_total: float | None = None, *,
              exclude: str | None = None) -> Mix:
    """Production shares of the stage: each country's figure over the world total (the unattributed rest,
    ``world_total`` minus the countries' sum, under :data:`OTHER`); ``exclude`` is left out and the rest
    renormalised. Without a world total the countries' sum is the denominator."""
    if any(v < 0 for v in production.values()):
        raise ValueError("production must not be negative")
    listed = sum(production.values())
    total = max(world_total or 0.0, listed)
    if total <= 0:
        raise ValueError("world production is zero: no world mix")
    mix = {c: v / total for c, v in production.items() if v > 0 and c != exclude}
    if total > listed:
        mix[OTHER] = (total - listed) / total
    kept = sum(mix.values())
    if kept <= 0:
        raise ValueError("no producer other than the importer: no world mix")
    return {c: v / kept for c, v in mix.items()}


def _import_mix(flows: Flows, exclude: str | None) -> dict[str, Mix]:
    """Each country's imports by partner as shares (the partner ``exclude`` left out)."""
    totals: dict[str, Mix] = {}
    for (exporter, importer), tonnes in flows.items():
        if tonnes > 0 and exporter != exclude and exporter != importer:
            totals.setdefault(importer, {})[exporter] = totals.get(importer, {}).get(exporter, 0.0) + tonnes
    return {c: {t: v / sum(parts.values()) for t, v in parts.items()} for c, parts in totals.items()}


def _add(target: Mix, mix: Mix, weight: float) -> None:
    for country, share in mix.items():
        target[country] = target.get(country, 0.0) + weight * share


def _import_totals(flows: Flows, exclude: str | None) -> dict[str, float]:
    totals: dict[str, float] = {}
    for (exporter, importer), tonnes in flows.items():
        if tonnes > 0 and exporter != exclude and exporter != importer:
            totals[importer] = totals.get(importer, 0.0) + tonnes
    return totals


def origins(flows: Flows, production: Mapping[str, float], world: Mix, *, exclude: str | None = None,
            own_upstream: bool = True, upstream_flows: Flows | None = None,
            upstream_origins: Origins | None = None, tolerance: float = 1e-12, rounds: int = 1000) -> Origins:
    """The origin mix of every exporter of one product (see the module docstring).

    ``flows``: the product's world trade in content tonnes. ``production``: country -> production at the
    matching stage, in the same content tonnes. ``world``: the stage's world mix (:func:`world_mix`).
    ``own_upstream``: the product is its own upstream (an ore, a refined metal): re-exports are traced through
    the same network to a fixed point. Otherwise ``upstream_flows`` / ``upstream_origins`` are the upstream
    product's trade and solved origins (phosphorus made from phosphate rock); without ``upstream_flows`` (the
    data do not hold the upstream product) a supplier's shortfall is taken at the world mix.

    Re-exports are bounded by imports: of s's shortfall X_s - P_s, at most its imports M_s pass through; what
    is left (exports above production and imports: a year's growth, stocks, unrecorded imports) stays with s if
    s produces at all (``beyond_supply``), else goes to the world mix.
    """
    exports: dict[str, float] = {}
    for (exporter, _), tonnes in flows.items():
        if tonnes < 0:
            raise ValueError("trade flows must not be negative")
        exports[exporter] = exports.get(exporter, 0.0) + tonnes
    source_flows = flows if own_upstream else upstream_flows
    sourcing = _import_mix(source_flows, exclude) if source_flows is not None else {}
    imports = _import_totals(source_flows, exclude) if source_flows is not None else {}
    own: dict[str, float] = {}
    beyond: dict[str, float] = {}
    mix: dict[str, Mix] = {}
    fallback: dict[str, float] = {}
    pending: dict[str, float] = {}  # the re-exported part of s's exports, traced through its imports
    reexported: dict[str, float] = {}
    for s, x in exports.items():
        made = max(production.get(s, 0.0), 0.0)
        if x <= 0:
            own[s], beyond[s], mix[s], fallback[s], reexported[s] = 1.0, 0.0, {s: 1.0}, 0.0, 0.0
            continue
        short = max(0.0, x - made)
        passed = min(short, imports.get(s, 0.0)) if source_flows is not None else 0.0
        left = short - passed if source_flows is not None else 0.0  # beyond production and imports
        kept = (x - short + (left if made > 0 else 0.0)) / x
        world_part = ((left if made <= 0 else 0.0) if source_flows is not None else short) / x
        own[s], beyond[s] = kept, (left / x if made > 0 else 0.0)
        mix[s] = {s: kept} if kept > 0 else {}
        fallback[s] = world_part
        if world_part > 0:
            _add(mix[s], world, world_part)
        rest = reexported[s] = passed / x
        if rest <= 0:
            continue
        if own_upstream:
            pending[s] = rest
            continue
        for t, share in sourcing[s].items():
            origin = upstream_origins.of(t, world) if upstream_origins is not None else world
            _add(mix[s], origin, rest * share)
            known = upstream_origins is not None and t in upstream_origins.mix
            fallback[s] += rest * share * (upstream_origins.world_mix[t] if known else 1.0)  # type: ignore[union-attr]
    if pending:
        _solve(mix, fallback, pending, own, sourcing, world, tolerance, rounds)
    cleaned = {s: {c: v for c, v in m.items() if v > 0} for s, m in mix.items()}
    return Origins(mix=cleaned, own=own, world_mix=fallback, beyond_supply=beyond, reexported=reexported)


def _solve(mix: dict[str, Mix], fallback: dict[str, float], pending: dict[str, float], own: Mapping[str, float],
           sourcing: Mapping[str, Mix], world: Mix, tolerance: float, rounds: int) -> None:
    """Resolve O_s = f_s e_s + (1 - f_s) sum_t m_st O_t for the pass-through parts, by rounds O <- B + A O.

    A = diag(1 - f) S (S: the import mixes, rows of exporters that import), B: the parts already resolved
    (own production, world mix). Each round pushes every unresolved part one link back along the trade
    network; the spectral radius of A is below 1 wherever a cycle leaks to a producer, so the rounds converge.
    """
    countries = sorted(set(own) | {t for m in sourcing.values() for t in m})
    index = {c: i for i, c in enumerate(countries)}
    origins_axis = sorted(set(countries) | set(world) | {c for m in mix.values() for c in m})
    column = {c: j for j, c in enumerate(origins_axis)}
    n, k = len(countries), len(origins_axis)
    a = np.zeros((n, n))
    b = np.zeros((n, k))
    w = np.zeros(n)  # the world-mix part already in B
    world_row = np.zeros(k)
    for c, share in world.items():
        world_row[column[c]] = share
    for c in countries:
        i = index[c]
        if c not in own:  # sells to an exporter but does not export the product itself: at the world mix
            b[i] = world_row
            w[i] = 1.0
            continue
        for origin, share in mix.get(c, {}).items():
            b[i, column[origin]] += share
        w[i] = fallback.get(c, 0.0)
        if c in pending:
            for t, share in sourcing[c].items():
                a[i, index[t]] += pending[c] * share
    result, world_part = b.copy(), w.copy()
    for _ in range(rounds):
        following = b + a @ result
        following_world = w + a @ world_part
        change = float(np.abs(following - result).max(initial=0.0))
        result, world_part = following, following_world
        if change <= tolerance:
            break
    leftover = np.clip(1.0 - result.sum(axis=1), 0.0, None)  # a closed cycle of re-exporters
    result += np.outer(leftover, world_row)
    world_part += leftover
    for s in own:
        i = index[s]
        mix[s] = {origins_axis[j]: float(v) for j, v in enumerate(result[i]) if v > 0}
        fallback[s] = float(min(1.0, world_part[i]))


def look_through(importer: str, flows: Flows, found: Origins, world: Mix) -> LookThrough:
    """exposure(c) = sum_s (x_sc / M_c) O_s: an importer's content by producing country.

    Raises ValueError when the importer has no positive flow in ``flows``.
    """
    bought = {s: t for (s, c), t in flows.items() if c == importer and t > 0 and s != importer}
    total = sum(bought.values())
    if total <= 0:
        raise ValueError(f"{importer} imports none of the product in tonnes")
    exposure: Mix = {}
    own_part = fallback_part = 0.0
    rows = []
    for supplier, tonnes in sorted(bought.items(), key=lambda item: (-item[1], item[0])):
        share = tonnes / total
        _add(exposure, found.of(supplier, world), share)
        own = found.own.get(supplier, 0.0)
        fallback = found.world_mix.get(supplier, 1.0 - own)
        own_part += share * own
        fallback_part += share * fallback
        rows.append((supplier, share, own, fallback))
    ordered = dict(sorted(exposure.items(), key=lambda item: (-item[1], item[0])))
    return LookThrough(exposure=ordered, self_served=own_part, passed_through=max(0.0, 1 - own_part - fallback_part),
                       world_mix=fallback_part, suppliers=tuple(rows))
