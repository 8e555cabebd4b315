"""Leontief's demand-driven model: ``x = A x + f``, so ``x = (I - A)^-1 f = L f``.

A change in final demand ``Δf`` (an export ban seen from the banned buyers, a collapse in
demand for a region's products) reaches every supplier upstream: ``Δx = L Δf``. The model
is linear, so the change is computed exactly like a level. References: Leontief (1936),
"Quantitative Input and Output Relations in the Economic Systems of the United States",
*Review of Economics and Statistics* 18(3); Miller & Blair (2009), *Input-Output Analysis:
Foundations and Extensions*, 2nd ed., Cambridge University Press, ch. 2 (the model and its
two-sector illustration), ch. 3 (multi-regional form) and ch. 6 (multipliers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from setu.propagate.factorisation import Factorisation, Method
from setu.propagate.iotable import IOTable


class LeontiefModel:
    """``I - A`` factorised once; any number of final-demand scenarios solved against it."""

    def __init__(self, table: IOTable, *, method: Method = "auto"):
        self.table = table
        self.factorisation = Factorisation(table.A, method=method, overwrite=True)

    def output(self, final_demand) -> pd.DataFrame:
        """Gross output ``x = L f`` for each column of ``final_demand`` (Miller & Blair 2009, ch. 2).

        Pass changes ``Δf`` to get changes ``Δx = L Δf``. Columns are scenarios; rows the
        table's (region, sector) labels.
        """
        values, columns = self.table.columns_of(final_demand)
        return self.table.frame(self.factorisation.solve(values), columns)

    def output_multipliers(self) -> pd.Series:
        """Simple output multipliers ``m' = 1' L``: output in all sectors per unit of final demand for j.

        Column sums of ``L`` (Miller & Blair 2009, ch. 6), from one transposed solve.
        """
        ones = np.ones(self.table.size)
        return pd.Series(
            self.factorisation.solve(ones, transpose=True), index=self.table.labels, name="output multiplier"
        )

    def inverse(self) -> pd.DataFrame:
        """The full Leontief inverse ``L = (I - A)^-1`` (dense n x n; only when explicitly needed)."""
        return self.table.frame(self.factorisation.inverse(), self.table.labels)


def leontief_inverse(A, *, method: Method = "auto") -> np.ndarray:
    """``L = (I - A)^-1`` as a dense array (Miller & Blair 2009, ch. 2): forms the full inverse."""
    return Factorisation(A, method=method).inverse()
