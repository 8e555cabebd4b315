"""Submarine cables and landing stations (PURE: no I/O). The data come from the optional
``submarine-cables`` data pack, read by :mod:`setu.sources.submarine_cables`.

* :mod:`~setu.cables.model`         — landing stations, cables, the network and its views (in service, after a cut)
* :mod:`~setu.cables.routes`        — routes by destination; independent (cable- and station-disjoint) routes
* :mod:`~setu.cables.flow`          — the maximum flow those route counts are (Dinic's algorithm, integer nodes)
* :mod:`~setu.cables.concentration` — supplier and owner shares with HHI; stations carrying a country's cables
* :mod:`~setu.cables.straits`       — chokepoint seas and straits the cable routes are drawn through
* :mod:`~setu.cables.cuts`          — cut scenarios with a stated, cited repair-time assumption
"""

from setu.cables.concentration import (
    SUPPLIER_COUNTRY,
    PartyConcentration,
    PartyShare,
    StationLoad,
    owner_concentration,
    party_concentration,
    station_loads,
    supplier_concentration,
    supplier_country_shares,
)
from setu.cables.cuts import TYPICAL_REPAIR, CutResult, PairImpact, ReachLoss, RepairAssumption, cut, reach
from setu.cables.model import Cable, CableNetwork, LandingStation
from setu.cables.routes import (
    DestinationRoutes,
    IndependentRoutes,
    direct_cables,
    flow_network,
    independent_routes,
    route_count,
    routes_by_destination,
    segment_graph,
)
from setu.cables.straits import STRAITS, Strait, StraitExposure, segment_between, strait_exposure

__all__ = [
    "Cable",
    "CableNetwork",
    "CutResult",
    "DestinationRoutes",
    "IndependentRoutes",
    "LandingStation",
    "PairImpact",
    "PartyConcentration",
    "PartyShare",
    "ReachLoss",
    "RepairAssumption",
    "STRAITS",
    "SUPPLIER_COUNTRY",
    "StationLoad",
    "Strait",
    "StraitExposure",
    "TYPICAL_REPAIR",
    "cut",
    "direct_cables",
    "flow_network",
    "independent_routes",
    "owner_concentration",
    "party_concentration",
    "reach",
    "route_count",
    "routes_by_destination",
    "segment_between",
    "segment_graph",
    "station_loads",
    "strait_exposure",
    "supplier_concentration",
    "supplier_country_shares",
]
