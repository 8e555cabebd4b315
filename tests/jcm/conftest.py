from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from setu.jcm.sample import SampleJcm, build_sample
from setu.jcm.service import JcmService
from setu.register.service import RegisterService
from setu.store.register.database import RegisterDatabase

from argon2 import PasswordHasher


FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

#: The sample's operations happen on this day (after its authorisations of 3 November 2025).
SAMPLE_DAY = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def post_form(client: Any, path: str, data: dict[str, object], **options: object) -> Any:
    """A page form sent as a browser sends it: with the ``setu_csrf`` cookie's token (a first page sets it)."""
    if "setu_csrf" not in client.cookies:
        client.get("/login")
    return client.post(path, data={**data, "csrf_token": client.cookies["setu_csrf"]}, **options)


def live_register(folder: Path) -> tuple[RegisterService, SampleJcm]:
    """A migrated SQLite register in ``folder`` with the illustrative sample, on the real clock (a web login's
    cookie expires with its token, so page tests cannot run on the sample's fixed day)."""
    url = f"sqlite:///{folder / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url, hasher=FAST_HASHER, clock=lambda: datetime.now(UTC))
    return register, build_sample(register, register.jcm)


class Clock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self, now: datetime = SAMPLE_DAY):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(database_url: str, clock: Clock) -> Iterator[tuple[RegisterService, JcmService]]:
    RegisterDatabase(database_url).upgrade()
    register = RegisterService.open(database_url, clock=clock, hasher=FAST_HASHER)
    yield register, JcmService(register.database, clock)
    register.close()


@pytest.fixture
def sample(services: tuple[RegisterService, JcmService]) -> SampleJcm:
    register, jcm = services
    return build_sample(register, jcm)


@pytest.fixture
def jcm(services: tuple[RegisterService, JcmService]) -> JcmService:
    return services[1]
