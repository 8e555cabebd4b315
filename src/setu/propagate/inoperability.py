"""The inoperability input-output model (IIM): ``q = A* q + c*``, so ``q = (I - A*)^-1 c*``.

Inoperability ``q_i`` is the share (0-1) of sector i's planned output that it cannot deliver;
the perturbation ``c*`` is the share each sector loses directly (Haimes & Jiang 2001). In the
demand-reduction form of Santos & Haimes (2004) a final-demand loss ``δc`` enters as
``c* = x^-1 δc`` and the economic loss is ``x q`` (same unit as the table). With
``A* = x^-1 A x`` the IIM is the Leontief model rescaled by output: ``q = x^-1 L δc``.

References: Haimes & Jiang (2001), "Leontief-Based Model of Risk in Complex Interconnected
Infrastructures", *Journal of Infrastructure Systems* 7(1); Santos & Haimes (2004),
"Modeling the Demand Reduction Input-Output (I-O) Inoperability Due to Terrorism of
Interconnected Infrastructures", *Risk Analysis* 24(6); Miller & Blair (2009), ch. 2 for the
Leontief system it rescales.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from setu.propagate.coefficients import interdependency_matrix
from setu.propagate.factorisation import Factorisation, Method
from setu.propagate.iotable import IOTable


class InoperabilityModel:
    """``I - A*`` factorised once; any number of perturbations solved against it."""

    def __init__(self, table: IOTable, *, method: Method = "auto"):
        self.table = table
        self.factorisation = Factorisation(interdependency_matrix(table.A, table.x), method=method, overwrite=True)

    def inoperability(self, perturbation) -> pd.DataFrame:
        """Inoperability ``q = (I - A*)^-1 c*`` (0-1 per sector) for each column of ``c*``."""
        values, columns = self.table.columns_of(perturbation)
        return self.table.frame(self.factorisation.solve(values), columns)

    def perturbation_from_demand(self, demand_reduction) -> pd.DataFrame:
        """Demand-side perturbation ``c* = x^-1 δc`` (Santos & Haimes 2004); zero for zero-output sectors."""
        values, columns = self.table.columns_of(demand_reduction)
        x = self.table.x
        reciprocal = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
        return self.table.frame(values * reciprocal[:, np.newaxis], columns)

    def economic_loss(self, inoperability) -> pd.DataFrame:
        """Output lost, ``x q`` (in the table's unit), for each column of inoperability."""
        values, columns = self.table.columns_of(inoperability)
        return self.table.frame(values * self.table.x[:, np.newaxis], columns)

    def interdependency_matrix(self) -> pd.DataFrame:
        """``A* = x^-1 A x`` as a labelled frame (dense)."""
        matrix = interdependency_matrix(self.table.A, self.table.x)
        dense = matrix.toarray() if hasattr(matrix, "toarray") else matrix
        return self.table.frame(dense, self.table.labels)
