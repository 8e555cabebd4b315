from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher

from setu.register.service import RegisterService
from setu.store.register.database import RegisterDatabase

#: Cheap Argon2 parameters keep the suite fast; production uses argon2-cffi's defaults.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
NOW = datetime(2026, 4, 15, 9, 30, tzinfo=UTC)


class Clock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def register(database_url: str, clock: Clock) -> Iterator[RegisterService]:
    RegisterDatabase(database_url).upgrade()
    service = RegisterService.open(database_url, clock=clock, hasher=FAST_HASHER)
    yield service
    service.close()


@pytest.fixture
def sqlite_register(tmp_path, clock: Clock) -> Iterator[RegisterService]:
    url = f"sqlite:///{tmp_path / 'embedded.sqlite3'}"  # not database_url's file: tests may use both
    RegisterDatabase(url).upgrade()
    service = RegisterService.open(url, clock=clock, hasher=FAST_HASHER)
    yield service
    service.close()


@pytest.fixture
def make_sqlite(tmp_path_factory: pytest.TempPathFactory, clock: Clock) -> Iterator:
    """A factory of fresh, migrated SQLite registers (closed at the end of the test)."""
    opened: list[RegisterService] = []

    def make() -> RegisterService:
        url = f"sqlite:///{tmp_path_factory.mktemp('register') / 'register.sqlite3'}"
        RegisterDatabase(url).upgrade()
        opened.append(RegisterService.open(url, clock=clock, hasher=FAST_HASHER))
        return opened[-1]

    yield make
    for service in opened:
        service.close()
