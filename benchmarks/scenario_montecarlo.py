"""Monte Carlo over a scenario's uncertain inputs: all samples at once against one sample at a time.

For each bundled scenario with an ``uncertainty:`` block, the same ``S`` draws (default 1,000) go to:

* ``vectorised``: ``sample_model`` (the uncertain arrays of every sample, with a leading sample axis) and
  ``propagate_samples`` (one Python loop over months and nodes; each step works on S x K arrays);
* ``loop``: the per-sample engine, ``propagate(sampled.model(s))`` for each sample (the same compiled
  arrays, one propagation call per sample);
* ``loop with compile``: what a user of the deterministic API would write: for each sample, write the
  drawn figures into the scenario (``drawn_scenario``), ``compile_scenario`` it and ``propagate`` it.

Unmet demand must agree: bit for bit between ``vectorised`` and ``loop``, to 1e-12 with ``loop with
compile``. Sampling (``draw_inputs``) and the percentile summary are timed apart. Each timing is the fastest
of ``--repeat`` runs (shared machines are noisy).

    python benchmarks/scenario_montecarlo.py [--samples 1000] [--seed 7] [--repeat 3]

Prints the table and writes ``benchmarks/results/scenario_montecarlo.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from setu.scenarios import compile_scenario, draw_inputs, drawn_scenario, propagate, propagate_samples, sample_model
from setu.scenarios.percentiles import exposure_spreads
from setu.scenarios.survival import survival_table
from setu.services.scenarios import ScenarioService, bundled_scenario_files

RESULTS = Path(__file__).parent / "results" / "scenario_montecarlo.json"


def fastest(function, repeat: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def bench(name: str, samples: int, seed: int, repeat: int) -> dict:
    scenario, supply_map = ScenarioService().load(name)
    draw_seconds, draws = fastest(lambda: draw_inputs(scenario, supply_map, samples, seed), repeat)

    def vectorised():
        sampled = sample_model(scenario, supply_map, draws)
        return sampled, propagate_samples(sampled)

    vector_seconds, (sampled, result) = fastest(vectorised, repeat)
    loop_seconds, loop = fastest(lambda: [propagate(sampled.model(s)).unmet for s in range(samples)], 1)
    compile_seconds, compiled = fastest(lambda: [
        propagate(compile_scenario(drawn_scenario(scenario, supply_map, draws, s), supply_map)).unmet
        for s in range(samples)], 1)
    central = survival_table(propagate(sampled.base))
    summary_seconds, _ = fastest(lambda: exposure_spreads(result, central), repeat)
    T, K, N = sampled.base.shape
    return {
        "scenario": name, "samples": samples, "months": T, "importers": K, "nodes": N,
        "partners": len(sampled.base.partners),
        "identical_to_loop": bool(np.array_equal(result.unmet, np.stack(loop))),
        "max_difference_to_loop_with_compile": float(np.abs(result.unmet - np.stack(compiled)).max()),
        "draw_seconds": round(draw_seconds, 4),
        "vectorised_seconds": round(vector_seconds, 4),
        "loop_seconds": round(loop_seconds, 4),
        "loop_with_compile_seconds": round(compile_seconds, 4),
        "percentiles_seconds": round(summary_seconds, 4),
        "speedup_vs_loop": round(loop_seconds / vector_seconds, 1),
        "speedup_vs_loop_with_compile": round(compile_seconds / vector_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    service = ScenarioService()
    names = [n for n in sorted(bundled_scenario_files()) if service.load(n)[0].uncertainty is not None]
    rows = [bench(name, args.samples, args.seed, args.repeat) for name in names]
    print(f"{'scenario':16} {'S':>5} {'TxKxN':>9} {'draw s':>7} {'vector s':>8} {'loop s':>7} {'+compile s':>10} "
          f"{'x loop':>7} {'x +compile':>10} {'same':>5}")
    for r in rows:
        print(f"{r['scenario']:16} {r['samples']:5} {r['months']:>3}x{r['importers']}x{r['nodes']:<3} "
              f"{r['draw_seconds']:7.3f} {r['vectorised_seconds']:8.3f} {r['loop_seconds']:7.3f} "
              f"{r['loop_with_compile_seconds']:10.3f} {r['speedup_vs_loop']:7.1f} "
              f"{r['speedup_vs_loop_with_compile']:10.1f} {'yes' if r['identical_to_loop'] else 'NO':>5}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine(),
                    "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2)},
        "seed": args.seed, "repeat": args.repeat, "results": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
