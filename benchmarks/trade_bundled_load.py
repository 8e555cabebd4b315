"""Benchmark: the first-run load of the bundled BACI extract, against the catalog build and a pandas reading.

One command:  python benchmarks/trade_bundled_load.py

On a fresh data directory it times, once each (the figures are seconds, not a loop):

* ``catalog_build`` — ``setu.store.catalog.build``: the reference catalog (USGS MCS 2023/2024, WGI, reference
  tables) every first run already pays;
* ``bundled_load``  — ``TradeService.ensure_bundled``: the 44,890 flows of the bundled extract (2022, 2024) read
  and validated by the BACI importer and written to the Parquet trade catalog;
* ``first_question`` — ``setu dependence JPN --product 850511 --year 2024`` as a service call after the load;
* ``pandas``        — the peer: ``pandas.read_csv`` of both archive members and the same supplier shares by
  ``groupby`` (no validation, no catalog), checked to give the same shares.

Writes ``benchmarks/results/trade_bundled_load.json``. The bar: the bundled load stays small against the
catalog build (ratio printed).
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
import zipfile
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "trade_bundled_load.json"


def _timed(run):
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def pandas_shares(archive: Path, importer_code: int, product: str) -> dict[int, float]:
    import pandas as pd

    frames = []
    with zipfile.ZipFile(archive) as handle:
        for name in handle.namelist():
            with handle.open(name) as member:
                frames.append(pd.read_csv(member, dtype={"k": str, "q": str}))
    flows = pd.concat(frames)
    pair = flows[(flows.t == 2024) & (flows.j == importer_code) & (flows.k == product) & (flows.v > 0)]
    values = pair.groupby("i")["v"].sum()
    return (values / values.sum()).to_dict()


def main() -> None:
    from setu.services.trade import TradeService
    from setu.settings import Settings
    from setu.sources import baci_bundle, trade_codes
    from setu.store import catalog

    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory) / "data")
        build_s, _ = _timed(lambda: catalog.build(settings.data_dir))
        service = TradeService(settings)
        load_s, datasets = _timed(service.ensure_bundled)
        question_s, result = _timed(lambda: service.dependence("JPN", "850511", year=2024))
        again_s, _ = _timed(service.ensure_bundled)
        service.close()
    pandas_s, shares = _timed(lambda: pandas_shares(baci_bundle.archive_path(), 392, "850511"))
    codes = {c.code: c.iso3 for c in trade_codes.baci_country_codes().countries}
    peer = {codes[code]: share for code, share in shares.items()}
    agree = all(abs(peer[s.country] - s.share) < 1e-9 for s in result.suppliers) and len(peer) == len(result.suppliers)
    figures = {
        "benchmark": "first-run load of the bundled BACI extract vs the reference catalog build",
        "rows": sum(d.rows for d in datasets),
        "years": sorted(d.year for d in datasets),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_1min_at_end": round(os.getloadavg()[0], 2)},
        "seconds": {"catalog_build": round(build_s, 3), "bundled_load": round(load_s, 3),
                    "bundled_load_again (marker only)": round(again_s, 4),
                    "first_question": round(question_s, 3), "pandas_read_and_shares": round(pandas_s, 3)},
        "bundled_load_over_catalog_build": round(load_s / build_s, 3),
        "agreement_with_pandas": agree,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    if not agree:
        raise SystemExit("Setu and pandas disagree on JPN's 850511 supplier shares")


if __name__ == "__main__":
    main()
