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

Then, over HTTP against a real server (``setu serve`` in a fresh process, as an analyst starts it), for the
pages with charts and the index pages:

* ``ready_s``: from launching the process to the port accepting connections;
* ``first_page_s``: the first page right after (the maps and catalog load in the background meanwhile);
* ``warm_median_s``: the median of ``--runs`` further requests of each page;
* ``first_visit_bytes``: what a browser with an empty cache transfers for the page: the HTML, every script,
  style sheet and (for a page with a map) the world boundaries, gzip-compressed when the server offers it;
* ``cached_visit_bytes``: the same page again with those files cached: files the server marked fresh
  (``max-age``) are not asked for, others are revalidated (``If-None-Match``/``If-Modified-Since``).
  Bytes are the bodies as transferred plus the response headers.

Aims (measured, not asserted): first page after start <= 1 s, warm pages <= 0.2 s, <= 1.5 MB for a page with
charts on a first visit and <= 50 kB after. Results are printed and written to
``benchmarks/results/web_pages.json`` with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

try:
    from setu.app import create_app
except ImportError:  # a Setu from before the composition root (to measure it the same way)
    from setu.api.app import create_app  # type: ignore[no-redef]
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


#: pages measured over HTTP (anonymous visitor): the charted pages and the indexes
HTTP_PAGES = ["/overview/JPN", "/materials/gallium", "/materials", "/supply-chains", "/supply-chains/ict",
              "/scenarios?scenario=china-gallium", "/watch?hs6=811292"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _header_bytes(response: httpx.Response) -> int:
    return len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n") + sum(
        len(name) + len(value) + 4 for name, value in response.headers.raw) + 2


def _fresh(response: httpx.Response) -> bool:
    """Whether a browser may reuse the response without asking (a positive ``max-age``)."""
    match = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
    return bool(match and int(match.group(1)) > 0)


def _files_of(html: str) -> list[str]:
    """The scripts and style sheets a page loads, and the world boundaries plotly.js fetches for a map."""
    files = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="(/[^"]+)"', html)
    if '"choropleth"' in html or '"scattergeo"' in html:
        folder = re.search(r'data-topojson="([^"]+)"', html)
        files.append((folder.group(1) if folder else "/static/topojson/") + "world_110m.json")
    return files


def visit(client: httpx.Client, path: str, cache: dict[str, httpx.Response]) -> int:
    """Bytes transferred for one visit of ``path`` with the browser cache ``cache`` (filled as it goes)."""
    page = client.get(path)
    if page.status_code != 200:
        raise SystemExit(f"{path}: HTTP {page.status_code}: {page.text[:300]}")
    total = page.num_bytes_downloaded + _header_bytes(page)
    for url in _files_of(page.text):
        cached = cache.get(url)
        if cached is not None and _fresh(cached):
            continue
        headers = {}
        if cached is not None and "etag" in cached.headers:
            headers["If-None-Match"] = cached.headers["etag"]
        if cached is not None and "last-modified" in cached.headers:
            headers["If-Modified-Since"] = cached.headers["last-modified"]
        response = client.get(url, headers=headers)
        if response.status_code not in (200, 304):
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        total += response.num_bytes_downloaded + _header_bytes(response)
        if response.status_code == 200:
            cache[url] = response
    return total


def http_section(data_dir: Path, runs: int) -> dict[str, object]:
    """Start ``setu serve`` over ``data_dir`` and measure the first page, warm pages and bytes transferred."""
    port = _free_port()
    env = {**os.environ, "SETU_DATA_DIR": str(data_dir)}
    launched = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-c", "from setu.cli.main import run; run()", "serve", "--port",
                               str(port), "--log-level", "warning"], env=env)
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"setu serve exited with {server.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                break
            except OSError:
                time.sleep(0.01)
        ready = time.perf_counter() - launched
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Accept-Encoding": "gzip"},
                          timeout=120) as client:
            start = time.perf_counter()
            first = client.get(HTTP_PAGES[0])
            first_page = time.perf_counter() - start
            assert first.status_code == 200, first.text[:300]
            rows = []
            for path in HTTP_PAGES:
                cache: dict[str, httpx.Response] = {}
                start = time.perf_counter()
                first_visit = visit(client, path, cache)
                first_visit_s = time.perf_counter() - start
                cached_visit = visit(client, path, cache)
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    client.get(path)
                    times.append(time.perf_counter() - start)
                rows.append({"path": path, "first_visit_bytes": first_visit, "first_visit_s": round(first_visit_s, 4),
                             "cached_visit_bytes": cached_visit, "warm_median_s": round(statistics.median(times), 4)})
                print(f"{path:36s} first visit {first_visit / 1e3:8.1f} kB in {first_visit_s:6.3f} s   cached "
                      f"{cached_visit / 1e3:6.1f} kB   warm {rows[-1]['warm_median_s']:.4f} s")
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"server ready {ready:.2f} s after launch; first page {first_page:.3f} s")
    return {"ready_s": round(ready, 3), "first_page_path": HTTP_PAGES[0], "first_page_s": round(first_page, 4),
            "pages": rows, "largest_first_visit_bytes": max(r["first_visit_bytes"] for r in rows),
            "largest_cached_visit_bytes": max(r["cached_visit_bytes"] for r in rows),
            "slowest_warm_s": max(r["warm_median_s"] for r in rows)}


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
        http = http_section(data_dir, args.runs)
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
        "http": http,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"catalog build {catalog_s:.2f} s; slowest page cold {result['slowest_cold_s']:.3f} s, "
          f"warm {result['slowest_warm_s']:.4f} s; written to {args.output}")


if __name__ == "__main__":
    main()
