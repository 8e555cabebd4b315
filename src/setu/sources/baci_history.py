"""The bundled 2002–2024 BACI "top-6" history: a PARTIAL series, read into an Arrow table, never into the catalog.

``data/baci/bilateral_flows_2002_2024_top6_long.csv.gz`` (CEPII BACI V202601 as flattened by the extract's
author; see data/SOURCES.yaml) holds, for each material and year, only the union of each importer's six largest
suppliers and each exporter's six largest customers: 95–100 % of a material's world value in 2024, by
construction incomplete, with Taiwan and Namibia absent before 2018 and HS 2002 codes before 2017 (the
``hs6`` column is the material's HS 2017 title code in every year: a label, not the customs line). Its totals
are therefore never totals: callers show its values as "listed" flows, with their coverage where a complete
year is at hand (2022 and 2024 in the bundled extract).

Quirks handled here, explicitly: ISO2 codes mapped to ISO3 through CEPII's V202601 country list, with ``TW``
→ ``TWN`` and ``NA`` → ``NAM`` (blank in that list) and ``CS`` → ``SCG`` (Serbia and Montenegro: the series
starts in 2002); the 811292 basket is repeated under gallium, germanium and hafnium and is kept once.
"""

from __future__ import annotations

import csv
import gzip
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from setu.errors import DataFormatError
from setu.reference import tables
from setu.sources.trade_csv import TRADE_SCHEMA

FILE = "bilateral_flows_2002_2024_top6_long.csv.gz"
COLUMNS = ["year", "baci_release", "material", "hs6", "exporter_iso2", "importer_iso2", "value_usd", "qty"]
EXPLICIT_ISO2 = {"TW": "TWN", "NA": "NAM", "CS": "SCG"}
COVERAGE_NOTE = ("partial by construction: each importer's six largest suppliers and each exporter's six largest "
                 "customers per material and year (95-100 % of world value in 2024); Taiwan and Namibia absent "
                 "before 2018; HS 2002 codes before 2017")


def _iso3_by_iso2() -> dict[str, str]:
    found: dict[str, str] = {}
    with open(tables.data_path("baci", "baci_country_codes_V202601.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["country_iso2"]:  # current entities come first in the list: they win
                found.setdefault(row["country_iso2"], row["country_iso3"])
    return {**found, **EXPLICIT_ISO2}


@cache
def read() -> pa.Table:
    """The history as a TRADE_SCHEMA table (``product`` = the material's HS 2017 title code), one row per
    (year, exporter, importer, product)."""
    path = tables.data_path("baci", FILE)
    types = {"year": pa.int16(), "hs6": pa.string(), "exporter_iso2": pa.string(), "importer_iso2": pa.string(),
             "value_usd": pa.float64(), "qty": pa.float64()}
    raw = pa_csv.read_csv(path, convert_options=pa_csv.ConvertOptions(
        column_types=types, include_columns=list(types), strings_can_be_null=False, null_values=[""]))
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    if header != COLUMNS:
        raise DataFormatError(f"header must be {','.join(COLUMNS)}", file=str(path), line=1)
    iso3 = _iso3_by_iso2()
    iso2_codes = pa.array(sorted(iso3))
    iso3_codes = pa.array([iso3[code] for code in sorted(iso3)])
    mapped = {}
    for field in ("exporter_iso2", "importer_iso2"):
        index = pc.index_in(raw.column(field), value_set=iso2_codes)
        if index.null_count:
            line = pc.index(pc.is_null(index), True).as_py()
            code = raw.column(field)[line].as_py()
            raise DataFormatError(f"unknown ISO2 code {code!r}", file=str(path), line=line + 2, field=field)
        mapped[field] = pc.take(iso3_codes, index)
    flows = pa.table({"year": raw.column("year"), "exporter": mapped["exporter_iso2"],
                      "importer": mapped["importer_iso2"], "product": raw.column("hs6"),
                      "value_usd": raw.column("value_usd"), "quantity_tonnes": raw.column("qty")})
    # 811292 is repeated under gallium, germanium and hafnium with the same figures: keep it once
    unique = flows.group_by(["year", "exporter", "importer", "product"], use_threads=False).aggregate(
        [("value_usd", "max"), ("quantity_tonnes", "max")])
    rows = unique.num_rows
    return pa.table({
        "year": unique.column("year"), "month": pa.nulls(rows, pa.int8()), "flow": pa.nulls(rows, pa.string()),
        "exporter": unique.column("exporter"), "importer": unique.column("importer"),
        "product": unique.column("product"), "value_usd": unique.column("value_usd_max"),
        "quantity_tonnes": unique.column("quantity_tonnes_max"),
    }, schema=TRADE_SCHEMA)
