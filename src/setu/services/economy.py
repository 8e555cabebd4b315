"""Use cases: cut a sector's supply in a bundled input-output table and report who is hit;
sweep every sector of a region to find which cut would hurt the focus regions most.

Reads the bundled table (through ``setu.sources.wiod``), resolves region and sector names,
runs the chosen model from ``setu.propagate.shocks`` and ranks the output losses: every
region's total, and the most affected sectors of the focus regions (Japan and India by
default). Every result carries the table's source, year and unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from setu.propagate import IOTable, match_name
from setu.propagate.shocks import RESPONSES, one_at_a_time, output_change
from setu.sources.wiod import BUNDLED_TABLES, BundledTable, load_bundled, table_info

DEFAULT_FOCUS = ("JPN", "IND")


@dataclass(frozen=True)
class Impact:
    """Output of one region or (region, sector) before the shock, its change and the change's share."""

    region: str
    sector: str | None
    output: float
    change: float
    change_share: float | None  # change / output, None where output is 0


@dataclass(frozen=True)
class ShockReport:
    table_id: str
    table: str
    year: int
    publisher: str
    citation: str
    licence: str
    unit: str
    model: str
    shocked: list[dict]
    cut_share: float
    regions: list[Impact] = field(default_factory=list)
    focus: dict[str, list[Impact]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ExposureReport:
    """For each focus region, its output change when each sector of the source region is cut alone."""

    table_id: str
    table: str
    year: int
    publisher: str
    citation: str
    licence: str
    unit: str
    model: str
    source_region: str
    cut_share: float
    exposure: dict[str, list[Impact]] = field(default_factory=dict)  # Impact.sector = the cut sector

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=4)
def bundled_table(table_id: str) -> IOTable:
    """The bundled table as an IOTable (read and validated once per process)."""
    return IOTable.from_pymrio(load_bundled(table_id), unit=table_info(table_id).unit)


def available_tables() -> list[BundledTable]:
    return list(BUNDLED_TABLES.values())


def shock_supply(
    table_id: str,
    region: str,
    sectors: Sequence[str],
    cut_share: float,
    *,
    model: str = "ghosh",
    focus: Sequence[str] = DEFAULT_FOCUS,
    top: int = 10,
) -> ShockReport:
    """Cut ``sectors`` of ``region`` by ``cut_share`` (0-1) and rank the output losses."""
    info = table_info(table_id)
    table = bundled_table(info.table_id)
    model = match_name("model", model, list(RESPONSES), allow_prefix=False)
    region = match_name("region", region, table.regions, allow_prefix=False)
    names = [match_name("sector", sector, table.sectors) for sector in sectors]
    rows = [table.labels.get_loc((region, name)) for name in names]
    change = output_change(table, model, rows, [cut_share])[:, 0]
    focus_regions = [match_name("region", name, table.regions, allow_prefix=False) for name in focus]
    return ShockReport(
        table_id=info.table_id,
        table=info.release,
        year=info.year,
        publisher=info.publisher,
        citation=info.citation,
        licence=info.licence,
        unit=info.unit,
        model=model,
        shocked=[
            {"region": region, "sector": name, "output": float(table.x[row])}
            for name, row in zip(names, rows, strict=True)
        ],
        cut_share=float(cut_share),
        regions=_region_impacts(table, change)[:top],
        focus={name: _sector_impacts(table, change, name)[:top] for name in focus_regions},
    )


def exposure_to_region(
    table_id: str,
    source_region: str,
    cut_share: float,
    *,
    model: str = "ghosh",
    focus: Sequence[str] = DEFAULT_FOCUS,
    top: int = 10,
) -> ExposureReport:
    """Cut each sector of ``source_region`` alone by ``cut_share``; rank the cuts by their effect on each focus region.

    One scenario per source sector, all solved against one factorisation.
    """
    info = table_info(table_id)
    table = bundled_table(info.table_id)
    model = match_name("model", model, list(RESPONSES), allow_prefix=False)
    source = match_name("region", source_region, table.regions, allow_prefix=False)
    focus_regions = [match_name("region", name, table.regions, allow_prefix=False) for name in focus]
    regions = table.labels.get_level_values("region")
    rows = np.flatnonzero(regions == source)
    change = one_at_a_time(table, model, rows, cut_share)  # n x len(rows)
    exposure = {}
    for name in focus_regions:
        mask = regions == name
        output = float(table.x[mask].sum())
        totals = change[mask, :].sum(axis=0)
        exposure[name] = _ranked(
            [
                Impact(name, str(table.labels[row][1]), output, float(total), _share(total, output))
                for row, total in zip(rows, totals, strict=True)
            ]
        )[:top]
    return ExposureReport(
        table_id=info.table_id,
        table=info.release,
        year=info.year,
        publisher=info.publisher,
        citation=info.citation,
        licence=info.licence,
        unit=info.unit,
        model=model,
        source_region=source,
        cut_share=float(cut_share),
        exposure=exposure,
    )


def _share(change: float, output: float) -> float | None:
    return None if output == 0 else float(change / output)


def _ranked(impacts: list[Impact]) -> list[Impact]:
    """Largest relative loss first, then largest absolute loss, then name (explicit tie-break)."""
    return sorted(
        impacts,
        key=lambda i: (i.change_share is None, i.change_share or 0.0, i.change, i.region, i.sector or ""),
    )


def _region_impacts(table: IOTable, change: np.ndarray) -> list[Impact]:
    frame = (
        pd.DataFrame({"output": table.x, "change": change}, index=table.labels)
        .groupby(level="region", sort=False)
        .sum()
    )
    return _ranked([Impact(str(r), None, float(o), float(c), _share(c, o)) for r, o, c in frame.itertuples(name=None)])


def _sector_impacts(table: IOTable, change: np.ndarray, region: str) -> list[Impact]:
    rows = np.flatnonzero(table.labels.get_level_values("region") == region)
    return _ranked(
        [
            Impact(
                region,
                str(table.labels[row][1]),
                float(table.x[row]),
                float(change[row]),
                _share(change[row], table.x[row]),
            )
            for row in rows
        ]
    )
