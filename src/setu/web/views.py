"""The documents behind the analytics pages: one function per page, each returning plain JSON-ready data.

A page renders its document through a template; its JSON twin under ``/api/views/...`` returns the same
document, so what an analyst sees and what a script reads never differ. Documents only call the services
(production, maps, scenarios, watch) and the chart builders; every figure carries its source and year.
The bundled data never change while the server runs, so :class:`Views` keeps each document once built.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import cached_property, lru_cache
from typing import Any

from setu.domain.supply_map import SupplyMap
from setu.errors import NotFoundError
from setu.maps import to_graph
from setu.maps.exposure import WORLD_BASIS
from setu.reference import tables
from setu.services import production
from setu.services.cables import map_overlays
from setu.services.documents.production import concentration_document
from setu.services.maps import MapService, bundled_map_files, summarise
from setu.settings import Settings
from setu.store import derived
from setu.store.catalog_reader import open_catalog
from setu.web import charts, trade_view
from setu.web.chain import chain_document

SECTORS = ("semiconductors", "critical-minerals", "ict", "clean-energy", "pharmaceuticals")


def _source_line(report: dict[str, Any]) -> str:
    """``USGS Mineral Commodity Summaries 2024, 2023 figures`` style provenance of a concentration report."""
    titles = [str(s.get("title") or s["source_id"]) for s in report["sources"] if s["source_id"] != "wgi-2023"]
    return f"{'; '.join(titles)}; figures for {report['year']}"


def _basis_text(basis: str) -> str:
    """A stage's basis as the overview words it: under the trade data, "no trade data loaded" would read as
    a contradiction; what it means is that the supply map holds no import sourcing of the country for it."""
    if basis.startswith(WORLD_BASIS):
        return ("world production shares, not the country's own sourcing (the supply map holds none for this "
                "stage; the trade data above cover the bundled HS codes)" + basis[len(WORLD_BASIS):])
    return basis


def _json_values(document: dict[str, Any]) -> dict[str, Any]:
    """The document as JSON gives it back (tuples as lists), so a stored page and a fresh one are one value."""
    import json

    return json.loads(json.dumps(document, default=str))


class Views:
    """Page documents over one data directory, each built once per argument set."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.overview = self._stored_overview  # the derived store follows an import made while serving
        self.material = lru_cache(maxsize=128)(self._material)
        self.chain = lru_cache(maxsize=32)(self._chain)
        self.supply_map = lru_cache(maxsize=32)(self._load_map)
        self.chains = lru_cache(maxsize=1)(self._chains)
        self.complementarity = lru_cache(maxsize=16)(self._complementarity)
        self._production_cache: dict = {}  # upstream-stage concentration by (material, series), shared by countries

    @cached_property
    def maps(self) -> MapService:
        """Maps resolved against the catalog's USGS figures, with WGI governance risks (as ``setu maps``)."""
        return MapService(resolver=production.usgs_supply_resolver(self.settings.data_dir),
                          governance_risk=tables.wgi_risk_fraction(), overlays=map_overlays(self.settings))

    def _load_map(self, map_id: str) -> SupplyMap:
        return self.maps.load(map_id)

    def catalog(self):
        return open_catalog(self.settings.data_dir)

    # -- overview -------------------------------------------------------------------------------------
    def _stored_overview(self, country: str, year: int | None = None, product: str | None = None,
                         size: str = "value", exclude_flagged: bool = False) -> dict[str, Any]:
        """The overview from the derived store (:mod:`setu.store.derived`) when it holds this page for the
        same inputs: the landing page after a restart is a file read, not seconds of trade queries and map
        loading. Keyed by the catalog, the trade catalog's manifest (the checksum of every file it holds),
        the installed packs, the bundled maps and tables, the settings that choose the data and all of Setu's
        code, so a stored page is never stale."""
        data = self.settings.data_dir
        packs = data / "datapacks"
        inputs = [data / "catalog.duckdb", self.settings.trade_dir / "manifest.json",
                  *(sorted(p for p in packs.rglob("*") if p.is_file()) if packs.is_dir() else []),
                  *derived.bundled_files(["maps", "reference", "wgi", "iea", "baci"])]
        parameters = {"country": country, "year": year, "product": product, "size": size,
                      "exclude_flagged": exclude_flagged, "engine": self.settings.engine,
                      "bundled_trade": self.settings.bundled_trade, "spark_master": self.settings.spark_master,
                      "spark_catalog_url": self.settings.spark_catalog_url}
        if not inputs[0].exists() or self.settings.engine != "duckdb":
            return self._overview(country, year, product, size, exclude_flagged)  # first use builds the catalog
        return derived.cached(data, "page-overview",
                              lambda: derived.key("page-overview", inputs=inputs, code=derived.ALL_CODE,
                                                  parameters=parameters),
                              lambda: _json_values(self._overview(country, year, product, size, exclude_flagged)))

    def _overview(self, country: str, year: int | None = None, product: str | None = None,
                  size: str = "value", exclude_flagged: bool = False) -> dict[str, Any]:
        iso3 = tables.countries().resolve(country)
        with self.catalog() as reader:
            imports = trade_view.import_view(self.settings, reader, iso3, year, product, self._production_cache,
                                             size=size, exclude_flagged=exclude_flagged)
            dependence = production.country_dependence(reader, iso3)
            source_ids = sorted({s.strip() for row in dependence["materials"] for s in str(row["source"]).split(",")})
            sources = production.source_entries(reader, source_ids,
                                                ("source_id", "title", "publisher", "edition", "licence"))
        ranked = [row for row in dependence["materials"] if row["comparable"]]
        by_hhi = sorted(ranked, key=lambda row: (-float(row["hhi"]), str(row["material"])))
        years = sorted({int(row["year"]) for row in ranked})
        span = "" if not years else str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
        source = (f"USGS Mineral Commodity Summaries (production, {span}); IEA Critical Minerals Data Explorer "
                  "(refining 2024, where USGS has no processing table); World Bank WGI 2023 (2022 data)")
        top = ranked[:12]
        figure = charts.ranked_bars(
            [row["material_name"] for row in top], [float(row["gw_exposure"]) for row in top],
            f"Governance-weighted exposure for {dependence['name']} (bottleneck stage; not the EU supply risk)",
            source, axis="gw_exposure = GW-HHI (0–10,000) × (1 − own share), bottleneck stage")
        sectors = []
        for map_id in sorted(bundled_map_files()):
            supply_map = self.supply_map(map_id)
            stages = self.maps.dependence(supply_map, iso3)
            worst = sorted((s for s in stages if s.top_other_country),
                           key=lambda s: (-(s.top_other_share or 0.0), s.node))[:3]
            sectors.append({"map": map_id, "name": supply_map.name, "sector": supply_map.sector.value,
                            "most_dependent": [dict(asdict(s), basis=_basis_text(s.basis)) for s in worst]})
        return {
            "page": "overview",
            "country": iso3,
            "name": dependence["name"],
            "method": dependence["method"],
            "basis": dependence["basis"],
            "imports": imports,
            "state": {"country": iso3, "year": imports["year"] if imports else year, "product": product,
                      "size": size, **({"exclude_flagged": True} if exclude_flagged else {})},
            "most_risky": ranked[:12],
            "most_concentrated": by_hhi[:12],
            "sectors": sectors,
            "figure": figure,
            "sources": sources,
        }

    # -- material -------------------------------------------------------------------------------------
    def _material(self, material: str, series: str | None = None, country: str | None = None,
                  year: int | None = None) -> dict[str, Any]:
        material_id = tables.materials().resolve(material)
        trade = trade_view.material_trade(self.settings, material_id, country, year)
        with self.catalog() as reader:
            try:
                report = concentration_document(production.concentration_report(reader, material_id, series=series))
            except NotFoundError as error:
                if series is not None or not trade["products"]:
                    raise
                # no country production figures (germanium: only NA/W in USGS): a trade-based page
                return {"page": "material", "material": material_id,
                        "material_name": tables.materials().materials[material_id].name,
                        "report": None, "production_missing": str(error), "trade": trade,
                        "state": {"material": material_id, "country": trade.get("country"),
                                  "year": trade.get("year")}}
            options = production.series_of(reader, material_id)
            years = next((o["years"] for o in options if o["series"] == report["series"]), None) or []
            history = []
            for year in years:
                try:
                    one = production.concentration_report(reader, material_id, series=report["series"], year=int(year),
                                                          groups=(), detail=False)
                except NotFoundError:
                    continue
                history.append({"year": one.year, "hhi": one.hhi, "gw_hhi_scaled": one.gw_hhi_scaled,
                                "top1_share": one.top1_share, "top3_share": one.top3_share,
                                "top1_country": one.shares[0].country if one.shares else None})
        source = _source_line(report)
        title = f"{report['material_name']}: share of world {report['measure']} ({report['stage']}), {report['year']}"
        shares = report["shares"]
        figures = {"map": charts.choropleth(shares, title, source)}
        figures["bars"] = charts.ranked_bars([s["name"] for s in shares[:15]], [s["share"] for s in shares[:15]],
                                             title, source, axis="share of world total", percent=True)
        if history:
            figures["history"] = charts.lines(
                [("HHI", [h["year"] for h in history], [h["hhi"] for h in history]),
                 ("GW-HHI (scaled)", [h["year"] for h in history], [h["gw_hhi_scaled"] for h in history])],
                f"{report['material_name']}: concentration over the years", f"{source.split(';')[0]}; "
                f"years {history[0]['year']}–{history[-1]['year']}", x_axis="year", y_axis="HHI (0–10,000)", whole_x=True)
        headroom = [dict(row, name=tables.countries().name_of(str(row["country"])))
                    for row in report.get("capacity_headroom", [])]
        if headroom:
            ordered = sorted(headroom, key=lambda r: (-float(r["headroom"]), str(r["country"])))
            figures["headroom"] = charts.ranked_bars(
                [r["name"] for r in ordered], [float(r["headroom"]) for r in ordered],
                f"{report['material_name']}: capacity headroom by country, {report['year']}", source,
                axis=f"capacity − production ({report['unit']})")
        series_options = [{"series": o["series"], "stage": o["stage"]} for o in options if o["years"]]
        return {"page": "material", "report": report, "history": history, "headroom": headroom,
                "series_options": series_options, "trade": trade,
                "state": {"material": material_id, "series": report["series"], "country": trade.get("country"),
                          "year": trade.get("year")},
                "figures": figures, "source": source}

    # -- complementarity --------------------------------------------------------------------------------
    def _complementarity(self, first: str, second: str, year: int | None = None,
                         include_all: bool = False) -> dict[str, Any]:
        return trade_view.complementarity_view(self.settings, first, second, year, include_all)

    # -- supply chain ---------------------------------------------------------------------------------
    def _chains(self) -> list[dict[str, Any]]:
        """The bundled maps grouped under the five sectors."""
        listed = [asdict(summarise(self.supply_map(map_id))) for map_id in sorted(bundled_map_files())]
        return [{"sector": sector, "maps": [m for m in listed if m["sector"] == sector]} for sector in SECTORS]

    def _chain(self, map_id: str) -> dict[str, Any]:
        supply_map = self.supply_map(map_id)
        nodes, stages = self.maps.vulnerabilities(supply_map)
        products = self.maps.products(supply_map)
        return chain_document(supply_map, to_graph(supply_map), nodes, stages, products)

