"""Use cases on submarine cables, over the optional ``submarine-cables`` data pack.

The service reads the installed pack once (files are the I/O boundary), passes the network to the pure
analysis in :mod:`setu.cables`, and returns plain documents that every shell shows as they are: the CLI
prints them (table, ``--json``, ``--csv``), the HTML report draws them. Every document names its source,
year and licence: the pack's CC BY-NC-SA 3.0 travels with every figure derived from it.
Without the pack every method raises :class:`~setu.errors.DataPackMissingError` (exit 2 in the CLI).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import cached_property
from pathlib import Path
from typing import Any

from setu import cables as analysis
from setu.cables.model import CableNetwork
from setu.domain.supply_map import Citation, Share, Supply
from setu.errors import UnknownNameError
from setu.reference.tables import countries
from setu.services import datapacks
from setu.services.cable_answers import PACK
from setu.settings import Settings
from setu.sources.submarine_cables import TELEGEOGRAPHY_NAMES, read_cable_routes, read_network



class CableService:
    def __init__(self, settings: Settings, include_planned: bool = False):
        self.settings = settings
        self.include_planned = include_planned

    # ----- data ---------------------------------------------------------------------------------
    @cached_property
    def folder(self) -> Path:
        return datapacks.require(self.settings, PACK)

    @cached_property
    def manifest(self) -> datapacks.PackManifest:
        return datapacks.read_manifest(self.folder)

    @cached_property
    def everything(self) -> CableNetwork:
        return read_network(self.folder, countries().resolve)

    @cached_property
    def network(self) -> CableNetwork:
        """In service at the snapshot, or with planned cables when the service was asked for them."""
        return self.everything.in_service(self.include_planned)

    @cached_property
    def routes_drawn(self) -> dict[str, list[list[tuple[float, float]]]]:
        return read_cable_routes(self.folder)

    def provenance(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "source": m.publisher,
            "year": m.year,
            "data_as_of": m.data_as_of,
            "licence": m.licence,
            "attribution": m.attribution,
            "cables_counted": "in service and planned" if self.include_planned else
            "in service at the snapshot (planned cables left out; --include-planned adds them)",
        }

    def country(self, name: str) -> str:
        """ISO3 of a country name or code ("India", "ind"), which must have a cable landing."""
        code = name.strip().upper()
        if code not in set(self.everything.countries):
            by_name = {k.casefold(): v for k, v in TELEGEOGRAPHY_NAMES.items()}
            try:
                code = by_name.get(name.strip().casefold()) or countries().resolve(name)
            except UnknownNameError:
                raise UnknownNameError("country", name, _close(name, self.everything.country_names.values())) from None
        return self.everything.require_country(code)

    def _cable_row(self, cable_id: str) -> dict[str, Any]:
        cable = self.everything.cables[cable_id]
        return {"cable": cable.id, "name": cable.name, "rfs_year": cable.rfs_year, "planned": cable.planned,
                "countries": list(self.everything.countries_of(cable)), "suppliers": list(cable.suppliers),
                "length_km": cable.length_km}

    # ----- documents ----------------------------------------------------------------------------
    def country_document(self, name: str) -> dict[str, Any]:
        """A country's cables, landing stations and international routes by destination."""
        code = self.country(name)
        net = self.network
        destinations = analysis.routes_by_destination(net, code)
        return {
            "country": code, "name": net.country_name(code),
            "cables": len(net.cables_in(code)),
            "international_cables": len(net.international_cables(code)),
            "planned_cables": sum(c.planned for c in self.everything.cables_in(code)),
            "landing_stations": [s.name for s in net.stations_in(code)],
            **self.provenance(),
            "rows": [{"destination": d.destination, "name": net.country_name(d.destination),
                      "direct_cables": len(d.cables),
                      "cables": [net.cables[c].name for c in d.cables]} for d in destinations],
            "cable_list": [self._cable_row(c.id) for c in net.cables_in(code)],
        }

    def stations_document(self, name: str) -> dict[str, Any]:
        """Single points of failure: each station's share of the country's international cables."""
        code = self.country(name)
        net = self.network
        loads = analysis.station_loads(net, code)
        return {"country": code, "name": net.country_name(code),
                "international_cables": len(net.international_cables(code)), **self.provenance(),
                "rows": [{"station": s.station, "name": s.name, "international_cables": s.cables,
                          "share": round(s.share, 6), "sole_landing_for": list(s.sole_landing_for)} for s in loads]}

    def suppliers_document(self, name: str | None, role: str = "supplier") -> dict[str, Any]:
        """Shares of a country's cables (or the world's, ``name=None``) by supplier or owner, with HHI."""
        code = self.country(name) if name else None
        result = analysis.party_concentration(
            self.network.cables_in(code) if code else self.network.cables.values(), role, code or "world")
        document: dict[str, Any] = {
            "scope": result.scope, "role": role, "cables": result.cables, "cables_named": result.cables_named,
            "coverage": round(result.coverage, 6), "hhi": round(result.hhi, 3),
            "method": "shares by number of cables; a cable with k named parties counts 1/k to each (no contract "
            "or ownership shares are published); cables naming none are left out (coverage)",
            **self.provenance(),
            "rows": [{"name": p.name, "cables": p.cables, "weighted_cables": round(p.weighted_cables, 6),
                      "share": round(p.share, 6)} for p in result.shares],
        }
        if role == "supplier":
            document["home_countries"] = {k: round(v, 6) for k, v in analysis.supplier_country_shares(result).items()}
        return document

    def routes_document(self, first: str, second: str) -> dict[str, Any]:
        """Direct cables and independent routes between two countries, and the straits they are drawn through."""
        a, b = self.country(first), self.country(second)
        net = self.network
        result = analysis.independent_routes(net, a, b)
        # only the stretch of each cable between the two countries: SeaMeWe-3's Japan-India traffic does not
        # pass the Strait of Gibraltar because the cable goes on to Europe
        stretches = {c: analysis.segment_between(self.routes_drawn.get(c, []), self._landings(c, a),
                                                 self._landings(c, b)) for c in result.direct_cables}
        straits, undrawn = analysis.strait_exposure(result.direct_cables,
                                                    {c: s for c, s in stretches.items() if s})
        return {
            "country": a, "other": b,
            "direct_cables": [net.cables[c].name for c in result.direct_cables],
            "cable_disjoint_routes": result.cable_disjoint,
            "station_disjoint_routes": result.station_disjoint,
            "cable_disjoint_routes_any_length": result.cable_disjoint_any_length,
            "station_disjoint_routes_any_length": result.station_disjoint_any_length,
            "method": "maximum flow (Dinic): routes sharing no cable (and no landing station); "
            "routes of at most two cables (direct or via one transit country, national backhaul assumed) and "
            "of any length; a cable cut anywhere is lost whole",
            "straits_of_direct_cables": [asdict(s) for s in straits],
            "straits_method": "straits a direct cable is drawn through between the two countries' landing "
            "stations (the shortest stretch of its drawn route from one to the other), not along the whole cable",
            "direct_cables_without_route_drawn": list(undrawn),
            **self.provenance(),
            "rows": [{"route": n + 1, "cables": len(p), "via": " + ".join(net.cables[c].name for c in p),
                      "transit": _transit(net, p, a, b)} for n, p in enumerate(result.paths)],
        }

    def _landings(self, cable_id: str, country: str) -> list[tuple[float, float]]:
        """Where a cable lands in a country: its stations' (longitude, latitude), where the pack gives them."""
        stations = (self.everything.stations[s] for s in self.everything.cables[cable_id].stations)
        return [(s.longitude, s.latitude) for s in stations
                if s.country == country and s.longitude is not None and s.latitude is not None]

    def resolve_cables(self, names: Sequence[str]) -> list[str]:
        return [self.everything.cable(n).id for n in names]

    def resolve_stations(self, names: Sequence[str]) -> list[str]:
        return [self.everything.station(n).id for n in names]

    def cut_document(self, cables: Sequence[str] = (), stations: Sequence[str] = (),
                     focus: Sequence[str] = ("JPN", "IND"), repair_days: int | None = None) -> dict[str, Any]:
        """A cut scenario: pairs that lose routes, countries cut off, repair-time assumption, and the cables
        and stations to draw."""
        cable_ids, station_ids = self.resolve_cables(cables), self.resolve_stations(stations)
        focus_codes = [self.country(c) for c in focus]
        repair = analysis.TYPICAL_REPAIR
        if repair_days is not None:
            from dataclasses import replace

            repair = replace(repair, days_per_cable=repair_days,
                             note=f"Set by the user to {repair_days} days per cable. " + repair.note)
        result = analysis.cut(self.network, cable_ids, station_ids, focus_codes, repair)
        net = self.network
        return {
            "cut_cables": [{"cable": c, "name": self.everything.cables[c].name} for c in cable_ids],
            "lost_stations": [{"station": s, "name": self.everything.stations[s].name} for s in station_ids],
            "not_in_service": [c for c in cable_ids if c not in net.cables],
            "affected_countries": list(result.affected_countries),
            "focus": focus_codes,
            "pairs_losing_all_routes": [[p.country, p.other] for p in result.pairs if p.loses_all_routes],
            "countries_cut_off": [{"country": r.country, "unreachable": list(r.unreachable), "isolated": r.isolated}
                                  for r in result.reach_losses],
            "repair_assumption": asdict(result.repair),
            "restoration_days": result.restoration_days,
            "method": "routes: cable-disjoint routes of at most two cables (direct or via one transit country), by "
            "maximum flow; computed for pairs with a focus country and pairs losing all direct cables (else "
            "null); reachable_after: any route of any length remains",
            **self.provenance(),
            "rows": [{"country": p.country, "other": p.other, "direct_before": p.direct_before,
                      "direct_after": p.direct_after, "routes_before": p.routes_before,
                      "routes_after": p.routes_after, "loses_all_routes": p.loses_all_routes,
                      "reachable_after": p.reachable_after} for p in result.pairs],
        }

    def map_layers(self, document: dict[str, Any]) -> dict[str, Any]:
        """What the cut report draws: the cut cables, the other cables of the affected countries, stations."""
        cut_ids = [c["cable"] for c in document["cut_cables"]]
        lost = {s["station"] for s in document["lost_stations"]}
        affected = set(document["affected_countries"]) | set(document["focus"])
        context = [c.id for c in self.network.cables.values()
                   if c.id not in cut_ids and affected & set(self.network.countries_of(c))]
        damaged = [c.id for c in self.network.cables.values() if lost & set(c.stations)]

        def lines(ids: Sequence[str]) -> list[dict[str, Any]]:
            return [{"cable": c, "name": self.everything.cables[c].name, "lines": self.routes_drawn.get(c, [])}
                    for c in ids]

        used = {s for c in [*cut_ids, *damaged] for s in self.everything.cables[c].stations}
        stations = [{"station": s.id, "name": s.name, "lon": s.longitude, "lat": s.latitude, "lost": s.id in lost}
                    for s in self.everything.stations.values() if s.id in used | lost and s.longitude is not None]
        return {"cut": lines(cut_ids), "damaged": lines([c for c in damaged if c not in cut_ids]),
                "context": lines(context), "stations": stations}

    # ----- links to the rest of Setu -------------------------------------------------------------
    def reference_exists(self, reference: str) -> str | None:
        """None when ``cable:<id>`` or ``station:<id>`` names a cable or landing station of the pack, else
        a message with the closest ids."""
        kind, _, key = reference.partition(":")
        pool = self.everything.cables if kind == "cable" else self.everything.stations
        if key in pool:
            return None
        close = _close(key, pool)
        return f"no {'cable' if kind == 'cable' else 'landing station'} {key!r} in the submarine-cables pack" + (
            f"; did you mean: {', '.join(f'{kind}:{c}' for c in close)}?" if close else "")

    def cable_node_supply(self) -> Supply:
        """The ICT map's ``submarine-cable`` node: world cable systems in service by supplier, as country
        shares (suppliers' home countries) with the firms listed."""
        result = analysis.supplier_concentration(self.network)
        firms = tuple(Share(analysis.SUPPLIER_COUNTRY.get(p.name, ""), p.share, firm=p.name) for p in result.shares
                      if p.name in analysis.SUPPLIER_COUNTRY)
        return Supply(
            year=self.manifest.year,
            citation=Citation(source=f"{self.manifest.publisher}; data pack submarine-cables ({self.manifest.licence})",
                              year=self.manifest.year, table="cables.jsonl, suppliers", url=self.manifest.url),
            measure=f"share of submarine cable systems in service by system supplier (count, equal split among "
            f"co-suppliers; {result.cables_named} of {result.cables} cables name a supplier); supplier HHI "
            f"{result.hhi:,.0f}",
            shares=tuple(Share(country, share) for country, share in analysis.supplier_country_shares(result).items()),
            firms=firms,
        )


def map_overlays(settings: Settings) -> Callable[[str], dict[str, Supply]]:
    """Figures the pack adds to the bundled maps: the ICT map's ``submarine-cable`` node gets the supplier
    concentration of the world's cables in service (:meth:`CableService.cable_node_supply`). Without the
    pack, nothing (the node keeps "no figures")."""
    service = CableService(settings)
    supplies: dict[str, Supply] = {}

    def overlays(map_id: str) -> dict[str, Supply]:
        if map_id != "ict" or datapacks.installed(settings, PACK) is None:
            return {}
        if not supplies:
            supplies["submarine-cable"] = service.cable_node_supply()
        return dict(supplies)

    return overlays


def register_checks(settings: Settings) -> dict[str, Any]:
    """The register's checks of project fields against the pack: ``infrastructure_ref`` must name a cable
    or landing station of the installed pack; without the pack only its format is checked."""
    if datapacks.installed(settings, PACK) is None:
        return {}
    service = CableService(settings, include_planned=True)
    return {"infrastructure_ref": service.reference_exists}


def _close(name: str, choices: Any) -> list[str]:
    import difflib

    return difflib.get_close_matches(name, list(choices), n=5, cutoff=0.5)


def _transit(net: CableNetwork, path: Sequence[str], a: str, b: str) -> str:
    if len(path) < 2:
        return ""
    first, second = (set(net.countries_of(net.cables[c])) for c in path[:2])
    return ", ".join(sorted((first & second) - {a, b})) or "(land)"
