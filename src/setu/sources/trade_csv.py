"""Streaming, validating reader shared by the BACI and Comtrade importers.

Trade files are large (a BACI year is ~11 million rows), so they are read in blocks with PyArrow's CSV
reader and never held whole in memory. Validation is vectorised per block; when a block is bad, the first
offending row is located exactly and reported as ``DataFormatError(file, line, field)``.

Line numbers are physical line numbers of the file (the header is line 1). They are exact because the
reader is told that values never contain newlines and that every line, blank ones included, is a row:
a blank or ragged line is a structural error found by :func:`locate_structural_error`.

The output of every importer is record batches in :data:`TRADE_SCHEMA`, one row per flow:
values in whole US dollars (``value_usd``), quantities in metric tonnes, HS codes as 6-character strings.

Limits (docs/trade.md): a line longer than :data:`MAX_LINE_BYTES` is refused (a real trade line is under
300 bytes; a longer one is a damaged file, and would otherwise be read whole into memory). A zip member is
read as a stream and refused before reading when it declares more than :data:`MAX_MEMBER_BYTES` or expands
more than :data:`MAX_RATIO` times (CSV compresses 4–10×; a zip bomb thousands of times); Python's zipfile
stops at the declared size, so the declaration bounds what is read. One flow's value may not exceed
:data:`MAX_VALUE_USD` nor its quantity :data:`MAX_TONNES`, so that no sum overflows to infinity.
"""

from __future__ import annotations

import csv
import hashlib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from setu.errors import DataFormatError
from setu.sources.text import decode_utf8

#: Schema of the Parquet trade catalog, as produced by every importer.
TRADE_SCHEMA = pa.schema(
    [
        pa.field("year", pa.int16(), nullable=False),
        pa.field("month", pa.int8()),  # null for annual data
        pa.field("flow", pa.string()),  # "M"/"X" as reported (Comtrade); null for reconciled data (BACI)
        pa.field("exporter", pa.string(), nullable=False),  # ISO3
        pa.field("importer", pa.string(), nullable=False),  # ISO3
        pa.field("product", pa.string(), nullable=False),  # HS6, 6 characters
        pa.field("value_usd", pa.float64(), nullable=False),  # whole US dollars
        pa.field("quantity_tonnes", pa.float64()),
    ]
)

ProgressCallback = Callable[[int, int], None]  # (bytes read, total bytes)
BLOCK_SIZE = 16 << 20
MAX_LINE_BYTES = 1 << 20
#: what one zip member may expand to (a BACI year is ~0.5 GB; a Comtrade bulk file less)
MAX_MEMBER_BYTES = 16 << 30
MAX_RATIO = 100
#: one flow's value: 10^15 USD is forty times a year of world trade
MAX_VALUE_USD = 1e15
#: one flow's quantity: 10^12 t is hundreds of times a year's world output of any material
MAX_TONNES = 1e12


@dataclass(frozen=True)
class InputFile:
    """One file to import: a CSV on disk, or a CSV member of a zip archive."""

    path: Path
    member: str | None = None

    @property
    def display_name(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def name(self) -> str:
        return Path(self.member).name if self.member else self.path.name

    def open(self) -> IO[bytes]:
        if self.member is None:
            return open(self.path, "rb")
        return zipfile.ZipFile(self.path).open(self.member)

    def size(self) -> int:
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as archive:
            return archive.getinfo(self.member).file_size


def expand_inputs(paths: list[Path], *, member: Callable[[str], bool] | None = None) -> list[InputFile]:
    """Files to import: CSVs as given, and the data members of any zip archive among them.

    ``member`` tells data members from the rest of an archive (BACI's zip also holds its code lists and a
    read-me); by default every .csv and .txt member is data.
    """
    member = member or (lambda name: name.lower().endswith((".csv", ".txt")))
    inputs: list[InputFile] = []
    for path in paths:
        if not path.exists():
            raise DataFormatError("no such file", file=str(path))
        if zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    infos = [i for i in archive.infolist() if not i.is_dir() and member(Path(i.filename).name)]
            except (zipfile.BadZipFile, OSError) as error:
                raise DataFormatError(f"not a readable zip archive ({error})", file=str(path)) from None
            if not infos:
                raise DataFormatError("zip archive holds no trade data file", file=str(path))
            for info in infos:
                check_member(path, info)
            inputs.extend(InputFile(path, info.filename) for info in sorted(infos, key=lambda i: i.filename))
        else:
            inputs.append(InputFile(path))
    return inputs


def check_member(path: Path, info: zipfile.ZipInfo) -> None:
    """Refuse a member that declares more than MAX_MEMBER_BYTES or more than MAX_RATIO times its size."""
    where = f"{path}!{info.filename}"
    if info.file_size > MAX_MEMBER_BYTES:
        raise DataFormatError(f"expands to {info.file_size:,} bytes, over the import limit of "
                              f"{MAX_MEMBER_BYTES:,}: unzip it and import the CSV", file=where)
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > BLOCK_SIZE:
        raise DataFormatError(f"expands {info.file_size / max(info.compress_size, 1):,.0f} times "
                              f"({info.compress_size:,} to {info.file_size:,} bytes), over the limit of "
                              f"{MAX_RATIO}: a trade CSV compresses 4-10 times; the archive is damaged or "
                              "built to exhaust memory", file=where)


def sha256_of(source: InputFile) -> str:
    digest = hashlib.sha256()
    with source.open() as handle:
        while chunk := handle.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_header(source: InputFile) -> tuple[str, list[str]]:
    """The first line's delimiter (comma or tab) and column names."""
    with source.open() as handle:
        raw = handle.readline(MAX_LINE_BYTES + 1)
    if len(raw) > MAX_LINE_BYTES:
        raise DataFormatError(f"the header line is longer than {MAX_LINE_BYTES:,} bytes", file=source.display_name,
                              line=1)
    first = decode_utf8(raw, file=source.display_name).rstrip("\r\n")
    if not first:
        raise DataFormatError("file is empty", file=source.display_name, line=1)
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return delimiter, next(csv.reader([first], delimiter=delimiter))


@dataclass
class BlockReader:
    """Iterate over a CSV in blocks, keeping track of the physical line each block starts on."""

    source: InputFile
    delimiter: str
    column_types: dict[str, pa.DataType]
    header: list[str]
    on_progress: ProgressCallback | None = None
    encoding: str = "utf8"
    #: True while re-reading to locate an error: a second failure is reported as it is, not located again
    locating: bool = False
    lines_read: int = field(default=1, init=False)  # the header

    def __iter__(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        total = self.source.size()
        with self.source.open() as raw:
            stream = pa.PythonFile(raw, mode="r") if self.source.member else pa.OSFile(str(self.source.path))
            try:
                reader = pa_csv.open_csv(
                    stream,
                    read_options=pa_csv.ReadOptions(block_size=BLOCK_SIZE, encoding=self.encoding),
                    parse_options=pa_csv.ParseOptions(
                        delimiter=self.delimiter,
                        newlines_in_values=False,
                        ignore_empty_lines=False,
                        invalid_row_handler=lambda row: "error",
                    ),
                    convert_options=pa_csv.ConvertOptions(
                        column_types=self.column_types,
                        include_columns=list(self.column_types),
                        strings_can_be_null=False,
                    ),
                )
                for batch in reader:
                    first_line = self.lines_read + 1
                    self.lines_read += batch.num_rows
                    if self.on_progress is not None:
                        self.on_progress(min(stream.tell(), total), total)
                    yield first_line, batch
            except pa.ArrowInvalid as error:
                if self.locating:
                    raise
                located = locate_structural_error(self.source, self.delimiter, len(self.header), self.header)
                if located is not None:
                    raise located from None
                located = locate_conversion_error(self, str(error))
                raise located from None
            finally:
                stream.close()


def locate_structural_error(
    source: InputFile, delimiter: str, width: int, header: list[str]
) -> DataFormatError | None:
    """The first line that is too long, not UTF-8, blank or ragged (a field count other than the header's).

    Lines are read one at a time and at most MAX_LINE_BYTES long, so that locating never holds more than
    one line in memory."""
    with source.open() as raw:
        number = 0
        while data := raw.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(data) > MAX_LINE_BYTES and not data.endswith(b"\n"):
                return DataFormatError(f"line longer than {MAX_LINE_BYTES:,} bytes: the file is damaged or not "
                                       "a trade CSV", file=source.display_name, line=number)
            if number == 1:
                continue
            try:
                stripped = decode_utf8(data, file=source.display_name, first_line=number, header=header,
                                       delimiter=delimiter).rstrip("\r\n")
            except DataFormatError as error:
                return error
            if not stripped.strip():
                return DataFormatError("blank line", file=source.display_name, line=number)
            try:
                fields = next(csv.reader([stripped], delimiter=delimiter))
            except csv.Error as error:
                return DataFormatError(f"not a CSV line ({error})", file=source.display_name, line=number)
            if len(fields) < width:
                return DataFormatError(
                    f"expected {width} fields, found {len(fields)}",
                    file=source.display_name, line=number, field=header[len(fields)],
                )
            if len(fields) > width:
                return DataFormatError(
                    f"expected {width} fields, found {len(fields)}", file=source.display_name, line=number
                )
    return None


NUMBER_PATTERN = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"
INTEGER_PATTERN = r"^\s*[+-]?\d+\s*$"


def locate_conversion_error(reader: BlockReader, message: str) -> DataFormatError:
    """Re-read the file as text to find the first value the typed reader refused, and where."""
    as_text = {name: pa.string() for name in reader.column_types}
    text_reader = BlockReader(reader.source, reader.delimiter, as_text, reader.header, encoding=reader.encoding,
                              locating=True)
    patterns = {
        name: INTEGER_PATTERN if pa.types.is_integer(kind) else NUMBER_PATTERN
        for name, kind in reader.column_types.items()
        if pa.types.is_integer(kind) or pa.types.is_floating(kind)
    }
    order = [name for name in reader.header if name in patterns]
    try:
        for first_line, batch in text_reader:
            checks = {name: pc.match_substring_regex(batch.column(name), patterns[name]) for name in order}
            located = first_failure(checks, first_line, order)
            if located is not None:
                line, name = located
                value = batch.column(name)[line - first_line].as_py()
                return DataFormatError(f"not a number: {shown(value)}", file=reader.source.display_name, line=line,
                                       field=name)
    except pa.ArrowInvalid as error:
        message = str(error)
    return DataFormatError(f"unreadable value ({message})", file=reader.source.display_name)


def first_failure(checks: dict[str, pa.Array], first_line: int, order: list[str]) -> tuple[int, str] | None:
    """The (line, field) of the first False among boolean arrays aligned on one block; None if all True.

    Null counts as False. Of several fields failing on the same line, the one first in ``order`` wins.
    """
    best: tuple[int, int, str] | None = None
    for rank, name in enumerate(order):
        if name not in checks:
            continue
        ok = pc.fill_null(checks[name], False)
        if pc.all(ok).as_py():
            continue
        index = pc.index(ok, False).as_py()
        candidate = (first_line + index, rank, name)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return None if best is None else (best[0], best[2])


def shown(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters: a damaged file's field may be megabytes long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def blank_row(batch: pa.RecordBatch, index: int) -> bool:
    """Whether a row read from a blank line (every field null or empty)."""
    return all(batch.column(i)[index].as_py() in (None, "") for i in range(batch.num_columns))


def value_ok(values: pa.Array, scale: float = 1.0) -> pa.Array:
    """True where a value is a finite number ≥ 0 and, once scaled to US dollars, at most MAX_VALUE_USD."""
    scaled = pc.multiply(values, pa.scalar(scale, pa.float64()))
    return pc.and_(pc.and_(pc.is_finite(values), pc.greater_equal(values, 0)),
                   pc.less_equal(scaled, pa.scalar(MAX_VALUE_USD, pa.float64())))


def whole_dollars(values: pa.Array, scale: float = 1.0) -> pa.Array:
    """Values as whole US dollars (float64), so that every sum over them is exact and order-free."""
    return pc.round(pc.multiply(values, pa.scalar(scale, pa.float64())), 0)


def decimal_text_to_float(values: pa.Array) -> pa.Array:
    """Optional numeric text ("", "NA", padded) to float64 with nulls; callers validate beforehand."""
    trimmed = pc.utf8_trim_whitespace(values)
    missing = pc.or_(pc.equal(trimmed, ""), pc.equal(trimmed, "NA"))
    return pc.cast(pc.if_else(missing, pa.scalar(None, pa.string()), trimmed), pa.float64())


def optional_number_ok(values: pa.Array, scale: float = 1.0) -> pa.Array:
    """True where an optional numeric text is missing ("", "NA") or a number ≥ 0 that, times ``scale``
    (to tonnes), is at most MAX_TONNES (so never infinite)."""
    trimmed = pc.utf8_trim_whitespace(values)
    missing = pc.or_(pc.equal(trimmed, ""), pc.equal(trimmed, "NA"))
    numeric = pc.match_substring_regex(trimmed, NUMBER_PATTERN)
    safe = pc.cast(pc.if_else(numeric, trimmed, pa.scalar("0", pa.string())), pa.float64())
    in_range = pc.and_(pc.greater_equal(safe, 0),
                       pc.less_equal(pc.multiply(safe, pa.scalar(scale, pa.float64())), MAX_TONNES))
    return pc.or_(missing, pc.and_(numeric, in_range))


def dictionary_column(indices: pa.Array, values: pa.Array) -> pa.Array:
    """A dictionary-encoded column decoded to plain strings (Parquet re-encodes it compactly)."""
    return pa.DictionaryArray.from_arrays(indices, values).cast(pa.string())
