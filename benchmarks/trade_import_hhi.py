"""Benchmark: import a BACI-shaped year and compute import concentration for every (importer, product).

One command:  python benchmarks/trade_import_hhi.py            (11 million rows; --rows to run smaller)

1. Generates a synthetic file in BACI's exact layout (``BACI_HS17_Y2022_V202301.csv``: t,i,j,k,v,q with
   CEPII's numeric country codes, HS 2017 codes written without their leading zero, padded values and "NA"
   quantities), seeded, with unique (exporter, importer, product) triples like the real file.
2. Runs each contender in its own child process, so that its peak resident memory (ru_maxrss, the whole
   process: Python, Arrow, DuckDB; read from /proc/self/status VmHWM) is its own:
   * ``setu``   — ``TradeService.import_baci`` (streamed, validated, to the Parquet catalog), then
                  ``metrics.import_concentration`` (HHI, top supplier) on DuckDB, materialised to Arrow;
   * ``pandas`` — a competent plain-pandas version of the same job: ``read_csv`` with dtypes and only the
                  needed columns, one vectorised groupby pass for totals, HHI and top supplier (ties broken
                  by value then ISO3, like Setu), ISO3 codes attached to the result.
3. Checks that both give the same pairs, HHIs (to 1e-6) and top suppliers, and prints and saves wall
   times, peak memory and ratios to ``benchmarks/results/trade_import_hhi.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

RESULTS = Path(__file__).resolve().parent / "results" / "trade_import_hhi.json"
FILE_NAME = "BACI_HS17_Y2022_V202301.csv"


def generate(path: Path, rows: int, seed: int) -> None:
    """A BACI-shaped year: skewed exporters (a few large suppliers), unique (i, j, k) triples."""
    from setu.sources import trade_codes

    rng = np.random.default_rng(seed)
    # one numeric code per ISO3, as in a recent BACI year (former customs unions share an ISO3 with a member)
    first_code: dict[str, int] = {}
    for country in trade_codes.baci_country_codes().countries:
        first_code.setdefault(country.iso3, country.code)
    codes = np.array(sorted(first_code.values()), dtype=np.int32)
    products = np.array(sorted(int(c) for c in trade_codes.hs_codes("HS2017") if c != "999999"), dtype=np.int32)
    n_countries, n_products = len(codes), len(products)
    exporter_weights = rng.lognormal(0.0, 1.5, n_countries)
    exporter_weights /= exporter_weights.sum()
    key = np.empty(0, dtype=np.int64)
    for _ in range(20):  # draw until there are enough unique (product, exporter, importer) triples
        draw = int((rows - len(key)) * 1.2) + 1000
        exporter = rng.choice(n_countries, size=draw, p=exporter_weights).astype(np.int64)
        importer = rng.integers(0, n_countries, size=draw, dtype=np.int64)
        product = rng.integers(0, n_products, size=draw, dtype=np.int64)
        fresh = ((product * n_countries + exporter) * n_countries + importer)[exporter != importer]
        key = np.unique(np.concatenate([key, fresh]))
        if len(key) >= rows:
            break
    else:
        raise SystemExit(f"could only draw {len(key)} unique triples")
    key = np.sort(rng.choice(key, size=rows, replace=False))  # sorted by product, then exporter
    importer_index = key % n_countries
    exporter_index = (key // n_countries) % n_countries
    product_index = key // (n_countries * n_countries)
    value = np.round(rng.lognormal(2.0, 2.5, size=rows), 3) + 0.001
    quantity = np.round(rng.lognormal(0.0, 2.5, size=rows), 3)
    quantity_text = pc.cast(pa.array(quantity), pa.string())
    quantity_text = pc.if_else(pa.array(rng.random(rows) < 0.1), pa.scalar("           NA"), quantity_text)
    table = pa.table({
        "t": pa.array(np.full(rows, 2022, dtype=np.int32)),
        "i": pa.array(codes[exporter_index]),
        "j": pa.array(codes[importer_index]),
        "k": pa.array(products[product_index]),
        "v": pa.array(value),
        "q": quantity_text,
    })
    pa_csv.write_csv(table, path, write_options=pa_csv.WriteOptions(quoting_style="none", batch_size=1 << 20))


# -- contenders (each runs in a child process) -------------------------------------------------------
def run_setu(csv_path: Path, workdir: Path) -> dict:
    from setu.services.trade import TradeService
    from setu.settings import Settings

    service = TradeService(Settings(data_dir=workdir / "setu-data"))
    start = time.perf_counter()
    service.import_baci([csv_path])
    imported = time.perf_counter()
    concentration, _ = service.import_concentration(year=2022, source="baci", hs_revision="HS2017")
    query = concentration.select("importer", "product", "hhi", "top_supplier")
    result = service.engine.execute(query)
    done = time.perf_counter()
    service.engine.execute(query)  # a later question on the same catalog: no import, no CSV parsing
    again = time.perf_counter() - done
    result.to_pandas().to_parquet(workdir / "setu-result.parquet")
    return {"import_s": imported - start, "query_s": done - imported, "total_s": done - start,
            "query_again_s": again, "pairs": result.num_rows}


def run_pandas(csv_path: Path, workdir: Path) -> dict:
    import pandas as pd

    from setu.sources import trade_codes

    start = time.perf_counter()
    frame = pd.read_csv(csv_path, usecols=["i", "j", "k", "v"],
                        dtype={"i": "int16", "j": "int16", "k": "int32", "v": "float64"}, engine="c")
    read = time.perf_counter()
    # numeric codes -> ISO3 (several codes share one ISO3, e.g. 276/280 DEU): map to ISO3 ids first
    by_code = trade_codes.baci_country_codes().iso3_by_code
    names = np.array(sorted(set(by_code.values())))
    lookup = np.full(1000, -1, dtype=np.int16)
    for code, iso3 in by_code.items():
        lookup[code] = np.searchsorted(names, iso3)
    frame["i"] = lookup[frame["i"].to_numpy()]
    frame["j"] = lookup[frame["j"].to_numpy()]
    frame["v"] = (frame["v"] * 1000).round()  # whole US dollars, as Setu stores them
    flows = frame.groupby(["j", "k", "i"], sort=False, as_index=False)["v"].sum()
    total = flows.groupby(["j", "k"], sort=False)["v"].transform("sum")
    flows["share_sq"] = (flows["v"] / total) ** 2
    hhi = flows.groupby(["j", "k"], sort=False)["share_sq"].sum().mul(10_000).round(6)
    # ids are in ISO3 order, so sorting by id breaks ties by ISO3 as Setu does
    top = (flows.sort_values(["j", "k", "v", "i"], ascending=[True, True, False, True])
           .drop_duplicates(["j", "k"]).set_index(["j", "k"])["i"])
    result = pd.DataFrame({"hhi": hhi, "top": top.reindex(hhi.index)}).reset_index()
    result["importer"] = names[result["j"].to_numpy()]
    result["top_supplier"] = names[result["top"].to_numpy()]
    result["product"] = result["k"].astype(str).str.zfill(6)
    result = result[["importer", "product", "hhi", "top_supplier"]]
    done = time.perf_counter()
    result.to_parquet(workdir / "pandas-result.parquet")
    return {"import_s": read - start, "query_s": done - read, "total_s": done - start, "pairs": len(result)}


CONTENDERS = {"setu": run_setu, "pandas": run_pandas}


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec, unlike ru_maxrss, which a child
    started by fork+exec inherits from its (large, data-generating) parent on Linux."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux, a fallback


def child(contender: str, csv_path: Path, workdir: Path) -> None:
    figures = CONTENDERS[contender](csv_path, workdir)
    figures["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(figures))


def compare(workdir: Path) -> dict:
    import pandas as pd

    ours = pd.read_parquet(workdir / "setu-result.parquet").set_index(["importer", "product"]).sort_index()
    theirs = pd.read_parquet(workdir / "pandas-result.parquet").set_index(["importer", "product"]).sort_index()
    same_pairs = ours.index.equals(theirs.index)
    return {
        "same_pairs": bool(same_pairs),
        "max_abs_hhi_difference": float((ours["hhi"] - theirs["hhi"]).abs().max()) if same_pairs else None,
        "top_supplier_mismatches": int((ours["top_supplier"] != theirs["top_supplier"]).sum()) if same_pairs else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=11_000_000)
    parser.add_argument("--seed", type=int, default=20230101)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--child", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.csv, args.workdir)
        return

    workdir = Path(tempfile.mkdtemp(prefix="setu-bench-"))
    try:
        csv_path = workdir / FILE_NAME
        started = time.perf_counter()
        generate(csv_path, args.rows, args.seed)
        print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 2**20:,.0f} MiB) "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
        figures = {}
        for name in CONTENDERS:
            child_run = subprocess.run(
                [sys.executable, __file__, "--child", name, "--csv", str(csv_path), "--workdir", str(workdir)],
                capture_output=True, text=True, check=False,  # the return code is checked below
            )
            if child_run.returncode != 0:
                raise SystemExit(f"{name} failed:\n{child_run.stderr[-4000:]}")
            output = child_run.stdout
            figures[name] = json.loads(output.strip().splitlines()[-1])
            print(f"{name:>7}: import {figures[name]['import_s']:6.2f} s, query {figures[name]['query_s']:6.2f} s, "
                  f"total {figures[name]['total_s']:6.2f} s, peak RSS {figures[name]['peak_rss_mib']:,.0f} MiB",
                  flush=True)
        agreement = compare(workdir)
        report = {
            "benchmark": "import a BACI-shaped year, then HHI and top supplier for every (importer, product)",
            "rows": args.rows, "seed": args.seed,
            "csv_mib": round(csv_path.stat().st_size / 2**20, 1),
            "pairs": figures["setu"]["pairs"],
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                        "load_average_1min_at_end": round(os.getloadavg()[0], 2)},
            "contenders": figures,
            "agreement": agreement,
            "ratios": {
                "total_speedup_vs_pandas": round(figures["pandas"]["total_s"] / figures["setu"]["total_s"], 2),
                "query_speedup_vs_pandas_compute": round(figures["pandas"]["query_s"] / figures["setu"]["query_s"], 2),
                "repeat_question_speedup_vs_pandas_total": round(
                    figures["pandas"]["total_s"] / figures["setu"]["query_again_s"], 2),
                "peak_memory_ratio_pandas_over_setu": round(
                    figures["pandas"]["peak_rss_mib"] / figures["setu"]["peak_rss_mib"], 2),
            },
        }
        print(json.dumps(report["ratios"] | report["agreement"], indent=2))
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"saved {args.output}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
