"""Supply concentration: shares, Herfindahl–Hirschman index, top-k shares, group shares,
governance-weighted HHI, capacity headroom and reserves-to-production years.

Pure functions on plain values; no I/O.

Conventions (stated in every result so users can read the numbers correctly):

* shares are fractions (0–1) **of the reported world total**, as the publisher rounds it;
* aggregate rows ("Other countries", "World total") are not countries: they are left out of the sum of
  squares, so the HHI is a lower bound when an "Other countries" remainder exists;
* where no world total is reported, the total is the sum of the rows (countries plus remainders) and
  the result says so (``world_total_basis = "sum_of_rows"``).

HHI = Σᵢ (100·sᵢ)², on the 0–10,000 scale used by the U.S. DoJ/FTC Horizontal Merger Guidelines (2023)
and by the EU critical raw materials assessments.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from setu.errors import ValidationError


@dataclass(frozen=True)
class CountryShare:
    country: str  # ISO3
    value: float
    share: float  # fraction of the world total, 0–1


@dataclass(frozen=True)
class SupplyConcentration:
    world_total: float
    world_total_basis: str  # "reported" | "sum_of_rows"
    shares: tuple[CountryShare, ...]  # sorted by share desc, then ISO3 asc
    hhi: float  # 0–10,000
    top1_share: float
    top3_share: float
    countries_share: float  # Σ shares of named countries (≤ 1 unless the total is rounded down)
    unattributed_value: float  # "Other countries" and similar remainders
    notes: tuple[str, ...] = field(default=())

    def share_of(self, members: Iterable[str]) -> float:
        """Share of the world total held by a set of countries (e.g. a group's members)."""
        wanted = set(members)
        return math.fsum(item.share for item in self.shares if item.country in wanted)

    def share_for(self, iso3: str) -> float:
        return self.share_of([iso3])


def hhi(shares: Iterable[float]) -> float:
    """Herfindahl–Hirschman index on the 0–10,000 scale from fractional shares.

    Sums use ``math.fsum`` (exactly rounded) so results do not depend on the order of the countries.
    """
    return math.fsum((100.0 * s) ** 2 for s in shares)


def concentration(
    country_values: Mapping[str, float],
    *,
    world_total: float | None = None,
    unattributed_value: float = 0.0,
) -> SupplyConcentration:
    """Concentration of supply among countries.

    ``country_values`` maps ISO3 to a non-negative quantity (missing values must be left out, never
    passed as 0). ``world_total`` is the publisher's world total; without one, the total is the sum
    of the countries and the unattributed remainder.
    """
    for iso3, value in country_values.items():
        if value is None or not math.isfinite(value) or value < 0:
            raise ValidationError(f"value for {iso3} must be a finite non-negative number, got {value!r}")
    if unattributed_value < 0:
        raise ValidationError("unattributed value must be non-negative")
    notes: list[str] = [
        "shares are of the world total; aggregate rows (e.g. 'Other countries') are not countries and are "
        "left out of the sum of squares"
    ]
    rows_total = math.fsum([*country_values.values(), unattributed_value])
    if world_total is None:
        basis = "sum_of_rows"
        total = rows_total
        notes.append("no world total reported: the total is the sum of the rows")
    else:
        if not math.isfinite(world_total) or world_total < 0:
            raise ValidationError(f"world total must be a finite non-negative number, got {world_total!r}")
        basis = "reported"
        total = world_total
        if math.fsum(country_values.values()) > world_total * (1 + 1e-9):
            notes.append(
                "the countries' values add up to more than the reported (rounded) world total, so shares add up to more than 1"
            )
    if total <= 0:
        shares: tuple[CountryShare, ...] = tuple(
            CountryShare(iso3, value, 0.0) for iso3, value in sorted(country_values.items())
        )
        return SupplyConcentration(total, basis, shares, 0.0, 0.0, 0.0, 0.0, unattributed_value, tuple(notes + ["world total is zero"]))
    shares = tuple(
        sorted(
            (CountryShare(iso3, value, value / total) for iso3, value in country_values.items()),
            key=lambda item: (-item.share, item.country),
        )
    )
    share_values = [item.share for item in shares]
    return SupplyConcentration(
        world_total=total,
        world_total_basis=basis,
        shares=shares,
        hhi=hhi(share_values),
        top1_share=math.fsum(share_values[:1]),
        top3_share=math.fsum(share_values[:3]),
        countries_share=math.fsum(share_values),
        unattributed_value=unattributed_value,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class GovernanceWeighted:
    gw_hhi: float  # Σ (100·sᵢ)² · riskᵢ, 0–100,000
    gw_hhi_scaled: float  # gw_hhi / 10: 0–10,000, comparable with the HHI
    missing_risk: tuple[str, ...]  # countries with a share but no governance score (left out)


def governance_weighted_hhi(result: SupplyConcentration, risk: Mapping[str, float]) -> GovernanceWeighted:
    """Governance-weighted HHI after the EU critical raw materials methodology.

    HHI_WGI = Σᵢ (Sᵢ)² · WGIᵢ with Sᵢ the share in per cent and WGIᵢ the Worldwide Governance
    Indicators rescaled to 0.1–10 (10 = poorest governance). European Commission (2017),
    *Methodology for establishing the EU list of critical raw materials: Guidelines*
    (Blengini et al., JRC, doi:10.2873/769526), section 3.2 "Supply risk".

    A country without a governance score is left out of the sum and listed in ``missing_risk``. The
    maps weight with a 0-1 risk (``setu.maps.concentration.governance_hhi``), which gives ``gw_hhi_scaled``.
    """
    total = 0.0
    missing = []
    for item in result.shares:
        if item.share == 0:
            continue
        if item.country not in risk:
            missing.append(item.country)
            continue
        total += (100.0 * item.share) ** 2 * risk[item.country]
    return GovernanceWeighted(total, total / 10.0, tuple(sorted(missing)))


@dataclass(frozen=True)
class Headroom:
    country: str
    capacity: float
    production: float
    headroom: float  # capacity − production (may be negative where production data are newer)
    utilisation: float | None  # production / capacity


def capacity_headroom(capacity: Mapping[str, float], production: Mapping[str, float]) -> list[Headroom]:
    """Spare capacity by country: capacity − production, for countries with both figures.

    Sorted by headroom (largest first, ISO3 to break ties). Used to bound re-sourcing from partners.
    """
    rows = []
    for iso3 in set(capacity) & set(production):
        cap, prod = capacity[iso3], production[iso3]
        rows.append(Headroom(iso3, cap, prod, cap - prod, prod / cap if cap > 0 else None))
    return sorted(rows, key=lambda row: (-row.headroom, row.country))


def reserves_to_production_years(reserves: float | None, production: float | None) -> float | None:
    """Static lifetime of reserves at the current production rate (R/P, in years)."""
    if reserves is None or production is None or production <= 0:
        return None
    return reserves / production
