"""Ghosh's supply-driven model: ``x' = x' B + v'``, so ``x' = v' (I - B)^-1 = v' G``.

Here output is pushed forward by primary inputs: a cut ``Δv`` in what a sector can produce
from its own resources (an export restriction at the source, a mine closure) travels
downstream to every buyer through the allocation coefficients ``B = x^-1 Z``:
``Δx' = Δv' G``. It is solved as ``(I - B)' Δx = Δv`` from the LU factors of ``I - B``.

The model assumes fixed allocation shares, i.e. that buyers absorb whatever they are
allocated; it is a measure of forward exposure, not a behavioural forecast (Oosterhaven
1988; Dietzenbacher 1997 reads it as a price model). References: Ghosh (1958), "Input-Output
Approach in an Allocation System", *Economica* 25(97); Miller & Blair (2009), *Input-Output
Analysis*, 2nd ed., ch. 12 (supply-side models and forward linkages); Oosterhaven (1988),
*Journal of Regional Science* 28(2); Dietzenbacher (1997), *Journal of Regional Science* 37(4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from setu.propagate.coefficients import allocation_coefficients
from setu.propagate.factorisation import Factorisation, Method
from setu.propagate.iotable import IOTable


class GhoshModel:
    """``I - B`` factorised once; any number of primary-input scenarios solved against it."""

    def __init__(self, table: IOTable, *, method: Method = "auto"):
        self.table = table
        self.factorisation = Factorisation(allocation_coefficients(table.Z, table.x), method=method, overwrite=True)

    def output(self, primary_inputs) -> pd.DataFrame:
        """Gross output ``x = G' v`` for each column of ``primary_inputs`` (Miller & Blair 2009, ch. 12).

        Pass changes ``Δv`` to get changes ``Δx``; with the table's own ``v`` it returns ``x``.
        """
        values, columns = self.table.columns_of(primary_inputs)
        return self.table.frame(self.factorisation.solve(values, transpose=True), columns)

    def forward_linkages(self) -> pd.Series:
        """Total forward linkages ``G 1``: output in all sectors per unit of primary input to i (ch. 12)."""
        ones = np.ones(self.table.size)
        return pd.Series(self.factorisation.solve(ones), index=self.table.labels, name="forward linkage")

    def inverse(self) -> pd.DataFrame:
        """The full Ghosh inverse ``G = (I - B)^-1`` (dense n x n; only when explicitly needed)."""
        return self.table.frame(self.factorisation.inverse(), self.table.labels)


def ghosh_inverse(B, *, method: Method = "auto") -> np.ndarray:
    """``G = (I - B)^-1`` as a dense array (Miller & Blair 2009, ch. 12): forms the full inverse."""
    return Factorisation(B, method=method).inverse()
