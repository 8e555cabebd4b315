"""World Input-Output Database (WIOD) tables bundled with Setu, read into a pymrio ``IOSystem``.

The bundled file is the WIOD 2013 release World Input-Output Table for 2011 (41 regions x 35
sectors, million USD, current prices) as redistributed with whole-number values (see
``setu/data/io/SOURCE.md``). Reading it:

* checks the file's sha256 against the one recorded here (a changed file is a CatalogError);
* checks the layout (``Z|REGION|cNN``, ``Y|REGION|CATEGORY`` and ``x||output`` columns, a
  (region, sector) row index in the same order as the Z columns) and that every value is a
  finite number, Z and x non-negative; problems raise DataFormatError naming file, row and field;
* checks the row balance ``x = Z 1 + Y 1`` within :data:`TRUNCATION_PER_CELL` million USD per
  cell of the row (the values were cut to whole numbers, which loses less than 1 per cell)
  and :data:`AGGREGATE_IMBALANCE` of total output over the whole table;
* names sectors by their WIOD names (``wiod2013_sectors.csv``) and regions by ISO3 codes
  (WIOD's ``ROM`` is Romania, ``ROU`` in ISO 3166; ``RoW`` is the rest of the world, not a country).

Gross output is the published ``x``, so the coefficients ``A = Z x^-1`` are the table's own.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pymrio

from setu.errors import CatalogError, DataFormatError, ValidationError
from setu.propagate.names import match_name

#: Largest |x - Z1 - Y1| per cell of a row, in million USD: the values were cut to whole numbers.
TRUNCATION_PER_CELL = 1.0
#: Largest sum of |x - Z1 - Y1| over the table, as a share of total gross output.
AGGREGATE_IMBALANCE = 0.002
#: WIOD region codes that differ from ISO 3166-1 alpha-3.
REGION_CODES = {"ROM": "ROU"}
OUTPUT_COLUMN = "x||output"
UNIT = "million USD (current prices)"


@dataclass(frozen=True)
class BundledTable:
    """A table shipped with Setu and what every result computed from it must cite."""

    table_id: str
    file: str
    sha256: str
    release: str
    year: int
    publisher: str
    citation: str
    licence: str
    unit: str = UNIT

    @property
    def title(self) -> str:
        return f"{self.release}, {self.year}"


BUNDLED_TABLES: dict[str, BundledTable] = {
    "wiod-2011": BundledTable(
        table_id="wiod-2011",
        file="wiod2013_wiot_2011_rounded.parquet",
        sha256="5907166e3752980baa33d60973915a220bcc4868956ec28cae40f45419c3adf6",
        release="World Input-Output Database, 2013 release, World Input-Output Table",
        year=2011,
        publisher="WIOD consortium / Groningen Growth and Development Centre, University of Groningen",
        citation=(
            "Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), "
            "An Illustrated User Guide to the World Input-Output Database: the Case of Global "
            "Automotive Production, Review of International Economics 23: 575-605"
        ),
        licence="CC BY 4.0 (as stated for WIOD by wiod.org); values rounded to whole million USD",
    ),
}


def table_info(table_id: str) -> BundledTable:
    """The bundled table called ``table_id`` (case-insensitive), or UnknownNameError."""
    return BUNDLED_TABLES[match_name("table", table_id, list(BUNDLED_TABLES))]


def load_bundled(table_id: str = "wiod-2011") -> pymrio.IOSystem:
    """Read a bundled table after checking its sha256."""
    info = table_info(table_id)
    resource = resources.files("setu.data").joinpath("io", info.file)
    with resources.as_file(resource) as path:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != info.sha256:
            raise CatalogError(f"{info.file}: sha256 {digest} differs from the recorded {info.sha256}")
        return read_wiod2013(path, name=f"{info.title}")


def sector_names() -> dict[str, str]:
    """WIOD 2013 sector codes (``c1`` ... ``c35``) to names."""
    text = resources.files("setu.data").joinpath("io", "wiod2013_sectors.csv").read_text(encoding="utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def read_wiod2013(path: str | Path, *, name: str = "WIOD 2013 release") -> pymrio.IOSystem:
    """Parse and validate a WIOD 2013 WIOT in the bundled Parquet layout into a pymrio IOSystem."""
    path = Path(path)
    file = path.name
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as error:
        raise DataFormatError(f"not a readable Parquet file ({error})", file=file) from error
    z_columns = [c for c in frame.columns if str(c).startswith("Z|")]
    y_columns = [c for c in frame.columns if str(c).startswith("Y|")]
    if OUTPUT_COLUMN not in frame.columns or not z_columns or not y_columns:
        raise DataFormatError("expected Z|REGION|SECTOR, Y|REGION|CATEGORY and x||output columns", file=file)
    if frame.index.nlevels != 2:
        raise DataFormatError("expected a (region, sector) row index", file=file, field="index")
    rows = [tuple(map(str, label)) for label in frame.index]
    z_labels = [tuple(str(c).split("|")[1:3]) for c in z_columns]
    if rows != z_labels:
        first = next((i for i, (a, b) in enumerate(zip(rows, z_labels, strict=False)) if a != b), None)
        where = min(len(rows), len(z_labels)) if first is None else first
        raise DataFormatError(
            f"rows and Z columns must list the same (region, sector) pairs in the same order; "
            f"{len(rows)} rows, {len(z_labels)} Z columns, first difference at position {where + 1}",
            file=file,
            line=where + 1,
            field="Z",
        )
    values = frame[z_columns + y_columns + [OUTPUT_COLUMN]]
    _check_numbers(values, file)
    Z = values[z_columns].to_numpy(dtype=np.float64)
    Y = values[y_columns].to_numpy(dtype=np.float64)
    x = values[OUTPUT_COLUMN].to_numpy(dtype=np.float64)
    _check_sign(Z, z_columns, file, "intermediate flows")
    _check_sign(x[:, np.newaxis], [OUTPUT_COLUMN], file, "gross output")
    _check_balance(Z, Y, x, file)

    names = sector_names()
    unknown = sorted({sector for _, sector in rows} - set(names))
    if unknown:
        raise DataFormatError(f"unknown WIOD sector codes {unknown[:5]}", file=file, field="sector")
    index = pd.MultiIndex.from_tuples(
        [(REGION_CODES.get(region, region), names[sector]) for region, sector in rows], names=["region", "sector"]
    )
    y_index = pd.MultiIndex.from_tuples(
        [(REGION_CODES.get(c.split("|")[1], c.split("|")[1]), c.split("|")[2]) for c in y_columns],
        names=["region", "category"],
    )
    io = pymrio.IOSystem(
        Z=pd.DataFrame(Z, index=index, columns=index),
        Y=pd.DataFrame(Y, index=index, columns=y_index),
        x=pd.DataFrame(x, index=index, columns=["indout"]),
        unit=pd.DataFrame(UNIT, index=index, columns=["unit"]),
        name=name,
    )
    return io


def _check_numbers(values: pd.DataFrame, file: str) -> None:
    array = values.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(array)
    if bad.any():
        row, column = map(int, np.argwhere(bad)[0])
        raise DataFormatError("missing or non-finite value", file=file, line=row + 1, field=str(values.columns[column]))


def _check_sign(array: np.ndarray, columns: list, file: str, what: str) -> None:
    negative = array < 0
    if negative.any():
        row, column = map(int, np.argwhere(negative)[0])
        raise DataFormatError(f"negative {what}", file=file, line=row + 1, field=str(columns[column]))


def _check_balance(Z: np.ndarray, Y: np.ndarray, x: np.ndarray, file: str) -> None:
    gap = np.abs(x - Z.sum(axis=1) - Y.sum(axis=1))
    limit = TRUNCATION_PER_CELL * (Z.shape[1] + Y.shape[1])
    if np.any(gap > limit):
        row = int(np.argmax(gap))
        raise DataFormatError(
            f"row does not balance: |x - Z1 - Y1| = {gap[row]:.1f} exceeds {limit:.0f}",
            file=file,
            line=row + 1,
            field=OUTPUT_COLUMN,
        )
    total = x.sum()
    if total <= 0 or gap.sum() > AGGREGATE_IMBALANCE * total:
        raise ValidationError(
            f"{file}: table does not balance: sum |x - Z1 - Y1| is {gap.sum() / max(total, 1):.3%} of output"
        )
