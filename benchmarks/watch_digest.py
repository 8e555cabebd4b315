"""Watch backtest: the monthly digest replayed as of each month on the bundled series, with its figures.

Every alert is computed from the data up to the month it is known (``Alert.as_of``); the digest of each month
keeps the incidents that pass Benjamini-Hochberg over that month's tests (``setu.watch.backtest``). Reported:
recall, precision, lead time and false alerts per product-year with 95 % intervals (Wilson, exact Poisson),
placebo windows, every register event with its status (tuning / held out / basket / censored / outside),
and the per-detector rates on totals and partner series. The peer is what an analyst gets without the
ranking: every real-time alert of every detector, and the per-detector Benjamini-Hochberg a statistician
would try first (each alert's own p over that detector's tests). Also the time of the replay.

    python benchmarks/watch_digest.py

Prints the Markdown tables (as in docs/watch.md) and writes ``benchmarks/results/watch_digest.json``.
"""

from __future__ import annotations

import json
import math
import platform
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from statsmodels.stats.multitest import multipletests

from setu.services import watch as service
from setu.sources.baskets import load_baskets
from setu.sources.comtrade_monthly import read_bundled
from setu.watch.backtest import backtest
from setu.watch.intervals import garwood
from setu.watch.scan import SERIES_DETECTORS, scan

RESULTS = Path(__file__).parent / "results" / "watch_digest.json"


def per_detector_bh(result, near_no_measure, alpha: float = 0.05) -> tuple[int, int]:
    """The naive peer: BH per detector over its own tests, each alert's one-sided normal p; (kept, near no event)."""
    kept = unmatched = 0
    for name, spec in SERIES_DETECTORS.items():
        tests = sum(max(0, len(s.periods) - 24) for s in result.series if s.key.variable in spec.variables)
        own = [a for a in result.alerts if a.detector == name]
        if not own or not tests:
            continue
        p = np.ones(max(tests, len(own)))
        p[: len(own)] = [0.5 * math.erfc(abs(a.score) / math.sqrt(2.0)) for a in own]
        reject = multipletests(p, alpha=alpha, method="fdr_bh")[0][: len(own)]
        kept += int(reject.sum())
        unmatched += int(sum(1 for a, r in zip(own, reject, strict=True) if r and near_no_measure(a)))
    return kept, unmatched


def main() -> None:
    register = service.measures()
    started = time.perf_counter()
    result = scan(read_bundled(), measures=register)  # partner series too: the per-detector table
    scan_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = backtest(result, register, load_baskets())
    backtest_seconds = time.perf_counter() - started
    payload = service.backtest_payload(report, source=service.BUNDLED_SERIES_LABEL, series_scanned=len(result.series))
    labelled = {(e.month, e.hs6) for e in report.entries}

    # The peer over the months the digest is scored on: alerts known from the first evaluated month.
    evaluated = replace(result, alerts=tuple(a for a in result.alerts if a.as_of >= report.first_evaluated))
    raw = sum(1 for a in evaluated.alerts if not a.measures)
    bh_kept, bh_unmatched = per_detector_bh(evaluated, lambda alert: not alert.measures)
    years = report.product_years
    payload["peer"] = {
        "raw_alerts": len(evaluated.alerts),
        "raw_alerts_near_no_measure": raw,
        "raw_alerts_near_no_measure_per_product_year": service.estimate_row(garwood(raw, years)),
        "per_detector_bh_kept": bh_kept,
        "per_detector_bh_near_no_measure_per_product_year": service.estimate_row(garwood(bh_unmatched, years)),
        "note": "alerts known from the first evaluated month; near no measure = no register event within 3 months "
                "of the onset, among measures announced by as_of",
    }
    payload["digest_entry_months"] = sorted(labelled)
    payload["seconds"] = {"real_time_scan_with_partners": round(scan_seconds, 2), "backtest": round(backtest_seconds, 3)}
    payload["machine"] = {"python": platform.python_version(), "processor": platform.processor() or platform.machine()}
    RESULTS.write_text(json.dumps(payload, indent=2, default=list) + "\n", encoding="utf-8")
    print(service.backtest_markdown(payload))
    print(f"peer: {len(evaluated.alerts)} real-time alerts, {raw} near no measure "
          f"({raw / years:.1f} per product-year); per-detector BH keeps {bh_kept}, {bh_unmatched} near no measure")
    print(f"real-time scan with partner series {scan_seconds:.1f} s, backtest {backtest_seconds:.2f} s; wrote {RESULTS}")


if __name__ == "__main__":
    main()
