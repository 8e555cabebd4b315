"""Watch digest: alerts an analyst would read, against the raw alert list, on the bundled series.

The peer is what an analyst gets without the ranking: every alert of every detector (``setu watch scan``),
and the per-detector Benjamini-Hochberg a statistician would try first (``multipletests`` on each alert's own
p-value over that detector's tests, no incidents, no anchors). The ranked digest (``setu.watch.ranking``) is
measured on the same scan: alerts near no registered measure per product-year, graphite (the tuning event)
flagged within one month, and precision and recall on the held-out events (``TUNING_MEASURES`` in
``setu.watch.backtest``). Also the time the ranking adds to the scan.

    python benchmarks/watch_digest.py

Prints the numbers and writes ``benchmarks/results/watch_digest.json``.
"""

from __future__ import annotations

import json
import math
import platform
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
from statsmodels.stats.multitest import multipletests

from setu.sources.comtrade_monthly import read_bundled
from setu.sources.measures import load_register
from setu.watch.backtest import evaluate_digest
from setu.watch.ranking import hypotheses_tested, incidents, rank
from setu.watch.scan import SERIES_DETECTORS, scan
from setu.watch.series import Variable

RESULTS = Path(__file__).parent / "results" / "watch_digest.json"


def per_detector_bh(result, alpha: float = 0.05) -> tuple[int, int]:
    """The naive peer: BH per detector over its own tests, each alert's one-sided normal p; (kept, unmatched)."""
    kept = unmatched = 0
    for name, spec in SERIES_DETECTORS.items():
        tests = sum(len(s.periods) for s in result.series if s.key.variable in spec.variables)
        own = [a for a in result.alerts if a.detector == name]
        if not own or not tests:
            continue
        p = np.ones(max(tests, len(own)))
        p[: len(own)] = [0.5 * math.erfc(abs(a.score) / math.sqrt(2.0)) for a in own]
        reject = multipletests(p, alpha=alpha, method="fdr_bh")[0][: len(own)]
        kept += int(reject.sum())
        unmatched += int(sum(1 for a, r in zip(own, reject, strict=True) if r and not a.measures))
    return kept, unmatched


def main() -> None:
    register = load_register()
    started = time.perf_counter()
    result = scan(read_bundled(), measures=register)
    scan_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ranked = rank(incidents(result), hypotheses_tested(result))
    rank_seconds = time.perf_counter() - started
    evaluation = evaluate_digest(result, ranked, register)
    years = evaluation.product_years
    raw_unmatched = sum(1 for a in result.alerts if not a.measures)
    totals_unmatched = sum(1 for a in result.alerts if not a.measures and a.series.partner is None
                           and a.series.variable is not Variable.UNIT_VALUE)
    bh_kept, bh_unmatched = per_detector_bh(result)
    payload = {
        "benchmark": "watch_digest",
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine()},
        "product_years": years,
        "raw_alerts": len(result.alerts),
        "raw_alerts_near_no_measure_per_product_year": round(raw_unmatched / years, 3),
        "total_series_alerts_near_no_measure_per_product_year": round(totals_unmatched / years, 3),
        "peer_per_detector_bh": {"kept": bh_kept, "near_no_measure_per_product_year": round(bh_unmatched / years, 3)},
        "digest": {**asdict(evaluation), "unmatched_per_product_year": round(evaluation.unmatched_per_product_year, 4)},
        "digest_incidents": [
            {"hs6": i.hs6, "months": [i.first_month, i.last_month], "score": round(i.score, 2), "q": i.q_value,
             "why": list(i.reasons)} for i in ranked
        ],
        "seconds": {"scan": round(scan_seconds, 2), "ranking": round(rank_seconds, 3)},
    }
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"raw alerts near no measure per product-year: {payload['raw_alerts_near_no_measure_per_product_year']}")
    print(f"peer, BH per detector: {bh_kept} kept, {payload['peer_per_detector_bh']['near_no_measure_per_product_year']}"
          " near no measure per product-year")
    print(f"digest: {evaluation.digest_incidents} incidents, {evaluation.unmatched_per_product_year:.3f} near no "
          f"measure per product-year; graphite within one month: {evaluation.tuning_flagged_within_one_month}")
    print(f"held-out recall {evaluation.recall}, precision {evaluation.precision} (held out: {evaluation.held_out})")
    print(f"scan {scan_seconds:.1f} s, ranking {rank_seconds:.3f} s; wrote {RESULTS}")


if __name__ == "__main__":
    main()
