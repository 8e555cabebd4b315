"""Accounts, passwords and bearer tokens.

Passwords are hashed with Argon2id (argon2-cffi's defaults follow RFC 9106's recommended profile).
A token is 32 random bytes shown to the user once; the database keeps only its SHA-256, so a copy of
the database (or a backup) does not let anyone log in. Tokens expire after ``token_ttl``.
No account exists after installation: the first admin is made with ``setu register create-admin``.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar

import pydantic
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, StringConstraints

from setu.errors import AuthenticationError, ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from setu.register.audit import record_change
from setu.register.fields import GOVERNMENT_KINDS, LoginName, OrganisationKind, RecordId, Role, Strict
from setu.register.records import input_error
from setu.register.visibility import Principal, require_admin

Username = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")]
Password = Annotated[str, StringConstraints(min_length=12, max_length=256)]


ModelT = TypeVar("ModelT", bound=BaseModel)


class AccountCreate(Strict):
    username: Username
    password: Password
    role: Role
    organisation_id: RecordId | None = None


class AccountUpdate(Strict):
    password: Password | None = None
    role: Role | None = None
    organisation_id: RecordId | None = None
    active: bool | None = None


class AccountPublic(BaseModel):
    id: str
    version: int
    username: str
    role: Role
    organisation_id: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


class Credentials(Strict):
    username: LoginName
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class IssuedToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


def validated(model: type[ModelT], **values: Any) -> ModelT:
    """Build ``model`` from keyword values, reporting invalid input as a Setu ValidationError."""
    try:
        return model(**values)
    except pydantic.ValidationError as error:
        raise input_error(error) from None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _audit_view(account: dict[str, Any]) -> dict[str, Any]:
    """An account as the audit log sees it: never the password hash."""
    return AccountPublic.model_validate(account).model_dump(mode="json")


class AccountService:
    def __init__(
        self,
        database: Any,
        clock: Callable[[], datetime],
        token_ttl: timedelta = timedelta(hours=8),
        hasher: PasswordHasher | None = None,
    ):
        self.database = database
        self.clock = clock
        self.token_ttl = token_ttl
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash = self.hasher.hash(secrets.token_hex(16))
        self._failures = LoginThrottle(clock)

    # ----- accounts ------------------------------------------------------------------------------
    def _insert(self, tx: Any, actor: str, data: AccountCreate) -> AccountPublic:
        if data.role is not Role.ADMIN and data.organisation_id is None:
            raise ValidationError("editors and viewers belong to an organisation: give organisation_id")
        if data.organisation_id is not None and not tx.existing_ids("organisations", [data.organisation_id]):
            raise ValidationError(f"organisation_id: no organisation {data.organisation_id}")
        now = self.clock()
        row = {
            "id": str(uuid.uuid4()),
            "version": 1,
            "username": data.username,
            "organisation_id": data.organisation_id,
            "role": data.role.value,
            "password_hash": self.hasher.hash(data.password),
            "active": True,
            "created_at": now,
            "updated_at": now,
        }
        tx.insert_account(row)
        record_change(
            tx, at=now, actor=actor, action="create", entity="accounts", entity_id=row["id"],
            before=None, after=_audit_view(row),
        )  # fmt: skip
        return AccountPublic.model_validate(row)

    def create_admin(self, username: str, password: str, organisation_id: str | None = None) -> AccountPublic:
        """The operator's way in (CLI only): no HTTP endpoint can create an account without an admin."""
        data = validated(AccountCreate, username=username, password=password, role=Role.ADMIN,
                         organisation_id=organisation_id)  # fmt: skip
        with self.database.transaction() as tx:
            return self._insert(tx, "cli", data)

    def create(self, principal: Principal, data: AccountCreate) -> AccountPublic:
        require_admin(principal, "create accounts")
        with self.database.transaction() as tx:
            return self._insert(tx, principal.username, data)

    def list(self, principal: Principal) -> list[AccountPublic]:
        require_admin(principal, "list accounts")
        with self.database.transaction(write=False) as tx:
            return [AccountPublic.model_validate(row) for row in tx.list_accounts()]

    def get(self, principal: Principal, account_id: str) -> AccountPublic:
        if not principal.is_admin and principal.account_id != account_id:
            raise PermissionDeniedError("only an admin may read other accounts")
        with self.database.transaction(write=False) as tx:
            row = tx.account(account_id=account_id)
        if row is None:
            raise NotFoundError(f"no account {account_id}")
        return AccountPublic.model_validate(row)

    def update(self, principal: Principal, account_id: str, data: AccountUpdate, expected_version: int) -> AccountPublic:
        changes = data.model_dump(exclude_unset=True)
        own_password_only = principal.account_id == account_id and set(changes) <= {"password"}
        if not own_password_only:
            require_admin(principal, "change accounts")
        now = self.clock()
        with self.database.transaction() as tx:
            current = tx.account(account_id=account_id)
            if current is None:
                raise NotFoundError(f"no account {account_id}")
            if current["version"] != expected_version:
                raise ConflictError(f"account {account_id} is at version {current['version']}, not {expected_version}")
            values: dict[str, Any] = {"updated_at": now}
            if changes.get("password") is not None:
                values["password_hash"] = self.hasher.hash(changes["password"])
            for field in ("role", "organisation_id", "active"):
                if field in changes and changes[field] is not None:
                    values[field] = changes[field].value if field == "role" else changes[field]
            merged = {**current, **values}
            if merged["role"] != Role.ADMIN.value and merged["organisation_id"] is None:
                raise ValidationError("editors and viewers belong to an organisation: give organisation_id")
            stops_being_admin = merged["role"] != Role.ADMIN.value or not merged["active"]
            if current["role"] == Role.ADMIN.value and stops_being_admin and tx.count_admins() <= 1:
                raise ValidationError("the last active admin cannot be demoted or deactivated")
            if "organisation_id" in values and not tx.existing_ids("organisations", [values["organisation_id"]]):
                raise ValidationError(f"organisation_id: no organisation {values['organisation_id']}")
            if not tx.update_account(account_id, expected_version, values):
                raise ConflictError(f"account {account_id} was changed by someone else; fetch it again")
            if "password_hash" in values or not merged["active"]:
                tx.delete_tokens(account_id=account_id)  # a new password or a deactivation ends every session
            merged["version"] = expected_version + 1
            record_change(
                tx, at=now, actor=principal.username, action="update", entity="accounts", entity_id=account_id,
                before=_audit_view(current),
                after=_audit_view(merged) | {"password_changed": "password_hash" in values},
            )  # fmt: skip
        return AccountPublic.model_validate(merged)

    # ----- sessions ------------------------------------------------------------------------------
    def login(self, credentials: Credentials) -> IssuedToken:
        now = self.clock()
        self._failures.check(credentials.username)
        with self.database.transaction() as tx:
            account = tx.account(username=credentials.username)
            stored = account["password_hash"] if account else self._dummy_hash  # same work either way
            try:
                self.hasher.verify(stored, credentials.password)
                verified = account is not None and account["active"]
            except (VerificationError, InvalidHashError):
                verified = False
            if not verified:
                self._failures.record(credentials.username)
                raise AuthenticationError("wrong username or password, or the account is inactive")
            self._failures.clear(credentials.username)
            if self.hasher.check_needs_rehash(stored):
                tx.update_account(account["id"], account["version"], {"password_hash": self.hasher.hash(credentials.password)})
            tx.delete_tokens(expired_before=now)
            token = secrets.token_urlsafe(32)
            expires_at = now + self.token_ttl
            tx.insert_token(
                {"token_hash": token_digest(token), "account_id": account["id"], "issued_at": now, "expires_at": expires_at}
            )
        return IssuedToken(access_token=token, expires_at=expires_at)

    def logout(self, token: str) -> None:
        with self.database.transaction() as tx:
            tx.delete_token(token_digest(token))

    def principal(self, token: str) -> Principal:
        """The caller a bearer token stands for; AuthenticationError if unknown, expired or inactive."""
        if not token or len(token) > 128:
            raise AuthenticationError("missing or malformed token")
        with self.database.transaction(write=False) as tx:
            row = tx.token(token_digest(token))
            if row is None or row["expires_at"] <= self.clock():
                raise AuthenticationError("unknown or expired token: log in again")
            account = tx.account(account_id=row["account_id"])
            if account is None or not account["active"]:
                raise AuthenticationError("the account is inactive")
            government = False
            if account["organisation_id"] is not None:
                org = tx.get("organisations", account["organisation_id"])
                government = org is not None and OrganisationKind(org["kind"]) in GOVERNMENT_KINDS
        return principal_of(account, government)


class LoginThrottle:
    """Refuse logins to a username for ``window`` after ``limit`` failures within it.

    Caps password guessing and the Argon2 work an anonymous caller can cause. Kept in the process's
    memory: each API process counts on its own, and a restart forgets. At most ``max_tracked`` usernames are
    followed; when more fail, expired counts go first and then the usernames with the fewest recent failures
    (oldest first), down to nine tenths of the cap. So failing many made-up usernames never resets the count
    of an account under attack: it would take ``max_tracked`` usernames each failed more often than it.
    """

    def __init__(self, clock: Callable[[], datetime], limit: int = 10, window: timedelta = timedelta(minutes=15),
                 max_tracked: int = 100_000):
        self.clock = clock
        self.limit = limit
        self.window = window
        self.max_tracked = max_tracked
        self._failures: dict[str, list[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, username: str) -> list[datetime]:
        since = self.clock() - self.window
        recent = [at for at in self._failures.get(username, []) if at > since]
        if recent:
            self._failures[username] = recent
        else:
            self._failures.pop(username, None)
        return recent

    def check(self, username: str) -> None:
        with self._lock:
            if len(self._recent(username)) >= self.limit:
                raise AuthenticationError("too many failed logins for this account: try again later")

    def record(self, username: str) -> None:
        with self._lock:
            self._failures.setdefault(username, []).append(self.clock())
            if len(self._failures) > self.max_tracked:  # bound the memory an attacker can make us use
                self._evict()

    def _evict(self) -> None:
        for username in list(self._failures):
            self._recent(username)
        excess = len(self._failures) - self.max_tracked * 9 // 10
        if excess > 0:
            weakest = sorted(self._failures, key=lambda name: (len(self._failures[name]), self._failures[name][-1]))
            for username in weakest[:excess]:
                del self._failures[username]

    def clear(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username, None)


def principal_of(account: dict[str, Any], government: bool) -> Principal:
    return Principal(
        account_id=account["id"],
        username=account["username"],
        role=Role(account["role"]),
        organisation_id=account["organisation_id"],
        government=government,
    )


__all__ = [
    "AccountCreate",
    "AccountPublic",
    "AccountService",
    "AccountUpdate",
    "AuthenticationError",
    "Credentials",
    "IssuedToken",
    "principal_of",
    "validated",
]
