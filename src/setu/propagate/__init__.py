"""Propagation of shocks through input-output tables (pure: no I/O).

Economy-wide models on a (multi-regional) input-output table: Leontief's demand-driven
model, Ghosh's supply-driven model and the inoperability input-output model (IIM). Each
model factorises its matrix once (:class:`Factorisation`: dense or sparse LU) and then solves
any number of scenarios, given as the columns of a shock matrix; results are DataFrames
with one row per (region, sector) and one column per scenario.

Notation (Miller & Blair 2009, *Input-Output Analysis*, 2nd ed.; Santos & Haimes 2004)
--------------------------------------------------------------------------------------
=========  ==========================================================================
symbol     meaning
=========  ==========================================================================
n          number of region x sector rows of the table
Z          intermediate flows, n x n; z_ij = sales of sector i to sector j
Y          final demand by category, n x m; f = Y 1 its row sums
x          gross output, n; x = Z 1 + f (row identity)
v          total primary inputs, n; v' = x' - 1' Z (column identity)
A          input (technical) coefficients, A = Z x^-1 (a_ij = z_ij / x_j)
L          Leontief inverse, L = (I - A)^-1; x = L f
B          allocation (output) coefficients, B = x^-1 Z (b_ij = z_ij / x_i)
G          Ghosh inverse, G = (I - B)^-1; x' = v' G
A*         IIM interdependency matrix, A* = x^-1 A x
q          inoperability, 0-1: share of planned output not delivered; q = A* q + c*
c*         IIM perturbation, 0-1; demand form c* = x^-1 δc
x^-1, x    in products, the diagonal matrices of 1/x and x ("x hat")
Δ, δ       a change in the quantity that follows
=========  ==========================================================================
"""

from setu.propagate.coefficients import (
    allocation_coefficients,
    flows_from_coefficients,
    interdependency_matrix,
    primary_inputs,
    spectral_radius,
    technical_coefficients,
    total_output,
)
from setu.propagate.factorisation import DENSE_MAX_ORDER, SPARSE_MAX_DENSITY, Factorisation, choose_method
from setu.propagate.ghosh import GhoshModel, ghosh_inverse
from setu.propagate.inoperability import InoperabilityModel
from setu.propagate.iotable import IOTable
from setu.propagate.leontief import LeontiefModel, leontief_inverse
from setu.propagate.linkages import Linkages, linkages
from setu.propagate.names import match_name
from setu.propagate.output_cut import OutputCut, cut_each_output, cut_output

__all__ = [
    "DENSE_MAX_ORDER",
    "SPARSE_MAX_DENSITY",
    "Factorisation",
    "GhoshModel",
    "IOTable",
    "InoperabilityModel",
    "LeontiefModel",
    "Linkages",
    "OutputCut",
    "allocation_coefficients",
    "choose_method",
    "cut_each_output",
    "cut_output",
    "flows_from_coefficients",
    "ghosh_inverse",
    "interdependency_matrix",
    "leontief_inverse",
    "linkages",
    "match_name",
    "primary_inputs",
    "spectral_radius",
    "technical_coefficients",
    "total_output",
]
