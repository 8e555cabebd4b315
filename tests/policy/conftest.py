"""Shared fixtures: the bundled policy service (loaded once) and a helper to build transactions."""

from __future__ import annotations

import datetime as dt

import pytest

from setu.policy.screening import Regime
from setu.policy.transaction import Basis, BeneficialOwner, Transaction
from setu.services.policy import PolicyService


@pytest.fixture(scope="session")
def service() -> PolicyService:
    return PolicyService()


@pytest.fixture(scope="session")
def regimes(service: PolicyService) -> dict[str, Regime]:
    return {regime.id: regime for regime in service.regimes}


def tx(acquirer: str, target: str, sectors: str | set[str], stake: float, day: str, *, listed: bool = False,
       owners: tuple[BeneficialOwner, ...] = (), flags: set[str] | None = None) -> Transaction:
    return Transaction(acquirer=acquirer, target=target,
                       sectors=frozenset({sectors} if isinstance(sectors, str) else sectors),
                       stake=stake, date=dt.date.fromisoformat(day), listed=listed, owners=owners,
                       flags=frozenset(flags or ()))


def citizen(country: str, share: float | None = None, control: bool = False) -> BeneficialOwner:
    return BeneficialOwner(country, share, control, Basis.CITIZEN)


def situated(country: str, share: float | None = None, control: bool = False) -> BeneficialOwner:
    return BeneficialOwner(country, share, control, Basis.SITUATED)
