"""Watch detectors: speed against the peer implementation, and detection power / false alarms on simulations.

1. **Change points, against the peer.** ``setu.watch.changepoints`` solves PELT with the ``l2`` cost through
   ``ruptures.KernelCPD(kernel="linear")``. The peer a competent user would pick is ``ruptures.Pelt(model="l2")``
   with the same penalty and minimum segment. Both run on every value and quantity series built from the
   bundled China export data (after the same log transform and STL adjustment); the breaks must agree and
   the time ratio is reported.
2. **Power and false alarms.** Synthetic monthly series (8 years, a fixed seasonal pattern, log-normal
   noise of standard deviation ``sigma``) with and without a planted level shift at a random month.
   Reported per detector and noise level: the share of planted shifts flagged within 0..+1 months, and
   alerts per series-year on series without a shift. Defaults of every detector are used.

    python benchmarks/watch_detectors.py [--simulations 300] [--seed 11]

Prints the tables and writes ``benchmarks/results/watch_detectors.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import ruptures

from setu.sources.comtrade_monthly import read_bundled
from setu.watch.changepoints import ChangePointParameters, change_points, noise_sigma
from setu.watch.levels import level_shift, log_transform, seasonally_adjust, slump, surge
from setu.watch.series import MonthlySeries, SeriesKey, Variable, build_series

RESULTS = Path(__file__).parent / "results" / "watch_detectors.json"
SEASON = np.array([1.0, 0.8, 1.1, 1.0, 1.05, 0.95, 0.9, 1.0, 1.1, 1.15, 1.0, 0.95])
KEY = SeriesKey("SIM", "SIM", "000000", Variable.VALUE)


def compare_pelt() -> dict:
    params = ChangePointParameters()
    signals = []
    for series in build_series(read_bundled()):
        if series.key.variable is Variable.UNIT_VALUE:
            continue
        logged = log_transform(series.values, offset_fraction=params.offset_fraction, max_missing=params.max_missing)
        if logged is None:
            continue
        adjusted = seasonally_adjust(logged)
        penalty = params.beta * noise_sigma(adjusted, min_scale=params.min_scale) ** 2 * np.log(adjusted.size)
        signals.append((adjusted.reshape(-1, 1), penalty))
    start = time.perf_counter()
    fast = [
        [int(e) for e in ruptures.KernelCPD(kernel="linear", min_size=params.min_size, jump=1).fit(s).predict(pen=p)]
        for s, p in signals
    ]
    fast_seconds = time.perf_counter() - start
    start = time.perf_counter()
    peer = [ruptures.Pelt(model="l2", min_size=params.min_size, jump=1).fit(s).predict(pen=p) for s, p in signals]
    peer_seconds = time.perf_counter() - start
    return {
        "series": len(signals),
        "identical_breaks": sum(a == b for a, b in zip(fast, peer, strict=True)),
        "setu_seconds": round(fast_seconds, 4),
        "peer_ruptures_pelt_l2_seconds": round(peer_seconds, 4),
        "speedup": round(peer_seconds / fast_seconds, 1),
    }


def simulate(simulations: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    detectors = {"level_shift": level_shift, "change_point": change_points, "slump": slump, "surge": surge}
    rows = []
    for sigma in (0.05, 0.1, 0.2, 0.4):
        for factor in (0.5, 0.7, 1.5):
            caught = dict.fromkeys(detectors, 0)
            false = dict.fromkeys(detectors, 0)
            for _ in range(simulations):
                noise = rng.normal(0, sigma, 96)
                clean = 1000 * np.tile(SEASON, 8) * np.exp(noise)
                shifted = clean.copy()
                at = int(rng.integers(30, 85))
                shifted[at:] *= factor
                shifted_series = MonthlySeries.from_values(KEY, "2017-01", shifted)
                clean_series = MonthlySeries.from_values(KEY, "2017-01", clean)
                want = "down" if factor < 1 else "up"
                for name, detector in detectors.items():
                    lags = [
                        shifted_series.periods.index(a.period) - at
                        for a in detector(shifted_series)
                        if a.direction == want
                    ]
                    caught[name] += any(0 <= lag <= 1 for lag in lags)
                    false[name] += len(detector(clean_series))
            for name in detectors:
                rows.append({
                    "detector": name, "noise_sigma": sigma, "shift_factor": factor,
                    "flagged_within_0_to_1_month": round(caught[name] / simulations, 3),
                    "false_alarms_per_series_year": round(false[name] / (simulations * 8), 4),
                })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    pelt = compare_pelt()
    print(f"PELT on {pelt['series']} bundled series: setu {pelt['setu_seconds']} s, ruptures.Pelt(l2) "
          f"{pelt['peer_ruptures_pelt_l2_seconds']} s, ratio {pelt['speedup']}x; identical breaks "
          f"{pelt['identical_breaks']}/{pelt['series']}")
    rows = simulate(args.simulations, args.seed)
    print(f"{'detector':13} {'sigma':>5} {'factor':>6} {'flagged':>8} {'false/series-yr':>15}")
    for row in rows:
        print(f"{row['detector']:13} {row['noise_sigma']:5} {row['shift_factor']:6} "
              f"{row['flagged_within_0_to_1_month']:8} {row['false_alarms_per_series_year']:15}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine()},
        "simulations_per_cell": args.simulations, "seed": args.seed, "pelt": pelt, "simulation": rows,
    }, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
