"""Count API-manufacturing sites by country in FDA's drug establishment registration list.

The bundled file (``data/maps/fda/api_establishments_2025.csv``) holds the rows of FDA's "Drug
Establishments Current Registration Site" list (2025) whose operations include ``API MANUFACTURE``
(2,452 sites), with the FEI number, firm name, the ISO3 code from the end of the address and the
operations. A site count says *that* a plant is registered to make APIs for the U.S. market, not which
API or how much; shares of sites are a proxy for where API capacity is, labelled as such in the maps.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from setu.errors import DataFormatError

API_OPERATION = "API MANUFACTURE"
COLUMNS = ("FEI_NUMBER", "FIRM_NAME", "COUNTRY_ISO3", "OPERATIONS")


@dataclass(frozen=True)
class SiteCounts:
    by_country: dict[str, int]  # ISO3 -> number of API sites
    unattributed: int  # sites whose address carries no ISO3 code
    total: int

    def share(self, country: str) -> float:
        return self.by_country.get(country, 0) / self.total


def bundled_path() -> Path:
    return Path(str(resources.files("setu.data.maps").joinpath("fda/api_establishments_2025.csv")))


def api_site_counts(path: Path | None = None) -> SiteCounts:
    """API-manufacturing sites per country; a row counts when ``API MANUFACTURE`` is one of its operations."""
    path = path or bundled_path()
    counts: Counter[str] = Counter()
    unattributed = 0
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DataFormatError(f"expected columns {', '.join(COLUMNS)}", file=str(path), line=1)
        for row in reader:
            operations = {operation.strip() for operation in row["OPERATIONS"].split(";")}
            if API_OPERATION not in operations:
                continue
            country = row["COUNTRY_ISO3"].strip()
            if country:
                counts[country] += 1
            else:
                unattributed += 1
    return SiteCounts(dict(counts), unattributed, sum(counts.values()) + unattributed)
