"""The Spark driver of the cluster tests, run as a child process: a process holds one classic Spark
session, and the test process already holds a local one.

``python cluster_driver.py JOB`` (JOB: JSON, see test_cluster.py) does, in one driver on the standalone
cluster: the engine-agreement questions; the many-year query, with the application's executor and stage
metrics read from the driver's REST API around it; the same query with the catalog at an address the
executors cannot read; then, with that session stopped, a session on a master without workers. It prints
one line, ``REPORT {json}``; errors are reported as their class and message, for the test to judge.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

from engine_questions import answers, years_concentration

from setu.errors import SetuError
from setu.services.trade import TradeService
from setu.settings import Settings
from setu.store.spark import spark_session
from setu.store.trade import TradeCatalog, TradeEngine


def rest(session, resource: str):
    """The driver's monitoring REST API, once its listener has seen every event so far."""
    context = session.sparkContext
    context._jsc.sc().listenerBus().waitUntilEmpty()
    url = f"{context.uiWebUrl}/api/v1/applications/{context.applicationId}/{resource}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def failure(error: BaseException) -> dict:
    return {"class": type(error).__name__, "setu": isinstance(error, SetuError), "message": str(error)}


def main(job: dict) -> dict:
    report: dict = {}
    settings = Settings(data_dir=Path(job["data_dir"]), spark_timeout_s=job["timeout_s"], bundled_trade=False)
    service = TradeService(settings, engine="spark", spark_master=job["master"])
    report["answers"] = answers(service)

    years = TradeCatalog(Path(job["years_root"]))
    engine = TradeEngine(years, "spark", job["master"], spark_timeout_s=job["timeout_s"])
    session = engine.backend._session
    report["master"] = session.sparkContext.master
    stages_before = {s["stageId"] for s in rest(session, "stages")}
    report["years"] = years_concentration(engine)
    report["years_stages"] = [s for s in rest(session, "stages") if s["stageId"] not in stages_before]
    report["executors"] = rest(session, "executors")

    unreadable = TradeEngine(years, "spark", job["master"], spark_catalog_url=job["unshared_url"],
                             spark_timeout_s=job["timeout_s"])
    try:
        years_concentration(unreadable)
        report["unreadable"] = {"class": None}
    except Exception as error:
        report["unreadable"] = failure(error)
    session.stop()

    try:
        spark_session(job["idle_master"], timeout_s=job["idle_timeout_s"])
        report["no_workers"] = {"class": None}
    except Exception as error:
        report["no_workers"] = failure(error)
    return report


if __name__ == "__main__":
    print("REPORT " + json.dumps(main(json.loads(sys.argv[1]))), flush=True)
