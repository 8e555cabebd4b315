"""Rows as CSV, one writer for the JCM's API and pages: what a table shows, one record a line.

Lists and mappings (a project's participants) go into their cell as JSON text, so a spreadsheet keeps one record
per line and a program can read them back.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any


def rows_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = list(rows[0]) if rows else []
    writer.writerow(columns)
    for row in rows:
        writer.writerow([json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], list | dict) else row[c]
                         for c in columns])  # fmt: skip
    return buffer.getvalue()
