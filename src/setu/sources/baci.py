"""CEPII BACI yearly bilateral trade files (``BACI_HS17_Y2022_V202301.csv``, or the zip that holds them).

Format (CEPII, BACI documentation): one row per exporter × importer × HS6 product and year, columns
``t`` (year), ``i`` (exporter, numeric code), ``j`` (importer, numeric code), ``k`` (HS6 product, written
without its leading zero: 10121 for 010121), ``v`` (value, thousands of current US dollars, FOB) and ``q``
(quantity, metric tons; ``NA`` or blank where unknown; values may be left-padded with spaces).
The HS revision, the year and the release ("edition") are read from the file name.

Rows become :data:`~setu.sources.trade_csv.TRADE_SCHEMA` batches: codes resolved to ISO3 with CEPII's own
country table, products padded to six characters and checked against the declared HS revision, values
converted to whole US dollars.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from setu.errors import DataFormatError
from setu.sources import trade_codes
from setu.sources.trade_csv import (
    TRADE_SCHEMA,
    BlockReader,
    InputFile,
    ProgressCallback,
    blank_row,
    decimal_text_to_float,
    dictionary_column,
    first_failure,
    MAX_TONNES,
    MAX_VALUE_USD,
    optional_number_ok,
    shown,
    value_ok,
    read_header,
    whole_dollars,
)

SOURCE = "baci"
DATASET = "CEPII BACI"
COLUMNS = ["t", "i", "j", "k", "v", "q"]
_COLUMN_TYPES = {"t": pa.int32(), "i": pa.int32(), "j": pa.int32(), "k": pa.string(), "v": pa.float64(),
                 "q": pa.string()}
FILE_NAME = re.compile(r"^BACI_(?P<hs>HS\d\d)_Y(?P<year>\d{4})_V(?P<edition>\d{6}[a-z]?)\.csv$", re.IGNORECASE)


@dataclass(frozen=True)
class BaciFile:
    """What a BACI file's name declares."""

    source: InputFile
    hs_revision: str
    year: int
    edition: str


def describe(source: InputFile, *, hs_revision: str | None = None, year: int | None = None,
             edition: str | None = None) -> BaciFile:
    """Read revision, year and edition from the file name; explicit arguments override or stand in."""
    match = FILE_NAME.match(source.name)
    if match is None and (hs_revision is None or year is None):
        raise DataFormatError(
            "file name does not follow BACI's BACI_HS<rev>_Y<year>_V<release>.csv; "
            "give the HS revision and year explicitly", file=source.display_name, field="file name")
    revision = trade_codes.hs_revision(hs_revision or match["hs"])
    return BaciFile(
        source=source,
        hs_revision=revision,
        year=int(year if year is not None else match["year"]),
        edition=edition or (f"V{match['edition']}" if match else "unknown"),
    )


def read(file: BaciFile, on_progress: ProgressCallback | None = None) -> Iterator[pa.RecordBatch]:
    """Validated batches of one BACI file; raises DataFormatError at the first bad line."""
    name = file.source.display_name
    delimiter, header = read_header(file.source)
    if [column.strip() for column in header] != COLUMNS:
        bad = next((i for i, (got, want) in enumerate(zip(header, COLUMNS, strict=False)) if got.strip() != want),
                   min(len(header), len(COLUMNS)))
        raise DataFormatError(f"header must be {','.join(COLUMNS)}, found {','.join(header)}",
                              file=name, line=1, field=header[bad] if bad < len(header) else COLUMNS[bad])
    countries = trade_codes.baci_country_codes()
    codes = pa.array([c.code for c in countries.countries], pa.int32())
    iso3 = sorted({c.iso3 for c in countries.countries})
    iso3_index_of_code = pa.array([iso3.index(c.iso3) for c in countries.countries], pa.int32())
    iso3 = pa.array(iso3, pa.string())
    known_products = trade_codes.hs_codes(file.hs_revision)
    known_array = pa.array(sorted(known_products)) if known_products is not None else None
    flow_keys: list[pa.Array] = []
    reader = BlockReader(file.source, delimiter, _COLUMN_TYPES, header, on_progress)
    for first_line, batch in reader:
        exporter_index = pc.take(iso3_index_of_code, pc.index_in(batch.column("i"), value_set=codes))
        importer_index = pc.take(iso3_index_of_code, pc.index_in(batch.column("j"), value_set=codes))
        products = pc.dictionary_encode(batch.column("k"))
        padded = pc.utf8_lpad(products.dictionary, 6, "0")
        product_ok = pc.and_(pc.utf8_is_digit(products.dictionary),
                             pc.and_(pc.greater_equal(pc.utf8_length(products.dictionary), 5),
                                     pc.less_equal(pc.utf8_length(products.dictionary), 6)))
        if known_array is not None:
            product_ok = pc.and_(product_ok, pc.is_in(padded, value_set=known_array))
        value = batch.column("v")
        quantity_text = batch.column("q")
        checks = {
            "t": pc.equal(batch.column("t"), file.year),
            "i": pc.is_valid(exporter_index),
            "j": pc.is_valid(importer_index),
            "k": pc.take(product_ok, products.indices),
            "v": value_ok(value, 1000.0),  # thousands of US dollars
        }
        failure = first_failure(checks, first_line, COLUMNS)
        try:
            quantity = decimal_text_to_float(quantity_text)
            quantity_failure = None
            in_range = pc.and_(pc.greater_equal(quantity, 0), pc.less_equal(quantity, MAX_TONNES))
            if not pc.all(pc.fill_null(in_range, True)).as_py():
                raise pa.ArrowInvalid("quantity out of range")
        except pa.ArrowInvalid:
            quantity_failure = first_failure({"q": optional_number_ok(quantity_text)}, first_line, ["q"])
        if quantity_failure is not None and (failure is None or quantity_failure[0] < failure[0]):
            failure = quantity_failure
        if failure is not None:
            raise _explain(file, batch, first_line, *failure)
        product_number = pc.take(pc.cast(padded, pa.int64()), products.indices)
        flow_keys.append(_flow_key(exporter_index, importer_index, product_number))
        yield pa.RecordBatch.from_arrays(
            [
                pa.repeat(pa.scalar(file.year, pa.int16()), batch.num_rows),
                pa.nulls(batch.num_rows, pa.int8()),
                pa.nulls(batch.num_rows, pa.string()),
                dictionary_column(exporter_index, iso3),
                dictionary_column(importer_index, iso3),
                dictionary_column(products.indices, padded),
                whole_dollars(value, 1000.0),
                quantity,
            ],
            schema=TRADE_SCHEMA,
        )
    check_unique_flows(file, flow_keys)


def _flow_key(exporter: pa.Array, importer: pa.Array, product: pa.Array) -> pa.Array:
    """One int64 per (exporter, importer, product): (exporter · 512 + importer) · 10⁶ + HS6 number."""
    pair = pc.add(pc.multiply(pc.cast(exporter, pa.int64()), 512), pc.cast(importer, pa.int64()))
    return pc.add(pc.multiply(pair, 1_000_000), product)


def check_unique_flows(file: BaciFile, keys: list[pa.Array]) -> None:
    """BACI holds one row per (exporter, importer, product) and year: a second one is an error, located.

    The guarantee lets the catalog mark the partition as keyed, so that queries need not re-aggregate it.
    Two numeric codes of one ISO3 in a year (e.g. a country and its former customs union) count as one.
    """
    flat = np.concatenate([key.to_numpy(zero_copy_only=False) for key in keys]) if keys else np.empty(0, np.int64)
    ordered = np.sort(flat)  # a sort and one comparison: faster than a hash set on 11 million keys
    if not np.any(ordered[1:] == ordered[:-1]):
        return
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    repeated = ordered[1:] == ordered[:-1]
    second = order[1:][repeated]
    first = order[:-1][repeated]
    position = int(np.argmin(second))
    line, earlier = int(second[position]) + 2, int(first[position]) + 2
    raise DataFormatError(f"a second row for the same exporter, importer and product (first at line {earlier})",
                          file=file.source.display_name, line=line, field="i,j,k")


def _explain(file: BaciFile, batch: pa.RecordBatch, first_line: int, line: int, field: str) -> DataFormatError:
    if blank_row(batch, line - first_line):
        return DataFormatError("blank line", file=file.source.display_name, line=line)
    value = batch.column(field)[line - first_line].as_py()
    name = file.source.display_name
    if field == "t":
        reason = f"year {value} differs from the file's year {file.year}"
    elif field in ("i", "j"):
        reason = f"unknown country code {value} (not in {trade_codes.COUNTRY_TABLE_NAME})"
    elif field == "k":
        reason = _product_reason(str(value), file.hs_revision)
    elif field == "v":
        reason = (f"value must be a finite number ≥ 0 (thousand USD) and at most {MAX_VALUE_USD / 1000:.0e}, "
                  f"found {shown(value)}")
    else:
        reason = f"quantity must be a number from 0 to {MAX_TONNES:.0e} tonnes, 'NA' or blank, found {shown(value)}"
    return DataFormatError(reason, file=name, line=line, field=field)


def _product_reason(code: str, revision: str) -> str:
    text = code.strip()
    if not (text.isdigit() and 5 <= len(text) <= 6):
        return f"not an HS6 product code: {code!r}"
    others = [r for r in trade_codes.which_revisions(text.zfill(6)) if r != revision]
    hint = f" (it is a {', '.join(others)} code: is the file of another HS revision?)" if others else ""
    return f"{text.zfill(6)} is not an {revision} product code{hint}"
