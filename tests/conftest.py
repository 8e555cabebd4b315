from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from setu.settings import Settings
from setu.store.register.scratch import postgres_schema, postgres_unreachable
from setu.store import catalog

# Tests must not depend on timing: no per-example deadline (the machine may be loaded).
hypothesis_settings.register_profile("setu", deadline=None)
hypothesis_settings.load_profile("setu")


@pytest.fixture(scope="session")
def built_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One catalog built from the bundled data, shared read-only by the tests of a session."""
    data_dir = tmp_path_factory.mktemp("setu-data")
    catalog.build(data_dir)
    return data_dir


@pytest.fixture(autouse=True, scope="session")
def _isolated_data_dir(built_catalog: Path) -> None:
    """No test touches the user's real data directory: SETU_DATA_DIR points at the session catalog."""
    previous = os.environ.get("SETU_DATA_DIR")
    os.environ["SETU_DATA_DIR"] = str(built_catalog)
    yield
    if previous is None:
        os.environ.pop("SETU_DATA_DIR", None)
    else:
        os.environ["SETU_DATA_DIR"] = previous


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return postgres_unreachable()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty register database on each engine (PostgreSQL: a private schema, dropped afterwards); the register's
    and the JCM's tests share it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.sqlite3'}"
        return
    reason = request.getfixturevalue("postgres_reason")
    if reason:
        pytest.skip(reason)
    with postgres_schema() as url:
        yield url
