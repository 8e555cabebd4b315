"""AEF workbooks and CSV files: write a report's five tables, and read them back with located errors.

The workbook has one sheet per table, named as the table, each laid out as the UNFCCC's AEF sheets are: the
table's title in row 1, a note in row 2, the column headings in row 3 and one ITMO block per row from row 4.
The CSV stacks the five tables the same way (title line, note line, heading line, rows, a blank line).
Values are text or whole numbers only, so a file read back gives the same rows that were written.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from setu.errors import DataFormatError
from setu.jcm.aef import NOTE, TABLES, Row

HEADER_ROW = 3


def _title(name: str, party: str, year: int) -> str:
    return f"AEF {name} - {party} - reported year {year}"


def write_xlsx(tables: Mapping[str, Sequence[Row]], party: str, year: int, path: Path) -> None:
    from openpyxl import Workbook  # a heavy import, needed only for a workbook

    book = Workbook()
    book.remove(book.active)
    for name, columns in TABLES.items():
        sheet = book.create_sheet(title=name)
        sheet.append([_title(name, party, year)])
        sheet.append([NOTE])
        sheet.append(list(columns))
        for row in tables[name]:
            sheet.append([row[column] for column in columns])
    temporary = path.with_name(path.name + ".partial")
    book.save(temporary)
    temporary.replace(path)


def xlsx_bytes(tables: Mapping[str, Sequence[Row]], party: str, year: int) -> bytes:
    """The workbook of ``write_xlsx`` as bytes (a download), written through a private temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"aef-{party}-{year}.xlsx"
        write_xlsx(tables, party, year, path)
        return path.read_bytes()


def read_upload(content: bytes, name: str) -> dict[str, list[Row]]:
    """The tables of an uploaded workbook (a zip: starts ``PK``) or CSV, its errors naming the upload ``name``
    (never the temporary file it was read through)."""
    suffix = ".xlsx" if content.startswith(b"PK\x03\x04") else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            return read_xlsx(path) if suffix == ".xlsx" else read_csv(path)
        except DataFormatError as error:
            raise DataFormatError(error.reason, file=error.file.replace(str(path), name), line=error.line,
                                  field=error.field) from None


def _value(raw: object, where: str) -> int | str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise DataFormatError("a true/false cell; write Yes or No", file=where)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise DataFormatError(f"{raw} is not a whole number of tonnes or a year", file=where)
    return str(raw)


def _check_headings(found: Sequence[object], name: str, where: str) -> None:
    columns = list(TABLES[name])
    got = [str(cell).strip() if cell is not None else "" for cell in found][: len(columns)]
    if got != columns:
        missing = [c for c in columns if c not in got]
        raise DataFormatError(f"the headings of {name!r} are not the AEF's (missing or moved: {missing or got})", file=where)


def read_xlsx(path: Path) -> dict[str, list[Row]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise DataFormatError(f"not an AEF workbook ({error})", file=str(path)) from None
    tables: dict[str, list[Row]] = {}
    try:
        for name, columns in TABLES.items():
            if name not in book.sheetnames:
                raise DataFormatError(f"no sheet {name!r} (sheets: {', '.join(book.sheetnames)})", file=str(path))
            rows = list(book[name].iter_rows(values_only=True))
            if len(rows) < HEADER_ROW:
                raise DataFormatError(f"the sheet has no heading row {HEADER_ROW}", file=f"{path}:{name}")
            _check_headings(rows[HEADER_ROW - 1], name, f"{path}:{name}:row {HEADER_ROW}")
            tables[name] = []
            for number, cells in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
                if cells is None or all(cell is None for cell in cells):
                    continue
                padded = list(cells) + [None] * (len(columns) - len(cells))
                tables[name].append({column: _value(padded[i], f"{path}:{name}:row {number}:{column}")
                                     for i, column in enumerate(columns)})  # fmt: skip
    finally:
        book.close()
    return tables


def to_csv(tables: Mapping[str, Sequence[Row]], party: str, year: int, names: Sequence[str] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for name in names or list(TABLES):
        writer.writerow([_title(name, party, year)])
        writer.writerow([NOTE])
        writer.writerow(TABLES[name])
        for row in tables[name]:
            writer.writerow([row[column] for column in TABLES[name]])
        writer.writerow([])
    return buffer.getvalue()


def read_csv(path: Path) -> dict[str, list[Row]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataFormatError(f"cannot read the AEF CSV ({error})", file=str(path)) from None
    lines = list(csv.reader(io.StringIO(text)))
    tables: dict[str, list[Row]] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line or not line[0].startswith("AEF "):
            index += 1
            continue
        name = next((n for n in TABLES if line[0].startswith(f"AEF {n} - ")), None)
        if name is None:
            raise DataFormatError(f"unknown table title {line[0]!r}", file=str(path), line=index + 1)
        _check_headings(lines[index + 2] if index + 2 < len(lines) else [], name, f"{path}:{index + 3}")
        rows: list[Row] = []
        index += 3
        while index < len(lines) and lines[index]:
            cells = lines[index]
            rows.append({column: (int(cells[i]) if cells[i].lstrip("-").isdigit() and column in _NUMERIC else cells[i])
                         if i < len(cells) else "" for i, column in enumerate(TABLES[name])})  # fmt: skip
            index += 1
        tables[name] = rows
    return tables


_NUMERIC = {"Version", "Reported year", "NDC period first year", "NDC period last year", "Quantity (tCO2e)", "Vintage"}
