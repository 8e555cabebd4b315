from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from setu.app import create_app
from setu.register.sample import SAMPLE_PASSWORD, SampleRegister, build_sample
from setu.register.service import RegisterService
from setu.settings import Settings
from setu.store.register.database import RegisterDatabase
from setu.store.register.scratch import postgres_schema, postgres_unreachable

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class Api:
    """A TestClient over the sample register, logged in per account on demand."""

    def __init__(self, client: TestClient, sample: SampleRegister, register: RegisterService):
        self.client = client
        self.sample = sample
        self.register = register
        self._tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self._tokens:
            response = self.client.post("/api/auth/token", json={"username": username, "password": SAMPLE_PASSWORD})
            assert response.status_code == 200, response.text
            self._tokens[username] = response.json()["access_token"]
        return self._tokens[username]

    def headers(self, username: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}", **extra}

    def get(self, username: str, path: str, **kwargs):
        return self.client.get(path, headers=self.headers(username), **kwargs)


def make_api(url: str, tmp: Path) -> Iterator[Api]:
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url, hasher=FAST_HASHER, clock=lambda: datetime.now(UTC))
    sample = build_sample(register)
    app = create_app(Settings(data_dir=tmp), register=register)
    with TestClient(app) as client:
        yield Api(client, sample, register)
    register.close()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    yield from make_api(f"sqlite:///{tmp_path / 'register.sqlite3'}", tmp_path)


@pytest.fixture(scope="module")
def reader_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One sample register per module, for tests that only read."""
    tmp = tmp_path_factory.mktemp("api")
    yield from make_api(f"sqlite:///{tmp / 'register.sqlite3'}", tmp)


def engine_api(engine: str, tmp: Path) -> Iterator[Api]:
    if engine == "sqlite":
        yield from make_api(f"sqlite:///{tmp / 'register.sqlite3'}", tmp)
        return
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    with postgres_schema() as url:
        yield from make_api(url, tmp)


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def any_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The sample register behind the API, on each engine."""
    yield from engine_api(request.param, tmp_path)


@pytest.fixture(scope="module", params=ENGINES)
def any_reader_api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """As any_api, shared by a module's tests."""
    yield from engine_api(request.param, tmp_path_factory.mktemp("api"))
