"""The trade analytics on a real Spark cluster: a standalone master and worker and a Spark Connect server,
started on loopback from PySpark's own launchers (conftest ``spark_cluster``).

* Four engines — DuckDB, local Spark, the standalone cluster (a driver in a child process: a process holds
  one classic Spark session) and Spark Connect — give exactly the same answers, ties included.
* On the cluster the worker's executor reads the Parquet files itself: the driver's REST API shows every
  row of a four-year query read by an executor and none by the driver.
* Failures name what is wrong within a bounded time: an unreachable master or server, a master without
  workers, executors that cannot read the files (the catalog given to Spark as ``/proc/self/cwd/…``: a
  path that only the driver and the Connect server, started in the cluster's folder, resolve; executors
  run in the worker's folder).

Leave them out with ``pytest -m "not spark_cluster"``; CI runs them.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from setu.errors import EngineError
from setu.services.trade import TradeService
from setu.store.spark import spark_session
from setu.store.trade import TradeCatalog, TradeEngine
from .engine_questions import answers, years_concentration
from .spark_cluster import free_ports

pytestmark = [pytest.mark.spark, pytest.mark.spark_cluster]

HERE = Path(__file__).resolve().parent
BENCHMARK = HERE.parents[1] / "benchmarks" / "trade_engines.py"
YEARS, ROWS_PER_YEAR = 4, 3_000
#: the years catalog as only a process whose working directory is the cluster's folder finds it
UNSHARED_URL = "file:///proc/self/cwd/years/trade"
TIMEOUT_S = 120.0  # Setu's time to reach the cluster and run its probe job
IDLE_TIMEOUT_S = 8.0  # ... on the master without workers: the test waits this long for the error


def bounded(call, limit_s: float = 300.0):
    """``call()``'s result or exception, or a test failure if it has neither after ``limit_s`` seconds."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the caller
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit_s)
    if thread.is_alive():
        pytest.fail(f"no answer and no error within {limit_s:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture(scope="module")
def years_root(spark_cluster) -> Path:
    """Four keyed BACI-shaped years (the benchmark's generator) in the cluster's folder."""
    spec = importlib.util.spec_from_file_location("trade_engines_benchmark", BENCHMARK)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    root = spark_cluster.base / "years" / "trade"
    bench.generate_catalog(root, ROWS_PER_YEAR, YEARS, seed=17, countries=30, products=200, log=lambda _: None)
    return root


@pytest.fixture(scope="module")
def driver_report(spark_cluster, loaded_settings, years_root) -> dict:
    """What the child driver (cluster_driver.py) saw on the standalone cluster."""
    job = {"data_dir": str(loaded_settings.data_dir), "years_root": str(years_root),
           "master": spark_cluster.master_url, "timeout_s": TIMEOUT_S, "unshared_url": UNSHARED_URL,
           "idle_master": spark_cluster.idle_master_url, "idle_timeout_s": IDLE_TIMEOUT_S}
    completed = subprocess.run([sys.executable, str(HERE / "cluster_driver.py"), json.dumps(job)],
                               cwd=spark_cluster.base, env=spark_cluster.driver_env(), capture_output=True,
                               text=True, timeout=900, check=False)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("REPORT ")]
    assert completed.returncode == 0 and lines, completed.stdout[-3000:] + completed.stderr[-6000:]
    return json.loads(lines[-1][len("REPORT "):])


@pytest.fixture(scope="module")
def connect_service(spark_cluster, loaded_settings):
    settings = dataclasses.replace(loaded_settings, spark_timeout_s=TIMEOUT_S)
    return TradeService(settings, engine="spark", spark_master=spark_cluster.connect_url)


def connect_engine(spark_cluster, root: Path, url: str | None = None) -> TradeEngine:
    return TradeEngine(TradeCatalog(root), "spark", spark_cluster.connect_url, spark_catalog_url=url,
                       spark_timeout_s=TIMEOUT_S)


def test_four_engines_agree_exactly(loaded_settings, spark_service, connect_service, driver_report, years_root,
                                    spark_cluster):
    expected = answers(TradeService(loaded_settings, engine="duckdb"))
    dependence = expected["dependence"]
    assert [(s["country"], s["value"], s["share"]) for s in dependence["suppliers"]] == \
        [("CHN", 600_000, 0.6), ("USA", 300_000, 0.3), ("TWN", 100_000, 0.1)]
    assert (dependence["hhi"], dependence["group_share"]) == (4600.0, 0.7)
    # AUS and DEU both sell IND 40,000 of 010121: ISO3 order puts AUS first
    assert [s["country"] for s in expected["dependence_tie"]["suppliers"]][:2] == ["AUS", "DEU"]
    top = {(r["importer"], r["product"]): (r["hhi"], r["top_supplier"]) for r in expected["concentration"]}
    assert top["IND", "010121"] == (3600.0, "AUS")
    assert [(r["product"], r["hhi"]) for r in expected["converted"]] == [("041000", 5000.0)]

    assert answers(spark_service) == expected, "local Spark"
    assert bounded(lambda: answers(connect_service)) == expected, "Spark Connect"
    assert driver_report["master"] == spark_cluster.master_url
    assert driver_report["answers"] == expected, "standalone cluster"

    years = years_concentration(TradeEngine(TradeCatalog(years_root), "duckdb"))
    assert {r["year"] for r in years} == {2013, 2014, 2015, 2016} and len(years) > 1000
    assert years_concentration(TradeEngine(TradeCatalog(years_root), "spark")) == years, "local Spark"
    assert bounded(lambda: years_concentration(connect_engine(spark_cluster, years_root))) == years, "Connect"
    assert driver_report["years"] == years, "standalone cluster"


def test_the_workers_executor_reads_the_parquet_not_the_driver(driver_report, years_root):
    datasets = TradeCatalog(years_root).datasets()
    assert len(datasets) == YEARS and sum(len(d.files) for d in datasets) == YEARS
    executors = {e["id"]: e for e in driver_report["executors"]}
    assert executors.pop("driver")["totalInputBytes"] == 0
    assert executors and all(e["hostPort"].startswith("127.0.0.1:") for e in executors.values())
    assert sum(e["totalInputBytes"] for e in executors.values()) > 0
    # the four-year query's stages read every row of the four files, on the executors
    stages = driver_report["years_stages"]
    assert sum(s["inputRecords"] for s in stages) == YEARS * ROWS_PER_YEAR == sum(d.rows for d in datasets)
    assert sum(s["inputBytes"] for s in stages) > 0


def test_unreachable_master_or_server_is_named_at_once():
    closed = free_ports(1)[0]  # nothing listens there
    for url in (f"spark://127.0.0.1:{closed}", f"sc://127.0.0.1:{closed}"):
        with pytest.raises(EngineError, match=re.escape(url) + r" is unreachable \(127\.0\.0\.1:\d+: "):
            bounded(lambda url=url: spark_session(url, timeout_s=5), limit_s=60)


def test_a_master_without_workers_is_named_within_the_timeout(driver_report, spark_cluster):
    failure = driver_report["no_workers"]
    assert (failure["class"], failure["setu"]) == ("EngineError", True), failure
    assert failure["message"].startswith(f"no executor of the Spark master {spark_cluster.idle_master_url} ran a "
                                         f"two-task probe job within {IDLE_TIMEOUT_S:g} s")
    assert "0 executor(s) registered" in failure["message"] and "no live worker" in failure["message"]


def test_executors_that_cannot_read_the_files_are_named(driver_report, spark_cluster, years_root):
    unshared = re.compile(r"Spark executor \d+ on 127\.0\.0\.1 of (\S+) cannot read "
                          r"file:/+proc/self/cwd/years/trade/parts/[^ ]+/year=201\d/part-0\.parquet: ")
    failure = driver_report["unreadable"]
    assert (failure["class"], failure["setu"]) == ("EngineError", True), failure
    assert unshared.match(failure["message"]).group(1) == spark_cluster.master_url
    assert "SETU_SPARK_CATALOG_URL" in failure["message"]

    with pytest.raises(EngineError) as caught:
        bounded(lambda: years_concentration(connect_engine(spark_cluster, years_root, UNSHARED_URL)))
    assert unshared.match(str(caught.value)).group(1) == spark_cluster.connect_url


def test_a_catalog_address_the_driver_cannot_read_is_named(spark_cluster, years_root):
    with pytest.raises(EngineError, match=r"^the Spark driver \(the Connect server\) of sc://\S+ cannot read "
                                          r"file:/+proc/self/cwd/nowhere/parts/\S+\.parquet: "):
        bounded(lambda: years_concentration(connect_engine(spark_cluster, years_root,
                                                           "file:///proc/self/cwd/nowhere")))
