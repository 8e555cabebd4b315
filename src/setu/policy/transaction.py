"""A proposed investment, as the facts a screening regime asks about.

Stakes and ownership shares are fractions (0-1), as everywhere in Setu; the CLI takes per cent and converts.
A beneficial owner's ``share`` of the investing entity may be unknown (None): rules then treat it as above
any threshold, the cautious reading, and say so in their explanation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Basis(StrEnum):
    """Why an owner is tied to a country: citizenship, or being situated (resident, incorporated) there."""

    CITIZEN = "citizen"
    SITUATED = "situated"


@dataclass(frozen=True)
class BeneficialOwner:
    country: str  # ISO3
    share: float | None = None  # fraction of the investing entity; None = not known
    control: bool = False  # controls the investing entity (board majority, management, agreements)
    basis: Basis = Basis.CITIZEN

    def describe(self) -> str:
        share = "share not given" if self.share is None else f"{self.share:.4g} of the investor"
        control = ", with control" if self.control else ""
        return f"{self.basis.value} of {self.country} ({share}{control})"


@dataclass(frozen=True)
class Transaction:
    acquirer: str  # ISO3 country of the investing entity (incorporation) or of the investing person
    target: str  # ISO3 country of the target company
    sectors: frozenset[str]  # Setu sector ids (data/policy/sectors.yaml)
    stake: float  # fraction of the target's shares or voting rights after the transaction
    date: dt.date
    listed: bool = False
    owners: tuple[BeneficialOwner, ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)  # facts a regime declares (brownfield, ...)

    def __post_init__(self) -> None:
        if not 0 <= self.stake <= 1:
            raise ValueError(f"stake {self.stake} must be a fraction in 0-1")
        for owner in self.owners:
            if owner.share is not None and not 0 <= owner.share <= 1:
                raise ValueError(f"owner share {owner.share} must be a fraction in 0-1")

    def with_(self, **changes: object) -> Transaction:
        return replace(self, **changes)  # type: ignore[arg-type]
