"""Bounded load test of the register's REST API on loopback, on SQLite and PostgreSQL.

    python benchmarks/register_load.py [--requests 2000] [--concurrency 8]

For each engine: migrate a scratch database, load the sample register, serve the API with uvicorn on
127.0.0.1 (one process, as `setu serve` does), then drive it with `concurrency` threads of httpx clients:

- reads: alternating list (``GET /api/projects?limit=20``) and read-one (``GET /api/projects/{id}``);
- writes: each thread creates decisions (POST) and edits them with If-Match (PATCH), half and half.

Prints and saves throughput (requests/s) and p50/p95/p99 latency (ms) per engine and kind to
``benchmarks/results/register_load.json``. PostgreSQL is skipped, with the reason, if unreachable.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from setu.app import create_app
from setu.register.sample import SAMPLE_PASSWORD, build_sample
from setu.register.service import RegisterService
from setu.settings import Settings
from setu.store.register.database import RegisterDatabase
from setu.store.register.scratch import postgres_schema, postgres_unreachable

RESULTS = Path(__file__).parent / "results" / "register_load.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(url: str, data_dir: str, port: int) -> None:
    app = create_app(Settings(data_dir=Path(data_dir), database_url=url))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


@contextmanager
def serving(url: str, data_dir: Path) -> Iterator[tuple[str, dict]]:
    """The API in its own process (as `setu serve` runs it), so the load generator does not share its GIL."""
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url)
    sample = build_sample(register)
    register.close()
    port = free_port()
    process = multiprocessing.get_context("spawn").Process(target=_serve, args=(url, str(data_dir), port), daemon=True)
    process.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/api/openapi.json", timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or not process.is_alive():
                raise RuntimeError("the API server did not start") from None
            time.sleep(0.1)
    try:
        yield base, sample.records
    finally:
        process.terminate()
        process.join()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def drive(base: str, token: str, total: int, concurrency: int, step: Callable[[httpx.Client, int, dict], int]) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    per_thread = total // concurrency

    def worker(worker_id: int) -> None:
        state: dict = {}
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            for i in range(per_thread):
                start = time.perf_counter()
                status = step(client, worker_id * per_thread + i, state)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed * 1000)
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "seconds": round(wall, 3),
        "throughput_rps": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def run_engine(url: str, data_dir: Path, total: int, concurrency: int) -> dict:
    with serving(url, data_dir) as (base, records):
        token = httpx.post(f"{base}/api/auth/token", json={"username": "meti-editor", "password": SAMPLE_PASSWORD}).json()[
            "access_token"
        ]
        listed = httpx.get(f"{base}/api/projects", params={"limit": 200}, headers={"Authorization": f"Bearer {token}"})
        project_ids = [project["id"] for project in listed.json()["items"]]
        meeting = records["meetings"]["meti-meeting"]

        def read(client: httpx.Client, n: int, state: dict) -> int:
            if n % 2:
                return client.get("/api/projects", params={"limit": 20, "sort": "title"}).status_code
            return client.get(f"/api/projects/{project_ids[n % len(project_ids)]}").status_code

        def write(client: httpx.Client, n: int, state: dict) -> int:
            if "id" not in state or n % 2 == 0:
                response = client.post("/api/decisions", json={"meeting_id": meeting, "text": f"Decision {n}", "tier": "public"})
                state["id"], state["etag"] = response.json()["id"], response.headers["ETag"]
                return response.status_code
            response = client.patch(f"/api/decisions/{state['id']}", json={"text": f"Amended {n}"},
                                    headers={"If-Match": state["etag"]})  # fmt: skip
            state["etag"] = response.headers.get("ETag", state["etag"])
            return response.status_code

        drive(base, token, min(200, total), concurrency, read)  # warm-up
        return {"reads": drive(base, token, total, concurrency, read), "writes": drive(base, token, total, concurrency, write)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per kind and engine")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_1min_before": round(os.getloadavg()[0], 2),  # other work on the machine skews timings
        },
        "requests": args.requests,
        "concurrency": args.concurrency,
        "engines": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        results["engines"]["sqlite"] = run_engine(f"sqlite:///{tmp}/register.sqlite3", Path(tmp), args.requests, args.concurrency)
        reason = postgres_unreachable()
        if reason:
            results["engines"]["postgresql"] = {"skipped": reason}
        else:
            with postgres_schema() as url:
                results["engines"]["postgresql"] = run_engine(url, Path(tmp), args.requests, args.concurrency)
    for engine, kinds in results["engines"].items():
        for kind, r in kinds.items():
            if kind == "skipped":
                print(f"{engine:<11} skipped: {r}")
                continue
            print(f"{engine:<11} {kind:<7} {r['throughput_rps']:>8.1f} req/s  p50 {r['p50_ms']:>6.2f} ms  "
                  f"p95 {r['p95_ms']:>6.2f} ms  p99 {r['p99_ms']:>6.2f} ms  statuses {r['statuses']}")  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(f"saved {RESULTS}")


if __name__ == "__main__":
    main()
