"""The upstream look-through of an importer's products: gather the mass balance's inputs, call the pure core.

For each product the concordance (:mod:`setu.reference.concordance`) names the stage, the production series
(USGS through the catalog, or the IEA table), the content factor and the upstream code. This module reads
the world trade of the product in tonnes (BACI quantities x content factor), the stage's production by
country in the same content, and hands both to :func:`setu.metrics.upstream.origins`; every answer names the
stage, its source and year, the content basis and each fallback taken.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from setu.errors import NotFoundError
from setu.metrics import upstream as mass_balance
from setu.reference import concordance
from setu.services import production
from setu.sources import iea_minerals
from setu.store.catalog_reader import CatalogReader

#: tonnes per unit of a production table (USGS units as the catalog holds them; IEA kt)
TONNES_PER_UNIT = {"t": 1.0, "kt": 1_000.0, "Mt": 1_000_000.0, "kg": 0.001}

METHOD = (
    "mass balance on a content basis (tonnes of the stage's content: BACI quantity x the concordance's content "
    "factor): a supplier that produces at least what it exports at the matching stage serves its exports itself; "
    "only the shortfall passes through, at the mix of the supplier's own imports of the upstream product (traced "
    "back the same way), else at the world production mix of the stage (the fallback, said so). An ore is its "
    "own upstream. The importer's own output is not counted as returning to it. Shares by contained tonnes; "
    "flows without a reported quantity are left out. Re-export tracing after Kastner, Kastner & Nonhebel "
    "(2011), Ecological Economics 70(6):1032-1040, doi:10.1016/j.ecolecon.2011.01.012, with one departure: a "
    "producer serves its own exports first (their method mixes production and imports in proportion)."
)


@dataclass(frozen=True)
class StageProduction:
    """Production of one stage by country, in tonnes of content."""

    countries: dict[str, float]
    world_total: float | None
    source: str
    year: int
    stage: str
    withheld: tuple[str, ...]  # countries listed without a figure (USGS W / NA): taken as producing none
    notes: tuple[str, ...]


def _latest_usgs_year(catalog: CatalogReader, material_id: str, series: str, year: int) -> int:
    options = [o for o in catalog.series_of(material_id) if o["series"] == series]
    years = [int(y) for y in (options[0]["years"] or []) if int(y) <= year] if options else []
    if not years:
        raise NotFoundError(f"no USGS figures for {material_id} ({series}) in or before {year}")
    return max(years)


def stage_production(catalog: CatalogReader, link: concordance.Link, year: int) -> StageProduction:
    """The matching stage's production in or before the trade ``year`` (nothing later is read).

    The IEA table (2024 only) is used where the concordance says so and the trade year is 2024 or later;
    otherwise the row's USGS series stands in, said so in ``notes``.
    """
    notes: list[str] = []
    if link.origin == "iea" and link.iea_stage and link.material_id in iea_minerals.MINERALS:
        if iea_minerals.OBSERVED_YEAR <= year:
            table = iea_minerals.stage_supply(link.material_id, link.iea_stage, iea_minerals.OBSERVED_YEAR)
            notes.append("countries the IEA does not list are taken to produce none at this stage "
                         f"(its 'Rest of world': {100 * table.residual:.1f} % of the world)")
            return StageProduction({c.country: c.volume_kt * 1_000.0 for c in table.countries},
                                   table.total_kt * 1_000.0, f"{iea_minerals.EDITION} ({link.iea_stage})",
                                   iea_minerals.OBSERVED_YEAR, link.iea_stage, (), tuple(notes))
        notes.append(f"the IEA table is of {iea_minerals.OBSERVED_YEAR}, after the trade year {year}: "
                     f"USGS {link.usgs_series} stands in")
    if link.material_id is None or link.usgs_series is None:
        raise NotFoundError(f"HS {link.hs6} has no production series in the concordance")
    chosen = _latest_usgs_year(catalog, link.material_id, link.usgs_series, year)
    report = production.concentration_report(catalog, link.material_id, series=link.usgs_series, year=chosen,
                                             groups=(), detail=False)
    if report.unit not in TONNES_PER_UNIT:
        raise NotFoundError(f"USGS {link.material_id} ({link.usgs_series}) is in {report.unit}, not a mass")
    factor = TONNES_PER_UNIT[report.unit]
    if chosen < year:
        notes.append(f"production of {chosen} (latest USGS year) against trade of {year}")
    return StageProduction({s.country: s.value * factor for s in report.shares}, report.world_total * factor,
                           f"USGS MCS ({link.material_id}, {report.series})", chosen, report.stage,
                           tuple(m.country for m in report.missing), tuple(notes))


def content_flows(rows: Sequence[Mapping[str, object]], factor: float) -> dict[tuple[str, str], float]:
    """(exporter, importer) -> tonnes of content, from product_flows rows (those without tonnes left out)."""
    flows: dict[tuple[str, str], float] = {}
    for row in rows:
        tonnes = row.get("quantity_tonnes")
        if tonnes is None or float(tonnes) <= 0:  # type: ignore[arg-type]
            continue
        key = (str(row["exporter"]), str(row["importer"]))
        flows[key] = flows.get(key, 0.0) + float(tonnes) * factor  # type: ignore[arg-type]
    return flows


def _pct(value: float) -> str:
    return f"{100 * value:.0f} %"


def look_through(catalog: CatalogReader, importer: str, hs6: str, year: int,
                 world_rows: Mapping[str, Sequence[Mapping[str, object]]],
                 cache: dict | None = None) -> dict[str, object] | None:
    """The importer's look-through for one code, or None with no stage to look through to (a basket, coal).

    ``world_rows``: product -> every flow of the year (exporter, importer, quantity_tonnes), as
    :func:`setu.metrics.trade.product_flows` gives them. ``cache`` shares production look-ups.
    Returns {"not_computed": reason} where the inputs are missing (no quantities, no production figures).
    """
    link = concordance.origin_link(hs6)
    if link is None:
        return None
    cache = {} if cache is None else cache
    key = (link.hs6, year)
    try:
        if key not in cache:
            cache[key] = stage_production(catalog, link, year)
        made: StageProduction = cache[key]
    except NotFoundError as error:
        return {"not_computed": str(error), "stage": link.origin_stage}
    factor = float(link.content_factor or 0.0)
    flows = content_flows(world_rows.get(hs6, ()), factor)
    if not any(c == importer for (_, c) in flows):
        return {"not_computed": f"no quantities for {importer}'s imports of {hs6} in {year}",
                "stage": made.stage}
    try:
        world = mass_balance.world_mix(made.countries, made.world_total, exclude=importer)
    except ValueError as error:  # no producer but the importer itself
        return {"not_computed": f"{error} ({made.source}, {made.year})", "stage": made.stage}
    fallbacks = list(made.notes)
    if link.stage_relation != "own":
        fallbacks.insert(0, f"stage: {made.stage}, {concordance.RELATION_TEXT[link.stage_relation or 'own']}")
    own_upstream = hs6 in link.upstream_hs6
    upstream_flows = upstream_origins = None
    if not own_upstream:  # the good is made from another code's product
        bundled = [c for c in link.upstream_hs6 if c in world_rows and concordance.origin_link(c) is not None]
        if bundled:
            code = bundled[0]
            upstream_link = concordance.origin_link(code)
            upstream_flows = content_flows(world_rows[code], float(upstream_link.content_factor or 0.0))  # type: ignore[union-attr]
            upstream_origins = mass_balance.origins(upstream_flows, made.countries, world, exclude=importer)
            fallbacks.append(f"a supplier's shortfall passes through its imports of HS {code}")
        else:
            fallbacks.append(f"the upstream product (HS {', '.join(link.upstream_hs6)}) is not in the trade data: "
                             "a supplier's shortfall is taken at the world production mix")
    found = mass_balance.origins(flows, made.countries, world, exclude=importer, own_upstream=own_upstream,
                                 upstream_flows=upstream_flows, upstream_origins=upstream_origins)
    result = mass_balance.look_through(importer, flows, found, world)
    if result.world_mix > 0.005:
        fallbacks.append(f"world production mix used for {_pct(result.world_mix)} of the content")
    if made.withheld:
        fallbacks.append("withheld production figures (" + ", ".join(made.withheld) + ") taken as none")
    beyond = [s for s, share, _, _ in result.suppliers if found.beyond_supply.get(s, 0.0) > 0.01 and share >= 0.01]
    if beyond:
        fallbacks.append("exports above production and imports kept by the producer (" + ", ".join(
            f"{s} {_pct(found.beyond_supply[s])} of its exports" for s in beyond) + "): a year's growth or stocks")
    unlisted = [s for s, share, own, _ in result.suppliers if made.countries.get(s, 0.0) <= 0 and share >= 0.01]
    return {
        "stage": made.stage, "stage_relation": link.stage_relation, "material": link.material_id,
        "production_source": made.source, "production_year": made.year, "trade_year": year,
        "basis": f"tonnes of {link.content_basis}", "content_factor": factor, "content_source": link.content_source,
        "exposure": [{"country": c, "share": round(v, 6)} for c, v in result.exposure.items()],
        "top_country": next(iter(result.exposure)), "top_share": round(next(iter(result.exposure.values())), 6),
        "self_served_share": round(result.self_served, 6),
        "pass_through_share": round(1 - result.self_served, 6),
        "via_supplier_imports_share": round(result.passed_through, 6),
        "world_mix_share": round(result.world_mix, 6),
        "suppliers": [{"country": s, "content_share": round(share, 6), "self_served": round(own, 6),
                       "world_mix": round(fallback, 6)} for s, share, own, fallback in result.suppliers[:5]],
        "suppliers_without_production": unlisted,
        "fallbacks": fallbacks,
    }
