"""A country's production-side exposure to a material, on the material's bottleneck stage. Pure; no I/O.

This is a screen, not the EU supply-risk score (that is :mod:`setu.metrics.supply_risk`, with import
reliance, the country's actual sourcing, recycling and substitution). Per stage ``k`` of the supply chain
held in the data (extraction: mine production; processing: refinery, smelter or plant output):

    exposure_k  = GW-HHI_k × (1 − own_k)          GW-HHI_k = Σᵢ (100 sᵢ)² · WGIᵢ / 10   (0–10,000)

with ``sᵢ`` country ``i``'s share of world output at the stage, ``WGIᵢ`` its governance risk rescaled to
0.1–10 (European Commission 2017, *Methodology for establishing the EU list of critical raw materials*,
doi:10.2873/769526, section 4) and ``own_k`` the country's own share. The material's exposure is that of
its *bottleneck* stage, the stage with the higher value, as the EU method assesses supply risk at extraction
and at processing and retains the higher of the two (the same methodology, section 4: "bottleneck stage").
A stage is only compared with another of the same material; the stage used is named in every output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: USGS stages that are extraction; every other stage of a series (refinery, smelter, plant) is processing.
EXTRACTION_STAGES = frozenset({"mine"})


@dataclass(frozen=True)
class StageExposure:
    """One stage of one material: where its figures come from, its concentration and the exposure."""

    stage: str  # as the source names it: mine, refinery, smelter, plant, refining
    step: str  # extraction | processing
    source: str  # e.g. "USGS MCS mine 2023", "IEA refining 2024"
    year: int
    gw_hhi_scaled: float  # 0-10,000
    own_share: float  # 0-1
    exposure: float
    missing_governance: tuple[str, ...] = ()


def step_of(stage: str) -> str:
    return "extraction" if stage in EXTRACTION_STAGES or stage == "mining" else "processing"


def stage_exposure(stage: str, source: str, year: int, gw_hhi_scaled: float, own_share: float,
                   missing_governance: Sequence[str] = ()) -> StageExposure:
    """``gw_hhi_scaled × (1 − own_share)`` for one stage, with its provenance."""
    if not 0 <= own_share <= 1 + 1e-9:
        raise ValueError(f"own share must be 0-1, got {own_share}")
    return StageExposure(stage, step_of(stage), source, year, gw_hhi_scaled, own_share,
                         round(gw_hhi_scaled * (1.0 - min(1.0, own_share)), 4), tuple(missing_governance))


def bottleneck(stages: Sequence[StageExposure]) -> StageExposure:
    """The stage with the highest exposure (ties: extraction first, then the source's name)."""
    if not stages:
        raise ValueError("no stage to compare")
    return max(stages, key=lambda s: (s.exposure, s.step == "extraction", s.source))
