"""LU factors of ``I - M`` computed once and reused for any number of right-hand sides.

Why factorise instead of inverting: the Leontief inverse ``L = (I - A)^-1`` is dense even
when ``A`` is sparse, costs about 2n^3 flops to form (``np.linalg.inv``) against about
(2/3)n^3 for an LU factorisation, and needs several n x n work arrays. A scenario study only
ever needs products ``L f`` for a batch of shock vectors ``F`` (n x k), which two triangular
solves per column give from the factors in 2n^2 flops each (Golub & Van Loan, *Matrix
Computations*, 4th ed., 2013, sections 3.2 and 3.4). The full inverse is formed only when a
caller asks for it (:meth:`Factorisation.inverse`).

Dense or sparse
---------------
``method="auto"`` picks the sparse LU (SuperLU through :func:`scipy.sparse.linalg.splu`,
COLAMD column ordering) when the matrix is larger than :data:`DENSE_MAX_ORDER` (a dense
copy would need n^2 x 8 bytes: 3.2 GB at n = 20,000) or when it holds at most
:data:`SPARSE_MAX_DENSITY` non-zeros per cell; otherwise LAPACK's dense ``getrf`` through
:func:`scipy.linalg.lu_factor`. The density threshold is low on purpose. Measured on a
2-core machine for n = 9,800 (see ``benchmarks/io_propagation.py``): multi-regional tables
link every region to every other, so their LU factors fill in almost completely (a synthetic
MRIO of 0.25 % density gave factors 79 % dense, and SuperLU took ~70 s against 8 s for the
dense factorisation); a random matrix with 4 non-zeros per column still filled to 22 %; only
at about 2 non-zeros per column (density 2e-4) were the factors sparse (2.6 % fill). SuperLU
solves its right-hand sides one at a time, so even then the dense path solved 1,000
scenarios faster; the sparse path earns its place by memory, for systems too large to hold
densely, and for very sparse systems with few scenarios. Callers can force either method.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import scipy.linalg
import scipy.sparse
import scipy.sparse.linalg

from setu.errors import ValidationError

Method = Literal["auto", "dense", "sparse"]

#: Above this order a dense n x n copy (8 n^2 bytes) is not held; the sparse LU is used.
DENSE_MAX_ORDER = 20_000
#: At or below this share of non-zero cells the sparse LU is used (about 2 per column at n = 9,800).
SPARSE_MAX_DENSITY = 2e-4


def density(matrix: np.ndarray | scipy.sparse.sparray | scipy.sparse.spmatrix) -> float:
    """Share of non-zero cells of a square matrix, 0-1."""
    n_cells = matrix.shape[0] * matrix.shape[1]
    if n_cells == 0:
        return 0.0
    if scipy.sparse.issparse(matrix):
        return matrix.count_nonzero() / n_cells
    return float(np.count_nonzero(matrix)) / n_cells


def choose_method(order: int, share_nonzero: float) -> Literal["dense", "sparse"]:
    """The rule of ``method="auto"`` (see the module docstring for the measurements behind it)."""
    if order > DENSE_MAX_ORDER or share_nonzero <= SPARSE_MAX_DENSITY:
        return "sparse"
    return "dense"


class Factorisation:
    """LU factors of ``I - M`` for a square coefficient matrix ``M`` (A, B or A*).

    Build once, then call :meth:`solve` with as many right-hand sides as needed:
    ``solve(R)`` returns ``(I - M)^-1 R`` and ``solve(R, transpose=True)`` returns
    ``(I - M)^-T R``, so one factorisation serves both the column (Leontief, IIM) and the
    row (Ghosh) forms of a model.

    ``overwrite=True`` lets the dense method build ``I - M`` and its factors in the memory of
    ``coefficients`` (a float64 ndarray the caller no longer needs), so factorising costs no
    n x n copy beyond the matrix itself. A C-ordered array is factorised as its transpose
    (a Fortran-ordered view, which LAPACK works on in place) and solves flip ``transpose``.
    """

    def __init__(self, coefficients, *, method: Method = "auto", overwrite: bool = False):
        shape = coefficients.shape
        if len(shape) != 2 or shape[0] != shape[1]:
            raise ValidationError(f"coefficient matrix must be square, got shape {shape}")
        self.order = shape[0]
        self.density = density(coefficients)
        if method == "auto":
            method = choose_method(self.order, self.density)
        if method not in ("dense", "sparse"):
            raise ValidationError(f"unknown factorisation method {method!r}; use auto, dense or sparse")
        self.method: Literal["dense", "sparse"] = method
        self._transposed = False
        if method == "dense":
            self._dense_factor(coefficients, overwrite)
        else:
            self._sparse_factor(coefficients)

    def _dense_factor(self, coefficients, overwrite: bool) -> None:
        if scipy.sparse.issparse(coefficients):
            system = -coefficients.toarray(order="F")
        elif (
            overwrite
            and isinstance(coefficients, np.ndarray)
            and coefficients.dtype == np.float64
            and (coefficients.flags.f_contiguous or coefficients.flags.c_contiguous)
        ):
            system = np.negative(coefficients, out=coefficients)
            if not system.flags.f_contiguous:
                system, self._transposed = system.T, True  # (I - M)' in Fortran order: same memory
        else:
            system = -np.array(coefficients, dtype=np.float64, order="F")
        system[np.diag_indices(self.order)] += 1.0
        if not np.all(np.isfinite(system)):
            raise ValidationError("coefficient matrix holds NaN or infinite values")
        with warnings.catch_warnings():  # a zero pivot is reported below as a ValidationError
            warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
            lu, pivots = scipy.linalg.lu_factor(system, overwrite_a=True, check_finite=False)
        if self.order and np.any(np.diag(lu) == 0.0):
            raise ValidationError("I - M is singular: the system is not productive (spectral radius of M reaches 1)")
        self._lu = (lu, pivots)

    def _sparse_factor(self, coefficients) -> None:
        matrix = scipy.sparse.csc_array(coefficients, dtype=np.float64)
        if not np.all(np.isfinite(matrix.data)):
            raise ValidationError("coefficient matrix holds NaN or infinite values")
        system = (scipy.sparse.eye_array(self.order, format="csc") - matrix).tocsc()
        try:
            self._splu = scipy.sparse.linalg.splu(system, permc_spec="COLAMD")
        except RuntimeError as error:  # SuperLU: "Factor is exactly singular"
            raise ValidationError(
                "I - M is singular: the system is not productive (spectral radius of M reaches 1)"
            ) from error

    def solve(self, rhs: np.ndarray, *, transpose: bool = False) -> np.ndarray:
        """``(I - M)^-1 rhs`` (or ``(I - M)^-T rhs``) for a vector or an n x k matrix of columns."""
        rhs = np.asarray(rhs, dtype=np.float64)
        if rhs.shape[0] != self.order:
            raise ValidationError(f"right-hand side has {rhs.shape[0]} rows, the system has {self.order}")
        if self.method == "dense":
            trans = 1 if transpose != self._transposed else 0
            return scipy.linalg.lu_solve(self._lu, rhs, trans=trans, check_finite=False)
        return self._splu.solve(np.ascontiguousarray(rhs), trans="T" if transpose else "N")

    def inverse(self) -> np.ndarray:
        """The full dense ``(I - M)^-1``: n^2 memory and n solves; only when explicitly needed."""
        return self.solve(np.eye(self.order))

    @property
    def factor_fill(self) -> float:
        """Share of non-zero cells in the factors (1.0 for the dense method)."""
        if self.method == "dense":
            return 1.0
        filled = self._splu.L.nnz + self._splu.U.nnz - self.order
        return filled / float(self.order * self.order) if self.order else 0.0
