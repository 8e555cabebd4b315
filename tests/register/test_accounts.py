"""Accounts: Argon2 hashes, expiring tokens, roles, the last admin, and no secrets in the audit log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from setu.errors import PermissionDeniedError, ValidationError
from setu.register.accounts import AccountCreate, AccountUpdate, AuthenticationError, Credentials, token_digest
from setu.register.fields import Role
from setu.register.sample import SAMPLE_PASSWORD, build_sample


def login(register, username: str, password: str = SAMPLE_PASSWORD):
    return register.accounts.login(Credentials(username=username, password=password))


def test_passwords_are_argon2id_hashes(sqlite_register):
    sqlite_register.accounts.create_admin("root", "a long enough password")
    with sqlite_register.database.transaction(write=False) as tx:
        stored = tx.account(username="root")["password_hash"]
    assert stored.startswith("$argon2id$") and "a long enough password" not in stored


def test_short_passwords_are_refused(sqlite_register):
    with pytest.raises(ValidationError, match="at least 12"):
        sqlite_register.accounts.create_admin("root", "short")


def test_login_and_token(sqlite_register, clock):
    build_sample(sqlite_register)
    issued = login(sqlite_register, "meti-viewer")
    assert issued.expires_at == clock.now + timedelta(hours=8)
    principal = sqlite_register.accounts.principal(issued.access_token)
    assert (principal.username, principal.role, principal.government) == ("meti-viewer", Role.VIEWER, True)
    assert not sqlite_register.accounts.principal(login(sqlite_register, "keidanren-viewer").access_token).government
    with sqlite_register.database.transaction(write=False) as tx:  # only the digest is stored
        assert tx.token(issued.access_token) is None
        assert tx.token(token_digest(issued.access_token)) is not None


def test_wrong_password_and_unknown_user_fail_alike(sqlite_register):
    build_sample(sqlite_register)
    with pytest.raises(AuthenticationError) as wrong:
        login(sqlite_register, "meti-viewer", "not the password")
    with pytest.raises(AuthenticationError) as unknown:
        login(sqlite_register, "nobody", "not the password")
    assert str(wrong.value) == str(unknown.value)


def test_tokens_expire(sqlite_register, clock):
    build_sample(sqlite_register)
    token = login(sqlite_register, "meti-viewer").access_token
    clock.now += timedelta(hours=8) - timedelta(seconds=1)
    sqlite_register.accounts.principal(token)
    clock.now += timedelta(seconds=1)
    with pytest.raises(AuthenticationError, match="expired"):
        sqlite_register.accounts.principal(token)


def test_logout_deactivation_and_password_change_end_sessions(sqlite_register):
    build_sample(sqlite_register)
    admin = sqlite_register.accounts.principal(login(sqlite_register, "admin").access_token)
    token = login(sqlite_register, "meti-viewer").access_token
    sqlite_register.accounts.logout(token)
    with pytest.raises(AuthenticationError):
        sqlite_register.accounts.principal(token)
    token = login(sqlite_register, "meti-viewer").access_token
    viewer = sqlite_register.accounts.principal(token)
    updated = sqlite_register.accounts.update(viewer, viewer.account_id, AccountUpdate(password="a new password!"), 1)
    with pytest.raises(AuthenticationError):
        sqlite_register.accounts.principal(token)
    token = login(sqlite_register, "meti-viewer", "a new password!").access_token
    sqlite_register.accounts.update(admin, viewer.account_id, AccountUpdate(active=False), updated.version)
    with pytest.raises(AuthenticationError):
        sqlite_register.accounts.principal(token)
    with pytest.raises(AuthenticationError):
        login(sqlite_register, "meti-viewer", "a new password!")


def test_only_admins_manage_accounts(sqlite_register):
    world = build_sample(sqlite_register)
    editor = sqlite_register.accounts.principal(login(sqlite_register, "meti-editor").access_token)
    data = AccountCreate(username="intruder", password="x" * 12, role=Role.ADMIN)
    with pytest.raises(PermissionDeniedError):
        sqlite_register.accounts.create(editor, data)
    with pytest.raises(PermissionDeniedError):
        sqlite_register.accounts.update(editor, editor.account_id, AccountUpdate(role=Role.ADMIN), 1)
    with pytest.raises(PermissionDeniedError):
        sqlite_register.accounts.list(editor)
    with pytest.raises(ValidationError, match="organisation"):
        admin = sqlite_register.accounts.principal(login(sqlite_register, "admin").access_token)
        sqlite_register.accounts.create(admin, AccountCreate(username="nobody", password="x" * 12, role=Role.VIEWER))
    assert world.organisations


def test_last_admin_cannot_be_removed(sqlite_register):
    build_sample(sqlite_register)
    admin = sqlite_register.accounts.principal(login(sqlite_register, "admin").access_token)
    with pytest.raises(ValidationError, match="last active admin"):
        sqlite_register.accounts.update(admin, admin.account_id, AccountUpdate(active=False), 1)


def test_audit_log_never_holds_password_hashes(sqlite_register):
    build_sample(sqlite_register)
    admin = sqlite_register.accounts.principal(login(sqlite_register, "admin").access_token)
    viewer = sqlite_register.accounts.principal(login(sqlite_register, "meti-viewer").access_token)
    sqlite_register.accounts.update(viewer, viewer.account_id, AccountUpdate(password="another password"), 1)
    entries, _ = sqlite_register.audit.entries(admin, entity="accounts", limit=500)
    dumped = json.dumps([e.model_dump(mode="json") for e in entries])
    assert "argon2" not in dumped and "password_hash" not in dumped and "another password" not in dumped
    assert entries[-1].after["password_changed"] is True


def test_repeated_failures_lock_the_username_for_a_while(sqlite_register, clock):
    build_sample(sqlite_register)
    for _ in range(10):
        with pytest.raises(AuthenticationError, match="wrong"):
            login(sqlite_register, "meti-viewer", "guess guess guess")
    with pytest.raises(AuthenticationError, match="too many"):
        login(sqlite_register, "meti-viewer")  # even the right password, during the lockout
    login(sqlite_register, "meti-editor")  # other accounts are unaffected
    clock.now += timedelta(minutes=15)
    login(sqlite_register, "meti-viewer")
