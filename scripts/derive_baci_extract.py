"""Write the bundled BACI critical-materials extract in BACI's own file layout.

The extract (CEPII BACI HS17 V202601, every bilateral flow of 2024 and 2022 for 30 critical-material HS6
codes) reached the project with ISO3 country codes and values in thousand US dollars (2024) or US dollars
(2022). Setu loads it on first run through the importer a user's BACI download goes through
(:mod:`setu.sources.baci`), so this script writes it back into BACI's layout: ``t,i,j,k,v,q`` with CEPII's
numeric country codes (``baci_country_codes_V202601.csv``; for a code listed twice, e.g. Germany 276 and
"Fed. Rep. of Germany (...1990)" 280, the current one), ``v`` in thousand USD with three decimals and ``q`` in
tonnes (``NA`` where BACI has none; 2022 has no quantities). No value is changed: the test suite checks
every row against a direct reading of these files.

Usage: python scripts/derive_baci_extract.py FOLDER   (the folder holding the extract's files)
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq

TARGET = Path(__file__).resolve().parent.parent / "src" / "setu" / "data" / "baci"
ARCHIVE = "baci_critical_materials_V202601.zip"
MEMBER = "BACI_HS17_Y{year}_V202601_critical.csv"


def numeric_codes(folder: Path) -> dict[str, int]:
    codes: dict[str, int] = {}
    with open(folder / "baci_country_codes_V202601.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if "(..." in row["country_name"]:
                continue  # a former entity sharing the ISO3 of a current one
            codes.setdefault(row["country_iso3"], int(row["country_code"]))
    return codes


def thousands(value_usd: float) -> str:
    return f"{round(value_usd) / 1000:.3f}"


def main(folder: Path) -> None:
    codes = numeric_codes(folder)
    rows_2024 = pq.read_table(folder / "baci_hs17_2024_critical31.parquet").to_pylist()
    members: dict[str, list[list[str]]] = {}
    members[MEMBER.format(year=2024)] = [
        ["2024", str(codes[r["exporter"]]), str(codes[r["importer"]]), r["hs6"], thousands(r["value_kusd"] * 1000),
         "NA" if r["qty_t"] is None or r["qty_t"] != r["qty_t"] else f"{r['qty_t']:.3f}"]
        for r in rows_2024
    ]
    with open(folder / "baci_hs17_2022_critical_value_usd.csv", encoding="utf-8", newline="") as handle:
        members[MEMBER.format(year=2022)] = [
            ["2022", str(codes[r["i"]]), str(codes[r["j"]]), r["cmd"], thousands(float(r["value"])), "NA"]
            for r in csv.DictReader(handle)
        ]
    TARGET.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(TARGET / ARCHIVE, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, rows in sorted(members.items()):
            rows.sort(key=lambda r: (r[3], int(r[1]), int(r[2])))
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(["t", "i", "j", "k", "v", "q"])
            writer.writerows(rows)
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # fixed: the archive is reproducible
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.getvalue())
            print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
