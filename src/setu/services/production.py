"""Use cases on production data: concentration of a material, rankings, a country's dependence.

Each function takes a catalog reader (``setu.store.catalog_reader``) and plain arguments and returns
JSON-ready dictionaries in which every figure carries its source, edition, year and unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from setu.errors import NotFoundError, UnknownNameError
from setu.metrics.bottleneck import StageExposure, bottleneck, stage_exposure, step_of
from setu.metrics.concentration import (
    Headroom,
    SupplyConcentration,
    capacity_headroom,
    concentration,
    governance_weighted_hhi,
    reserves_to_production_years,
)
from setu.reference import tables
from setu.sources import iea_minerals
from setu.store.catalog_reader import CatalogReader, open_catalog

#: Materials the five sectors (semiconductors, critical minerals, ICT, clean energy, pharmaceuticals)
#: depend on; the briefing ranks these. Sources: EU CRM list 2023 (Regulation (EU) 2024/1252, Annex II),
#: USGS 2022 List of Critical Minerals (87 FR 10381), India's Ministry of Mines, Critical Minerals for
#: India (2023).
CRITICAL_FOCUS: tuple[str, ...] = (
    "antimony", "bismuth", "cobalt", "copper", "fluorspar", "gallium", "germanium", "graphite", "helium",
    "indium", "lithium", "magnesium-metal", "manganese", "molybdenum", "nickel", "niobium",
    "platinum-group-metals", "rare-earths", "silicon", "tantalum", "tellurium", "tin", "titanium",
    "tungsten", "vanadium", "zirconium", "phosphate-rock", "potash", "beryllium", "barite", "bauxite",
)

DEFAULT_GROUPS: tuple[str, ...] = ("G7", "QUAD", "OECD", "EU27", "ASEAN")


def _sources(catalog: CatalogReader, rows: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    by_source: dict[str, dict[str, object]] = {}
    for row in rows:
        entry = by_source.setdefault(str(row["source_id"]), {"files": set(), "lines": set()})
        entry["files"].add(row["file"])  # type: ignore[union-attr]
        entry["lines"].add(row["line"])  # type: ignore[union-attr]
    result = []
    for source_id, entry in sorted(by_source.items()):
        info = catalog.source(source_id) or {"source_id": source_id}
        result.append(
            {
                "source_id": source_id,
                "title": info.get("title"),
                "publisher": info.get("publisher"),
                "edition": info.get("edition"),
                "licence": info.get("licence"),
                "citation": info.get("citation"),
                "files": sorted(entry["files"]),  # type: ignore[arg-type]
                "lines": sorted(entry["lines"]),  # type: ignore[arg-type]
            }
        )
    return result


def source_entries(catalog: CatalogReader, source_ids: Iterable[str], fields: Sequence[str]) -> list[dict[str, object]]:
    """The named fields of each source the catalog holds, in id order (ids it does not hold are skipped)."""
    rows = (catalog.source(source_id) for source_id in sorted(set(source_ids)))
    return [{field: row.get(field) for field in fields} for row in rows if row is not None]


def series_of(catalog: CatalogReader, material_id: str) -> list[dict[str, object]]:
    return catalog.series_of(material_id)


def _pick_series(
    catalog: CatalogReader, material_id: str, series: str | None, stage: str | None, year: int | None = None
) -> str:
    options = catalog.series_of(material_id)
    names = [str(o["series"]) for o in options]
    if not names:
        raise NotFoundError(f"no data for material {material_id!r} in the catalog")
    if series:
        if series not in names:
            raise UnknownNameError(f"series of {material_id}", series, names)
        return series
    if stage:
        matching = [str(o["series"]) for o in options if o["stage"] == stage or o["series"] == stage]
        if not matching:
            raise UnknownNameError(f"stage of {material_id}", stage, sorted({str(o["stage"]) for o in options}))
        default = tables.materials().materials[material_id].default_series
        return default if default in matching else matching[0]
    default = tables.materials().materials[material_id].default_series
    chosen = default if default in names else names[0]
    if year is not None:  # the default series may not cover the year asked (silicon metal starts in 2022)
        covering = [str(o["series"]) for o in options if year in (o["years"] or [])]
        if covering and chosen not in covering:
            return covering[0]
    return chosen


def _latest_year(catalog: CatalogReader, material_id: str, series: str, measure: str) -> int:
    year = catalog.latest_year(material_id, series, measure)
    if year is None:
        raise NotFoundError(f"no {measure} figures by country for {material_id} ({series}) in the catalog")
    return year


def _concentration_from_rows(rows: Sequence[dict[str, object]]) -> SupplyConcentration:
    country_values: dict[str, float] = {}
    unattributed = 0.0
    world_totals = []
    for row in rows:
        if row["value"] is None:
            continue
        value = float(row["value"])  # type: ignore[arg-type]
        if row["entity"] == "country":
            country_values[str(row["iso3"])] = country_values.get(str(row["iso3"]), 0.0) + value
        elif row["entity"] == "other":
            unattributed += value
        elif row["entity"] == "world_total":
            world_totals.append(value)
    return concentration(country_values, world_total=world_totals[0] if world_totals else None, unattributed_value=unattributed)


@dataclass(frozen=True)
class ProducerShare:
    country: str  # ISO3
    name: str
    value: float  # in the report's unit
    share: float  # of the world total, 0-1, rounded to 6 decimals
    is_estimate: bool


@dataclass(frozen=True)
class MissingFigure:
    """A country listed without a figure (withheld, not available): never counted as 0."""

    country: str
    name: str
    status: str
    text: str


@dataclass(frozen=True)
class ReservesFigure:
    country: str
    reserves: float
    unit: str
    as_of: int
    reserves_to_production_years: float | None


@dataclass(frozen=True)
class ConcentrationReport:
    """Concentration of one material's supply for one series, measure and year, with provenance.

    Figures are rounded as shown (HHI to 4 decimals, shares to 6); ``setu.services.documents.production``
    turns the report into the JSON document of ``setu concentration --json`` and the material page.
    """

    material: str
    material_name: str
    series: str
    stage: str
    measure: str
    year: int
    unit: str
    world_total: float
    world_total_basis: str  # "reported" | "sum_of_rows"
    world_total_label: str | None
    hhi: float  # 0-10,000
    top1_share: float
    top3_share: float
    countries_share: float
    unattributed_value: float
    gw_hhi: float  # EU 0.1-10 risk: 0-100,000
    gw_hhi_scaled: float  # gw_hhi / 10: 0-10,000
    gw_missing_governance: tuple[str, ...]
    shares: tuple[ProducerShare, ...]
    missing: tuple[MissingFigure, ...]
    group_shares: Mapping[str, float]
    notes: tuple[str, ...]
    sources: tuple[Mapping[str, object], ...]
    capacity_headroom: tuple[Headroom, ...] | None = None  # production reports with detail only
    reserves: tuple[ReservesFigure, ...] | None = None

    def share_of_country(self, iso3: str) -> float:
        return next((s.share for s in self.shares if s.country == iso3), 0.0)


def concentration_report(
    catalog: CatalogReader,
    material: str,
    *,
    series: str | None = None,
    stage: str | None = None,
    year: int | None = None,
    measure: str = "production",
    groups: Sequence[str] = DEFAULT_GROUPS,
    detail: bool = True,
) -> ConcentrationReport:
    """Concentration of one material's supply for one series (stage) and year, with provenance.

    ``detail=False`` skips capacity headroom, reserves and source look-ups (used by rankings).
    """
    registry = tables.materials()
    countries = tables.countries()
    material_id = registry.resolve(material)
    if series is None and stage is None:
        series = registry.series_named(material)
    chosen = _pick_series(catalog, material_id, series, stage, year)
    if measure not in {"production", "capacity", "reserves"}:
        raise UnknownNameError("measure", measure, ["production", "capacity", "reserves"])
    chosen_year = year if year is not None else _latest_year(catalog, material_id, chosen, measure)
    rows = catalog.observations(material_id, chosen, measure, chosen_year)
    qualifiers = sorted({str(r["qualifier"]) for r in rows})
    if len(qualifiers) > 1:  # e.g. titanium sponge vs pigment capacity: report the first, say so
        rows = [r for r in rows if r["qualifier"] == qualifiers[0]]
    if not rows or all(r["value"] is None for r in rows if r["entity"] == "country"):
        available = [int(y) for y in (next(o for o in catalog.series_of(material_id) if o["series"] == chosen)["years"] or [])]
        raise NotFoundError(
            f"no {measure} figures for {material_id} ({chosen}) in {chosen_year}; years with figures: "
            + (", ".join(map(str, available)) or "none")
        )
    result = _concentration_from_rows(rows)
    risk = tables.wgi_risk()
    weighted = governance_weighted_hhi(result, risk)
    estimates = {str(r["iso3"]) for r in rows if r["entity"] == "country" and r["is_estimate"]}
    missing = tuple(
        MissingFigure(str(r["iso3"]), countries.name_of(str(r["iso3"])), str(r["value_status"]), str(r["value_text"]))
        for r in rows
        if r["entity"] == "country" and r["value"] is None
    )
    notes = list(result.notes)
    if not all(r["comparable"] for r in rows):
        notes.append("countries in this table report different products or forms; shares are indicative only")
    if len(qualifiers) > 1:
        notes.append(f"this table holds several {measure} columns ({', '.join(qualifiers)}); shown: {qualifiers[0]}")
    if missing:
        notes.append("countries whose figure is withheld (W) or not available (NA) are listed under 'missing', not counted as 0")
    world_rows = [r for r in rows if r["entity"] == "world_total" and r["value"] is not None]
    group_shares = {}
    for group_id in groups:
        group = countries.group(group_id)
        group_shares[group.group_id] = round(result.share_of(group.members), 6)
    sources = (_sources(catalog, rows) if detail else [{"source_id": sid} for sid in sorted({str(r["source_id"]) for r in rows})])
    with_detail = measure == "production" and detail
    return ConcentrationReport(
        material=material_id,
        material_name=registry.materials[material_id].name,
        series=chosen,
        stage=str(rows[0]["stage"]),
        measure=measure,
        year=chosen_year,
        unit=str(rows[0]["unit"]),
        world_total=result.world_total,
        world_total_basis=result.world_total_basis,
        world_total_label=str(world_rows[0]["country_name"]) if world_rows else None,
        hhi=round(result.hhi, 4),
        top1_share=round(result.top1_share, 6),
        top3_share=round(result.top3_share, 6),
        countries_share=round(result.countries_share, 6),
        unattributed_value=result.unattributed_value,
        gw_hhi=round(weighted.gw_hhi, 4),
        gw_hhi_scaled=round(weighted.gw_hhi_scaled, 4),
        gw_missing_governance=tuple(weighted.missing_risk),
        shares=tuple(
            ProducerShare(item.country, countries.name_of(item.country), item.value, round(item.share, 6),
                          item.country in estimates)
            for item in result.shares
        ),
        missing=missing,
        group_shares=group_shares,
        notes=tuple(notes),
        sources=(*sources, {"source_id": "wgi-2023", "title": "Worldwide Governance Indicators (2022 data)"}),
        capacity_headroom=_headroom(catalog, material_id, chosen, chosen_year) if with_detail else None,
        reserves=_reserves(catalog, material_id, chosen, chosen_year, result) if with_detail else None,
    )


def _headroom(catalog: CatalogReader, material_id: str, series: str, year: int) -> tuple[Headroom, ...]:
    capacity_rows = [r for r in catalog.observations(material_id, series, "capacity", year) if r["entity"] == "country"]
    production_rows = [r for r in catalog.observations(material_id, series, "production", year)
                       if r["entity"] == "country"]
    capacity = {str(r["iso3"]): float(r["value"]) for r in capacity_rows if r["value"] is not None}
    production = {str(r["iso3"]): float(r["value"]) for r in production_rows if r["value"] is not None}
    return tuple(capacity_headroom(capacity, production))


def _reserves(catalog: CatalogReader, material_id: str, series: str, year: int,
              result: SupplyConcentration) -> tuple[ReservesFigure, ...]:
    rows = catalog.reserves(material_id, series)
    production = {item.country: item.value for item in result.shares}
    factor = catalog.production_factor_to_base(material_id, series, year)
    return tuple(
        ReservesFigure(
            country=r["iso3"],  # type: ignore[arg-type]
            reserves=r["value"],  # type: ignore[arg-type]
            unit=r["unit"],  # type: ignore[arg-type]
            as_of=r["year"],  # type: ignore[arg-type]
            reserves_to_production_years=reserves_to_production_years(
                float(r["value"]) * float(r["factor_to_base"]), production.get(str(r["iso3"]), 0.0) * factor  # type: ignore[arg-type]
            ),
        )
        for r in rows
    )


#: Rankings `setu rank --by` offers, and the field each sorts on.
RANKINGS = {"hhi": "hhi", "gw_hhi": "gw_hhi_scaled", "gw_exposure": "gw_exposure"}
EXPOSURE_METHOD = (
    "gw_exposure = governance-weighted HHI of world output (EU CRM methodology 2017, WGI rescaled 0.1-10, "
    "scaled to 0-10,000) x (1 - the country's own share), on the bottleneck stage: extraction and processing "
    "where both are held (USGS series; IEA refining 2024 where USGS has no processing table), the higher "
    "retained as the EU method does. A production-side screen, not the EU supply risk (`setu supply-risk`)"
)


def rank_materials(
    catalog: CatalogReader,
    *,
    by: str = "gw_hhi",
    country: str | None = None,
    materials: Sequence[str] | None = None,
) -> list[dict[str, object]]:
    """Rank materials (their default series, latest year) by HHI, governance-weighted HHI or a country's
    governance-weighted exposure on the bottleneck stage (:mod:`setu.metrics.bottleneck`).

    ``gw_exposure`` is a production-side screen, named apart from the EU supply-risk score that
    ``setu supply-risk`` computes; with trade data loaded, the trade dependence commands give import shares.
    """
    if by == "risk":
        raise UnknownNameError("ranking (the production-side screen is now named gw_exposure; the EU supply "
                               "risk is `setu supply-risk`)", by, ["gw_exposure"])
    if by not in RANKINGS:
        raise UnknownNameError("ranking", by, list(RANKINGS))
    iso3 = tables.countries().resolve(country) if country else None
    if by == "gw_exposure" and iso3 is None:
        raise UnknownNameError("ranking", by, ["hhi", "gw_hhi (or give --country for gw_exposure)"])
    ids = [tables.materials().resolve(m) for m in materials] if materials else list(tables.materials().materials)
    ranked = []
    for material_id in ids:
        try:
            report = concentration_report(catalog, material_id, groups=(), detail=False)
        except NotFoundError:
            continue
        own = report.share_of_country(iso3) if iso3 else None
        entry = {
            "material": material_id,
            "material_name": report.material_name,
            "series": report.series,
            "stage": report.stage,
            "year": report.year,
            "hhi": report.hhi,
            "gw_hhi_scaled": report.gw_hhi_scaled,
            "top1_share": report.top1_share,
            "top_producers": [{"country": t.country, "share": t.share} for t in report.shares[:3]],
            "comparable": not any("indicative" in n for n in report.notes),
            "source": ", ".join(sorted({str(s["source_id"]) for s in report.sources})),
        }
        if iso3:
            stages = stage_exposures(catalog, report, iso3)
            worst = bottleneck(stages)
            entry["country"] = iso3
            entry["own_share"] = own
            entry["gw_exposure"] = worst.exposure
            entry["bottleneck_stage"] = f"{worst.step}: {worst.source}"
            entry["bottleneck_own_share"] = worst.own_share
            entry["stages"] = [asdict(stage) for stage in stages]
            if any(stage.source.startswith("IEA") for stage in stages):
                entry["source"] = entry["source"] + ", iea-critical-minerals"
        ranked.append(entry)
    key = RANKINGS[by]
    ranked.sort(key=lambda e: (-float(e[key]), str(e["material"])))
    return ranked


def stage_exposures(catalog: CatalogReader, report: ConcentrationReport, iso3: str) -> list[StageExposure]:
    """The country's exposure at each stage of the material held: one USGS series per stage (the default
    series for its own stage), and the IEA's 2024 refining table where USGS holds no processing stage."""
    def usgs(item: ConcentrationReport) -> StageExposure:
        return stage_exposure(item.stage, f"USGS {item.series} {item.year}", item.year, item.gw_hhi_scaled,
                              item.share_of_country(iso3), item.gw_missing_governance)

    stages = {report.stage: usgs(report)}
    for option in catalog.series_of(report.material):
        stage = str(option["stage"])
        if stage in stages or stage in {"production"}:
            continue
        try:
            stages[stage] = usgs(concentration_report(catalog, report.material, series=str(option["series"]),
                                                      groups=(), detail=False))
        except NotFoundError:
            continue
    if report.material in iea_minerals.MINERALS and all(step_of(s) == "extraction" for s in stages):
        supply = iea_minerals.stage_supply(report.material, "refining", iea_minerals.OBSERVED_YEAR)
        result = concentration({c.country: c.volume_kt for c in supply.countries}, world_total=supply.total_kt)
        weighted = governance_weighted_hhi(result, tables.wgi_risk())
        stages["refining"] = stage_exposure("refining", f"IEA refining {supply.year}", supply.year,
                                            round(weighted.gw_hhi_scaled, 4), result.share_for(iso3),
                                            weighted.missing_risk)
    return list(stages.values())


def country_dependence(catalog: CatalogReader, country: str, *, materials: Sequence[str] | None = None) -> dict[str, object]:
    """A country's production-side position on each material: own share, top suppliers, risk."""
    countries = tables.countries()
    iso3 = countries.resolve(country)
    ranking = rank_materials(catalog, by="gw_exposure", country=iso3, materials=materials or CRITICAL_FOCUS)
    return {
        "country": iso3,
        "name": countries.name_of(iso3),
        "basis": "world production shares (USGS MCS; IEA refining where USGS has no processing stage): own share "
                 "and governance-weighted concentration on the bottleneck stage; import dependence by product "
                 "comes from trade data (`setu dependence COUNTRY` lists the bundled products)",
        "method": EXPOSURE_METHOD,
        "materials": ranking,
    }


def usgs_supply_resolver(data_dir: Path) -> Callable[[str, str, int], tuple[tuple[str, float, float], ...]]:
    """A supply-map resolver backed by the catalog: ``(material, series, year) -> ((iso3, value, share), ...)``.

    Supply maps refer to USGS figures instead of repeating them (``usgs: {material, series, year}``); this
    is how the map loader gets them without importing the catalog. Where USGS publishes no
    country figures (germanium) the supply is empty, which the maps report as "no figures".
    """

    @cache
    def resolve(material: str, series: str, year: int) -> tuple[tuple[str, float, float], ...]:
        with open_catalog(data_dir) as catalog:
            try:
                report = concentration_report(catalog, material, series=series, year=year, groups=(), detail=False)
            except NotFoundError:  # e.g. germanium: USGS publishes no country figures
                return ()
        total = float(report.world_total)
        # shares recomputed from the values: the report rounds its shares to 6 decimals for display
        return tuple((s.country, float(s.value), float(s.value) / total if total > 0 else 0.0) for s in report.shares)

    return resolve
