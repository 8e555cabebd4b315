"""UN Comtrade bulk files (Comtrade+ CSV or tab-separated, annual or monthly; or the zip holding them).

Columns are Comtrade's own (UN Comtrade+ data items): ``period`` (2023 or 202301), ``reporterCode`` and
``partnerCode`` (Comtrade numeric area codes), ``flowCode`` (M import, X export, RM/RX re-imports/exports,
…), ``cmdCode`` (HS code at any level), ``primaryValue`` (US dollars: CIF for imports, FOB for exports),
``netWgt`` (kg), and, when present, ``classificationCode`` (H5 = HS 2017, H6 = HS 2022), ``partner2Code``,
``customsCode``, ``motCode`` and ``mosCode`` (breakdowns; their totals are 0 / C00 / 0 / 0).

Both spellings of the header are read: the camelCase of the API and bulk files (``reporterCode``) and the
PascalCase of the web download (``ReporterCode``); errors name the column as the file spells it. Files
as users download them mix HS revisions across years and reporters (H5 to 2021, H6 from 2022; DR Congo
in H4): each reporter's period must hold one revision, and the rows of each revision become their own
catalog partitions. ``refMonth`` 52 means
annual and must agree with ``period`` (as must ``refYear``).

Kept: six-digit products, flows M and X, partner ≠ World, and the totals of every breakdown — so that no
flow is counted twice. Partner 0 (World) is never a supplier: its rows are the reporter's totals.
A net weight of 0 kg on a flow with a value means "not reported" (Comtrade's quantity unit -1) and is
read as unknown, not as zero tonnes. Every other row is skipped and counted by reason in the catalog's manifest.
Importer and exporter follow from the reporter, the partner and the flow (M: reporter imports from partner).
Country codes are resolved with CEPII's table, whose numeric codes are Comtrade's; the few Comtrade
codes that name no country (World, areas n.e.s., bunkers, free zones, special categories) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
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
    MAX_TONNES,
    MAX_VALUE_USD,
    optional_number_ok,
    shown,
    value_ok,
    read_header,
    whole_dollars,
)

SOURCE = "comtrade"
DATASET = "UN Comtrade"
REQUIRED = ["period", "reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue"]
OPTIONAL = ["classificationCode", "partner2Code", "customsCode", "motCode", "mosCode", "netWgt", "refYear", "refMonth"]
#: Comtrade's column names by their lower-case spelling: the web download writes them in PascalCase.
_CANONICAL = {name.lower(): name for name in REQUIRED + OPTIONAL}
ANNUAL_MONTH = 52  # refMonth of annual data
#: Comtrade partner codes that are not countries: World, areas n.e.s., bunkers, free zones, special categories.
NOT_COUNTRIES = {0: "World", 899: "Areas, nes", 837: "Bunkers", 838: "Free zones", 839: "Special categories"}
_TOTALS = {"partner2Code": "0", "customsCode": "C00", "motCode": "0", "mosCode": "0"}
_TYPES = {"reporterCode": pa.int32(), "partnerCode": pa.int32(), "primaryValue": pa.float64()}


@dataclass(frozen=True)
class ComtradeFile:
    source: InputFile
    edition: str
    delimiter: str
    header: list[str]  # as the file spells it
    columns: dict[str, str]  # Comtrade's name (camelCase) -> the file's spelling
    periods: dict[str, str]  # "period|reporterCode" -> its HS revision; "" -> the declared one (no codes)

    @property
    def revisions(self) -> tuple[str, ...]:
        """The HS revisions in the file, oldest first: each becomes its own catalog partitions."""
        return tuple(sorted(set(self.periods.values())))

    def spelling(self, column: str) -> str:
        return self.columns.get(column, column)


def describe(source: InputFile, *, hs_revision: str | None = None, edition: str | None = None) -> ComtradeFile:
    """Check the header and settle the HS revision of every reporter's period (given, or from
    classificationCode)."""
    delimiter, header = read_header(source)
    columns = {_CANONICAL[name.strip().lower()]: name for name in header if name.strip().lower() in _CANONICAL}
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise DataFormatError(f"missing Comtrade column(s) {', '.join(missing)}; found {', '.join(header)}",
                              file=source.display_name, line=1, field=missing[0])
    declared = trade_codes.hs_revision(hs_revision) if hs_revision is not None else None
    if "classificationCode" not in columns:
        if declared is None:
            raise DataFormatError("no classificationCode column: give the HS revision explicitly",
                                  file=source.display_name, line=1, field="classificationCode")
        periods = {"": declared}
    else:
        periods = _revisions_by_period(source, delimiter, header, columns, declared)
    return ComtradeFile(source, edition or source.name.rsplit(".", 1)[0], delimiter, header, columns, periods)


def _revisions_by_period(source: InputFile, delimiter: str, header: list[str], columns: dict[str, str],
                         declared: str | None) -> dict[str, str]:
    """One pass over ``period``, ``reporterCode`` and ``classificationCode``: the HS revision of each
    reporter's period. A reporter's period whose rows name two revisions, a code that is no HS revision, or
    a row that differs from ``declared`` is rejected at its line."""
    period_name, class_name = columns["period"], columns["classificationCode"]
    types = {period_name: pa.string(), columns["reporterCode"]: pa.string(), class_name: pa.string()}
    found: dict[str, tuple[str, int]] = {}
    for first_line, batch in BlockReader(source, delimiter, types, header):
        period = _row_keys(batch.column(period_name), batch.column(columns["reporterCode"]))
        code = pc.utf8_trim_whitespace(batch.column(class_name))
        pairs = pa.table({"p": period, "c": code}).group_by(["p", "c"]).aggregate([]).to_pylist()
        located = []
        for pair in pairs:
            rows = pc.and_(pc.equal(period, pair["p"]), pc.equal(code, pair["c"]))
            located.append((first_line + pc.index(rows, True).as_py(), pair["p"], pair["c"]))
        for line, period_text, class_text in sorted(located):
            try:
                revision = trade_codes.hs_revision(class_text)
            except UnknownNameError:
                raise DataFormatError(f"classification {class_text!r} is not an HS revision (H0-H6)",
                                      file=source.display_name, line=line, field=class_name) from None
            expected = declared or found.get(period_text, (revision, line))[0]
            if revision != expected:
                when, reporter = period_text.split("|")
                where = (f"the declared {expected}" if declared else
                         f"the declared {expected} of reporter {reporter}'s other rows of period {when} "
                         f"(line {found[period_text][1]}); a reporter's period holds one HS revision")
                raise DataFormatError(f"classification {class_text!r} differs from {where}",
                                      file=source.display_name, line=line, field=class_name)
            found.setdefault(period_text, (revision, line))
    return {period: revision for period, (revision, _line) in found.items()}


def _row_keys(period: pa.Array, reporter: pa.Array) -> pa.Array:
    """"period|reporterCode" of each row: the unit that holds one HS revision."""
    as_text = pc.utf8_trim_whitespace(pc.cast(reporter, pa.string()))
    return pc.binary_join_element_wise(pc.utf8_trim_whitespace(period), as_text, "|")


def read(file: ComtradeFile, skipped: dict[str, int], on_progress: ProgressCallback | None = None,
         hs_revision: str | None = None) -> Iterator[pa.RecordBatch]:
    """Validated batches of the rows of one HS revision (default: the file's first) of a Comtrade file;
    counts skipped rows by reason into ``skipped``. Every row is validated, whatever its revision."""
    revision = hs_revision or file.revisions[0]
    present = [c for c in REQUIRED + OPTIONAL if c in file.columns]
    types = {file.spelling(c): _TYPES.get(c, pa.string()) for c in present}
    canonical = {file.spelling(c): c for c in present}
    countries = trade_codes.baci_country_codes()
    codes = pa.array([c.code for c in countries.countries], pa.int32())
    iso3 = pa.array([c.iso3 for c in countries.countries], pa.string())
    aggregates = pa.array(sorted(NOT_COUNTRIES), pa.int32())
    periods_of = {r: pa.array([p for p, pr in file.periods.items() if pr == r], pa.string()) for r in file.revisions}
    order = [canonical[name] for name in file.header if name in canonical]
    keys: list[np.ndarray] = []  # one int64 per kept row: (period, flow, reporter, partner, product)
    lines: list[np.ndarray] = []
    for first_line, batch in BlockReader(file.source, file.delimiter, types, file.header, on_progress):
        batch = pa.RecordBatch.from_arrays(batch.columns, names=[canonical[n] for n in batch.schema.names])
        period = pc.utf8_trim_whitespace(batch.column("period"))
        row_key = _row_keys(period, batch.column("reporterCode"))
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
            "cmdCode": pc.or_(pc.invert(is_six), _known_product(command, row_key, periods_of)),
            "primaryValue": value_ok(value),
        }
        if "netWgt" in present:
            checks["netWgt"] = optional_number_ok(batch.column("netWgt"), 0.001)  # kg
        failure = first_failure(checks, first_line, order)
        if failure is None:  # the period first: refMonth and refYear are checked against a valid period
            period_checks = _period_checks(batch, period, present)
            failure = (first_failure({"period": period_checks.pop("period")}, first_line, order)
                       or first_failure(period_checks, first_line, order))
        if failure is not None:
            raise _explain(file, batch, first_line, *failure)
        mine = (pc.is_in(row_key, value_set=periods_of[revision]) if len(file.revisions) > 1
                else pa.array([True] * batch.num_rows))
        keep = _count_and_keep(batch, present, flow, is_six, partner_aggregate, skipped, mine)
        batch = batch.filter(keep)
        if batch.num_rows == 0:
            continue
        period, flow = period.filter(keep), flow.filter(keep)
        command = command.filter(keep)
        keys.append(_flow_keys(period, flow, reporter_index.filter(keep), partner_index.filter(keep), command))
        lines.append(first_line + pc.indices_nonzero(keep).to_numpy())
        reporter = dictionary_column(reporter_index.filter(keep), iso3)
        partner = dictionary_column(partner_index.filter(keep), iso3)
        imports = pc.equal(flow, "M")
        weight = (_tonnes(batch.column("netWgt"), batch.column("primaryValue")) if "netWgt" in present
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
    check_unique_flows(file, keys, lines)


def _flow_keys(period: pa.Array, flow: pa.Array, reporter: pa.Array, partner: pa.Array,
               command: pa.Array) -> np.ndarray:
    """One int64 per row: ((period · 2 + flow) · 512 + reporter) · 512 + partner) · 10⁶ + HS6 number, with
    the period as YYYYMM (YYYY00 for a year) and indices into the country table (under 512)."""
    yyyymm = pc.cast(pc.utf8_rpad(period, 6, "0"), pa.int64()).to_numpy()
    exports = pc.equal(flow, "X").to_numpy(zero_copy_only=False).astype(np.int64)
    reporter_index = pc.cast(reporter, pa.int64()).to_numpy()
    partner_index = pc.cast(partner, pa.int64()).to_numpy()
    product = pc.cast(command, pa.int64()).to_numpy()
    return (((yyyymm * 2 + exports) * 512 + reporter_index) * 512 + partner_index) * 1_000_000 + product


def check_unique_flows(file: ComtradeFile, keys: list[np.ndarray], lines: list[np.ndarray]) -> None:
    """A reporter gives one total row per period, flow, partner and product: a second one (which an import
    would silently add to the first) is an error at its line, naming the first."""
    if not keys:
        return
    flat, at = np.concatenate(keys), np.concatenate(lines)
    order = np.argsort(flat, kind="stable")
    repeated = flat[order][1:] == flat[order][:-1]
    if not repeated.any():
        return
    seconds, firsts = at[order][1:][repeated], at[order][:-1][repeated]
    position = int(np.argmin(seconds))
    raise DataFormatError(f"a second row for the same period, flow, reporter, partner and product (first at line "
                          f"{int(firsts[position])}); the import would add them up",
                          file=file.source.display_name, line=int(seconds[position]),
                          field=f"{file.spelling('reporterCode')},{file.spelling('partnerCode')},"
                                f"{file.spelling('cmdCode')}")


def _known_product(command: pa.Array, row_key: pa.Array, periods_of: dict[str, pa.Array]) -> pa.Array:
    """True where a six-digit code is in the HS list of its row's revision (or Setu bundles no such list)."""
    result = pa.array([False] * len(command))
    for revision, keys in periods_of.items():
        known = trade_codes.hs_codes(revision)
        in_revision = pc.is_in(row_key, value_set=keys) if len(periods_of) > 1 else pa.array([True] * len(command))
        ok = pc.is_in(command, value_set=pa.array(sorted(known))) if known is not None else pc.is_valid(command)
        result = pc.or_(result, pc.and_(in_revision, ok))
    return result


def _period_checks(batch: pa.RecordBatch, period: pa.Array, present: list[str]) -> dict[str, pa.Array]:
    """Month 01-12 in a monthly period; refMonth 52 (annual) or the period's month; refYear its year."""
    month_text = pc.utf8_slice_codeunits(period, 4, 6)
    months = pc.cast(pc.if_else(pc.equal(month_text, ""), pa.scalar(None, pa.string()), month_text), pa.int8())
    checks = {"period": pc.fill_null(pc.and_(pc.greater_equal(months, 1), pc.less_equal(months, 12)), True)}
    if "refMonth" in present:
        text = pc.utf8_trim_whitespace(batch.column("refMonth"))
        number = pc.cast(pc.if_else(pc.match_substring_regex(text, r"^\d{1,2}$"), text, pa.scalar("-1")), pa.int16())
        expected = pc.fill_null(pc.cast(months, pa.int16()), ANNUAL_MONTH)
        checks["refMonth"] = pc.equal(number, expected)
    if "refYear" in present:
        checks["refYear"] = pc.equal(pc.utf8_trim_whitespace(batch.column("refYear")),
                                     pc.utf8_slice_codeunits(period, 0, 4))
    return checks


def _tonnes(net_kg: pa.Array, value: pa.Array) -> pa.Array:
    """Net weight in tonnes; 0 kg on a flow with a value is Comtrade's "no quantity" and becomes unknown."""
    tonnes = pc.divide(decimal_text_to_float(net_kg), 1000.0)
    unreported = pc.and_(pc.equal(tonnes, 0.0), pc.greater(value, 0.0))
    return pc.if_else(pc.fill_null(unreported, False), pa.scalar(None, pa.float64()), tonnes)


def _count_and_keep(batch, present, flow, is_six, partner_aggregate, skipped, mine) -> pa.Array:
    reasons = [
        ("not a six-digit product", pc.invert(is_six)),
        ("flow other than M or X", pc.invert(pc.is_in(flow, value_set=pa.array(["M", "X"])))),
        ("partner is not a country", partner_aggregate),
    ]
    for column, total in _TOTALS.items():
        if column in present:
            reasons.append((f"{column} breakdown", pc.not_equal(pc.utf8_trim_whitespace(batch.column(column)), total)))
    keep = mine  # rows of another HS revision go to that revision's partitions, uncounted here
    for reason, dropped in reasons:
        dropped = pc.and_(keep, dropped)
        count = pc.sum(pc.cast(dropped, pa.int64())).as_py() or 0
        if count:
            skipped[reason] = skipped.get(reason, 0) + count
        keep = pc.and_(keep, pc.invert(dropped))
    return keep


def _explain(file: ComtradeFile, batch: pa.RecordBatch, first_line: int, line: int, field: str) -> DataFormatError:
    """The located error of the first bad value; the field is named as the file spells it."""
    if blank_row(batch, line - first_line):
        return DataFormatError("blank line", file=file.source.display_name, line=line)
    value = batch.column(field)[line - first_line].as_py()
    period = str(batch.column("period")[line - first_line].as_py()).strip()
    key = f"{period}|{batch.column('reporterCode')[line - first_line].as_py()}"
    revision = file.periods.get(key, file.revisions[0])
    if field in ("reporterCode", "partnerCode"):
        reason = f"unknown country code {value} (not in {trade_codes.COUNTRY_TABLE_NAME}, Comtrade's numeric codes)"
    elif field == "cmdCode":
        others = [r for r in trade_codes.which_revisions(str(value).strip()) if r != revision]
        hint = f" (it is a {', '.join(others)} code: is the file of another HS revision?)" if others else ""
        reason = f"{value} is not an {revision} product code{hint}"
    elif field == "period":
        reason = f"period must be YYYY or YYYYMM, found {shown(value)}"
    elif field == "refMonth":
        reason = (f"refMonth {shown(value)} does not match period {shown(period)}: "
                  f"{ANNUAL_MONTH} for annual data (period YYYY), else the period's month 1-12")
    elif field == "refYear":
        reason = f"refYear {shown(value)} does not match period {shown(period)}"
    elif field == "primaryValue":
        reason = f"value must be a finite number ≥ 0 and at most {MAX_VALUE_USD:.0e} USD, found {shown(value)}"
    else:
        reason = f"net weight must be a number from 0 to {MAX_TONNES * 1000:.0e} kg or blank, found {shown(value)}"
    return DataFormatError(reason, file=file.source.display_name, line=line, field=file.spelling(field))
