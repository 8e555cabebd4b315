"""Time-to-survive against time-to-recover, per importer and node, after Simchi-Levi et al.

* **Time-to-recover (TTR)**: how long a node takes to be restored to full function after a disruption
  (Simchi-Levi, Schmidt & Wei, "From superstorms to factory fires: managing unpredictable supply-chain
  disruptions", *Harvard Business Review* 92(1-2), 2014, pp. 96-101). Here: the months from the first month
  a shock reaches the importer's node to the last month of that shock's recovery ramp.
* **Time-to-survive (TTS)**: the longest time the system can match supply with demand after the disruption,
  drawing on inventory and alternative sources (Simchi-Levi et al., "Identifying risks and mitigating
  disruptions in the automotive supply chain", *Interfaces* 45(5), 2015, pp. 375-390). Here: the whole
  months from the shock's start during which unmet demand stays zero (tolerance ``1e-9`` of baseline),
  on the monthly grid of the model; ``None`` when demand is met to the end of the horizon.

A node-importer pair is **exposed** when ``TTS < TTR``: its stocks and alternative sources run out before
supply is restored. The unmet demand in the exposed months is what the responses must close.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from setu.scenarios.propagation import Propagation

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Survival:
    importer: str
    node: str
    unit: str
    end_product: bool
    shock_start: int  # month (1-based)
    time_to_recover: int  # months
    time_to_survive: int | None  # months; None: survives to the end of the horizon
    exposed: bool
    unmet_share_months: float  # sum over months of unmet / baseline: months of lost supply
    unmet_units: float | None  # the same in units (None without a baseline)
    peak_unmet_share: float
    first_short_month: int | None


def time_to_survive(unmet: np.ndarray, start: int, tolerance: float = TOLERANCE) -> int | None:
    """Whole months from ``start`` (1-based) before the first month with unmet demand above ``tolerance``."""
    short = np.flatnonzero(unmet[start - 1:] > tolerance)
    return None if short.size == 0 else int(short[0])


def survival_table(result: Propagation, end_products_only: bool = False) -> list[Survival]:
    """One row per importer and affected node that a shock reaches, end products first, then by node order."""
    model = result.model
    units = result.unmet_units()
    rows = []
    horizon = model.months
    for n, node in enumerate(model.nodes):
        is_end = n in model.end_products
        if end_products_only and not is_end:
            continue
        for k, importer in enumerate(model.importers):
            start = int(model.shock_start[k, n])
            if start == 0:
                continue
            series = result.unmet[:, k, n]
            tts = time_to_survive(series, start)
            ttr = int(model.shock_end[k, n]) - start + 1
            rows.append(Survival(
                importer=importer, node=node, unit=model.units[n], end_product=is_end, shock_start=start,
                time_to_recover=ttr, time_to_survive=tts,
                exposed=tts is not None and tts < min(ttr, horizon - start + 1),
                unmet_share_months=float(series.sum()),
                unmet_units=None if np.isnan(model.baseline[k, n]) else float(np.nansum(units[:, k, n])),
                peak_unmet_share=float(series.max()),
                first_short_month=None if tts is None else start + tts,
            ))
    rows.sort(key=lambda r: (not r.end_product, model.nodes.index(r.node), -r.unmet_share_months, r.importer))
    return rows
