"""Monthly bilateral trade series: the bundled China export tabulation and the user's monitoring CSV.

Both are parsed into one *flows* frame with the columns

    period (str, ``YYYY-MM``) · reporter (ISO3) · partner (ISO3) · hs6 (6-char str) ·
    value_usd (float) · quantity_kg (float, NaN when not reported)

The **monitoring CSV** (``setu watch scan FILE``) has a header with ``period`` (``YYYY-MM``), ``reporter``
and ``partner`` (ISO3), ``hs6`` (six digits, or a finer national tariff line of eight or ten digits, e.g.
China's ``8112921010``, which the register's ``national_codes`` name), ``value`` (US dollars) and optionally
``quantity`` (kg). A file with the bundled tabulation's own header (``period_dt,partner_name,hs6,val,qty``)
is read as that tabulation (China's exports), so the bundled file and its extensions pass as they are.
The **bundled tabulation** (``data/watch/china_exports_hs6_monthly.csv``, see its SOURCE.md) names partners
in English; an explicit table maps each to ISO3 and an unknown name is an error, never a guess.

Every rejected row raises :class:`~setu.errors.DataFormatError` with the file, the 1-based line (the header
is line 1) and the field.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from setu.errors import DataFormatError
from setu.sources.watch_files import BUNDLED_SERIES_FILE, bundled_series_path

FLOW_COLUMNS = ["period", "reporter", "partner", "hs6", "value_usd", "quantity_kg"]
BUNDLED_FILE = BUNDLED_SERIES_FILE
BUNDLED_REPORTER = "CHN"

# English names used by the tabulating repository -> ISO 3166-1 alpha-3.
PARTNER_NAMES = {
    "Australia": "AUS", "Austria": "AUT", "Belgium": "BEL", "Brazil": "BRA", "Canada": "CAN",
    "Czech Republic": "CZE", "Egypt": "EGY", "France": "FRA", "Germany": "DEU", "Hong Kong": "HKG",
    "Hungary": "HUN", "India": "IND", "Indonesia": "IDN", "Iran": "IRN", "Italy": "ITA", "Japan": "JPN",
    "Kazakhstan": "KAZ", "Malaysia": "MYS", "Mexico": "MEX", "Mozambique": "MOZ", "Netherlands": "NLD",
    "New Zealand": "NZL", "Philippines": "PHL", "Poland": "POL", "Russia": "RUS", "Singapore": "SGP",
    "Slovakia": "SVK", "South Africa": "ZAF", "South Korea": "KOR", "Spain": "ESP", "Sweden": "SWE",
    "Taiwan": "TWN", "Tanzania": "TZA", "Thailand": "THA", "Turkey": "TUR", "UAE": "ARE",
    "United Kingdom": "GBR", "USA": "USA", "Vietnam": "VNM",
}

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_HS6 = re.compile(r"^\d{6}$")
_CODE = re.compile(r"^(\d{6}|\d{8}|\d{10})$")  # HS six digits, or a national eight- or ten-digit line


def bundled_path() -> Path:
    return bundled_series_path()


def read_bundled() -> pd.DataFrame:
    """China's monthly exports of HS 250410, 380110 and 811292 by partner, 2017-01 … 2024-12."""
    path = bundled_path()
    return parse_bundled(path.read_text(encoding="utf-8"), file=str(path))


def parse_bundled(text: str, *, file: str) -> pd.DataFrame:
    reader = _reader(text, file, required=("period_dt", "partner_name", "hs6", "val", "qty"))
    rows = []
    for line, record in reader:
        period_dt = record["period_dt"].strip()
        if not re.match(r"^\d{4}-\d{2}-01$", period_dt) or not _PERIOD.match(period_dt[:7]):
            raise DataFormatError(f"expected the first day of a month (YYYY-MM-01), got {period_dt!r}",
                                  file=file, line=line, field="period_dt")
        name = record["partner_name"].strip()
        if name not in PARTNER_NAMES:
            raise DataFormatError(f"unknown partner name {name!r}; add it to PARTNER_NAMES with its ISO3 code",
                                  file=file, line=line, field="partner_name")
        quantity = _number(record["qty"], file, line, "qty", allow_empty=True)
        rows.append((
            period_dt[:7], BUNDLED_REPORTER, PARTNER_NAMES[name], _hs6(record["hs6"], file, line, "hs6"),
            _number(record["val"], file, line, "val"),
            quantity if quantity and quantity > 0 else math.nan,
        ))
    return _frame(rows, file)


def read_monitoring_csv(path: Path) -> pd.DataFrame:
    """A user's monthly file: the monitoring format, or the bundled tabulation's columns (see the docstring)."""
    if not path.exists():
        raise DataFormatError("no such file", file=str(path))
    text = path.read_text(encoding="utf-8-sig")
    header = set(next(csv.reader(io.StringIO(text)), []))
    if {"period_dt", "partner_name", "val"} <= header and "period" not in header:
        return parse_bundled(text, file=str(path))
    return parse_monitoring_csv(text, file=str(path))


def parse_monitoring_csv(text: str, *, file: str) -> pd.DataFrame:
    """Parse the monitoring CSV format (see the module docstring)."""
    reader = _reader(text, file, required=("period", "reporter", "partner", "hs6", "value"))
    rows = []
    for line, record in reader:
        period = (record["period"] or "").strip()
        if not _PERIOD.match(period):
            raise DataFormatError(f"expected a month as YYYY-MM, got {period!r}", file=file, line=line, field="period")
        codes = []
        for field in ("reporter", "partner"):
            code = (record[field] or "").strip()
            if not _ISO3.match(code):
                raise DataFormatError(f"expected an ISO3 country code, got {code!r}", file=file, line=line, field=field)
            codes.append(code)
        quantity = _number(record.get("quantity"), file, line, "quantity", allow_empty=True)
        rows.append((
            period, codes[0], codes[1], _code(record["hs6"], file, line, "hs6"),
            _number(record["value"], file, line, "value"),
            quantity if quantity and quantity > 0 else math.nan,
        ))
    return _frame(rows, file)


def _reader(text: str, file: str, *, required: tuple[str, ...]):
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for column in required:
        if column not in header:
            raise DataFormatError(f"missing column {column!r} (header has: {', '.join(header) or 'nothing'})",
                                  file=file, line=1, field=column)
    for record in reader:
        if None in record:
            raise DataFormatError("more cells than header columns", file=file, line=reader.line_num)
        yield reader.line_num, record


def _number(text: str | None, file: str, line: int, field: str, *, allow_empty: bool = False) -> float:
    text = (text or "").strip()
    if not text:
        if allow_empty:
            return math.nan
        raise DataFormatError("empty; expected a number", file=file, line=line, field=field)
    try:
        value = float(text)
    except ValueError:
        raise DataFormatError(f"expected a number, got {text!r}", file=file, line=line, field=field) from None
    if not math.isfinite(value) or value < 0:
        raise DataFormatError(f"expected a finite number >= 0, got {text!r}", file=file, line=line, field=field)
    return value


def _hs6(text: str | None, file: str, line: int, field: str) -> str:
    code = (text or "").strip()
    if not _HS6.match(code):
        raise DataFormatError(f"expected six digits, got {code!r}", file=file, line=line, field=field)
    return code


def _code(text: str | None, file: str, line: int, field: str) -> str:
    code = (text or "").strip()
    if not _CODE.match(code):
        raise DataFormatError(f"expected six digits (or an 8- or 10-digit national line), got {code!r}",
                              file=file, line=line, field=field)
    return code


def _frame(rows: list[tuple], file: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=FLOW_COLUMNS)
    if frame.empty:
        raise DataFormatError("no data rows", file=file, line=2)
    key = ["period", "reporter", "partner", "hs6"]
    duplicated = frame.duplicated(key, keep="first")
    if duplicated.any():
        first = int(duplicated.to_numpy().nonzero()[0][0])
        raise DataFormatError(
            "duplicate period/reporter/partner/hs6: " + "/".join(frame.loc[first, key].astype(str)),
            file=file, line=first + 2,
        )
    return frame.sort_values(key, ignore_index=True)
