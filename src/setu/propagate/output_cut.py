"""A supply cut defined by what the user means: the shocked sectors' own output falls by a share ``s``.

Entering the same number as each model's own exogenous variable gives three different shocks: a 20 % cut of
a sector's primary inputs (Ghosh), of its final demand (Leontief) or of its operability (IIM) moves its own
output by very different amounts (for CHN Basic metals in WIOD 2011: -6.4 %, -1.2 % and -31 %). Here the
cut is the outcome: ``Δx_S = -s x_S`` for the shocked rows ``S``, and each model is asked which exogenous
change realises it. Every model is linear, ``Δx = U e`` with ``U`` its response per unit of its exogenous
variable ``e``, so ``e_S`` solves the |S| x |S| system ``U_SS e_S = -s x_S`` (a "target output" shock;
Miller & Blair 2009, *Input-Output Analysis*, 2nd ed., ch. 13, mixed exogenous/endogenous models):

========  ===========================  ==========================  ==========================================
model     exogenous ``e``              unit response ``U``         realising a cut of one sector j
========  ===========================  ==========================  ==========================================
leontief  final demand ``Δf``          ``L`` (ch. 2)               ``Δf_j = -s x_j / l_jj``
ghosh     primary inputs ``Δv``        ``G'`` (ch. 12)             ``Δv_j = -s x_j / g_jj``
iim       perturbation ``c*`` (0-1)    ``-x (I - A*)^-1``          ``c*_j = s / ((I - A*)^-1)_jj``
========  ===========================  ==========================  ==========================================

Leontief and the IIM then give the same ``Δx``: the IIM in its demand form is the Leontief model in shares,
``q = x^-1 L δc`` (Santos & Haimes 2004), and only the stated perturbation differs. Ghosh differs because it
propagates forward, to buyers. Each model's caveat is in ``CAVEATS``; Ghosh's quantity reading is
implausible (Oosterhaven 1988) and better read as prices or forward exposure (Dietzenbacher 1997).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from setu.errors import UnknownNameError, ValidationError
from setu.propagate.ghosh import GhoshModel
from setu.propagate.inoperability import InoperabilityModel
from setu.propagate.iotable import IOTable
from setu.propagate.leontief import LeontiefModel

UnitResponse = Callable[[IOTable, np.ndarray], np.ndarray]


def leontief_unit(table: IOTable, shocks: np.ndarray) -> np.ndarray:
    """Δx = L Δf per column of Δf."""
    return LeontiefModel(table).output(shocks).to_numpy()


def ghosh_unit(table: IOTable, shocks: np.ndarray) -> np.ndarray:
    """Δx = G' Δv per column of Δv."""
    return GhoshModel(table).output(shocks).to_numpy()


def inoperability_unit(table: IOTable, shocks: np.ndarray) -> np.ndarray:
    """Δx = -x q, q = (I - A*)^-1 c*, per column of c*."""
    return -InoperabilityModel(table).inoperability(shocks).to_numpy() * table.x[:, np.newaxis]


UNIT_RESPONSES: dict[str, UnitResponse] = {"leontief": leontief_unit, "ghosh": ghosh_unit, "iim": inoperability_unit}

EXOGENOUS = {
    "leontief": "final demand (Δf)",
    "ghosh": "primary inputs (Δv)",
    "iim": "inoperability perturbation (c*, share of output)",
}

CAVEATS = {
    "leontief": (
        "Demand-driven (Miller & Blair 2009, ch. 2): the cut is realised as a fall in final demand for the "
        "sector, so only its suppliers (upstream) lose; buyers are assumed to find the product elsewhere."
    ),
    "ghosh": (
        "Supply-driven (Ghosh 1958; Miller & Blair 2009, ch. 12): buyers downstream lose in fixed allocation "
        "shares. As a quantity model it is implausible (Oosterhaven 1988, J. Regional Science 28(2): outputs "
        "move without their inputs); read it as forward exposure or, with Dietzenbacher (1997, J. Regional "
        "Science 37(4)), as a price model."
    ),
    "iim": (
        "Inoperability IIM (Haimes & Jiang 2001; Santos & Haimes 2004): in its demand form the Leontief model in "
        "shares, so the same realised cut gives the same losses as leontief; only the perturbation differs."
    ),
}


@dataclass(frozen=True)
class OutputCut:
    """The change in output that realises a cut, and the exogenous change each scenario needed.

    ``change``: Δx, n x k (table's unit); ``exogenous``: e_S, |S| x k (Δf or Δv in the table's unit, c* as a
    share); ``realised_share``: Δx_S / x_S, |S| x k, computed from ``change`` (equal to ``-s`` up to rounding).
    """

    model: str
    rows: tuple[int, ...]
    change: np.ndarray
    exogenous: np.ndarray
    realised_share: np.ndarray

    @property
    def caveat(self) -> str:
        return CAVEATS[self.model]


def unit_response(table: IOTable, model: str) -> UnitResponse:
    if model not in UNIT_RESPONSES:
        raise UnknownNameError("model", model, sorted(UNIT_RESPONSES))
    return UNIT_RESPONSES[model]


def cut_output(table: IOTable, model: str, rows: Sequence[int], cuts) -> OutputCut:
    """Δx when the output of every row in ``rows`` falls by each share in ``cuts`` (one scenario per share).

    Solves ``U_SS e_S = -s x_S`` once per scenario against the unit responses of the shocked rows.
    """
    cuts = _shares(cuts)
    rows = _rows(table, rows)
    basis = np.zeros((table.size, rows.size))
    basis[rows, np.arange(rows.size)] = 1.0
    unit = unit_response(table, model)(table, basis)  # n x |S|: response to a unit of each row's variable
    target = -np.outer(table.x[rows], cuts)
    exogenous = np.linalg.solve(unit[rows, :], target)
    change = unit @ exogenous
    return OutputCut(model, tuple(rows.tolist()), change, exogenous, change[rows, :] / table.x[rows, np.newaxis])


def cut_each_output(table: IOTable, model: str, rows: Sequence[int], cut: float) -> OutputCut:
    """Scenario k cuts the output of ``rows[k]`` alone by ``cut``: one batch of unit responses for all rows.

    ``exogenous`` and ``realised_share`` are 1 x k (the shocked row of each scenario).
    """
    (cut,) = _shares([cut])
    rows = _rows(table, rows)
    columns = np.arange(rows.size)
    basis = np.zeros((table.size, rows.size))
    basis[rows, columns] = 1.0
    unit = unit_response(table, model)(table, basis)
    exogenous = -cut * table.x[rows] / unit[rows, columns]
    change = unit * exogenous[np.newaxis, :]
    realised = change[rows, columns] / table.x[rows]
    return OutputCut(model, tuple(rows.tolist()), change, exogenous[np.newaxis, :], realised[np.newaxis, :])


def _shares(cuts) -> np.ndarray:
    cuts = np.atleast_1d(np.asarray(cuts, dtype=np.float64))
    if cuts.ndim != 1 or not np.all(np.isfinite(cuts)) or np.any((cuts < 0) | (cuts > 1)):
        raise ValidationError(f"cut shares must lie in 0-1, got {cuts.tolist()}")
    return cuts


def _rows(table: IOTable, rows: Sequence[int]) -> np.ndarray:
    rows = np.asarray(rows, dtype=int)
    if not rows.size:
        raise ValidationError("no shocked sector given")
    if np.unique(rows).size != rows.size:
        raise ValidationError("a shocked sector is named twice")
    idle = rows[table.x[rows] <= 0]
    if idle.size:
        raise ValidationError(f"sector {table.labels[idle[0]]} has no output to cut")
    return rows
