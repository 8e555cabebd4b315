"""Derive the bundled HS 2022 -> HS 2017 conversion CSV from UNSD's workbook.

UNSD publishes the conversion as an Excel workbook (sheet "HS2022-HS2017 Conversions": each HS 2022
subheading with the one HS 2017 subheading its trade is reported under). Setu reads a plain CSV at run
time so that it needs no spreadsheet reader; this script makes that CSV and is re-run whenever the
workbook is replaced. Usage: python scripts/derive_hs_conversion.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent.parent / "src" / "setu" / "data" / "hs"
WORKBOOK = HERE / "HS2022_to_HS2017_UNSD.xlsx"
TARGET = HERE / "hs2022_to_hs2017_conversion.csv"


def main() -> None:
    workbook = openpyxl.load_workbook(WORKBOOK, read_only=True)
    sheet = workbook["HS2022-HS2017 Conversions"]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    if tuple(header[:2]) != ("From HS2022", "To HS2017"):
        raise SystemExit(f"unexpected header {header!r}")
    with TARGET.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["hs2022", "hs2017"])
        for source, target, *_ in rows:
            if source is None:
                continue
            writer.writerow([str(source).strip().zfill(6), str(target).strip().zfill(6)])


if __name__ == "__main__":
    main()
