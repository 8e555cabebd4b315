"""Benchmark: each everyday `setu` command from the shell, against its floor process, before and after.

    python benchmarks/cli_latency.py                          # this checkout, 5 fresh processes per command
    python benchmarks/cli_latency.py --runs 9 --only dependence
    git worktree add ../setu-before 409a708                   # any older Setu, checked out apart
    python benchmarks/cli_latency.py --before-src ../setu-before

Each command runs in a fresh process (as an analyst's shell runs it), ``--runs`` times, over a temporary data
directory whose reference catalog is built and whose bundled trade extract is loaded first (one-time costs,
timed apart), and each is run once more before timing (so that what a command keeps, it has kept). Beside each
command runs its *floor*: a Python process that imports DuckDB and answers the same question on the same
files of the same data directory (the trade catalog's Parquet, the reference catalog's DuckDB file), written as
a competent user would write it by hand (one SQL query or two, no framework). ``ratio`` is the command's median
wall time over its floor's. A command without floor code of its own is set against ``python -c "import duckdb"``.

``--before-src DIR`` runs the same commands with the ``src`` of another checkout first on ``PYTHONPATH`` (in a
data directory of its own, prepared by that code), interleaved with this checkout's runs and the floors', so
that both sides see the same machine load. Which heavy libraries each command imported is recorded from
``sys.modules`` at exit. Bytecode is kept for both sides (``PYTHONPYCACHEPREFIX`` under each data directory),
as it is for an installed Setu, whatever ``PYTHONDONTWRITEBYTECODE`` says.

Aims (issue 29; measured here, not asserted): every everyday answer within 1.5x of its floor and under 0.5 s
on an idle machine. Writes ``benchmarks/results/cli_latency.json`` with the machine's load average.

To add a command, append a :class:`Command` to ``COMMANDS``: its name, its ``setu`` arguments and its floor
code (run after ``FLOOR_PRELUDE``, which gives ``con``, ``trade_files()``, ``catalog()`` and ``emit()``).
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
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "cli_latency.json"
HERE_SRC = Path(__file__).resolve().parent.parent / "src"
HEAVY = ("pandas", "ibis", "pyarrow", "numpy", "scipy", "statsmodels", "networkx", "pymrio", "matplotlib",
         "plotly", "fastapi", "pyspark", "sqlalchemy", "duckdb")
#: runs the CLI as the console script does; prints the heavy modules imported to stderr's last line
PROBE = ("import atexit, sys\n"
         "atexit.register(lambda: print('IMPORTED ' + ' '.join(m for m in {heavy!r} if m in sys.modules), "
         "file=sys.stderr))\n"
         "from setu.cli.main import run\n"
         "sys.argv = ['setu', *sys.argv[1:]]\n"
         "run()\n")

#: what every floor process starts with: DuckDB, the latest BACI year's files from the trade manifest, the
#: reference catalog opened read-only, and a JSON printer (the floor prints its answer, as the command does)
FLOOR_PRELUDE = '''
import json, os, sys
import duckdb
DATA = os.environ["SETU_DATA_DIR"]
con = duckdb.connect()
def trade_files(year=None):
    with open(os.path.join(DATA, "trade", "manifest.json"), encoding="utf-8") as handle:
        held = [d for d in json.load(handle)["datasets"] if d["source"] == "baci"]
    own = [d for d in held if not d["bundled"]] or held
    year = year or max(d["year"] for d in own)
    return year, [os.path.join(DATA, "trade", f) for d in held if d["year"] == year for f in d["files"]]
def catalog():
    return duckdb.connect(os.path.join(DATA, "catalog.duckdb"), read_only=True)
def emit(document):
    sys.stdout.write(json.dumps(document, default=str) + "\\n")
'''


@dataclass(frozen=True)
class Command:
    """One benchmarked command: a name, the ``setu`` arguments, and the floor code (None: ``import duckdb``)."""

    name: str
    argv: tuple[str, ...]
    floor: str | None = None


FLOOR_DEPENDENCE_PRODUCT = '''
year, files = trade_files()
rows = con.execute("""
    with s as (select exporter, sum(value_usd) v, sum(quantity_tonnes) q from read_parquet($files)
               where importer = $importer and product = $product and (flow is null or flow = 'M')
               group by exporter having sum(value_usd) > 0)
    select exporter, v, v / sum(v) over () share, q,
           round(10000 * sum(v * v) over () / (sum(v) over ()) ^ 2, 6) hhi, count(*) over () n
    from s order by v desc, exporter""", {"files": files, "importer": "JPN", "product": "850511"}).fetchall()
median = con.execute("""
    select exp(median(ln(value_usd / (quantity_tonnes * 1000)))), count(*) from read_parquet($files)
    where product = $product and quantity_tonnes > 0 and value_usd > 0""",
    {"files": files, "product": "850511"}).fetchone()
emit({"year": year, "hhi": rows[0][4], "suppliers": rows, "world_median_usd_per_kg": median[0]})
'''

FLOOR_DEPENDENCE_ALL = '''
year, files = trade_files()
codes = [r[0] for r in con.execute("""select distinct product from read_parquet($files)""",
                                   {"files": files}).fetchall()]
products = con.execute("""
    with s as (select product, exporter, sum(value_usd) v, sum(quantity_tonnes) q from read_parquet($files)
               where importer = $importer and (flow is null or flow = 'M')
               group by product, exporter having sum(value_usd) > 0),
         t as (select *, v / sum(v) over (partition by product) share,
                      row_number() over (partition by product order by v desc, exporter) - 1 rank from s)
    select product, sum(v), sum(q), count(*), round(10000 * sum(share * share), 6),
           list(exporter order by rank) filter (where rank < 3), list(share order by rank) filter (where rank < 3)
    from t group by product order by sum(v) desc, product""", {"files": files, "importer": "JPN"}).fetchall()
medians = con.execute("""
    select product, exp(median(ln(value_usd / (quantity_tonnes * 1000)))), count(*) from read_parquet($files)
    where quantity_tonnes > 0 and value_usd > 0 group by product""", {"files": files}).fetchall()
production = catalog().execute("""
    select material_id, series, year, iso3, value from current_observations
    where measure = 'production' and iso3 is not null and value is not null""").fetchall()
emit({"year": year, "products": products, "medians": medians, "production_rows": len(production)})
'''

FLOOR_SUPPLY_RISK = '''
year, files = trade_files()
codes = ["811292"]
partners = con.execute("""
    select exporter, sum(quantity_tonnes), sum(value_usd), count(*) filter (where quantity_tonnes is null)
    from read_parquet($files) where product in (select unnest($codes)) and importer = 'JPN' and exporter <> 'JPN'
    group by exporter order by exporter""", {"files": files, "codes": codes}).fetchall()
exports = con.execute("""
    select sum(quantity_tonnes) from read_parquet($files)
    where product in (select unnest($codes)) and exporter = 'JPN' and importer <> 'JPN'""",
    {"files": files, "codes": codes}).fetchone()
reference = catalog()
production = reference.execute("""
    select iso3, year, value from current_observations where material_id = 'gallium' and iso3 is not null
    and value is not null and year = (select max(year) from current_observations where material_id = 'gallium'
    and iso3 is not null and value is not null)""").fetchall()
governance = reference.execute("select iso3, wgi_risk from governance").fetchall()
emit({"partners": partners, "exports": exports[0], "production": production, "governance": len(governance)})
'''

FLOOR_COMPLEMENTARITY = '''
year, files = trade_files()
rows = con.execute("""
    with f as (select exporter, importer, product, sum(value_usd) v from read_parquet($files)
               where (flow is null or flow = 'M') group by all having sum(value_usd) > 0),
         imp as (select importer, product, sum(v) total, round(10000 * sum(v * v) / sum(v) ^ 2, 6) hhi,
                        arg_max(exporter, v) top from f where importer in ('JPN', 'IND') group by all),
         ex as (select exporter, product, sum(v) exports from f where exporter in ('JPN', 'IND') group by all),
         own as (select importer, product, sum(v) imports from f where importer in ('JPN', 'IND') group by all)
    select ex.exporter, imp.importer, imp.product, imp.hhi, imp.top, ex.exports,
           ex.exports - coalesce(own.imports, 0) net
    from imp join ex on ex.product = imp.product and ex.exporter <> imp.importer
    left join own on own.importer = ex.exporter and own.product = ex.product
    order by imp.product, ex.exporter""", {"files": files}).fetchall()
emit({"year": year, "rows": rows})
'''

FLOOR_CONCENTRATION = '''
rows = catalog().execute("""
    select iso3, value from current_observations where material_id = 'gallium' and iso3 is not null
    and value is not null and year = (select max(year) from current_observations where material_id = 'gallium'
    and iso3 is not null and value is not null)""").fetchall()
total = sum(v for _, v in rows)
emit({"hhi": 10000 * sum((v / total) ** 2 for _, v in rows), "shares": rows})
'''

#: the submarine-cables pack as a user reads it: one row per cable and landing country (cables in service)
FLOOR_CABLES_PRELUDE = """
PACK = os.path.join(DATA, "datapacks", "submarine-cables")
con.execute(f\"\"\"create table landing as
    select distinct c.id cable, c.name, p.country from (
        select id, name, unnest(landing_points).id station from read_json_auto('{PACK}/cables.jsonl')
        where not coalesce(is_planned, false)) c
    join read_json_auto('{PACK}/landing_points.jsonl') p on p.id = c.station\"\"\")
"""

FLOOR_CABLES_COUNTRY = FLOOR_CABLES_PRELUDE + """
rows = con.execute(\"\"\"select b.country, count(*) n, list(a.name order by a.name) from landing a
    join landing b on a.cable = b.cable and b.country <> a.country where a.country = 'Japan'
    group by b.country order by n desc, b.country\"\"\").fetchall()
emit({"country": "Japan", "rows": rows})
"""

FLOOR_CABLES_ROUTES = FLOOR_CABLES_PRELUDE + """
direct = con.execute(\"\"\"select a.name from landing a join landing b on a.cable = b.cable
    where a.country = 'Japan' and b.country = 'India' order by a.name\"\"\").fetchall()
two = con.execute(\"\"\"select a.name, t.country, d.name from landing a
    join landing t on t.cable = a.cable and t.country not in ('Japan', 'India')
    join landing m on m.country = t.country and m.cable <> a.cable
    join landing d on d.cable = m.cable and d.country = 'India'
    where a.country = 'Japan' order by 1, 2, 3\"\"\").fetchall()
emit({"direct": direct, "two_cable_routes": len(two)})
"""

FLOOR_CABLES_CUT = FLOOR_CABLES_PRELUDE + """
rows = con.execute(\"\"\"with pairs as (select a.country x, b.country y, count(*) before,
        count(*) filter (where a.cable <> 'seamewe-3') after from landing a
        join landing b on a.cable = b.cable and a.country < b.country group by all)
    select * from pairs where (x, y) in (select a.country, b.country from landing a join landing b
        on a.cable = b.cable and a.country < b.country where a.cable = 'seamewe-3')
    order by after = 0 desc, x, y\"\"\").fetchall()
emit({"pairs": rows, "losing_all_direct": [r[:2] for r in rows if r[3] == 0]})
"""

FLOOR_WATCH_DIGEST = """
import importlib.resources
csv_path = str(importlib.resources.files("setu").joinpath("data", "watch", "china_exports_hs6_monthly.csv"))
rows = con.execute(\"\"\"with m as (select hs6, strftime(period_dt, '%Y-%m') mon, sum(val) v
        from read_csv_auto($path) where period_dt <= '2024-12-01' group by all),
    z as (select *, median(v) over w med from m
        window w as (partition by hs6 order by mon rows between 24 preceding and 1 preceding))
    select hs6, mon, v, med, v / nullif(med, 0) - 1 change from z where mon between '2024-10' and '2024-12'
    order by hs6, mon\"\"\", {"path": csv_path}).fetchall()
emit({"rows": rows})
"""

FLOOR_SCENARIO_RUN = """
import importlib.resources, yaml
data = importlib.resources.files("setu").joinpath("data")
scenario = yaml.safe_load(data.joinpath("scenarios", "china-gallium.yaml").read_text(encoding="utf-8"))
chain = yaml.safe_load(data.joinpath("maps", scenario["map"] + ".yaml").read_text(encoding="utf-8"))
emit({"scenario": scenario.get("id"), "nodes": len(chain["nodes"]), "shocks": len(scenario.get("shocks", []))})
"""

FLOOR_MAP_VULNERABILITIES = """
import importlib.resources, yaml
chain = yaml.safe_load(importlib.resources.files("setu").joinpath("data", "maps", MAP + ".yaml").read_text(encoding="utf-8"))
reference = catalog()
scores = {}
for node in chain["nodes"]:
    usgs = (node.get("supply") or {}).get("usgs")
    if usgs:
        values = [v for (v,) in reference.execute(\"\"\"select value from current_observations where material_id = ?
            and series = ? and year = ? and measure = 'production' and iso3 is not null and value > 0\"\"\",
            [usgs["material"], usgs["series"], usgs["year"]]).fetchall()]
        total = sum(values)
        scores[node["id"]] = 10000 * sum((v / total) ** 2 for v in values) if total else None
emit({"map": chain.get("id"), "hhi": scores})
"""


def floor_map(map_id: str) -> str:
    """The map floor for one bundled map: its YAML read, each USGS-referenced node's HHI from the catalog."""
    return f"MAP = {map_id!r}\n" + FLOOR_MAP_VULNERABILITIES

COMMANDS: list[Command] = [
    Command("help", ("--help",)),
    Command("concentration", ("concentration", "gallium", "--json"), FLOOR_CONCENTRATION),
    Command("rank", ("rank", "--top", "10", "--json")),
    Command("dependence one product", ("dependence", "JPN", "--product", "850511", "--json"),
            FLOOR_DEPENDENCE_PRODUCT),
    Command("dependence all products", ("dependence", "JPN", "--json"), FLOOR_DEPENDENCE_ALL),
    Command("supply-risk", ("supply-risk", "gallium", "--for", "JPN", "--json"), FLOOR_SUPPLY_RISK),
    Command("complementarity", ("complementarity", "JPN", "IND", "--json"), FLOOR_COMPLEMENTARITY),
    Command("map vulnerabilities", ("maps", "vulnerabilities", "ict", "--json"), floor_map("ict")),
    *(Command(f"map vulnerabilities {m}", ("maps", "vulnerabilities", m, "--json"), floor_map(m))
      for m in ("semiconductors", "pharmaceuticals", "batteries")),
    Command("scenario run", ("scenario", "run", "china-gallium", "--json"), FLOOR_SCENARIO_RUN),
    Command("watch digest", ("watch", "digest", "--until", "2024-12", "--json"), FLOOR_WATCH_DIGEST),
    Command("cables country", ("cables", "country", "JPN", "--json"), FLOOR_CABLES_COUNTRY),
    Command("cables routes", ("cables", "routes", "JPN", "IND", "--json"), FLOOR_CABLES_ROUTES),
    Command("cables cut", ("cables", "cut", "--cable", "SeaMeWe-3", "--json"), FLOOR_CABLES_CUT),
]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, list[str]]:
    """Wall seconds, CPU seconds (user + system) and heavy modules imported, of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[3:])[:200]}: exit {done.returncode}\n{done.stderr[-2000:]}")
    marker = [line for line in done.stderr.splitlines() if line.startswith("IMPORTED")]
    imported = marker[-1].split()[1:] if marker else []
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), imported


def summary(samples: list[tuple[float, float, list[str]]]) -> dict[str, object]:
    return {"wall_median_s": round(statistics.median(s[0] for s in samples), 3),
            "wall_min_s": round(min(s[0] for s in samples), 3),
            "cpu_median_s": round(statistics.median(s[1] for s in samples), 3),
            "imported": samples[-1][2]}


def setu(*args: str) -> list[str]:
    return [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args]


def floor_argv(command: Command) -> list[str]:
    return [sys.executable, "-c", "import duckdb" if command.floor is None else FLOOR_PRELUDE + command.floor]


def environment(src: Path, data_dir: str) -> dict[str, str]:
    """The environment of one side: its ``src`` first on the path, its own data directory, and bytecode kept
    (apart, under the data directory) as an installed package keeps it, even where the shell says not to."""
    env = {**os.environ, "PYTHONPATH": str(src), "SETU_DATA_DIR": data_dir,
           "PYTHONPYCACHEPREFIX": str(Path(data_dir) / ".pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def prepare(env: dict[str, str]) -> dict[str, float]:
    """Build the reference catalog, load the bundled trade extract (one-time costs, timed) and add the
    submarine-cables pack."""
    start = time.perf_counter()
    run_once(setu("catalog", "build"), env)
    catalog_s = time.perf_counter() - start
    start = time.perf_counter()
    run_once(setu("trade", "sources", "--json"), env)  # the first trade question loads the bundled extract
    trade_s = time.perf_counter() - start
    run_once(setu("data", "add", "submarine-cables"), env)  # the optional pack the `cables` commands read
    return {"catalog_build_s": round(catalog_s, 3), "trade_load_s": round(trade_s, 3)}


def ratio(numerator: dict[str, object] | None, denominator: dict[str, object]) -> float | None:
    if numerator is None:
        return None
    return round(float(numerator["wall_median_s"]) / float(denominator["wall_median_s"]), 2)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per command (median reported)")
    parser.add_argument("--before-src", type=Path, default=None,
                        help="another checkout (a git worktree of an older commit) to measure beside this one")
    parser.add_argument("--only", action="append", default=[], help="run only commands whose name contains this")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    commands = [c for c in COMMANDS if not args.only or any(word in c.name for word in args.only)]
    before_src = (args.before_src.resolve() / "src") if args.before_src else None
    with tempfile.TemporaryDirectory(prefix="setu-cli-after-") as after_dir, \
            tempfile.TemporaryDirectory(prefix="setu-cli-before-") as before_dir:
        sides = {"after": environment(HERE_SRC, after_dir)}
        if before_src is not None:
            sides["before"] = environment(before_src, before_dir)
        setup = {side: prepare(env) for side, env in sides.items()}
        load_before = os.getloadavg()[0]
        base = summary([run_once([sys.executable, "-c", "import duckdb"], sides["after"]) for _ in range(args.runs)])
        print(f"{'python -c import duckdb':26s} {base['wall_median_s']:6.3f} s")
        header = f"{'command':26s} {'floor':>7s} {'after':>7s} {'ratio':>6s}"
        print(header + (f" {'before':>7s} {'ratio':>6s}" if before_src else "") + "  imported (after)")
        rows = []
        for command in commands:
            argv = setu(*command.argv)
            floor = floor_argv(command)
            for env in sides.values():  # once untimed: what the command keeps between runs, it has kept
                run_once(argv, env)
            run_once(floor, sides["after"])
            samples: dict[str, list] = {"floor": [], **{side: [] for side in sides}}
            for _ in range(args.runs):  # interleaved, so that each side sees the same load
                samples["floor"].append(run_once(floor, sides["after"]))
                for side, env in sides.items():
                    samples[side].append(run_once(argv, env))
            measured = {key: summary(value) for key, value in samples.items()}
            row = {"command": command.name, "argv": ["setu", *command.argv],
                   "floor_kind": "own query" if command.floor else "python -c 'import duckdb'",
                   "floor": measured["floor"], "after": measured["after"],
                   "ratio_after": ratio(measured["after"], measured["floor"]),
                   "before": measured.get("before"), "ratio_before": ratio(measured.get("before"), measured["floor"])}
            rows.append(row)
            line = (f"{command.name:26s} {measured['floor']['wall_median_s']:6.3f}s "
                    f"{measured['after']['wall_median_s']:6.3f}s {row['ratio_after']:5.2f}x")
            if before_src:
                line += f" {measured['before']['wall_median_s']:6.3f}s {row['ratio_before']:5.2f}x"
            print(line + "  " + " ".join(measured["after"]["imported"]))  # type: ignore[arg-type]
    result_document = {
        "benchmark": "cli_latency",
        "runs": args.runs,
        "setup": setup,
        "before": "the src of another checkout, given with --before-src" if before_src else None,
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_average_1m_before": round(load_before, 2), "load_average_1m_after": round(os.getloadavg()[0], 2)},
        "aims": "each everyday answer within 1.5x of its floor and under 0.5 s on an idle machine "
                "(measured, not asserted)",
        "python_import_duckdb": base,
        "commands": rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result_document, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
