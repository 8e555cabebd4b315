"""PURE analysis of supply-chain maps: concentration, exposure through tiers, vulnerability, chokepoints.

Functions take a validated ``SupplyMap`` (and its networkx graph from ``to_graph``) and return frozen
dataclasses; none opens a file or prints. Formulas and their sources are in each module's docstring and
in docs/maps.md.
"""

from setu.maps.concentration import (
    Concentration,
    concentration,
    governance_hhi,
    hhi,
    top_shares,
)
from setu.maps.exposure import (
    CountryExposure,
    CountryRequirement,
    ProductExposure,
    StageDependence,
    country_dependence,
    country_requirements,
    product_exposure,
)
from setu.maps.graph import (
    essential,
    structural_cuts,
    tiers,
    to_graph,
    total_requirements,
    upstream,
)
from setu.maps.vulnerability import (
    CONCENTRATION_SCORE,
    GOVERNANCE_WEIGHTED_SCORE,
    SCORE_DEFINITION,
    Chokepoint,
    NodeVulnerability,
    SinglePoint,
    StageVulnerability,
    chokepoints,
    node_vulnerabilities,
    single_points_of_failure,
    stage_vulnerabilities,
    single_source,
    substitutability,
)

__all__ = [
    "CONCENTRATION_SCORE",
    "Chokepoint",
    "Concentration",
    "CountryExposure",
    "CountryRequirement",
    "GOVERNANCE_WEIGHTED_SCORE",
    "NodeVulnerability",
    "ProductExposure",
    "SCORE_DEFINITION",
    "SinglePoint",
    "StageDependence",
    "StageVulnerability",
    "chokepoints",
    "concentration",
    "country_dependence",
    "country_requirements",
    "essential",
    "governance_hhi",
    "hhi",
    "node_vulnerabilities",
    "product_exposure",
    "single_points_of_failure",
    "single_source",
    "stage_vulnerabilities",
    "structural_cuts",
    "substitutability",
    "tiers",
    "to_graph",
    "top_shares",
    "total_requirements",
    "upstream",
]
