"""Output multipliers and backward / forward linkages, with Rasmussen's normalised indices.

Each measure is a row or column sum, read from the factorised ``I - A`` and ``I - B`` with one solve each
(no inverse is formed):

=====================  ====================  ==========================================================
measure                formula               meaning (Miller & Blair 2009, *Input-Output Analysis*, 2nd ed.)
=====================  ====================  ==========================================================
direct backward        ``1' A``              inputs bought per unit of output of j (sec. 12.2)
direct forward         ``B 1``               share of i's output sold to other producers (sec. 12.2)
output multiplier      ``1' L``              output in all sectors per unit of final demand for j
                                             (ch. 6); the total backward linkage (sec. 12.2)
total forward          ``G 1``               output in all sectors per unit of primary input to i
                                             (the Ghosh form M&B recommend, sec. 12.2)
backward index         ``n (1'L)_j / 1'L1``  Rasmussen's (1956) power of dispersion
forward index          ``n (G1)_i / 1'G1``   normalised total forward linkage (sec. 12.2)
sensitivity index      ``n (L1)_i / 1'L1``   Rasmussen's (1956) sensitivity of dispersion (row sums of L)
=====================  ====================  ==========================================================

A *key sector* has backward and forward indices above 1 (above-average linkage both ways; M&B sec. 12.2).
Indices are normalised over every row of the table, so in a multi-regional table they compare each
(region, sector) with the average of the world. Rasmussen, *Studies in Inter-Sectoral Relations*, 1956.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from setu.propagate.coefficients import allocation_coefficients
from setu.propagate.ghosh import GhoshModel
from setu.propagate.iotable import IOTable
from setu.propagate.leontief import LeontiefModel

COLUMNS = (
    "output",
    "direct_backward",
    "direct_forward",
    "output_multiplier",
    "total_forward",
    "backward_index",
    "forward_index",
    "sensitivity_index",
    "key_sector",
)


@dataclass(frozen=True)
class Linkages:
    """One row per (region, sector) of the table, the columns of ``COLUMNS``."""

    frame: pd.DataFrame


def direct_backward(table: IOTable) -> np.ndarray:
    """``1' A``: column sums of the input coefficients."""
    return np.asarray(table.A.sum(axis=0)).ravel()


def direct_forward(table: IOTable) -> np.ndarray:
    """``B 1``: row sums of the allocation coefficients."""
    return np.asarray(allocation_coefficients(table.Z, table.x).sum(axis=1)).ravel()


def linkages(table: IOTable) -> Linkages:
    """Every measure of the module docstring for every row of ``table``."""
    leontief = LeontiefModel(table)
    ones = np.ones(table.size)
    multiplier = leontief.output_multipliers().to_numpy()  # 1'L
    row_sums = leontief.factorisation.solve(ones)  # L 1
    forward = GhoshModel(table).forward_linkages().to_numpy()  # G 1
    backward_index = multiplier / multiplier.mean()
    forward_index = forward / forward.mean()
    frame = pd.DataFrame(
        {
            "output": table.x,
            "direct_backward": direct_backward(table),
            "direct_forward": direct_forward(table),
            "output_multiplier": multiplier,
            "total_forward": forward,
            "backward_index": backward_index,
            "forward_index": forward_index,
            "sensitivity_index": row_sums / row_sums.mean(),
            "key_sector": (backward_index > 1.0) & (forward_index > 1.0),
        },
        index=table.labels,
    )
    return Linkages(frame[list(COLUMNS)])
