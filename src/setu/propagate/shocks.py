"""Supply cuts read through each economy-wide model: a registry of small pure functions.

A "cut of share s in sector j" means something different in each model, and each reading is
stated here once:

========  =========================================  ==========================================
model     shock entered                              response returned (change in output Δx)
========  =========================================  ==========================================
leontief  final demand for j falls: Δf_j = -s f_j    Δx = L Δf (suppliers upstream of j lose)
ghosh     primary inputs of j fall: Δv_j = -s v_j    Δx' = Δv' G (buyers downstream of j lose)
iim       j loses operability s: c*_j = s            q = (I - A*)^-1 c*, Δx = -x q
========  =========================================  ==========================================

Every function takes the table, the integer positions of the shocked rows and one cut share
per scenario column, so one call solves many scenarios against one factorisation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from setu.errors import UnknownNameError, ValidationError
from setu.propagate.ghosh import GhoshModel
from setu.propagate.inoperability import InoperabilityModel
from setu.propagate.iotable import IOTable
from setu.propagate.leontief import LeontiefModel

Response = Callable[[IOTable, Sequence[int], np.ndarray], np.ndarray]


def _shock_matrix(size: int, rows: Sequence[int], values: np.ndarray) -> np.ndarray:
    """n x k matrix with ``values[r, k]`` at ``rows[r]``; zeros elsewhere."""
    matrix = np.zeros((size, values.shape[1]))
    matrix[np.asarray(rows, dtype=int), :] = values
    return matrix


def leontief_response(table: IOTable, rows: Sequence[int], cuts: np.ndarray) -> np.ndarray:
    """Δx = L Δf with Δf_j = -s f_j for each shocked row j (Miller & Blair 2009, ch. 2)."""
    shock = _shock_matrix(table.size, rows, -np.outer(table.f[list(rows)], cuts))
    return LeontiefModel(table).output(shock).to_numpy()


def ghosh_response(table: IOTable, rows: Sequence[int], cuts: np.ndarray) -> np.ndarray:
    """Δx' = Δv' G with Δv_j = -s v_j for each shocked row j (Miller & Blair 2009, ch. 12)."""
    shock = _shock_matrix(table.size, rows, -np.outer(table.v[list(rows)], cuts))
    return GhoshModel(table).output(shock).to_numpy()


def inoperability_response(table: IOTable, rows: Sequence[int], cuts: np.ndarray) -> np.ndarray:
    """Δx = -x q with q = (I - A*)^-1 c*, c*_j = s for each shocked row j (Haimes & Jiang 2001)."""
    shock = _shock_matrix(table.size, rows, np.tile(cuts, (len(rows), 1)))
    q = InoperabilityModel(table).inoperability(shock).to_numpy()
    return -q * table.x[:, np.newaxis]


RESPONSES: dict[str, Response] = {
    "leontief": leontief_response,
    "ghosh": ghosh_response,
    "iim": inoperability_response,
}


def output_change(table: IOTable, model: str, rows: Sequence[int], cuts) -> np.ndarray:
    """Change in gross output (n x k, table's unit) after cutting the shocked rows by each share in ``cuts``."""
    if model not in RESPONSES:
        raise UnknownNameError("model", model, sorted(RESPONSES))
    cuts = np.atleast_1d(np.asarray(cuts, dtype=np.float64))
    if np.any((cuts < 0) | (cuts > 1)) or not np.all(np.isfinite(cuts)):
        raise ValidationError(f"cut shares must lie in 0-1, got {cuts.tolist()}")
    if not len(rows):
        raise ValidationError("no shocked sector given")
    return RESPONSES[model](table, rows, cuts)
