"""Reading the text of a user's file: UTF-8 only, and a byte that is not is reported with its place.

A file saved as Latin-1 or Windows-1252 (an ``é`` in a name, a ``µ`` in a unit) is the commonest way a
hand-edited file goes wrong; the error names the line and column of the first such byte, so that the user
can find it, instead of a decoder's offset or a traceback.
"""

from __future__ import annotations

import csv
from pathlib import Path

from setu.errors import DataFormatError

__all__ = ["decode_utf8", "read_csv_text", "read_text"]


def read_text(path: Path, *, what: str = "file") -> str:
    """The UTF-8 text of ``path`` (a leading byte-order mark dropped); an unreadable file or a byte that
    is not UTF-8 is a located ``DataFormatError``, never a traceback."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DataFormatError(f"cannot read the {what}: {error.strerror}", file=str(path)) from None
    return decode_utf8(data, file=str(path))


def read_csv_text(path: Path, *, what: str = "file", delimiter: str = ",") -> str:
    """As :func:`read_text` for a CSV file with a header row: a bad byte also names its column."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DataFormatError(f"cannot read the {what}: {error.strerror}", file=str(path)) from None
    first = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").rstrip("\r")
    header = next(csv.reader([first], delimiter=delimiter)) if first else []
    return decode_utf8(data, file=str(path), header=header, delimiter=delimiter)


def decode_utf8(data: bytes, *, file: str, first_line: int = 1, header: list[str] | None = None,
                delimiter: str = ",") -> str:
    """``data`` decoded as UTF-8 (BOM dropped). On a bad byte: its line (counting from ``first_line``), its
    column, and, for a delimited file whose ``header`` is given, the field it falls in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = first_line + data.count(b"\n", 0, start)
        field = None
        if header:  # the fields before the byte, quotes respected ("Other, incl. n.e.s." is one field)
            before = data[line_start:start].decode("utf-8", errors="replace").lstrip("\ufeff")
            index = len(next(csv.reader([before], delimiter=delimiter))) - 1 if before else 0
            field = header[index] if index < len(header) else None
        raise DataFormatError(f"byte 0x{data[start]:02X} at column {start - line_start + 1} is not UTF-8; save "
                              "the file as UTF-8", file=file, line=line, field=field) from None
