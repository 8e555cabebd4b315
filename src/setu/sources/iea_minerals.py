"""Read the IEA Critical Minerals Data Explorer: mining and refining volume by country.

The bundled file (``data/iea/iea_critical_minerals_data_explorer.json``; see data/SOURCES.yaml) is the
IEA's workbook converted to JSON. Its ``supply`` section gives, for copper, cobalt, lithium, nickel,
graphite and rare-earth elements, each stage (``mining``, ``refining``) as the leading countries, a
``Rest of world`` row and the world ``total`` (kt), for 2024 (observed) and 2030/2035/2040 (the IEA's
base-case projections).

Share of a country = its volume / the stated world total (the publisher's denominator). Two quirks are
handled here, once:

- ``Rest of world`` is the IEA's residual, world total minus the leading countries. In three tables
  (nickel mining and refining, graphite mining) one extra country is listed that the residual still
  contains, so the listed rows add up to more than the total; shares are therefore taken against the
  total, never against the sum of rows, and the unattributed part is recomputed as 1 - sum of country
  shares (``residual``).
- Cells the converter picked up from the sheet's footnotes appear as rows with no values at all; they
  are skipped. Any other name must be in the explicit name table below, or the file is rejected.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from setu.errors import DataFormatError, UnknownNameError
from setu.reference.tables import data_path

FILE = ("iea", "iea_critical_minerals_data_explorer.json")
EDITION = "IEA Critical Minerals Data Explorer, base year 2024"
CITATION = (
    "IEA (2025), Critical Minerals Data Explorer (base year 2024, labelled 'IEA Critical Minerals Data "
    "Explorer (2024)'), CC BY 4.0"
)
CITATION_YEAR = 2025
URL = "https://www.iea.org/data-and-statistics/data-tools/critical-minerals-data-explorer"
OBSERVED_YEAR = 2024  # later years in the file are projections, not observations

MINERALS = {  # Setu material slug -> the IEA's sheet name
    "copper": "Copper",
    "cobalt": "Cobalt",
    "lithium": "Lithium",
    "nickel": "Nickel",
    "graphite": "Graphite",
    "rare-earths": "Rare Earth Elements",
}
STAGES = ("mining", "refining")
REST_OF_WORLD = "Rest of world"

# The IEA's country names -> ISO3. Explicit, so that a new name fails loudly instead of being guessed.
COUNTRY_CODES = {
    "Argentina": "ARG",
    "Australia": "AUS",
    "Brazil": "BRA",
    "Canada": "CAN",
    "Chile": "CHL",
    "China": "CHN",
    "Democratic Republic of Congo": "COD",
    "Finland": "FIN",
    "Germany": "DEU",
    "India": "IND",
    "Indonesia": "IDN",
    "Japan": "JPN",
    "Madagascar": "MDG",
    "Malaysia": "MYS",
    "Mozambique": "MOZ",
    "Myanmar": "MMR",
    "New Caledonia": "NCL",
    "Peru": "PER",
    "Philippines": "PHL",
    "Russia": "RUS",
    "Sweden": "SWE",
    "Tanzania": "TZA",
    "United States": "USA",
    "Zimbabwe": "ZWE",
}


@dataclass(frozen=True)
class CountryVolume:
    country: str  # ISO3
    volume_kt: float
    share: float  # of the IEA's world total


@dataclass(frozen=True)
class StageSupply:
    """One mineral, one stage, one year of the IEA table."""

    material: str  # Setu slug
    stage: str  # mining | refining
    year: int
    total_kt: float
    countries: tuple[CountryVolume, ...]  # largest first, zero volumes left out

    @property
    def residual(self) -> float:
        """The world share not attributed to a listed country (the IEA's 'Rest of world', recomputed)."""
        return max(0.0, 1.0 - sum(c.share for c in self.countries))

    @property
    def projection(self) -> bool:
        return self.year > OBSERVED_YEAR


def default_path() -> Path:
    return data_path(*FILE)


@lru_cache(maxsize=4)
def load_supply(path: Path | None = None) -> dict[tuple[str, str, int], StageSupply]:
    """Every (material, stage, year) table of the file. Raises DataFormatError naming the file and the field."""
    path = path or default_path()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataFormatError(f"cannot read the IEA file: {error}", file=str(path)) from error
    supply = document.get("supply") if isinstance(document, dict) else None
    if not isinstance(supply, dict):
        raise DataFormatError("no 'supply' section", file=str(path), field="supply")
    tables: dict[tuple[str, str, int], StageSupply] = {}
    for material, sheet in MINERALS.items():
        for stage in STAGES:
            where = f"supply.{sheet}.{stage}"
            section = supply.get(sheet, {}).get(stage)
            if not isinstance(section, dict) or not isinstance(section.get("total"), dict):
                raise DataFormatError("missing table", file=str(path), field=where)
            for year_text, total in section["total"].items():
                tables[(material, stage, int(year_text))] = _table(
                    material, stage, int(year_text), total, section.get("countries", {}), str(path), where
                )
    return tables


def _table(
    material: str, stage: str, year: int, total: object, rows: dict, file: str, where: str
) -> StageSupply:
    if not isinstance(total, (int, float)) or total <= 0:
        raise DataFormatError(f"world total for {year} is {total!r}, not a positive number", file=file, field=where)
    countries = []
    for name, values in rows.items():
        if name == REST_OF_WORLD or not isinstance(values, dict) or all(v is None for v in values.values()):
            continue  # the residual, or a footnote the converter read as a row
        if name not in COUNTRY_CODES:
            close = difflib.get_close_matches(name, sorted(COUNTRY_CODES), n=3)
            raise DataFormatError(
                f"country name {name!r} is not in the IEA name table"
                + (f" (closest: {', '.join(close)})" if close else "")
                + "; add it to COUNTRY_CODES with its ISO3 code",
                file=file,
                field=f"{where}.countries",
            )
        volume = values.get(str(year))
        if volume is None or volume == 0:
            continue
        if not isinstance(volume, (int, float)) or volume < 0:
            raise DataFormatError(f"{name} {year} is {volume!r}, not a volume", file=file, field=f"{where}.countries")
        countries.append(CountryVolume(COUNTRY_CODES[name], float(volume), float(volume) / float(total)))
    countries.sort(key=lambda c: (-c.volume_kt, c.country))
    return StageSupply(material, stage, year, float(total), tuple(countries))


def stage_supply(material: str, stage: str, year: int, path: Path | None = None) -> StageSupply:
    """The table of one material, stage and year; unknown names raise UnknownNameError with close matches."""
    tables = load_supply(path)
    if material not in MINERALS:
        raise UnknownNameError("IEA mineral", material, difflib.get_close_matches(material, sorted(MINERALS), n=3))
    if stage not in STAGES:
        raise UnknownNameError("IEA stage", stage, difflib.get_close_matches(stage, STAGES, n=2))
    if (material, stage, year) not in tables:
        years = sorted({y for (m, s, y) in tables if (m, s) == (material, stage)})
        raise UnknownNameError("IEA year", str(year), [str(y) for y in years])
    return tables[(material, stage, year)]
