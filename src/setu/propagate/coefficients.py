"""Coefficient matrices and accounting identities of an input-output table.

Each function computes one quantity from flows, works on dense arrays and SciPy sparse
matrices alike, and returns the same kind it was given. Sectors with zero gross output
(WIOD has a few) get zero coefficients instead of a division by zero, as pymrio does.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse


def _reciprocal(values: np.ndarray) -> np.ndarray:
    """1 / values, with 0 where values is 0 (zero-output sectors)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    out = np.zeros_like(values)
    np.divide(1.0, values, out=out, where=values != 0)
    return out


def _scale_columns(matrix, factors: np.ndarray):
    if scipy.sparse.issparse(matrix):
        return scipy.sparse.csc_array(matrix @ scipy.sparse.diags_array(factors))
    return np.asarray(matrix, dtype=np.float64) * factors[np.newaxis, :]


def _scale_rows(matrix, factors: np.ndarray):
    if scipy.sparse.issparse(matrix):
        return scipy.sparse.csr_array(scipy.sparse.diags_array(factors) @ matrix)
    return np.asarray(matrix, dtype=np.float64) * factors[:, np.newaxis]


def total_output(Z, Y) -> np.ndarray:
    """Gross output from the row identity: ``x = Z 1 + Y 1`` (Miller & Blair 2009, ch. 2).

    ``Y`` is the final-demand block (n x categories), or the n-vector ``f`` of its row sums.
    """
    intermediate = np.asarray(Z.sum(axis=1)).ravel()
    final = np.asarray(Y, dtype=np.float64)
    final = final if final.ndim == 1 else final.sum(axis=1)
    return intermediate + final


def primary_inputs(Z, x: np.ndarray) -> np.ndarray:
    """Total primary inputs from the column identity: ``v' = x' - 1' Z`` (Miller & Blair 2009, ch. 2).

    In a multi-regional table this is value added plus taxes less subsidies, margins and
    whatever else the table records below the intermediate block: all inputs that are not
    produced by a sector of the table, which is what the Ghosh model pushes forward.
    """
    return np.asarray(x, dtype=np.float64).ravel() - np.asarray(Z.sum(axis=0)).ravel()


def technical_coefficients(Z, x: np.ndarray):
    """Input (technical) coefficients ``A = Z x^-1``: column j is sector j's inputs per unit of its output.

    ``a_ij = z_ij / x_j`` (Miller & Blair 2009, ch. 2).
    """
    return _scale_columns(Z, _reciprocal(x))


def allocation_coefficients(Z, x: np.ndarray):
    """Output (allocation) coefficients ``B = x^-1 Z``: row i is where each unit of sector i's output goes.

    ``b_ij = z_ij / x_i`` (Miller & Blair 2009, ch. 12).
    """
    return _scale_rows(Z, _reciprocal(x))


def interdependency_matrix(A, x: np.ndarray):
    """Normalised interdependency matrix of the IIM: ``A* = x^-1 A x`` (Santos & Haimes 2004).

    ``a*_ij = a_ij x_j / x_i`` is the share of sector i's output that sector j absorbs, so
    a loss of operability in j passes to i in proportion to it. Where ``A = Z x^-1`` this is
    numerically the Ghosh allocation matrix ``B``, used here in the column (demand) form.
    Rows of zero-output sectors are zero.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    return _scale_rows(_scale_columns(A, x), _reciprocal(x))


def flows_from_coefficients(A, x: np.ndarray):
    """Intermediate flows from input coefficients: ``Z = A x`` (Miller & Blair 2009, ch. 2)."""
    return _scale_columns(A, np.asarray(x, dtype=np.float64).ravel())


def spectral_radius(M) -> float:
    """Largest absolute eigenvalue of a square matrix; below 1 for a productive ``A`` (Miller & Blair 2009, app. A).

    Dense eigen-decomposition: meant for checks and tests on small and medium tables.
    """
    dense = M.toarray() if scipy.sparse.issparse(M) else np.asarray(M, dtype=np.float64)
    if dense.size == 0:
        return 0.0
    return float(np.max(np.abs(np.linalg.eigvals(dense))))
