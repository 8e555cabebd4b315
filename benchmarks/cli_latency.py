"""Benchmark: how long a `setu` command takes from the shell, against the floor of starting Python with DuckDB.

One command:

    python benchmarks/cli_latency.py              # 5 fresh processes per command (median reported)
    python benchmarks/cli_latency.py --runs 9

Each command runs in a fresh process (as an analyst's shell runs it), ``--runs`` times, over a temporary data
directory whose reference catalog is built first and whose trade catalog is loaded first (both timed apart:
they are one-time costs). For each command it reports the median wall time, the median CPU time of the
process (user + system, steadier than wall time on a shared machine) and the ratio of the median wall time
to the floor: ``python -c "import duckdb"``, measured the same way in the same run. Which of the heavy
libraries the command imported is recorded too (from ``sys.modules`` at exit).

The trade look-up uses the bundled BACI extract when this Setu has one; otherwise (an older Setu, or
``--own-trade``) a three-row BACI file is imported, so the look-up measures start-up and the engine, not data.

Aims (on an idle 2-core machine; measured here, not asserted): ``setu --help`` <= 0.3 s, look-ups <= 0.8 s.
Writes ``benchmarks/results/cli_latency.json`` with the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "cli_latency.json"
HEAVY = ("pandas", "ibis", "pyarrow", "numpy", "scipy", "statsmodels", "networkx", "pymrio", "matplotlib",
         "plotly", "fastapi", "pyspark", "sqlalchemy", "duckdb")
#: runs the CLI as the console script does; prints the heavy modules imported to stderr's last line
PROBE = ("import atexit, sys\n"
         "atexit.register(lambda: print('IMPORTED ' + ' '.join(m for m in {heavy!r} if m in sys.modules), "
         "file=sys.stderr))\n"
         "from setu.cli.main import run\n"
         "sys.argv = ['setu', *sys.argv[1:]]\n"
         "run()\n")
#: (name, arguments); the floor is measured apart
COMMANDS = [
    ("help", ["--help"]),
    ("concentration", ["concentration", "gallium", "--json"]),
    ("rank", ["rank", "--top", "10", "--json"]),
    ("dependence (trade data)", ["dependence", "JPN", "--product", "{product}", "--json"]),
    ("map vulnerabilities", ["maps", "vulnerabilities", "ict", "--json"]),
    ("scenario run", ["scenario", "run", "china-gallium", "--json"]),
]
BACI_ROWS = "t,i,j,k,v,q\n2022,156,392,810420,100.5,2\n2022,842,392,810420,50.25,1\n2022,156,699,810420,10,1\n"


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, list[str]]:
    """Wall seconds, CPU seconds (user + system) and heavy modules imported, of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[3:])}: exit {done.returncode}\n{done.stderr[-2000:]}")
    marker = [line for line in done.stderr.splitlines() if line.startswith("IMPORTED")]
    imported = marker[-1].split()[1:] if marker else []
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), imported


def measure(argv: list[str], env: dict[str, str], runs: int) -> dict[str, object]:
    samples = [run_once(argv, env) for _ in range(runs)]
    return {"wall_median_s": round(statistics.median(s[0] for s in samples), 3),
            "wall_min_s": round(min(s[0] for s in samples), 3),
            "cpu_median_s": round(statistics.median(s[1] for s in samples), 3),
            "imported": samples[-1][2]}


def setu(*args: str) -> list[str]:
    return [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args]


def has_bundled_trade(env: dict[str, str]) -> bool:
    """Whether the Setu on the path bundles a BACI extract (asked in a child, which sees the same path)."""
    check = ("from importlib import resources; import sys; "
             "sys.exit(0 if (resources.files('setu') / 'data' / 'baci').is_dir() else 1)")
    return subprocess.run([sys.executable, "-c", check], env=env, check=False).returncode == 0


def prepare(data_dir: Path, env: dict[str, str], own_trade: bool) -> dict[str, object]:
    """Build the catalog and load trade data once, timed; returns what the trade look-up asks."""
    start = time.perf_counter()
    run_once(setu("catalog", "build"), env)
    catalog_s = time.perf_counter() - start
    product = "811292"  # gallium, in the bundled extract
    start = time.perf_counter()
    bundled = not own_trade and has_bundled_trade(env)
    if bundled:
        run_once(setu("dependence", "JPN", "--product", product, "--json"), env)  # first run loads the extract
    else:
        env["SETU_BUNDLED_TRADE"] = "0"
        baci = data_dir / "BACI_HS17_Y2022_V202301.csv"
        baci.write_text(BACI_ROWS, encoding="utf-8")
        run_once(setu("import", "baci", str(baci)), env)
        product = "810420"
    return {"catalog_build_s": round(catalog_s, 3), "trade_load_s": round(time.perf_counter() - start, 3),
            "trade_data": "bundled BACI extract" if bundled else "three-row BACI file", "product": product}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per command (median reported)")
    parser.add_argument("--own-trade", action="store_true", help="import a three-row BACI file, not the bundled one")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="setu-cli-bench-") as folder:
        env = {**os.environ, "SETU_DATA_DIR": folder}
        setup = prepare(Path(folder), env, args.own_trade)
        load_before = os.getloadavg()[0]
        floor = measure([sys.executable, "-c", "import duckdb"], env, args.runs)
        print(f"{'floor: python -c import duckdb':34s} wall {floor['wall_median_s']:6.3f} s  cpu {floor['cpu_median_s']:6.3f} s")
        rows = []
        for name, template in COMMANDS:
            argv = [part.format(product=setup["product"]) for part in template]
            result = measure(setu(*argv), env, args.runs)
            ratio = round(float(result["wall_median_s"]) / float(floor["wall_median_s"]), 2)  # type: ignore[arg-type]
            rows.append({"command": name, "argv": ["setu", *argv], **result, "ratio_to_floor": ratio})
            print(f"{name:34s} wall {result['wall_median_s']:6.3f} s  cpu {result['cpu_median_s']:6.3f} s  "
                  f"x{ratio:5.2f} floor   {' '.join(result['imported'])}")  # type: ignore[arg-type]
    result_document = {
        "benchmark": "cli_latency",
        "runs": args.runs,
        "setup": setup,
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_average_1m_before": round(load_before, 2), "load_average_1m_after": round(os.getloadavg()[0], 2)},
        "aims": "setu --help <= 0.3 s, look-ups <= 0.8 s on an idle 2-core machine (measured, not asserted)",
        "floor": {"command": "python -c 'import duckdb'", **floor},
        "commands": rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result_document, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
