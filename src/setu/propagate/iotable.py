"""The input-output table the models run on, built from a pymrio ``IOSystem`` or plain matrices.

One small frozen container holds flows ``Z`` (dense or SciPy sparse), final demand ``Y``,
gross output ``x``, primary inputs ``v`` and the (region, sector) labels of the rows, so any
table pymrio reads (EXIOBASE, OECD ICIO, WIOD, Eora ...) and any pair of arrays work alike.
Results of the models are pandas DataFrames indexed by these labels (one row per
region x sector, one column per scenario): the one return type of this package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse

from setu.errors import ValidationError
from setu.propagate.coefficients import (
    flows_from_coefficients,
    primary_inputs,
    technical_coefficients,
    total_output,
)
from setu.propagate.factorisation import Factorisation

LABEL_NAMES = ("region", "sector")


@dataclass(frozen=True, eq=False)
class IOTable:
    """A (multi-regional) input-output table in flows, with its labels and unit.

    Attributes:
        Z: intermediate flows, n x n (``z_ij`` = sales of sector i to sector j); ndarray or sparse.
        Y: final demand, n x m (one column per final-demand category and region).
        x: gross output, n.
        v: total primary inputs ``x' - 1'Z``, n.
        labels: MultiIndex (region, sector) of the n rows and columns.
        final_demand_labels: the m columns of ``Y``.
        unit: unit of the flows, e.g. "million USD".
        name: what the table is, e.g. "WIOD 2013 release, 2011".
    """

    Z: np.ndarray | scipy.sparse.sparray
    Y: np.ndarray
    x: np.ndarray
    v: np.ndarray
    labels: pd.MultiIndex
    final_demand_labels: pd.Index
    unit: str = ""
    name: str = ""

    @property
    def size(self) -> int:
        return self.x.shape[0]

    @property
    def f(self) -> np.ndarray:
        """Total final demand per sector, ``f = Y 1``."""
        return self.Y.sum(axis=1)

    @property
    def A(self):
        """Input coefficients ``A = Z x^-1`` (computed on access; keep a reference if reused)."""
        return technical_coefficients(self.Z, self.x)

    @property
    def regions(self) -> list[str]:
        return list(dict.fromkeys(self.labels.get_level_values(0)))

    @property
    def sectors(self) -> list[str]:
        return list(dict.fromkeys(self.labels.get_level_values(1)))

    @classmethod
    def from_matrices(
        cls,
        Z,
        Y,
        *,
        labels: pd.MultiIndex | Sequence[tuple[str, str]] | None = None,
        x: np.ndarray | None = None,
        final_demand_labels: Sequence[str] | None = None,
        unit: str = "",
        name: str = "",
    ) -> IOTable:
        """Table from flows. ``x`` defaults to the row identity ``Z 1 + Y 1``; labels to ("all", "s0") ...

        Pass ``x`` when the table publishes its own output and the identity does not hold
        exactly; the coefficients are then taken against that ``x``.
        """
        if not scipy.sparse.issparse(Z):
            Z = np.asarray(Z, dtype=np.float64)
        else:
            Z = scipy.sparse.csc_array(Z, dtype=np.float64)
        if Z.ndim != 2 or Z.shape[0] != Z.shape[1]:
            raise ValidationError(f"Z must be square, got shape {Z.shape}")
        n = Z.shape[0]
        Y = np.asarray(Y, dtype=np.float64)
        if Y.ndim == 1:
            Y = Y[:, np.newaxis]
        if Y.shape[0] != n:
            raise ValidationError(f"Y has {Y.shape[0]} rows, Z has {n}")
        x = total_output(Z, Y) if x is None else np.asarray(x, dtype=np.float64).ravel()
        if x.shape != (n,):
            raise ValidationError(f"x has {x.shape[0]} entries, Z has {n} rows")
        if np.any(x < 0):
            raise ValidationError(f"gross output is negative for {int(np.sum(x < 0))} sectors")
        index = _labels(labels, n)
        demand_index = (
            pd.Index(list(final_demand_labels))
            if final_demand_labels is not None
            else pd.RangeIndex(Y.shape[1], name="final demand")
        )
        if len(demand_index) != Y.shape[1]:
            raise ValidationError(f"{len(demand_index)} final-demand labels for {Y.shape[1]} columns of Y")
        return cls(Z, Y, x, primary_inputs(Z, x), index, demand_index, unit, name)

    @classmethod
    def from_coefficients(cls, A, Y, **kwargs) -> IOTable:
        """Table from input coefficients and final demand: ``x = (I - A)^-1 f``, ``Z = A x``."""
        Y = np.asarray(Y, dtype=np.float64)
        f = Y if Y.ndim == 1 else Y.sum(axis=1)
        x = Factorisation(A).solve(f)
        return cls.from_matrices(flows_from_coefficients(A, x), Y, x=x, **kwargs)

    @classmethod
    def from_pymrio(cls, io, *, unit: str | None = None) -> IOTable:
        """Table from a pymrio ``IOSystem``, in flows (``Z``) or coefficients (``A``) form.

        Gross output is pymrio's ``x`` when it has been computed (so coefficients match
        pymrio's exactly), else the row identity ``Z 1 + Y 1``.
        """
        if io.Y is None or (io.Z is None and io.A is None):
            raise ValidationError(
                "the IOSystem needs final demand Y and either flows Z or coefficients A"
                " (after reset_to_coefficients, set io.Y again)"
            )
        index = io.Z.index if io.Z is not None else io.A.index
        Y = io.Y.reindex(index).to_numpy(dtype=np.float64)
        if unit is None and getattr(io, "unit", None) is not None:
            units = pd.unique(io.unit.to_numpy().ravel())
            unit = str(units[0]) if len(units) == 1 else ""
        common = dict(
            labels=pd.MultiIndex.from_tuples(list(index), names=LABEL_NAMES),
            final_demand_labels=[" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in io.Y.columns],
            unit=unit or "",
            name=str(getattr(io, "name", "") or ""),
        )
        if io.Z is None:
            return cls.from_coefficients(io.A.reindex(index=index, columns=index).to_numpy(), Y, **common)
        x = None if io.x is None else io.x.reindex(index).to_numpy(dtype=np.float64).ravel()
        Z = io.Z.reindex(index=index, columns=index).to_numpy(dtype=np.float64)
        return cls.from_matrices(Z, Y, x=x, **common)

    def frame(self, values: np.ndarray, columns: Sequence | pd.Index | None = None) -> pd.DataFrame:
        """Wrap an n or n x k result in a DataFrame indexed by the table's labels."""
        values = np.asarray(values)
        if values.ndim == 1:
            values = values[:, np.newaxis]
        if columns is None:
            columns = pd.RangeIndex(values.shape[1], name="scenario")
        return pd.DataFrame(values, index=self.labels, columns=columns)

    def columns_of(self, shocks) -> tuple[np.ndarray, pd.Index]:
        """Shocks as an n x k float array plus the scenario names they carry.

        Accepts an n-vector, an n x k array, a Series or a DataFrame indexed like the table
        (rows missing from a labelled shock count as zero; unknown rows are an error).
        """
        if isinstance(shocks, pd.Series):
            shocks = shocks.to_frame(name=shocks.name if shocks.name is not None else 0)
        if isinstance(shocks, pd.DataFrame):
            unknown = shocks.index.difference(self.labels)
            if len(unknown):
                raise ValidationError(f"{len(unknown)} shock rows are not in the table, e.g. {list(unknown[:3])}")
            aligned = shocks.reindex(self.labels, fill_value=0.0)
            return aligned.to_numpy(dtype=np.float64), aligned.columns
        values = np.asarray(shocks, dtype=np.float64)
        if values.ndim == 1:
            values = values[:, np.newaxis]
        if values.ndim != 2 or values.shape[0] != self.size:
            raise ValidationError(f"shocks must have {self.size} rows, got shape {values.shape}")
        return values, pd.RangeIndex(values.shape[1], name="scenario")


def _labels(labels, n: int) -> pd.MultiIndex:
    if labels is None:
        return pd.MultiIndex.from_arrays([["all"] * n, [f"s{i}" for i in range(n)]], names=LABEL_NAMES)
    index = labels if isinstance(labels, pd.MultiIndex) else pd.MultiIndex.from_tuples(list(labels))
    if len(index) != n:
        raise ValidationError(f"{len(index)} labels for {n} sectors")
    if index.nlevels != 2:
        raise ValidationError("labels must have two levels: region and sector")
    if index.has_duplicates:
        raise ValidationError(f"duplicate labels, e.g. {list(index[index.duplicated()][:3])}")
    return index.set_names(LABEL_NAMES)
