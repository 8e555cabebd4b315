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

Every response takes the table and a matrix ``S`` of cut shares (n x k: the share of row j
cut in scenario k), so one call solves all k scenarios against one factorisation.
:func:`output_change` cuts the same rows in every scenario; :func:`one_at_a_time` cuts each
row alone, one scenario per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from setu.errors import UnknownNameError, ValidationError
from setu.propagate.ghosh import GhoshModel
from setu.propagate.inoperability import InoperabilityModel
from setu.propagate.iotable import IOTable
from setu.propagate.leontief import LeontiefModel

Response = Callable[[IOTable, np.ndarray], np.ndarray]


def leontief_response(table: IOTable, cuts: np.ndarray) -> np.ndarray:
    """Δx = L Δf with Δf_j = -s_j f_j (Miller & Blair 2009, ch. 2)."""
    return LeontiefModel(table).output(-cuts * table.f[:, np.newaxis]).to_numpy()


def ghosh_response(table: IOTable, cuts: np.ndarray) -> np.ndarray:
    """Δx' = Δv' G with Δv_j = -s_j v_j (Miller & Blair 2009, ch. 12)."""
    return GhoshModel(table).output(-cuts * table.v[:, np.newaxis]).to_numpy()


def inoperability_response(table: IOTable, cuts: np.ndarray) -> np.ndarray:
    """Δx = -x q with q = (I - A*)^-1 c*, c*_j = s_j (Haimes & Jiang 2001)."""
    q = InoperabilityModel(table).inoperability(cuts).to_numpy()
    return -q * table.x[:, np.newaxis]


RESPONSES: dict[str, Response] = {
    "leontief": leontief_response,
    "ghosh": ghosh_response,
    "iim": inoperability_response,
}


def response(table: IOTable, model: str, cuts: np.ndarray) -> np.ndarray:
    """Change in gross output (n x k, table's unit) for an n x k matrix of cut shares (0-1)."""
    if model not in RESPONSES:
        raise UnknownNameError("model", model, sorted(RESPONSES))
    cuts = np.asarray(cuts, dtype=np.float64)
    if cuts.ndim != 2 or cuts.shape[0] != table.size:
        raise ValidationError(f"cut shares must be a {table.size} x k matrix, got shape {cuts.shape}")
    if not np.all(np.isfinite(cuts)) or np.any((cuts < 0) | (cuts > 1)):
        raise ValidationError("cut shares must lie in 0-1")
    return RESPONSES[model](table, cuts)


def output_change(table: IOTable, model: str, rows: Sequence[int], cuts) -> np.ndarray:
    """Δx (n x k) after cutting every row in ``rows`` by each share in ``cuts`` (one scenario per share)."""
    cuts = np.atleast_1d(np.asarray(cuts, dtype=np.float64))
    if np.any((cuts < 0) | (cuts > 1)) or not np.all(np.isfinite(cuts)):
        raise ValidationError(f"cut shares must lie in 0-1, got {cuts.tolist()}")
    if not len(rows):
        raise ValidationError("no shocked sector given")
    shares = np.zeros((table.size, cuts.size))
    shares[np.asarray(rows, dtype=int), :] = cuts
    return response(table, model, shares)


def one_at_a_time(table: IOTable, model: str, rows: Sequence[int], cut: float) -> np.ndarray:
    """Δx (n x len(rows)): scenario k cuts row ``rows[k]`` alone by ``cut``; one factorisation for all."""
    if not 0 <= cut <= 1:
        raise ValidationError(f"cut share must lie in 0-1, got {cut}")
    rows = np.asarray(rows, dtype=int)
    shares = np.zeros((table.size, rows.size))
    shares[rows, np.arange(rows.size)] = cut
    return response(table, model, shares)
