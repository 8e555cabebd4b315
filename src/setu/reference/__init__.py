"""Loaders for the bundled reference tables (countries, groups, materials, USGS name and series tables).

These read small files shipped inside the package (``setu/data/reference``); they are the only
place that knows where those files live.
"""
