from __future__ import annotations

from pathlib import Path

import pytest

from setu.services import datapacks
from setu.settings import Settings


@pytest.fixture(scope="session")
def pack_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the submarine-cables pack added from the repository's copy (as
    `setu data add submarine-cables` does)."""
    data_dir = tmp_path_factory.mktemp("cable-data")
    datapacks.add(Settings(data_dir=data_dir), "submarine-cables")
    return data_dir


@pytest.fixture
def with_pack(pack_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SETU_DATA_DIR", str(pack_data_dir))
    return pack_data_dir


@pytest.fixture
def without_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "empty"))
    return tmp_path / "empty"
