from __future__ import annotations

from pathlib import Path

import pytest

from setu.settings import Settings
from setu.store import catalog


@pytest.fixture(scope="session")
def built_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One catalog built from the bundled data, shared read-only by the tests of a session."""
    data_dir = tmp_path_factory.mktemp("setu-data")
    catalog.build(data_dir)
    return data_dir


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")
