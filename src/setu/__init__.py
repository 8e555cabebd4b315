"""Setu: an economic-security workbench for critical-material and supply-chain dependence."""

__version__ = "0.1.0"

__all__ = ["__version__"]
