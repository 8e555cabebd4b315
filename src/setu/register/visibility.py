"""Who may read and who may change a record: the one statement of the register's access policy.

Every record other than an organisation carries an owner organisation and a tier:

- ``government``: the owner's accounts and accounts of government organisations (ministries and agencies);
- ``shared``: the owner's accounts and accounts of the organisations named in ``shared_with``
  (an empty list keeps the record inside its owner: the default);
- ``public``: every account.

Admins read everything. Editors change records their own organisation owns; viewers change nothing.

The policy is stated twice in one module, on purpose and tested to agree: :func:`can_see` judges one
record, and :func:`scope_for` describes the same rule as a :class:`Scope` that the store renders as a
query filter, so lists, searches, exports and digests never fetch what the caller may not read.
The service layer applies them in one place, :mod:`setu.register.records` (``visible_rows`` for every
multi-record read, including exports and follow-up; ``RecordService`` for single records and writes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from setu.errors import PermissionDeniedError
from setu.register.fields import Role, Tier


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: an account, its role and its organisation."""

    account_id: str
    username: str
    role: Role
    organisation_id: str | None
    government: bool  # the organisation is a ministry or an agency

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True)
class Scope:
    """The set of tiered records a principal may read, as data the store turns into a WHERE clause.

    ``everything`` for admins; otherwise records owned by ``organisation_id``, public records,
    shared records naming ``organisation_id``, and government records when ``government``.
    """

    everything: bool
    organisation_id: str | None
    government: bool


def scope_for(principal: Principal) -> Scope:
    if principal.is_admin:
        return Scope(everything=True, organisation_id=principal.organisation_id, government=True)
    return Scope(everything=False, organisation_id=principal.organisation_id, government=principal.government)


def in_scope(scope: Scope, record: Mapping[str, Any]) -> bool:
    """Whether ``record`` (a mapping with owner_org_id, tier, shared_with) lies in ``scope``."""
    if scope.everything:
        return True
    org = scope.organisation_id
    if org is not None and record["owner_org_id"] == org:
        return True
    tier = Tier(record["tier"])
    if tier is Tier.PUBLIC:
        return True
    if tier is Tier.SHARED:
        return org is not None and org in record["shared_with"]
    return scope.government


def can_see(principal: Principal, record: Mapping[str, Any]) -> bool:
    return in_scope(scope_for(principal), record)


def can_change(principal: Principal, record: Mapping[str, Any]) -> bool:
    """Admins change anything; editors change what their organisation owns."""
    if principal.is_admin:
        return True
    return principal.role is Role.EDITOR and record["owner_org_id"] == principal.organisation_id


def require_writer(principal: Principal) -> None:
    if principal.role is Role.VIEWER:
        raise PermissionDeniedError(f"account {principal.username!r} is a viewer and may not change records")


def require_admin(principal: Principal, action: str) -> None:
    if not principal.is_admin:
        raise PermissionDeniedError(f"only an admin may {action}")
