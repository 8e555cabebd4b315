"""Watch detectors, evaluated as of each month: speed against the peer, power and false alarms on simulations.

1. **Change points, against the peer.** ``setu.watch.changepoints`` solves PELT with the ``l2`` cost through
   ``ruptures.KernelCPD(kernel="linear")``. The peer a competent user would pick is ``ruptures.Pelt(model="l2")``
   with the same penalty and minimum segment. Both run on every value and quantity series built from the
   bundled China export data (after the same log transform and seasonal adjustment); the breaks must agree
   and the time ratio is reported.
2. **Power and false alarms, real time.** Synthetic monthly series (8 years, a fixed seasonal pattern,
   log-normal noise of standard deviation ``sigma``) with and without a planted level shift at a random
   month 30..84. Every detector runs as in the product: each month from the series cut there. Reported per
   detector and noise level: the share of planted shifts dated within 0..+1 months of the break *and known*
   (``as_of``) by 3 months after it, the median months from the break to the month the alert is known, and
   alerts per series-year on series without a shift.
3. **Seasonal adjustment, against the peer.** The level-shift rule with STL (statsmodels, robust, seasonal
   span 35) refitted on each month's cut series, the obvious real-time use of STL, on the same simulations:
   planted shifts flagged, and *echoes* (a second alert on the shifted series 11..13 months after the break).

    python benchmarks/watch_detectors.py [--simulations 100] [--seed 11]

Prints the tables and writes ``benchmarks/results/watch_detectors.json``.
"""

from __future__ import annotations

import argparse
from itertools import pairwise
import json
import platform
import time
from pathlib import Path

import numpy as np
import ruptures

from setu.sources.comtrade_monthly import read_bundled
from setu.watch.changepoints import ChangePointParameters, change_points, noise_sigma
from statsmodels.tsa.seasonal import STL

from setu.watch.levels import (
    LevelShiftParameters,
    level_shift,
    log_transform,
    robust_z,
    run_ending,
    seasonally_adjust,
    slump,
    surge,
)
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
    costs = [(_cost(sig, a, pen), _cost(sig, b, pen)) for (sig, pen), a, b in zip(signals, fast, peer, strict=True)]
    return {
        "series": len(signals),
        "identical_breaks": sum(a == b for a, b in zip(fast, peer, strict=True)),
        "equal_penalised_cost": int(sum(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for a, b in costs)),
        "setu_cost_above_peer": int(sum(a > b + 1e-9 * max(1.0, abs(b)) for a, b in costs)),
        "setu_seconds": round(fast_seconds, 4),
        "peer_ruptures_pelt_l2_seconds": round(peer_seconds, 4),
        "speedup": round(peer_seconds / fast_seconds, 1),
    }


def stl_level_shift(series: MonthlySeries) -> list[int]:
    """The peer: the level-shift rule with STL refitted on each month's cut series; onset positions."""
    params = LevelShiftParameters()
    onsets = []
    for t in range(params.window, len(series.values)):
        logged = log_transform(series.values[: t + 1], offset_fraction=params.offset_fraction,
                               max_missing=params.max_missing)
        if logged is None or logged.size < 25:
            continue
        adjusted = logged - STL(logged, period=12, seasonal=35, robust=True).fit().seasonal
        z, _ = robust_z(adjusted, window=params.window, min_scale=params.min_scale)
        for sign in (1, -1):
            if run_ending(z, t, params.threshold, sign) == params.min_run:
                onsets.append(t - params.min_run + 1)
    return onsets


def _cost(signal: np.ndarray, ends: list[int], penalty: float) -> float:
    """The l2 cost of a segmentation plus the penalty per break (what both solvers minimise)."""
    values = signal.ravel()
    bounds = [0, *ends]
    within = sum(float(((values[a:b] - values[a:b].mean()) ** 2).sum()) for a, b in pairwise(bounds))
    return within + penalty * (len(ends) - 1)


def simulate(simulations: int, seed: int) -> tuple[list[dict], list[dict]]:
    rng = np.random.default_rng(seed)
    detectors = {"level_shift": level_shift, "change_point": change_points, "slump": slump, "surge": surge}
    rows, peer_rows = [], []
    for sigma in (0.05, 0.1, 0.2):
        for factor in (0.3, 0.5, 2.0):
            caught = dict.fromkeys(detectors, 0)
            false = dict.fromkeys(detectors, 0)
            delays: dict[str, list[int]] = {name: [] for name in detectors}
            peer = {"setu_flagged": 0, "setu_echoes": 0, "stl_flagged": 0, "stl_echoes": 0}
            for _ in range(simulations):
                clean = 1000 * np.tile(SEASON, 8) * np.exp(rng.normal(0, sigma, 96))
                shifted = clean.copy()
                at = int(rng.integers(30, 85))
                shifted[at:] *= factor
                shifted_series = MonthlySeries.from_values(KEY, "2017-01", shifted)
                clean_series = MonthlySeries.from_values(KEY, "2017-01", clean)
                want = "down" if factor < 1 else "up"
                periods = shifted_series.periods
                for name, detector in detectors.items():
                    hits = [periods.index(a.as_of) - at for a in detector(shifted_series)
                            if a.direction == want and 0 <= periods.index(a.period) - at <= 1
                            and periods.index(a.as_of) - at <= 3]
                    caught[name] += bool(hits)
                    if hits:
                        delays[name].append(min(hits))
                    false[name] += len(detector(clean_series))
                ours = [periods.index(a.period) - at for a in level_shift(shifted_series)]
                theirs = [onset - at for onset in stl_level_shift(shifted_series)]
                for key, lags in (("setu", ours), ("stl", theirs)):
                    peer[f"{key}_flagged"] += any(0 <= lag <= 1 for lag in lags)
                    peer[f"{key}_echoes"] += any(11 <= lag <= 13 for lag in lags)
            for name in detectors:
                rows.append({
                    "detector": name, "noise_sigma": sigma, "shift_factor": factor,
                    "flagged_and_known_by_3_months": round(caught[name] / simulations, 3),
                    "median_months_to_known": float(np.median(delays[name])) if delays[name] else None,
                    "false_alarms_per_series_year": round(false[name] / (simulations * 8), 4),
                })
            peer_rows.append({"noise_sigma": sigma, "shift_factor": factor,
                              **{k: round(v / simulations, 3) for k, v in peer.items()}})
    return rows, peer_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    pelt = compare_pelt()
    print(f"PELT on {pelt['series']} bundled series: setu {pelt['setu_seconds']} s, ruptures.Pelt(l2) "
          f"{pelt['peer_ruptures_pelt_l2_seconds']} s, ratio {pelt['speedup']}x; identical breaks "
          f"{pelt['identical_breaks']}/{pelt['series']}, equal penalised cost {pelt['equal_penalised_cost']}/"
          f"{pelt['series']}")
    rows, peer_rows = simulate(args.simulations, args.seed)
    print(f"{'detector':13} {'sigma':>5} {'factor':>6} {'flagged':>8} {'months to known':>15} {'false/series-yr':>15}")
    for row in rows:
        print(f"{row['detector']:13} {row['noise_sigma']:5} {row['shift_factor']:6} "
              f"{row['flagged_and_known_by_3_months']:8} {row['median_months_to_known']!s:>15} "
              f"{row['false_alarms_per_series_year']:15}")
    print(f"{'sigma':>5} {'factor':>6} {'setu flagged':>12} {'setu echoes':>11} {'STL flagged':>11} {'STL echoes':>10}")
    for row in peer_rows:
        print(f"{row['noise_sigma']:5} {row['shift_factor']:6} {row['setu_flagged']:12} {row['setu_echoes']:11} "
              f"{row['stl_flagged']:11} {row['stl_echoes']:10}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine()},
        "simulations_per_cell": args.simulations, "seed": args.seed, "pelt": pelt, "simulation": rows,
        "seasonal_peer_stl_refitted_monthly": peer_rows,
    }, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
