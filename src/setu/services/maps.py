"""Use cases on supply-chain maps: list the bundled maps, load one, analyse it, validate a user's file.

The service owns the I/O boundary: it finds bundled map files, reads user files, and passes an optional
USGS ``resolver`` (supplied from the catalog by the caller) and optional governance risks down to the
loader and the pure analysis in ``setu.maps``. Shells render what it returns.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from setu import maps as analysis
from setu.domain.supply_map import Supply, SupplyMap
from setu.errors import UnknownNameError, ValidationError
from setu.sources.supply_map import Resolver, load_map

ISO3_LENGTH = 3


@dataclass(frozen=True)
class MapSummary:
    id: str
    name: str
    sector: str
    nodes: int
    edges: int
    end_products: tuple[str, ...]
    unresolved_usgs: int  # nodes whose USGS reference no resolver filled in
    licence: str | None


@dataclass(frozen=True)
class ProductReport:
    product: str
    exposure: analysis.ProductExposure
    chokepoints: tuple[analysis.Chokepoint, ...]
    single_points: tuple[analysis.SinglePoint, ...]
    structural_cuts: tuple[str, ...]
    weakest_stage: analysis.StageVulnerability | None


def bundled_map_files() -> dict[str, Path]:
    """Bundled map files by map id (the file name without ``.yaml``)."""
    folder = resources.files("setu.data.maps")
    return {Path(item.name).stem: Path(str(item)) for item in folder.iterdir() if item.name.endswith(".yaml")}


#: Figures for nodes a map leaves without supply, from elsewhere (an installed data pack): map id ->
#: {node id: supply}. They fill empty nodes only; a map's own figures are never replaced.
Overlays = Callable[[str], Mapping[str, Supply]]


class MapService:
    def __init__(self, resolver: Resolver | None = None, governance_risk: Mapping[str, float] | None = None,
                 overlays: Overlays | None = None):
        self.resolver = resolver
        self.governance_risk = governance_risk
        self.overlays = overlays

    def load(self, name_or_path: str) -> SupplyMap:
        """A bundled map by id, or a map file by path."""
        files = bundled_map_files()
        if name_or_path in files:
            return self._overlaid(load_map(files[name_or_path], self.resolver))
        path = Path(name_or_path)
        if path.suffix in (".yaml", ".yml") and path.exists():
            return self._overlaid(load_map(path, self.resolver))
        raise UnknownNameError("map", name_or_path, difflib.get_close_matches(name_or_path, sorted(files), n=3))

    def _overlaid(self, supply_map: SupplyMap) -> SupplyMap:
        extra = self.overlays(supply_map.id) if self.overlays else {}
        if not extra:
            return supply_map
        nodes = tuple(replace(node, supply=extra[node.id]) if node.id in extra and node.supply is None else node
                      for node in supply_map.nodes)
        return replace(supply_map, nodes=nodes)

    def validate(self, path: Path) -> MapSummary:
        """Load a user's map file; raises the located error of the first problem."""
        return summarise(load_map(path, self.resolver))

    def list_maps(self) -> list[MapSummary]:
        return [summarise(self.load(map_id)) for map_id in sorted(bundled_map_files())]

    def vulnerabilities(
        self, supply_map: SupplyMap
    ) -> tuple[list[analysis.NodeVulnerability], list[analysis.StageVulnerability]]:
        nodes = analysis.node_vulnerabilities(supply_map, self.governance_risk)
        return nodes, analysis.stage_vulnerabilities(nodes, supply_map.stages)

    def product(self, supply_map: SupplyMap, product: str | None, spof_threshold: float = 0.8) -> ProductReport:
        """Exposure, chokepoints, single points of failure and the weakest stage of one end product."""
        product_id = resolve_product(supply_map, product)
        graph = analysis.to_graph(supply_map)
        upstream = analysis.upstream(graph, product_id)
        nodes, _ = self.vulnerabilities(supply_map)
        inside = [v for v in nodes if v.node in upstream]
        stages = analysis.stage_vulnerabilities(inside, tuple(dict.fromkeys(v.stage for v in inside)))
        weakest = next((s for s in stages if s.concentration_score is not None), None)
        if not 0 < spof_threshold <= 1:
            raise ValidationError(f"threshold {spof_threshold} must be in (0, 1]")
        return ProductReport(
            product=product_id,
            exposure=analysis.product_exposure(supply_map, graph, product_id),
            chokepoints=tuple(analysis.chokepoints(supply_map, graph, product_id)),
            single_points=tuple(analysis.single_points_of_failure(supply_map, graph, product_id, spof_threshold)),
            structural_cuts=tuple(analysis.structural_cuts(graph, product_id)),
            weakest_stage=weakest,
        )

    def products(self, supply_map: SupplyMap) -> list[ProductReport]:
        """The product report of every end product of the map."""
        return [self.product(supply_map, node.id) for node in supply_map.end_products]

    def country_requirements(
        self, supply_map: SupplyMap, product: str | None, country: str
    ) -> tuple[str, list[analysis.CountryRequirement]]:
        """The country's supply of each upstream node per unit of the product (input coefficients)."""
        product_id = resolve_product(supply_map, product)
        code = _iso3(country)
        return product_id, analysis.country_requirements(supply_map, analysis.to_graph(supply_map), product_id, code)

    def dependence(self, supply_map: SupplyMap, country: str) -> list[analysis.StageDependence]:
        return analysis.country_dependence(supply_map, _iso3(country))


def _iso3(country: str) -> str:
    code = country.upper()
    if len(code) != ISO3_LENGTH or not code.isalpha():
        raise ValidationError(f"country {country!r} must be an ISO3 code such as JPN or IND")
    return code


def resolve_product(supply_map: SupplyMap, product: str | None) -> str:
    """The named node, or the map's only end product when none is named."""
    ends = [node.id for node in supply_map.end_products]
    if product is None:
        if len(ends) == 1:
            return ends[0]
        raise ValidationError(
            f"map {supply_map.id!r} has several end products; choose one with --product: " + ", ".join(ends)
        )
    if not supply_map.has_node(product):
        ids = [node.id for node in supply_map.nodes]
        raise UnknownNameError("node", product, difflib.get_close_matches(product, ids, n=3))
    return product


def summarise(supply_map: SupplyMap) -> MapSummary:
    unresolved = sum(1 for n in supply_map.nodes if n.supply is not None and n.supply.usgs and not n.supply.shares)
    return MapSummary(
        supply_map.id,
        supply_map.name,
        supply_map.sector.value,
        len(supply_map.nodes),
        len(supply_map.edges),
        tuple(n.id for n in supply_map.end_products),
        unresolved,
        supply_map.licence,
    )
