"""Supplier-share shifts: a partner's share of a market moving by more than a threshold.

Two perspectives on the same flows frame (period, reporter, partner, hs6, value_usd):

* ``importer`` — the share of exporter *x* in importer *m*'s imports of a product,
  ``s_t = v(x→m) / Σ_x' v(x'→m)``. This is the supplier share the register's measures act on; it needs
  flows reported by (or mirrored for) several exporters.
* ``exporter`` — the share of destination *m* in exporter *x*'s exports, ``v(x→m) / Σ_m' v(x→m')``.
  With one reporter (the bundled China series) this is the view available: it shows a destination
  being cut off (a targeted ban) or favoured.

Method
------
Shares are computed on rolling sums so that one lumpy shipment does not move them: the *recent* share
over months ``t−r+1 … t`` (``recent_months = r``) is compared with the *baseline* share over the
``baseline_months`` before that. A run of months with ``|recent − baseline| ≥ threshold`` (share points,
0–1 scale) gives one alert dated at its first month and reported then (``as_of`` = onset): both windows
end at the month scored, so nothing later is read (real-time evaluation). Market totals below ``min_total_usd`` over either
window are skipped. This is a plain rule, not a published statistical test; its parameters travel with
each alert so that a reader can judge it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from setu.watch.series import Alert, SeriesKey, Variable, complete_panel

REFERENCE_SHARE = "rolling-window share comparison (recent vs baseline window), threshold in share points"


@dataclass(frozen=True)
class ShareShiftParameters:
    threshold: float = 0.10
    recent_months: int = 3
    baseline_months: int = 12
    min_total_usd: float = 1_000_000.0


def share_shift(
    flows: pd.DataFrame, *, perspective: str = "importer", params: ShareShiftParameters | None = None,
    months: Collection[str] | None = None,
) -> list[Alert]:
    """Shifts of supplier shares (``importer``) or destination shares (``exporter``); see the docstring."""
    params = params or ShareShiftParameters()
    if perspective not in ("importer", "exporter"):
        raise ValueError("perspective must be 'importer' or 'exporter'")
    market, member = ("partner", "reporter") if perspective == "importer" else ("reporter", "partner")
    panel = complete_panel(flows)
    alerts: list[Alert] = []
    if panel.empty:
        return alerts
    for (market_code, hs6), group in panel.groupby([market, "hs6"], sort=True):
        wide = group.pivot_table(index="period", columns=member, values="value_usd", aggfunc="sum", fill_value=0.0)
        wide = wide.sort_index()
        recent = wide.rolling(params.recent_months).sum()
        baseline = wide.shift(params.recent_months).rolling(params.baseline_months).sum()
        recent_total = recent.sum(axis=1)
        baseline_total = baseline.sum(axis=1)
        valid = (recent_total >= params.min_total_usd) & (baseline_total >= params.min_total_usd)
        delta = recent.div(recent_total, axis=0) - baseline.div(baseline_total, axis=0)
        delta = delta.where(valid, np.nan)
        periods = list(wide.index)
        for member_code in wide.columns:
            column = delta[member_code].to_numpy()
            for t in range(column.size):
                if np.isnan(column[t]) or abs(column[t]) < params.threshold:
                    continue
                sign = np.sign(column[t])
                if t > 0 and not np.isnan(column[t - 1]) and sign * column[t - 1] >= params.threshold:
                    continue  # the run began earlier (reported then)
                if months is not None and periods[t] not in months:
                    continue
                reporter, partner = (member_code, market_code) if perspective == "importer" else (market_code, member_code)
                alerts.append(
                    Alert(
                        detector=f"share_shift_{perspective}",
                        series=SeriesKey(reporter, partner, hs6, Variable.VALUE),
                        period=periods[t],
                        direction="up" if sign > 0 else "down",
                        magnitude=float(column[t]),
                        magnitude_unit="share_points",
                        score=float(column[t]) / params.threshold,
                        parameters={**asdict(params), "perspective": perspective},
                        reference=REFERENCE_SHARE,
                        duration_months=1,
                        as_of=periods[t],
                    )
                )
    return alerts
