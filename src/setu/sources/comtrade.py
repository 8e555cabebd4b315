"""UN Comtrade bulk files (Comtrade+ CSV or tab-separated, annual or monthly; or the zip holding them).

Columns are Comtrade's own (UN Comtrade+ data items): ``period`` (2023 or 202301), ``reporterCode`` and
``partnerCode`` (Comtrade numeric area codes), ``flowCode`` (M import, X export, RM/RX re-imports/exports,
…), ``cmdCode`` (HS code at any level), ``primaryValue`` (US dollars: CIF for imports, FOB for exports),
``netWgt`` (kg), and, when present, ``classificationCode`` (H5 = HS 2017, H6 = HS 2022), ``partner2Code``,
``customsCode``, ``motCode`` and ``mosCode`` (breakdowns; their totals are 0 / C00 / 0 / 0).

Kept: six-digit products, flows M and X, partner ≠ World, and the totals of every breakdown — so that no
flow is counted twice. Every other row is skipped and counted by reason in the catalog's manifest.
Importer and exporter follow from the reporter, the partner and the flow (M: reporter imports from partner).
Country codes are resolved with CEPII's table, whose numeric codes are Comtrade's; the few Comtrade
codes that name no country (World, areas n.e.s., bunkers, free zones, special categories) are skipped.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from setu.errors import DataFormatError, UnknownNameError
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
    optional_number_ok,
    read_header,
    whole_dollars,
)

SOURCE = "comtrade"
DATASET = "UN Comtrade"
REQUIRED = ["period", "reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue"]
OPTIONAL = ["classificationCode", "partner2Code", "customsCode", "motCode", "mosCode", "netWgt"]
#: Comtrade partner codes that are not countries: World, areas n.e.s., bunkers, free zones, special categories.
NOT_COUNTRIES = {0: "World", 899: "Areas, nes", 837: "Bunkers", 838: "Free zones", 839: "Special categories"}
_TOTALS = {"partner2Code": "0", "customsCode": "C00", "motCode": "0", "mosCode": "0"}
_TYPES = {"reporterCode": pa.int32(), "partnerCode": pa.int32(), "primaryValue": pa.float64()}


@dataclass(frozen=True)
class ComtradeFile:
    source: InputFile
    hs_revision: str
    edition: str
    delimiter: str
    header: list[str]


def describe(source: InputFile, *, hs_revision: str | None = None, edition: str | None = None) -> ComtradeFile:
    """Check the header and settle the HS revision (given, or from the first row's classificationCode)."""
    delimiter, header = read_header(source)
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise DataFormatError(f"missing Comtrade column(s) {', '.join(missing)}; found {', '.join(header)}",
                              file=source.display_name, line=1, field=missing[0])
    if hs_revision is None:
        if "classificationCode" not in header:
            raise DataFormatError("no classificationCode column: give the HS revision explicitly",
                                  file=source.display_name, line=1, field="classificationCode")
        with source.open() as handle:
            handle.readline()
            first = handle.readline().decode("utf-8", errors="replace").rstrip("\r\n")
        values = next(csv.reader([first], delimiter=delimiter), [])
        index = header.index("classificationCode")
        hs_revision = values[index] if index < len(values) else ""
        try:
            trade_codes.hs_revision(hs_revision)
        except UnknownNameError:
            raise DataFormatError(f"classification {hs_revision!r} is not an HS revision",
                                  file=source.display_name, line=2, field="classificationCode") from None
    return ComtradeFile(source, trade_codes.hs_revision(hs_revision), edition or source.name.rsplit(".", 1)[0],
                        delimiter, header)


def read(file: ComtradeFile, skipped: dict[str, int],
         on_progress: ProgressCallback | None = None) -> Iterator[pa.RecordBatch]:
    """Validated batches of one Comtrade file; counts skipped rows by reason into ``skipped``."""
    present = [c for c in REQUIRED + OPTIONAL if c in file.header]
    types = {c: _TYPES.get(c, pa.string()) for c in present}
    countries = trade_codes.baci_country_codes()
    codes = pa.array([c.code for c in countries.countries], pa.int32())
    iso3 = pa.array([c.iso3 for c in countries.countries], pa.string())
    aggregates = pa.array(sorted(NOT_COUNTRIES), pa.int32())
    known = trade_codes.hs_codes(file.hs_revision)
    known_array = pa.array(sorted(known)) if known is not None else None
    accepted_classes = pa.array(list(trade_codes.HS_REVISIONS[file.hs_revision]))
    order = [c for c in file.header if c in present]
    for first_line, batch in BlockReader(file.source, file.delimiter, types, file.header, on_progress):
        period = pc.utf8_trim_whitespace(batch.column("period"))
        flow = pc.utf8_trim_whitespace(batch.column("flowCode"))
        command = pc.utf8_trim_whitespace(batch.column("cmdCode"))
        reporter_index = pc.index_in(batch.column("reporterCode"), value_set=codes)
        partner_index = pc.index_in(batch.column("partnerCode"), value_set=codes)
        partner_aggregate = pc.is_in(batch.column("partnerCode"), value_set=aggregates)
        is_six = pc.and_(pc.utf8_is_digit(command), pc.equal(pc.utf8_length(command), 6))
        value = batch.column("primaryValue")
        period_length = pc.utf8_length(period)
        checks = {
            "period": pc.and_(pc.utf8_is_digit(period),
                              pc.or_(pc.equal(period_length, 4), pc.equal(period_length, 6))),
            "reporterCode": pc.is_valid(reporter_index),
            "partnerCode": pc.or_(pc.is_valid(partner_index), partner_aggregate),
            "cmdCode": pc.or_(pc.invert(is_six), pc.is_in(command, value_set=known_array))
            if known_array is not None else pc.is_valid(command),
            "primaryValue": pc.and_(pc.is_finite(value), pc.greater_equal(value, 0)),
        }
        if "classificationCode" in present:
            checks["classificationCode"] = pc.is_in(pc.utf8_trim_whitespace(batch.column("classificationCode")),
                                                    value_set=accepted_classes)
        if "netWgt" in present:
            checks["netWgt"] = optional_number_ok(batch.column("netWgt"))
        failure = first_failure(checks, first_line, order)
        if failure is None:
            month_text = pc.utf8_slice_codeunits(period, 4, 6)
            months = pc.cast(pc.if_else(pc.equal(month_text, ""), pa.scalar(None, pa.string()), month_text), pa.int8())
            failure = first_failure({"period": pc.fill_null(pc.and_(pc.greater_equal(months, 1),
                                                                     pc.less_equal(months, 12)), True)},
                                    first_line, ["period"])
        if failure is not None:
            raise _explain(file, batch, first_line, *failure)
        keep = _count_and_keep(batch, present, flow, is_six, partner_aggregate, skipped)
        batch = batch.filter(keep)
        if batch.num_rows == 0:
            continue
        period, flow = period.filter(keep), flow.filter(keep)
        command = command.filter(keep)
        reporter = dictionary_column(reporter_index.filter(keep), iso3)
        partner = dictionary_column(partner_index.filter(keep), iso3)
        imports = pc.equal(flow, "M")
        weight = (pc.divide(decimal_text_to_float(batch.column("netWgt")), 1000.0) if "netWgt" in present
                  else pa.nulls(batch.num_rows, pa.float64()))
        months = pc.utf8_slice_codeunits(period, 4, 6)
        yield pa.RecordBatch.from_arrays(
            [
                pc.cast(pc.utf8_slice_codeunits(period, 0, 4), pa.int16()),
                pc.cast(pc.if_else(pc.equal(months, ""), pa.scalar(None, pa.string()), months), pa.int8()),
                flow,
                pc.if_else(imports, partner, reporter),
                pc.if_else(imports, reporter, partner),
                command,
                whole_dollars(batch.column("primaryValue")),
                weight,
            ],
            schema=TRADE_SCHEMA,
        )


def _count_and_keep(batch, present, flow, is_six, partner_aggregate, skipped) -> pa.Array:
    reasons = [
        ("not a six-digit product", pc.invert(is_six)),
        ("flow other than M or X", pc.invert(pc.is_in(flow, value_set=pa.array(["M", "X"])))),
        ("partner is not a country", partner_aggregate),
    ]
    for column, total in _TOTALS.items():
        if column in present:
            reasons.append((f"{column} breakdown", pc.not_equal(pc.utf8_trim_whitespace(batch.column(column)), total)))
    keep = pa.array([True] * batch.num_rows)
    for reason, dropped in reasons:
        dropped = pc.and_(keep, dropped)
        count = pc.sum(pc.cast(dropped, pa.int64())).as_py() or 0
        if count:
            skipped[reason] = skipped.get(reason, 0) + count
        keep = pc.and_(keep, pc.invert(dropped))
    return keep


def _explain(file: ComtradeFile, batch: pa.RecordBatch, first_line: int, line: int, field: str) -> DataFormatError:
    if blank_row(batch, line - first_line):
        return DataFormatError("blank line", file=file.source.display_name, line=line)
    value = batch.column(field)[line - first_line].as_py()
    if field in ("reporterCode", "partnerCode"):
        reason = f"unknown country code {value} (not in {trade_codes.COUNTRY_TABLE_NAME}, Comtrade's numeric codes)"
    elif field == "cmdCode":
        others = [r for r in trade_codes.which_revisions(str(value).strip()) if r != file.hs_revision]
        hint = f" (it is a {', '.join(others)} code: is the file of another HS revision?)" if others else ""
        reason = f"{value} is not an {file.hs_revision} product code{hint}"
    elif field == "classificationCode":
        reason = f"classification {value!r} differs from the declared {file.hs_revision}"
    elif field == "period":
        reason = f"period must be YYYY or YYYYMM, found {value!r}"
    elif field == "primaryValue":
        reason = f"value must be a finite number ≥ 0, found {value!r}"
    else:
        reason = f"net weight must be a number ≥ 0 or blank, found {value!r}"
    return DataFormatError(reason, file=file.source.display_name, line=line, field=field)
