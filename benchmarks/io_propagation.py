"""Benchmark: many Leontief scenarios, Setu's factorise-once path against pymrio's inverse-based way.

One command, every backend in the same run:

    .venv/bin/python benchmarks/io_propagation.py            # WIOD 2011 + synthetic 9,800-sector systems
    .venv/bin/python benchmarks/io_propagation.py --quick    # smaller synthetic systems (2,450 sectors)

For each case the same flows Z, output x and k shock vectors F (n x k, default k = 1,000) go to:

* ``pymrio``: ``A = pymrio.calc_A(Z, x)``, ``L = pymrio.calc_L(A)`` (the full inverse with
  ``np.linalg.inv`` on DataFrames, as ``IOSystem.calc_system`` does), then ``L.dot(F)``;
* ``setu``: ``IOTable.from_matrices`` then ``LeontiefModel(table).output(F)``: one LU
  factorisation (dense or sparse, chosen by ``setu.propagate.choose_method``), 2 triangular solves;
* ``setu-sparse`` (``--force-sparse``): Setu with the sparse LU forced, to show what fill-in costs;
* ``cupy-lu`` and ``cupy-inv`` when CuPy imports and a CUDA device is present: LU solve and
  inverse-then-multiply on the GPU, host-to-device and back included.

Each run happens in a fresh subprocess (``--repeat`` times, the fastest kept: shared machines
are noisy) that loads its inputs from disk and then resets the kernel's peak-RSS mark, so the
peak resident memory of the run (VmHWM) minus the memory held after loading is the extra memory
the method needed. All results are compared with pymrio's (largest difference relative to the largest
entry). Timings and ratios are printed and written to ``benchmarks/results/io_propagation.json``.

Synthetic systems have 9,800 sectors (EXIOBASE-sized), columns scaled to a total input share of
0.6 so that A is productive: ``synthetic-dense`` (every coefficient positive), ``synthetic-10pct``
(49 regions x 200 sectors, domestic blocks 50 % dense, trade blocks 9.2 %: 10 % overall) and
``synthetic-very-sparse`` (about 1.5 inputs per sector at random, where Setu picks the sparse LU).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse

RESULTS = Path(__file__).parent / "results" / "io_propagation.json"
#: Runs of under a second are repeated at least this often: on a shared machine one run is noise.
SMALL_CASE_REPEAT = 7


# ----------------------------------------------------------------------------- inputs
def synthetic_flows(regions: int, sectors: int, domestic: float, trade: float, seed: int) -> tuple:
    """Z (dense or sparse) and x for a productive synthetic MRIO of the given block densities."""
    rng = np.random.default_rng(seed)
    n = regions * sectors
    x = rng.uniform(100.0, 10_000.0, size=n)
    if domestic >= 1.0 and trade >= 1.0:
        A = rng.uniform(0.0, 1.0, size=(n, n))
        A *= 0.6 / A.sum(axis=0)
        return A * x[np.newaxis, :], x
    rows, cols = [], []
    for r in range(regions):
        for s in range(regions):
            share = domestic if r == s else trade
            i, j = np.nonzero(rng.random((sectors, sectors)) < share)
            rows.append(i + r * sectors)
            cols.append(j + s * sectors)
    i, j = np.concatenate(rows), np.concatenate(cols)
    A = scipy.sparse.csc_array((rng.uniform(0.0, 1.0, i.size), (i, j)), shape=(n, n))
    sums = np.asarray(A.sum(axis=0)).ravel()
    A = A @ scipy.sparse.diags_array(np.divide(0.6, sums, out=np.zeros(n), where=sums > 0))
    return scipy.sparse.csc_array(A @ scipy.sparse.diags_array(x)), x


def random_sparse_flows(n: int, per_column: float, seed: int) -> tuple:
    """Z and x with about ``per_column`` non-zero inputs per sector, placed at random."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(100.0, 10_000.0, size=n)
    A = scipy.sparse.random_array((n, n), density=per_column / n, format="csc", rng=rng)
    sums = np.asarray(A.sum(axis=0)).ravel()
    A = A @ scipy.sparse.diags_array(np.divide(0.6, sums, out=np.zeros(n), where=sums > 0))
    return scipy.sparse.csc_array(A @ scipy.sparse.diags_array(x)), x


def wiod_flows() -> tuple:
    from setu.sources.wiod import load_bundled

    io = load_bundled("wiod-2011")
    return io.Z.to_numpy(), io.x.to_numpy().ravel()


def write_case(folder: Path, Z, x: np.ndarray, scenarios: int, seed: int) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    n = x.shape[0]
    if scipy.sparse.issparse(Z):
        scipy.sparse.save_npz(folder / "Z.npz", scipy.sparse.csc_matrix(Z))
        nnz = Z.count_nonzero()
    else:
        np.save(folder / "Z.npy", np.ascontiguousarray(Z))
        nnz = int(np.count_nonzero(Z))
    np.save(folder / "x.npy", x)
    shocks = -np.random.default_rng(seed).uniform(0.0, 0.2, size=(n, scenarios)) * x[:, np.newaxis] * 0.1
    np.save(folder / "F.npy", shocks)
    return {"sectors": n, "scenarios": scenarios, "density_A": nnz / float(n * n)}


# ----------------------------------------------------------------------------- workers
def load_inputs(folder: Path):
    Z = scipy.sparse.load_npz(folder / "Z.npz").tocsc() if (folder / "Z.npz").exists() else np.load(folder / "Z.npy")
    return Z, np.load(folder / "x.npy"), np.load(folder / "F.npy")


def run_pymrio(folder: Path):
    import pandas as pd
    import pymrio

    Z, x, F = load_inputs(folder)
    Z = Z.toarray() if scipy.sparse.issparse(Z) else Z  # pymrio holds Z as a dense DataFrame
    index = pd.MultiIndex.from_arrays(
        [np.repeat("r", len(x)), np.arange(len(x)).astype(str)], names=["region", "sector"]
    )
    Z = pd.DataFrame(Z, index=index, columns=index, copy=False)
    x = pd.DataFrame(x, index=index, columns=["indout"], copy=False)
    F = pd.DataFrame(F, index=index, copy=False)
    baseline = start_memory_watch()
    start = time.perf_counter()
    A = pymrio.calc_A(Z, x)
    L = pymrio.calc_L(A)
    del A
    result = L.dot(F)
    seconds = time.perf_counter() - start
    return result.to_numpy(), seconds, peak_rss() - baseline, {}


def run_setu(folder: Path, method: str):
    from setu.propagate import IOTable, LeontiefModel

    Z, x, F = load_inputs(folder)
    baseline = start_memory_watch()
    start = time.perf_counter()
    f = x - np.asarray(Z.sum(axis=1)).ravel()
    table = IOTable.from_matrices(Z, f, x=x)
    model = LeontiefModel(table, method=method)
    result = model.output(F)
    seconds = time.perf_counter() - start
    info = {"factorisation": model.factorisation.method, "factor_fill": round(model.factorisation.factor_fill, 4)}
    return result.to_numpy(), seconds, peak_rss() - baseline, info


def run_cupy(folder: Path, how: str):
    import cupy as cp
    import cupyx.scipy.linalg as cpl

    Z, x, F = load_inputs(folder)
    Z = Z.toarray() if scipy.sparse.issparse(Z) else Z
    cp.cuda.Device(0).synchronize()
    pool = cp.get_default_memory_pool()
    start = time.perf_counter()
    Zg, xg, Fg = cp.asarray(Z), cp.asarray(x), cp.asarray(F)
    system = -(Zg / xg[cp.newaxis, :])
    del Zg
    system[cp.diag_indices(system.shape[0])] += 1.0
    if how == "lu":
        result = cpl.lu_solve(cpl.lu_factor(system, overwrite_a=True, check_finite=False), Fg, check_finite=False)
    else:
        result = cp.linalg.inv(system) @ Fg
    host = cp.asnumpy(result)
    cp.cuda.Device(0).synchronize()
    seconds = time.perf_counter() - start
    return (
        host,
        seconds,
        0,
        {"gpu_pool_bytes": int(pool.total_bytes()), "device": cp.cuda.runtime.getDeviceProperties(0)["name"].decode()},
    )


def memory_status(field: str) -> int:
    """A field of /proc/self/status (VmRSS, VmHWM) in bytes; 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def start_memory_watch() -> int:
    """Reset the peak-RSS mark (Linux clear_refs "5") and return the resident memory now, in bytes.

    Falls back to the process's lifetime peak (ru_maxrss) where the reset is not allowed.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return memory_status("VmRSS")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_rss() -> int:
    """Peak resident memory since :func:`start_memory_watch`, in bytes."""
    return memory_status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker(folder: Path, backend: str, output: Path) -> None:
    runners = {
        "pymrio": run_pymrio,
        "setu": lambda f: run_setu(f, "auto"),
        "setu-sparse": lambda f: run_setu(f, "sparse"),
        "cupy-lu": lambda f: run_cupy(f, "lu"),
        "cupy-inv": lambda f: run_cupy(f, "inv"),
    }
    result, seconds, extra_memory, info = runners[backend](folder)
    np.save(output, result)
    print(json.dumps({"seconds": seconds, "peak_extra_bytes": int(extra_memory), **info}))


def cupy_available() -> tuple[bool, str]:
    try:
        import cupy as cp

        count = cp.cuda.runtime.getDeviceCount()
    except Exception as error:  # ImportError, CUDA driver or runtime missing
        return False, f"cupy not usable: {type(error).__name__}: {error}".splitlines()[0]
    return (count > 0, f"{count} CUDA device(s)")


# ----------------------------------------------------------------------------- driver
def measure(folder: Path, backend: str, repeat: int) -> tuple[dict, np.ndarray]:
    """Best of ``repeat`` fresh-process runs (time and memory each taken as the minimum)."""
    output = folder / f"result-{backend}.npy"
    runs = []
    for _ in range(repeat):
        completed = subprocess.run(
            [sys.executable, __file__, "--worker", str(folder), backend, str(output)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{backend} failed:\n{completed.stderr[-2000:]}")
        runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda run: run["seconds"])
    best["all_seconds"] = [round(run["seconds"], 3) for run in runs]
    best["peak_extra_bytes"] = min(run["peak_extra_bytes"] for run in runs)
    return best, np.load(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,450-sector synthetic systems instead of 9,800")
    parser.add_argument("--scenarios", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="fresh-process runs per backend; the fastest is kept")
    parser.add_argument("--force-sparse", action="store_true", help="also time Setu with the sparse LU forced")
    parser.add_argument("--cases", nargs="*", help="run only these cases, updating them in an existing results file")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--worker", nargs=3, metavar=("FOLDER", "BACKEND", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), args.worker[1], Path(args.worker[2]))
        return

    regions, sectors = (49, 50) if args.quick else (49, 200)
    cases = {
        "wiod-2011": wiod_flows,
        "synthetic-dense": lambda: synthetic_flows(regions, sectors, 1.0, 1.0, seed=1),
        "synthetic-10pct": lambda: synthetic_flows(regions, sectors, 0.5, 0.092, seed=2),
        "synthetic-very-sparse": lambda: random_sparse_flows(regions * sectors, 1.5, seed=3),
    }
    gpu, gpu_note = cupy_available()
    backends = (
        ["pymrio", "setu"] + (["setu-sparse"] if args.force_sparse else []) + (["cupy-lu", "cupy-inv"] if gpu else [])
    )
    print(f"backends: {', '.join(backends)}  (GPU: {gpu_note})", flush=True)
    report = {
        "benchmark": "io_propagation",
        "what": "Leontief output changes for k shock vectors: Setu factorise-once vs pymrio calc_A/calc_L/L.dot",
        "machine": {"platform": platform.platform(), "processor": platform.processor(), "cpus": os.cpu_count()},
        "versions": versions(),
        "backends_run": backends,
        "gpu": gpu_note,
        "cases": {},
    }
    with tempfile.TemporaryDirectory(prefix="setu-bench-") as tmp:
        for name, build in cases.items():
            if args.cases and name not in args.cases:
                continue
            Z, x = build()
            folder = Path(tmp) / name
            case = write_case(folder, Z, x, args.scenarios, seed=11)
            del Z, x
            print(
                f"\n{name}: {case['sectors']} sectors, density of A {case['density_A']:.4f}, "
                f"{case['scenarios']} scenarios",
                flush=True,
            )
            reference = None
            for backend in backends:
                repeat = max(args.repeat, SMALL_CASE_REPEAT) if case["sectors"] < 3_000 else args.repeat
                timing, result = measure(folder, backend, repeat)
                if reference is None:
                    reference = result
                timing["max_relative_difference_vs_pymrio"] = float(
                    np.max(np.abs(result - reference)) / np.max(np.abs(reference))
                )
                case[backend] = timing
                print(
                    f"  {backend:12s} {timing['seconds']:8.2f} s"
                    f"  peak extra memory {timing['peak_extra_bytes'] / 2**20:9.1f} MiB"
                    f"  diff {timing['max_relative_difference_vs_pymrio']:.1e}  {extra(timing)}",
                    flush=True,
                )
            base = case["pymrio"]
            for backend in backends[1:]:
                case[backend]["speedup_vs_pymrio"] = round(base["seconds"] / case[backend]["seconds"], 2)
                if case[backend]["peak_extra_bytes"] > 0:
                    case[backend]["memory_ratio_vs_pymrio"] = round(
                        case[backend]["peak_extra_bytes"] / base["peak_extra_bytes"], 3
                    )
                print(
                    f"  {backend}: speed-up over pymrio {case[backend]['speedup_vs_pymrio']}x"
                    + (
                        f", {case[backend]['memory_ratio_vs_pymrio']:.2f} of its peak extra memory"
                        if "memory_ratio_vs_pymrio" in case[backend]
                        else ""
                    )
                )
            report["cases"][name] = case
    if args.cases and args.output.exists():  # a partial run updates its cases, keeps the others
        previous = json.loads(args.output.read_text())
        report["cases"] = {**previous.get("cases", {}), **report["cases"]}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten {args.output}")


def extra(timing: dict) -> str:
    keys = ("factorisation", "factor_fill", "device", "gpu_pool_bytes")
    return " ".join(f"{key}={timing[key]}" for key in keys if key in timing)


def versions() -> dict:
    import pandas
    import pymrio
    import scipy

    found = {
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pandas.__version__,
        "pymrio": pymrio.__version__,
    }
    try:
        import cupy

        found["cupy"] = cupy.__version__
    except Exception:
        pass
    return found


if __name__ == "__main__":
    main()
