"""The submarine-cables page: what ``setu cables country / stations / suppliers / routes / cut`` print, for a
country and a partner, with the country's cables and landing stations on the map.

The data are the optional ``submarine-cables`` pack (TeleGeography, CC BY-NC-SA 3.0). Without it the document
says so and how to add it (``installed: false``), and the page shows that instead of a 404. Routes on the map
are TeleGeography's schematic drawing, as the page says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from setu.errors import DataPackMissingError
from setu.services import datapacks
from setu.services.cables import PACK, CableService
from setu.settings import Settings
from setu.web import cable_report


def _map(service: CableService, code: str, cut: dict[str, Any] | None) -> dict[str, Any]:
    """The country's cables and landing stations on the world map; with a cut, the cut cables in red."""
    net = service.network
    cut_ids = {c["cable"] for c in cut["cut_cables"]} if cut else set()
    drawn = [{"cable": c.id, "name": c.name, "lines": service.routes_drawn.get(c.id, [])} for c in net.cables_in(code)]
    stations = [{"station": s.id, "name": s.name, "lon": s.longitude, "lat": s.latitude,
                 "lost": bool(cut) and s.id in {x["station"] for x in cut["lost_stations"]}}
                for s in net.stations_in(code) if s.longitude is not None]
    layers = {"context": [d for d in drawn if d["cable"] not in cut_ids], "damaged": [],
              "cut": [d for d in drawn if d["cable"] in cut_ids], "stations": stations}
    provenance = service.provenance()
    figure = cable_report.figure(provenance, layers)
    name = net.country_name(code)
    figure["layout"]["title"]["text"] = (f"Submarine cables landing in {name}" +
                                         (" (cut cables in red)" if cut_ids else ""))
    figure["layout"]["height"] = 480
    for trace in figure["data"]:
        if trace.get("legendgroup") == "context":
            trace["name"] = f"cables of {name}" + (" still in service" if cut_ids else "")
    source = figure["layout"]["meta"]["source"]
    return {**figure, "source": f"{source}; routes are a schematic drawing",
            "provenance": {"edition": f"data as of {provenance['data_as_of']}", "licence": provenance["licence"]},
            "alt": f"World map of the {len(drawn)} submarine cables and {len(stations)} landing stations of {name}."}


def cables_document(settings: Settings, country: str, other: str, cut: Sequence[str] = (),
                    include_planned: bool = False) -> dict[str, Any]:
    """The page's document, or ``installed: false`` with the command that adds the pack."""
    if datapacks.installed(settings, PACK) is None:
        missing = DataPackMissingError(PACK, datapacks.KNOWN_PACKS[PACK])
        return {"page": "cables", "installed": False, "pack": PACK, "message": str(missing),
                "add_command": f"setu data add {PACK}", "state": {"country": country, "other": other}}
    service = CableService(settings, include_planned=include_planned)
    profile = service.country_document(country)
    code, partner = profile["country"], service.country(other)
    scenario = service.cut_document(list(cut), [], [code, partner]) if cut else None
    return {
        "page": "cables", "installed": True, "country": code, "other": partner, "name": profile["name"],
        "profile": profile,
        "stations": service.stations_document(code),
        "suppliers": service.suppliers_document(code, "supplier"),
        "owners": service.suppliers_document(code, "owner"),
        "routes": service.routes_document(code, partner),
        "cut": scenario,
        "cable_choices": sorted((c["name"] for c in profile["cable_list"]), key=str.casefold),
        "figure": _map(service, code, scenario),
        "state": {"country": code, "other": partner, "cut": list(cut), "include_planned": include_planned},
        **service.provenance(),
    }
