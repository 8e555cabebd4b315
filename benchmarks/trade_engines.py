"""Benchmark: import concentration of every (importer, product, year) on DuckDB, Spark and pandas.

One command:  python benchmarks/trade_engines.py
              (one year of 11 million rows, ten years of 110 million, and twenty years of 220 million on
              DuckDB alone; --rows-per-year / --years / --big-years to run smaller, --skip-spark /
              --skip-cluster / --skip-pandas to leave contenders out)

1. Generates a seeded, BACI-shaped trade catalog straight into the Parquet layout Setu reads (a manifest
   plus one ``source=baci/hs=HS2017/year=Y`` partition per year, columns of ``TRADE_SCHEMA``): 200
   countries (real ISO3 codes) and 5,000 HS 2017 products, with heavy-tailed exporter, importer and product
   weights (a few large suppliers, as in real trade) and lognormal values in whole US dollars; at most one
   row per (exporter, importer, product) and year, as BACI and Setu's import check guarantee ("keyed").
2. For the first year alone and then for every year, runs each contender in a fresh child process:
   * ``duckdb`` — Setu's Ibis expression (``metrics.trade.import_concentration``) on DuckDB, as shipped: the
     SQL compiled from it once (``compile_s``: the first question after an import), then run twice ("cold",
     the first run in the process, and "warm"), written by DuckDB's COPY (memory limit 1 GB, spilling to
     disk beyond);
   * ``spark``  — the same expression on PySpark ``local[2]``, session start-up timed apart from the query;
   * ``cluster`` — the same expression from a driver on a Spark standalone cluster: by default one master
     and one worker (2 cores, one 2 GiB executor: the resources of ``local[2]``) started on loopback from
     PySpark's own launchers, or an existing cluster (``--cluster-url``); the executor reads the Parquet
     files itself, and its memory counts with the driver's;
   * ``duckdb-sql`` — the same question as one hand-written DuckDB query (one pass, Σv²/(Σv)²), the mark
     for Setu's DuckDB path;
   * ``pandas`` — a competent plain-pandas version: the five needed columns read with PyArrow (strings as
     categoricals), one vectorised groupby pass (sum, sum of squares, max of a value-and-code key that
     breaks ties by ISO3 the same way as Setu); skipped, with a note, where its estimated peak would not fit
     in half the memory available.
   Then, if ``--big-years`` is set, DuckDB alone on that many years under its memory ceiling, spilling
   to disk (the spill folder's peak size is sampled).
   Every contender writes its result (one row per pair: total, supplier count, HHI, top supplier and its
   share) to Parquet with its own writer, then runs the query again in the same process ("warm").
   Peak memory is the largest sampled sum of resident memory over the child's process tree (psutil, every
   50 ms), so the Spark JVM counts.
3. Checks that the contenders agree (same pairs, totals and supplier counts, HHI to 1e-6, identical top
   supplier) and prints and saves times, memory, ratios, data sizes, machine and load average to
   ``benchmarks/results/trade_engines.json``. The generated data is deleted at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

RESULTS = Path(__file__).resolve().parent / "results" / "trade_engines.json"
FIRST_YEAR = 2013
COLUMNS = ["importer", "product", "year", "total_value_usd", "supplier_count", "hhi", "top_supplier", "top_share"]
CONTENDERS = ("duckdb", "duckdb-sql", "spark", "cluster", "pandas")
CLUSTER_HELPER = Path(__file__).resolve().parents[1] / "tests" / "trade" / "spark_cluster.py"
#: peak resident bytes per input row of the pandas contender (measured: 1,758 MiB at 11 million rows)
PANDAS_BYTES_PER_ROW = 160


# -- data ------------------------------------------------------------------------------------------------
def universe(countries: int, products: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``countries`` ISO3 codes of CEPII's table and ``products`` HS 2017 codes, both sorted."""
    from setu.sources import trade_codes

    iso3 = sorted({c.iso3 for c in trade_codes.baci_country_codes().countries})
    hs = sorted(c for c in trade_codes.hs_codes("HS2017") if c != "999999")
    rng = np.random.default_rng(0)
    chosen = np.sort(rng.choice(len(hs), size=min(products, len(hs)), replace=False))
    return np.array(iso3[:countries]), np.array(hs)[chosen]


def year_table(year: int, rows: int, countries: np.ndarray, products: np.ndarray, seed: int) -> pa.Table:
    """One BACI-shaped year in ``TRADE_SCHEMA``: unique (exporter, importer, product), skewed, heavy-tailed."""
    from setu.sources.trade_csv import TRADE_SCHEMA

    rng = np.random.default_rng([seed, year])
    n_c, n_p = len(countries), len(products)
    weights = [rng.lognormal(0.0, sigma, n) for sigma, n in ((2.0, n_c), (1.5, n_c), (1.0, n_p))]
    exporter_p, importer_p, product_p = (w / w.sum() for w in weights)
    if rows > 0.8 * n_c * (n_c - 1) * n_p:
        raise SystemExit(f"{rows:,} rows are too many for {n_c} countries and {n_p} products")
    key = np.empty(0, dtype=np.int64)
    for _ in range(50):  # draw until there are enough distinct (product, exporter, importer) triples
        draw = int((rows - len(key)) * 1.3) + 1000
        exporter = rng.choice(n_c, size=draw, p=exporter_p)
        importer = rng.choice(n_c, size=draw, p=importer_p)
        product = rng.choice(n_p, size=draw, p=product_p)
        fresh = ((product.astype(np.int64) * n_c + exporter) * n_c + importer)[exporter != importer]
        key = _distinct(np.concatenate([key, fresh]))
        if len(key) >= rows:
            break
        # saturated cells: flatten the weights so that later draws reach the rest
        exporter_p, importer_p, product_p = (np.sqrt(p) / np.sqrt(p).sum() for p in (exporter_p, importer_p,
                                                                                       product_p))
    else:
        raise SystemExit(f"could only draw {len(key):,} distinct triples for {year}")
    key = key[np.sort(rng.choice(len(key), size=rows, replace=False))]
    importer, exporter, product = key % n_c, (key // n_c) % n_c, key // (n_c * n_c)
    value = np.clip(np.round(rng.lognormal(9.0, 2.5, size=rows)), 1, 1e12)  # whole US dollars
    quantity = np.round(rng.lognormal(0.0, 2.5, size=rows), 3)
    strings = {name: pa.array(values) for name, values in (("c", countries), ("p", products))}
    return pa.table({
        "year": pa.array(np.full(rows, year, dtype=np.int16)),
        "month": pa.nulls(rows, pa.int8()),
        "flow": pa.nulls(rows, pa.string()),
        "exporter": strings["c"].take(pa.array(exporter)),
        "importer": strings["c"].take(pa.array(importer)),
        "product": strings["p"].take(pa.array(product)),
        "value_usd": pa.array(value),
        "quantity_tonnes": pa.array(np.where(rng.random(rows) < 0.1, np.nan, quantity), from_pandas=True),
    }, schema=TRADE_SCHEMA)


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values, by sorting (numpy 2's hash-based ``np.unique`` is far slower on 10⁷ int64s)."""
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys


def generate_catalog(root: Path, rows_per_year: int, years: int, seed: int, countries: int = 200,
                     products: int = 5000, log=print) -> dict:
    """Write ``years`` keyed BACI partitions and the manifest that makes them Setu's trade catalog."""
    from setu.store.trade import Dataset, InputRecord, TradeCatalog

    catalog = TradeCatalog(root)
    root.mkdir(parents=True, exist_ok=True)
    country_codes, product_codes = universe(countries, products)
    import_id = "synthetic-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    datasets = []
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        started = time.perf_counter()
        table = year_table(year, rows_per_year, country_codes, product_codes, seed)
        directory = root / "parts" / import_id / "source=baci" / "hs=HS2017" / f"year={year}"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "part-0.parquet"
        pq.write_table(table, path, compression="zstd", row_group_size=1 << 20, write_statistics=["year", "month"])
        digest = _sha256(path)
        datasets.append(Dataset(
            source="baci", dataset="BACI", edition="synthetic", hs_revision="HS2017", year=year, month=None,
            files=(str(path.relative_to(root)),), file_sha256=(digest,), rows=table.num_rows,
            inputs=(InputRecord(name=f"synthetic_Y{year}_seed{seed}", sha256=digest, rows=table.num_rows),),
            imported_at=datetime.now(UTC).isoformat(timespec="seconds"), file_rows=(table.num_rows,), keyed=True))
        log(f"  generated {year}: {table.num_rows:,} rows, {path.stat().st_size / 2**20:,.0f} MiB "
            f"in {time.perf_counter() - started:.1f} s")
    catalog._swap_manifest(datasets)  # the catalog's own atomic manifest writer
    return {"countries": len(country_codes), "products": len(product_codes)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def selected(root: Path, years: int):
    """The catalog's datasets of the first ``years`` years."""
    from setu.store.trade import TradeCatalog

    catalog = TradeCatalog(root)
    return catalog, [d for d in catalog.datasets() if d.year < FIRST_YEAR + years]


# -- contenders (each runs in a fresh child process) -------------------------------------------------------
def run_ibis(engine_name: str, root: Path, years: int, out: Path, spark_master: str) -> dict:
    """Setu's one Ibis expression, bound to DuckDB or Spark, written to Parquet by the engine's own writer.

    On a cluster the result is written by the executors, to the same shared folder the catalog is in."""
    from setu.metrics import trade_questions as questions
    from setu.store.trade import TradeEngine, spark_session

    figures = {}
    started = time.perf_counter()
    if engine_name == "spark":
        spark_session(spark_master)  # the JVM and the session; TradeEngine gets the same session back
        figures["startup_s"] = time.perf_counter() - started
        report_progress(figures)
    catalog, datasets = selected(root, years)
    engine = TradeEngine(catalog, engine_name, spark_master=spark_master if engine_name == "spark" else None)
    keyed = all(d.keyed for d in datasets)
    if engine_name == "duckdb":  # the first question after an import compiles its SQL (Ibis), timed apart
        begun = time.perf_counter()
        engine.prepare(questions.import_concentration, datasets, keyed=keyed)
        figures["compile_s"] = time.perf_counter() - begun
    for run in ("cold", "warm"):
        begun = time.perf_counter()
        target = out if run == "cold" else out.with_name(out.name + "-warm")
        # every selected partition is keyed and the key includes the year, so their union is keyed too;
        # DuckDB runs the SQL compiled from the expression (compiled on the cold run), Spark the expression
        engine.write_parquet(questions.import_concentration, datasets, target, keyed=keyed)
        figures[f"query_{run}_s"] = time.perf_counter() - begun
        report_progress(figures)
    engine.close()
    return figures


HAND_SQL = """
    SELECT importer, product, year, sum(value_usd) AS total_value_usd, count(*) AS supplier_count,
           round(sum(value_usd * value_usd) / (sum(value_usd) * sum(value_usd)) * 10000, 6) AS hhi,
           arg_min(exporter, (-value_usd, exporter)) AS top_supplier, max(value_usd) / sum(value_usd) AS top_share
    FROM read_parquet($files, hive_partitioning = false)
    WHERE (flow IS NULL OR flow = 'M') AND value_usd > 0
    GROUP BY ALL"""


def run_hand_sql(root: Path, years: int, out: Path) -> dict:
    """The same question as one hand-written DuckDB query (one pass: Σv²/(Σv)²), written by DuckDB's COPY, with
    Setu's memory ceiling: what a competent DuckDB user would write, the mark for Setu's DuckDB path."""
    import duckdb

    catalog, datasets = selected(root, years)
    files = [str(catalog.root / f) for d in datasets for f in d.files]
    spill = root / ".duckdb-spill"
    spill.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(config={"memory_limit": os.environ.get("SETU_DUCKDB_MEMORY_LIMIT", "1GB"),
                                        "temp_directory": str(spill)})
    figures = {}
    for run in ("cold", "warm"):
        begun = time.perf_counter()
        target = out if run == "cold" else out.with_name(out.name + "-warm")
        connection.execute(f"COPY ({HAND_SQL}) TO '{target}' (FORMAT parquet)", {"files": files})
        figures[f"query_{run}_s"] = time.perf_counter() - begun
        report_progress(figures)
    connection.close()
    return figures


def run_pandas(root: Path, years: int, out: Path) -> dict:
    """Plain pandas, written well: PyArrow reads the five columns, one vectorised groupby does the rest."""
    import pandas as pd

    catalog, datasets = selected(root, years)
    paths = [str(catalog.root / f) for d in datasets for f in d.files]
    figures = {}
    for run in ("cold", "warm"):
        begun = time.perf_counter()
        table = pq.read_table(paths, columns=["year", "importer", "exporter", "product", "value_usd"],
                              read_dictionary=["importer", "exporter", "product"], partitioning=None)
        frame = table.to_pandas()
        del table
        frame = frame[frame["value_usd"] > 0]
        exporters = frame["exporter"].cat.categories.sort_values()
        code = frame["exporter"].cat.reorder_categories(exporters).cat.codes.to_numpy().astype(np.int64)
        value = frame["value_usd"].to_numpy()
        if len(exporters) > 1024 or (len(value) and value.max() >= 2**53):  # 2**63 / 1024: the key below stays an exact int64
            raise SystemExit("too many exporters or too large values for the combined top-supplier key")
        # one key whose maximum is the top supplier: the largest value, and of equal values the first ISO3
        # (codes are in ISO3 order); exact while values stay below 2**63 / 1024 dollars
        frame = pd.DataFrame({
            "year": frame["year"], "importer": frame["importer"], "product": frame["product"], "v": value,
            "v2": value * value, "top": value.astype(np.int64) * 1024 + (1023 - code),
        })
        groups = frame.groupby(["importer", "product", "year"], observed=True, sort=False)
        result = groups.agg(total_value_usd=("v", "sum"), supplier_count=("v", "size"), sum_sq=("v2", "sum"),
                            top=("top", "max")).reset_index()
        total = result["total_value_usd"]
        result["hhi"] = (result["sum_sq"] / (total * total) * 10_000).round(6)
        result["top_supplier"] = np.asarray(exporters)[1023 - (result["top"].to_numpy() % 1024)]
        result["top_share"] = (result["top"] // 1024) / total
        for column in ("importer", "product"):
            result[column] = result[column].astype(str)
        target = out if run == "cold" else out.with_name(out.name + "-warm")
        pq.write_table(pa.Table.from_pandas(result[COLUMNS], preserve_index=False), target)
        figures[f"query_{run}_s"] = time.perf_counter() - begun
        report_progress(figures)
        del frame, groups, result
    return figures


def report_progress(figures: dict) -> None:
    """One JSON line per finished phase, so that a child stopped at the time limit still tells what it did."""
    print(json.dumps(figures), flush=True)


def child(args) -> None:
    started = time.perf_counter()
    if args.child == "pandas":
        figures = run_pandas(args.root, args.case_years, args.out)
    elif args.child == "duckdb-sql":
        figures = run_hand_sql(args.root, args.case_years, args.out)
    else:
        engine, master = ("spark", args.cluster_url) if args.child == "cluster" else (args.child, args.spark_master)
        figures = run_ibis(engine, args.root, args.case_years, args.out, master)
    figures["child_total_s"] = time.perf_counter() - started
    print(json.dumps(figures))


# -- measuring -------------------------------------------------------------------------------------------
def tree_rss(process) -> int:
    """Resident bytes of a process and all its descendants (the Spark JVM is a child of Python)."""
    import psutil

    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def spill_bytes(folder: Path | None) -> int:
    if folder is None or not folder.exists():
        return 0
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):  # removed while we looked
            total += path.stat().st_size if path.is_file() else 0
    return total


def measure(command: list[str], timeout_s: float, env: dict, executors_of: int | None = None,
            spill: Path | None = None) -> dict:
    """Run a child, sampling its process tree's resident memory every 50 ms; wall time from spawn to exit.

    ``executors_of``: a standalone worker's pid, whose children (the application's executors) count with
    the child; ``spill``: a folder whose peak size is sampled (DuckDB's spill files)."""
    import psutil

    started = time.perf_counter()
    child_process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak, spill_peak = [0], [0]
    done = threading.Event()

    def executors_rss() -> int:
        try:
            return sum(tree_rss(p) for p in psutil.Process(executors_of).children()) if executors_of else 0
        except psutil.Error:
            return 0

    def sample() -> None:
        try:
            watched = psutil.Process(child_process.pid)
            ticks = 0
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(watched) + executors_rss())
                if spill is not None and ticks % 10 == 0:
                    spill_peak[0] = max(spill_peak[0], spill_bytes(spill))
                ticks += 1
                done.wait(0.05)
        except psutil.Error:  # the child has exited
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = child_process.communicate(timeout=timeout_s)
        timed_out = False
    except subprocess.TimeoutExpired:
        for member in psutil.Process(child_process.pid).children(recursive=True):
            member.kill()
        child_process.kill()
        stdout, stderr = child_process.communicate()
        timed_out = True
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    figures = {"wall_s": round(wall, 3), "peak_tree_rss_mib": round(peak[0] / 2**20, 1)}
    if spill is not None:
        figures["peak_spill_mib"] = round(spill_peak[0] / 2**20, 1)
    lines = [line for line in stdout.strip().splitlines() if line.startswith("{")]
    reported = {k: round(v, 3) for k, v in json.loads(lines[-1]).items()} if lines else {}
    if timed_out:
        return figures | {"status": f"stopped at the {timeout_s:.0f} s limit", "finished_phases": reported}
    if child_process.returncode != 0:
        return figures | {"status": "failed", "error": stderr[-3000:]}
    return figures | {"status": "ok"} | reported


def agreement(paths: dict[str, Path]) -> dict:
    """Compare every contender's result with the first (DuckDB's) in DuckDB itself (results can be large)."""
    import duckdb

    def source(path: Path) -> str:
        return f"read_parquet('{path}/*.parquet')" if path.is_dir() else f"read_parquet('{path}')"

    names = list(paths)
    checks = {}
    connection = duckdb.connect()
    for name in names[1:]:
        row = connection.execute(f"""
            SELECT count(*) FILTER (WHERE a.importer IS NULL OR b.importer IS NULL),
                   coalesce(max(abs(a.hhi - b.hhi)), 0),
                   count(*) FILTER (WHERE a.top_supplier IS DISTINCT FROM b.top_supplier),
                   count(*) FILTER (WHERE a.total_value_usd IS DISTINCT FROM b.total_value_usd
                                       OR a.supplier_count IS DISTINCT FROM b.supplier_count),
                   coalesce(max(abs(a.top_share - b.top_share)), 0),
                   count(a.importer), count(b.importer)
            FROM {source(paths[names[0]])} a FULL OUTER JOIN {source(paths[name])} b
              ON a.importer = b.importer AND a.product = b.product AND a.year = b.year""").fetchone()
        unmatched, hhi_diff, top_diff, total_diff, share_diff, pairs_a, pairs_b = row
        checks[f"{name}_vs_{names[0]}"] = {
            "pairs": [pairs_a, pairs_b], "unmatched_pairs": unmatched, "max_abs_hhi_difference": hhi_diff,
            "top_supplier_mismatches": top_diff, "total_or_count_mismatches": total_diff,
            "max_abs_top_share_difference": share_diff,
            "agree": unmatched == 0 and hhi_diff <= 1e-6 + 1e-9 and top_diff == 0 and total_diff == 0,
        }
    connection.close()
    return checks


def machine() -> dict:
    import duckdb
    import ibis
    import pandas
    import psutil

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    try:
        import pyspark
        spark_version = pyspark.__version__
    except ImportError:
        spark_version = None
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False) if shutil.which("java") else None
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(), "python": platform.python_version(),
            "versions": {"duckdb": duckdb.__version__, "ibis": ibis.__version__, "pandas": pandas.__version__,
                         "pyarrow": pa.__version__, "pyspark": spark_version,
                         "java": java.stderr.splitlines()[0] if java and java.stderr else None}}


def pandas_fits(rows: int) -> tuple[bool, str]:
    import psutil

    estimate = rows * PANDAS_BYTES_PER_ROW
    available = psutil.virtual_memory().available
    note = (f"estimated peak {estimate / 2**30:.1f} GiB ({PANDAS_BYTES_PER_ROW} B per row) against "
            f"{available / 2**30:.1f} GiB available")
    return estimate <= available / 2, note


def run_case(label: str, root: Path, years: int, rows: int, args, workdir: Path, log=print,
             contenders: tuple[str, ...] = CONTENDERS, cluster=None) -> dict:
    """Every contender on the first ``years`` years of the catalog, then the agreement check."""
    env = dict(os.environ, SETU_SPARK_DRIVER_MEMORY=args.spark_driver_memory,
               SETU_DUCKDB_MEMORY_LIMIT=args.duckdb_memory_limit)
    figures, outputs = {}, {}
    for name in contenders:
        if ((name in ("spark", "cluster") and args.skip_spark) or (name == "cluster" and args.skip_cluster)
                or (name == "pandas" and args.skip_pandas)):
            continue
        if name == "pandas":
            fits, note = pandas_fits(rows)
            if not fits:
                figures[name] = {"status": "skipped: would not fit in memory", "note": note}
                log(f"  {name:>6}: skipped ({note})")
                continue
        out = workdir / f"result-{label}-{name}.parquet"
        command = [sys.executable, os.path.abspath(__file__), "--child", name, "--root", str(root),
                   "--case-years", str(years), "--out", str(out), "--spark-master", args.spark_master,
                   "--cluster-url", args.cluster_url or ""]
        load_before = os.getloadavg()
        child_env = dict(cluster.env(), **{k: env[k] for k in ("SETU_SPARK_DRIVER_MEMORY", "SETU_DUCKDB_MEMORY_LIMIT")}) \
            if name == "cluster" and cluster is not None else env
        figures[name] = measure(command, args.timeout if name in ("spark", "cluster") else 3 * args.timeout, child_env,
                                executors_of=cluster.worker_pid() if name == "cluster" and cluster else None,
                                spill=root / ".duckdb-spill" if name == "duckdb" else None)
        figures[name]["load_average_before"] = [round(x, 2) for x in load_before]
        line = ", ".join(f"{k} {v}" for k, v in figures[name].items()
                         if k.endswith(("_s", "_mib")) or k == "status")
        log(f"  {name:>6}: {line}")
        if figures[name].get("error"):
            log(figures[name]["error"])
        if figures[name]["status"] == "ok":
            outputs[name] = out
    return {"rows": rows, "years": years, "contenders": figures, "agreement": agreement(outputs),
            "ratios": ratios(figures)}


def ratios(figures: dict) -> dict:
    """How many times slower (time) or larger (memory) each contender is than DuckDB."""
    base = figures.get("duckdb", {})
    if base.get("status") != "ok":
        return {}
    result = {}
    for name, other in figures.items():
        if name == "duckdb" or other.get("status") != "ok":
            continue
        result[name] = {
            "wall_over_duckdb": round(other["wall_s"] / base["wall_s"], 2),
            "query_cold_over_duckdb": round(other["query_cold_s"] / base["query_cold_s"], 2),
            "query_warm_over_duckdb": round(other["query_warm_s"] / base["query_warm_s"], 2),
            "peak_memory_over_duckdb": round(other["peak_tree_rss_mib"] / base["peak_tree_rss_mib"], 2),
        }
    aims = {}  # issue 29: Setu's DuckDB within 1.3x of hand-written SQL, at least 2x ahead of pandas
    for name, label, upward in (("duckdb-sql", "setu_duckdb_over_hand_sql", True),
                                ("pandas", "pandas_over_setu_duckdb", False)):
        other = figures.get(name, {})
        if other.get("status") == "ok":
            for run in ("cold", "warm"):
                mine, theirs = base[f"query_{run}_s"], other[f"query_{run}_s"]
                aims[f"{label}_{run}"] = round(mine / theirs if upward else theirs / mine, 2)
    if aims:
        result["aims"] = aims | {"aim": "setu_duckdb_over_hand_sql <= 1.3, pandas_over_setu_duckdb >= 2"}
    return result


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-per-year", type=int, default=11_000_000)
    parser.add_argument("--years", type=int, default=10, help="years of the many-year case (1: one case only)")
    parser.add_argument("--big-years", type=int, default=20,
                        help="years of the DuckDB-only case under its memory ceiling (0: none)")
    parser.add_argument("--countries", type=int, default=200)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20230101)
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--skip-cluster", action="store_true", help="leave out the standalone cluster only")
    parser.add_argument("--cases", nargs="+", choices=["one_year", "many_years", "big_years"],
                        default=["one_year", "many_years", "big_years"])
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--cluster-url", help="an existing standalone master (spark://host:7077) whose "
                        "executors read --workdir at the same path; default: start one on loopback")
    parser.add_argument("--cluster-cores", type=int, default=2, help="the loopback worker's cores")
    parser.add_argument("--cluster-executor-memory", default="2g", help="the loopback cluster's executor")
    parser.add_argument("--spark-driver-memory", default="2g", help="Setu's default")
    parser.add_argument("--duckdb-memory-limit", default="1GB", help="Setu's default")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed to Spark per case")
    parser.add_argument("--workdir", type=Path, help="where to generate (default: a temporary directory)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--case-years", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return None

    workdir = Path(tempfile.mkdtemp(prefix="setu-engines-", dir=args.workdir))
    cluster = None
    try:
        root = workdir / "trade"
        generated = max(args.years, args.big_years if "big_years" in args.cases else 0)
        print(f"generating {generated} year(s) x {args.rows_per_year:,} rows under {workdir}", flush=True)
        started = time.perf_counter()
        shape = generate_catalog(root, args.rows_per_year, generated, args.seed, args.countries, args.products,
                                 log=lambda line: print(line, flush=True))
        generation_s = time.perf_counter() - started
        _, datasets = selected(root, generated)
        sizes = {d.year: (d.rows, (root / d.files[0]).stat().st_size) for d in datasets}
        if not (args.skip_spark or args.skip_cluster or args.cluster_url):
            cluster = start_cluster(workdir / "cluster", args)
            args.cluster_url = cluster.master_url
            print(f"standalone cluster at {cluster.master_url}", flush=True)
        report = {
            "benchmark": "import concentration (total, supplier count, HHI, top supplier) of every "
                         "(importer, product, year) on a Parquet trade catalog",
            "data": {"rows_per_year": args.rows_per_year, "years": args.years, "big_years": args.big_years,
                     "seed": args.seed, **shape, "generation_s": round(generation_s, 1), "first_year": FIRST_YEAR},
            "settings": {"spark_master": args.spark_master, "spark_driver_memory": args.spark_driver_memory,
                         "duckdb_memory_limit": args.duckdb_memory_limit, "spark_timeout_s": args.timeout,
                         "cluster": None if args.skip_spark or args.skip_cluster else {
                             "url": "loopback" if cluster else args.cluster_url,
                             "worker_cores": args.cluster_cores if cluster else None,
                             "executor_memory": args.cluster_executor_memory if cluster else None}},
            "machine": machine(),
            "cases": {},
            "complete": False,
        }
        for label, years in (("one_year", 1), ("many_years", args.years), ("big_years", args.big_years)):
            if label not in args.cases or years < 1 or (label == "many_years" and years == 1):
                continue
            rows = sum(sizes[y][0] for y in sorted(sizes)[:years])
            print(f"{label}: {years} year(s), {rows:,} rows", flush=True)
            contenders = ("duckdb",) if label == "big_years" else CONTENDERS
            case = run_case(label, root, years, rows, args, workdir, log=lambda line: print(line, flush=True),
                            contenders=contenders, cluster=cluster)
            case["parquet_bytes"] = sum(sizes[y][1] for y in sorted(sizes)[:years])
            report["cases"][label] = case
            for name, check in case["agreement"].items():
                print(f"  agreement {name}: {json.dumps(check)}", flush=True)
            save(report, args.output)  # after every case: a run stopped later keeps what it measured
        report["complete"] = True
        report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps({label: case["ratios"] for label, case in report["cases"].items()}, indent=2))
        save(report, args.output)
        print(f"saved {args.output}")
        return report
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def save(report: dict, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def start_cluster(base: Path, args):
    """One master and one worker on loopback, from PySpark's launchers (the tests' helper), sized as
    ``local[2]``: the worker's cores, one executor with Setu's local driver memory."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("spark_cluster_helper", CLUSTER_HELPER)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    application = {
        "spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
        "spark.executor.memory": args.cluster_executor_memory, "spark.executor.cores": str(args.cluster_cores),
        "spark.cores.max": str(args.cluster_cores), "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(max(2, os.cpu_count() or 2)),  # as Setu's local session
    }
    memory_mib = int(args.cluster_executor_memory.rstrip("gGmM")) * (1024 if args.cluster_executor_memory[-1] in "gG"
                                                                      else 1)
    cluster = helper.SparkCluster(base, worker_cores=args.cluster_cores, worker_memory=f"{memory_mib + 256}m",
                                  application=application)
    try:
        return cluster.start(connect=False, idle_master=False)
    except BaseException:
        cluster.stop()
        raise


if __name__ == "__main__":
    main()
