"""Benchmark: render time of every web page on the bundled data, and of its JSON twin.

One command:

    .venv/bin/python benchmarks/web_pages.py            # 7 warm runs per page
    .venv/bin/python benchmarks/web_pages.py --runs 15

A fresh app is built over a temporary data directory (the catalog is built first and timed apart) and a
SQLite register with the sample records; requests go through FastAPI's TestClient, so the times include
routing, the services, the templates and the response, but no network. For each page:

* ``cold_s``: the first request, with nothing cached (the documents are kept after it);
* ``warm_median_s``: the median of ``--runs`` further requests;
* ``twin_warm_median_s``: the same for the page's JSON twin, the peer of the page: the ratio
  ``page / twin`` is what the HTML (templates, embedded figures) costs over the data itself.

The target is under 1 s per page on a 2-core machine; it is measured here, not asserted in the tests.
Results are printed and written to ``benchmarks/results/web_pages.json`` with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from setu.app import create_app
from setu.register.sample import SAMPLE_PASSWORD, build_sample
from setu.register.service import RegisterService
from setu.settings import Settings
from setu.store import catalog
from setu.store.register.database import RegisterDatabase

#: (name, page path, JSON twin path)
PAGES = [
    ("overview JPN", "/overview/JPN", "/api/views/overview/JPN"),
    ("overview IND", "/overview/IND", "/api/views/overview/IND"),
    ("material gallium", "/materials/gallium", "/api/views/materials/gallium"),
    ("material rare-earths", "/materials/rare-earths", "/api/views/materials/rare-earths"),
    ("supply chains index", "/supply-chains", "/api/views/supply-chains"),
    ("supply chain semiconductors", "/supply-chains/semiconductors", "/api/views/supply-chains/semiconductors"),
    ("supply chain ict", "/supply-chains/ict", "/api/views/supply-chains/ict"),
    ("scenario china-gallium", "/scenarios?scenario=china-gallium", "/api/views/scenarios/china-gallium"),
    ("scenario china-graphite", "/scenarios?scenario=china-graphite", "/api/views/scenarios/china-graphite"),
    ("early warning 811292", "/watch?hs6=811292", "/api/views/watch?hs6=811292"),
    ("early warning 250410 JPN", "/watch?hs6=250410&partner=JPN", "/api/views/watch?hs6=250410&partner=JPN"),
    ("register projects", "/register", "/api/projects"),
    ("register overdue", "/register/overdue", "/api/followup/overdue"),
]


def timed(client: TestClient, path: str, headers: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="warm runs per page (median reported)")
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "results" / "web_pages.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="setu-web-bench-") as folder:
        data_dir = Path(folder)
        start = time.perf_counter()
        catalog.build(data_dir)
        catalog_s = time.perf_counter() - start
        url = f"sqlite:///{data_dir / 'register.sqlite3'}"
        RegisterDatabase(url).upgrade()
        register = RegisterService.open(url)
        build_sample(register)
        app = create_app(Settings(data_dir=data_dir, database_url=url), register=register)
        rows = []
        with TestClient(app) as client:
            login = client.post("/login", data={"username": "meti-editor", "password": SAMPLE_PASSWORD},
                                follow_redirects=False)
            assert login.status_code == 303, login.text
            token = client.post("/api/auth/token", json={"username": "meti-editor",
                                                          "password": SAMPLE_PASSWORD}).json()["access_token"]
            bearer = {"Authorization": f"Bearer {token}"}
            for name, page, twin in PAGES:
                cold = timed(client, page)
                warm = statistics.median(timed(client, page) for _ in range(args.runs))
                twin_warm = statistics.median(timed(client, twin, bearer) for _ in range(args.runs))
                rows.append({"page": name, "path": page, "cold_s": round(cold, 4), "warm_median_s": round(warm, 4),
                             "twin_warm_median_s": round(twin_warm, 4),
                             "page_over_twin": round(warm / twin_warm, 2) if twin_warm else None,
                             "under_1s_cold": cold < 1.0, "under_1s_warm": warm < 1.0})
                print(f"{name:30s} cold {cold:7.3f} s   warm {warm:7.4f} s   twin {twin_warm:7.4f} s   "
                      f"page/twin {rows[-1]['page_over_twin']}")
        register.close()
    result = {
        "benchmark": "web_pages",
        "runs": args.runs,
        "catalog_build_s": round(catalog_s, 3),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0]},
        "target": "under 1 s per page (measured, not asserted)",
        "pages": rows,
        "slowest_cold_s": max(r["cold_s"] for r in rows),
        "slowest_warm_s": max(r["warm_median_s"] for r in rows),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"catalog build {catalog_s:.2f} s; slowest page cold {result['slowest_cold_s']:.3f} s, "
          f"warm {result['slowest_warm_s']:.4f} s; written to {args.output}")


if __name__ == "__main__":
    main()
