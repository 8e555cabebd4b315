"""Shared fixtures: the bundled register and one scan of the bundled series (run once per session)."""

from __future__ import annotations

import pytest

from setu.sources.comtrade_monthly import read_bundled
from setu.sources.measures import load_register
from setu.watch.scan import scan


@pytest.fixture(scope="session")
def register():
    return load_register()


@pytest.fixture(scope="session")
def bundled_flows():
    return read_bundled()


@pytest.fixture(scope="session")
def bundled_scan(bundled_flows, register):
    return scan(bundled_flows, measures=register)
