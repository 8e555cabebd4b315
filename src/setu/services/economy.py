"""Use cases: cut a sector's supply in a bundled input-output table and report who is hit;
sweep every sector of a region to find which cut would hurt the focus regions most; list
output multipliers and linkages.

A cut of share s means what the user means in every model: the shocked sectors' own output
(and so, at fixed shares, their deliveries) falls by s. ``setu.propagate.output_cut`` derives
the exogenous change that realises it in the chosen model (final demand, primary inputs or the
IIM perturbation); the report shows that change, the realised own-sector change and the
model's caveat, and ranks the output losses: every region's total, the focus regions' totals
(Japan and India by default) and their most affected sectors. Every result carries the table's
source, year and unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from setu.propagate import IOTable, match_name
from setu.propagate.linkages import COLUMNS, linkages
from setu.propagate.output_cut import EXOGENOUS, UNIT_RESPONSES, OutputCut, cut_each_output, cut_output
from setu.sources.wiod import BUNDLED_TABLES, BundledTable, load_bundled, table_info

DEFAULT_FOCUS = ("JPN", "IND")
DEFINITION = "the shocked sectors' own output (and deliveries) fall by the cut share"


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
    shocked: list[dict]  # region, sector, output, exogenous change realising the cut, realised own change
    cut_share: float
    definition: str
    exogenous: str  # the model variable that was changed
    caveat: str
    regions: list[Impact] = field(default_factory=list)
    focus_totals: list[Impact] = field(default_factory=list)
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
    definition: str
    exogenous: str
    caveat: str
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
    """Cut the output of ``sectors`` of ``region`` by ``cut_share`` (0-1) and rank the output losses."""
    info = table_info(table_id)
    table = bundled_table(info.table_id)
    model = match_name("model", model, list(UNIT_RESPONSES), allow_prefix=False)
    region = match_name("region", region, table.regions, allow_prefix=False)
    names = [match_name("sector", sector, table.sectors) for sector in sectors]
    rows = [table.labels.get_loc((region, name)) for name in names]
    focus_regions = [match_name("region", name, table.regions, allow_prefix=False) for name in focus]
    cut = cut_output(table, model, rows, [cut_share])
    change = cut.change[:, 0]
    regions = _region_impacts(table, change)
    return ShockReport(
        **_provenance(info),
        model=model,
        shocked=[_shocked(table, cut, position, name, region) for position, name in enumerate(names)],
        cut_share=float(cut_share),
        definition=DEFINITION,
        exogenous=EXOGENOUS[model],
        caveat=cut.caveat,
        regions=regions[:top],
        focus_totals=[impact for name in focus_regions for impact in regions if impact.region == name],
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
    """Cut the output of each sector of ``source_region`` alone by ``cut_share``; rank the cuts by their
    effect on each focus region. One batch of unit responses for all the source's sectors."""
    info = table_info(table_id)
    table = bundled_table(info.table_id)
    model = match_name("model", model, list(UNIT_RESPONSES), allow_prefix=False)
    source = match_name("region", source_region, table.regions, allow_prefix=False)
    focus_regions = [match_name("region", name, table.regions, allow_prefix=False) for name in focus]
    regions = table.labels.get_level_values("region")
    rows = np.flatnonzero((regions == source) & (table.x > 0))  # a sector with no output cannot be cut
    cut = cut_each_output(table, model, rows, cut_share)  # n x len(rows)
    exposure = {}
    for name in focus_regions:
        mask = regions == name
        output = float(table.x[mask].sum())
        totals = cut.change[mask, :].sum(axis=0)
        exposure[name] = _ranked(
            [
                Impact(name, str(table.labels[row][1]), output, float(total), _share(total, output))
                for row, total in zip(rows, totals, strict=True)
            ]
        )[:top]
    return ExposureReport(
        **_provenance(info),
        model=model,
        source_region=source,
        cut_share=float(cut_share),
        definition=DEFINITION,
        exogenous=EXOGENOUS[model],
        caveat=cut.caveat,
        exposure=exposure,
    )


@dataclass(frozen=True)
class LinkageReport:
    """Multipliers and linkages of a region's sectors (indices normalised over the whole table)."""

    table_id: str
    table: str
    year: int
    publisher: str
    citation: str
    licence: str
    unit: str
    region: str
    columns: list[str]
    rows: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def sector_linkages(table_id: str, region: str, *, sort: str = "output_multiplier", top: int | None = None
                    ) -> LinkageReport:
    """Output multipliers, backward and forward linkages and Rasmussen indices of ``region``'s sectors,
    largest ``sort`` first (see ``setu.propagate.linkages``)."""
    info = table_info(table_id)
    table = bundled_table(info.table_id)
    region = match_name("region", region, table.regions, allow_prefix=False)
    sort = match_name("sort column", sort, [c for c in COLUMNS if c != "key_sector"], allow_prefix=False)
    frame = _linkage_frame(info.table_id).xs(region, level="region")
    frame = frame[frame["output"] > 0].sort_values([sort, "output"], ascending=False, kind="stable")
    rows = [
        {"sector": str(sector), **{column: _plain(value) for column, value in values.items()}}
        for sector, values in frame.head(top).iterrows()
    ]
    return LinkageReport(**_provenance(info), region=region, columns=["sector", *COLUMNS], rows=rows)


@lru_cache(maxsize=4)
def _linkage_frame(table_id: str) -> pd.DataFrame:
    return linkages(bundled_table(table_id)).frame


def _plain(value) -> float | bool:
    return bool(value) if isinstance(value, (bool, np.bool_)) else float(value)


def _provenance(info) -> dict:
    return {
        "table_id": info.table_id,
        "table": info.release,
        "year": info.year,
        "publisher": info.publisher,
        "citation": info.citation,
        "licence": info.licence,
        "unit": info.unit,
    }


def _shocked(table: IOTable, cut: OutputCut, position: int, sector: str, region: str) -> dict:
    """A shocked sector: its output, the exogenous change that realises the cut and the realised change."""
    row = cut.rows[position]
    exogenous = float(cut.exogenous[position, 0])
    base = {"leontief": float(table.f[row]), "ghosh": float(table.v[row]), "iim": 1.0}[cut.model]
    return {
        "region": region,
        "sector": sector,
        "output": float(table.x[row]),
        "exogenous_change": exogenous,
        "exogenous_base": base,
        "exogenous_share": _share(exogenous, base),
        # a cut deeper than the sector's whole final demand (or primary inputs) needs a negative one
        "exceeds_base": bool(cut.model != "iim" and abs(exogenous) > base),
        "realised_change": float(cut.change[row, 0]),
        "realised_share": float(cut.realised_share[position, 0]),
    }


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
