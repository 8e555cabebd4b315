"""Read the ``submarine-cables`` data pack (TeleGeography's late-2022 Submarine Cable Map snapshot).

Files: ``cables.jsonl`` (one cable a line), ``landing_points.jsonl`` (one landing point a line) and
``landing-point-geo.json`` (their coordinates). A malformed line raises ``file:line: field 'x': ...``.
Country names are TeleGeography's; they are mapped to ISO3 through Setu's country table, and through
:data:`TELEGEOGRAPHY_NAMES` for the thirteen names that table spells differently or lacks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from setu.cables.model import Cable, CableNetwork, LandingStation
from setu.errors import DataFormatError, UnknownNameError

CABLES_FILE = "cables.jsonl"
STATIONS_FILE = "landing_points.jsonl"
STATION_GEO_FILE = "landing-point-geo.json"
CABLE_GEO_FILE = "cable-geo.json"

#: TeleGeography country names that Setu's country table does not resolve (ISO 3166-1 alpha-3).
TELEGEOGRAPHY_NAMES: dict[str, str] = {
    "Bonaire, Sint Eustatius and Saba": "BES",
    "Brunei": "BRN",
    "Christmas Island": "CXR",
    "Cocos (Keeling) Islands": "CCK",
    "Faroe Islands": "FRO",
    "Guernsey": "GGY",
    "Isle of Man": "IMN",
    "Saint Barthélemy": "BLM",
    "Saint Helena, Ascension and Tristan da Cunha": "SHN",
    "Saint Martin": "MAF",
    "Sint Maarten": "SXM",
    "Virgin Islands (U.K.)": "VGB",
    "Wallis and Futuna": "WLF",
}

# A comma inside an owner's name: "Telstra, Inc." is one owner, not two.
_LEGAL_SUFFIX = re.compile(r"^(Inc|LLC|Ltd|Lda|S\.A|SA|Co|Corp|L\.P|LP|plc|GmbH|AG|N\.V|B\.V|S\.p\.A)\b\.?", re.IGNORECASE)
_LENGTH = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*km\s*$")


def split_owners(text: str | None) -> tuple[str, ...]:
    """Owners from TeleGeography's comma text; legal suffixes rejoin their company; markup stars go."""
    if not text:
        return ()
    owners: list[str] = []
    for token in (t.strip() for t in text.split(",")):
        if not token:
            continue
        if owners and _LEGAL_SUFFIX.match(token):
            owners[-1] = f"{owners[-1]}, {token}"
        else:
            owners.append(token.replace("*", "").strip())
    return tuple(dict.fromkeys(owners))


def split_suppliers(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def parse_length_km(text: str | None) -> float | None:
    """``"45,000 km"`` -> 45000.0; anything else (missing, "n.a.") -> None."""
    match = _LENGTH.match(text or "")
    return float(match.group(1).replace(",", "")) if match else None


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataFormatError(f"not JSON: {error.msg}", file=path.name, line=number) from None
            if not isinstance(value, dict):
                raise DataFormatError("expected one JSON object per line", file=path.name, line=number)
            yield number, value


def _text(record: dict[str, Any], key: str, file: str, line: int) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFormatError("missing or not text", file=file, line=line, field=key)
    return value.strip()


def _coordinates(folder: Path) -> dict[str, tuple[float, float]]:
    path = folder / STATION_GEO_FILE
    if not path.exists():
        return {}
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        return {f["properties"]["id"]: (float(f["geometry"]["coordinates"][0]), float(f["geometry"]["coordinates"][1]))
                for f in features}
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise DataFormatError(f"not a GeoJSON FeatureCollection of points ({error})", file=path.name) from None


def read_network(folder: Path, resolve_country: Callable[[str], str]) -> CableNetwork:
    """The whole network from a data-pack folder. ``resolve_country`` maps a country name to ISO3 (Setu's
    country registry); TeleGeography names it lacks are taken from :data:`TELEGEOGRAPHY_NAMES`."""
    names: dict[str, str] = {}

    def iso3(name: str, file: str, line: int, field: str) -> str:
        if name in TELEGEOGRAPHY_NAMES:
            code = TELEGEOGRAPHY_NAMES[name]
        else:
            try:
                code = resolve_country(name)
            except UnknownNameError as error:
                raise DataFormatError(str(error), file=file, line=line, field=field) from None
        names.setdefault(code, name)
        return code

    where = dict(_coordinates(folder))
    stations: dict[str, LandingStation] = {}
    for line, record in _lines(folder / STATIONS_FILE):
        station_id = _text(record, "id", STATIONS_FILE, line)
        lon, lat = where.get(station_id, (None, None))
        stations[station_id] = LandingStation(
            id=station_id, name=_text(record, "name", STATIONS_FILE, line),
            country=iso3(_text(record, "country", STATIONS_FILE, line), STATIONS_FILE, line, "country"),
            longitude=lon, latitude=lat,
        )
    cables: dict[str, Cable] = {}
    for line, record in _lines(folder / CABLES_FILE):
        cable_id = _text(record, "id", CABLES_FILE, line)
        points = record.get("landing_points")
        if not isinstance(points, list):
            raise DataFormatError("expected a list", file=CABLES_FILE, line=line, field="landing_points")
        ids: list[str] = []
        for point in points:
            if not isinstance(point, dict) or not isinstance(point.get("id"), str):
                raise DataFormatError("each landing point needs an id", file=CABLES_FILE, line=line,
                                      field="landing_points")
            if point["id"] not in stations:  # a landing point with no file of its own: keep it
                lon, lat = where.get(point["id"], (None, None))
                stations[point["id"]] = LandingStation(
                    id=point["id"], name=str(point.get("name") or point["id"]),
                    country=iso3(str(point.get("country") or ""), CABLES_FILE, line, "landing_points.country"),
                    longitude=lon, latitude=lat,
                )
            ids.append(point["id"])
        rfs_year = record.get("rfs_year")
        if rfs_year is not None and not isinstance(rfs_year, int):
            raise DataFormatError("expected a whole year", file=CABLES_FILE, line=line, field="rfs_year")
        cables[cable_id] = Cable(
            id=cable_id,
            name=_text(record, "name", CABLES_FILE, line),
            stations=tuple(dict.fromkeys(ids)),
            suppliers=split_suppliers(record.get("suppliers")),
            owners=split_owners(record.get("owners")),
            rfs_year=rfs_year,
            planned=bool(record.get("is_planned")),
            length_km=parse_length_km(record.get("length")),
            url=record.get("url") or None,
        )
    if not cables:
        raise DataFormatError("no cables", file=CABLES_FILE)
    return CableNetwork(cables=cables, stations=stations, country_names=names,
                        source="TeleGeography, Submarine Cable Map (late-2022 snapshot, CC BY-NC-SA 3.0)",
                        year=2022)


def read_cable_routes(folder: Path) -> dict[str, list[list[tuple[float, float]]]]:
    """Cable routes by cable id: a list of lines, each a list of (longitude, latitude). The routes are
    TeleGeography's schematic drawing, not surveyed positions."""
    path = folder / CABLE_GEO_FILE
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        routes: dict[str, list[list[tuple[float, float]]]] = {}
        for feature in features:
            geometry = feature["geometry"]
            lines = geometry["coordinates"] if geometry["type"] == "MultiLineString" else [geometry["coordinates"]]
            routes.setdefault(feature["properties"]["id"], []).extend(
                [[(float(x), float(y)) for x, y, *_ in line] for line in lines])
        return routes
    except (ValueError, KeyError, TypeError) as error:
        raise DataFormatError(f"not a GeoJSON FeatureCollection of lines ({error})", file=path.name) from None
