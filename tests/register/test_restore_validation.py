"""Restore trusts nothing in the file: each kind of invalid backup is refused with its place, and the
database stays empty. Edited rows are given a fresh checksum here, so that the row checks (not only the
checksum) are what refuses them; an edit without one, or one the signature covers, is refused as well."""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import sys
from pathlib import Path

import pytest

from setu.cli.main import run
from setu.errors import DataFormatError
from setu.register import backups
from setu.register.sample import build_sample
from setu.store.register import backup
from setu.store.register.backup import _content

KEY = "a backup signing key for the tests"


@pytest.fixture(scope="module")
def sample_backup(tmp_path_factory) -> dict:
    """The sample register's backup document (made once; each test edits a copy)."""
    from argon2 import PasswordHasher

    from setu.register.service import RegisterService
    from setu.store.register.database import RegisterDatabase

    url = f"sqlite:///{tmp_path_factory.mktemp('source') / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    service = RegisterService.open(url, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    build_sample(service)
    document = backup.dump(service.database)
    service.close()
    return document


def write(path: Path, document: dict, *, checksum: bool = True, key: str | None = None) -> Path:
    document = copy.deepcopy(document)
    if checksum:
        document["sha256"] = hashlib.sha256(_content(document)).hexdigest()
    if key:
        import hmac

        document["hmac_sha256"] = hmac.new(key.encode(), _content(document), hashlib.sha256).hexdigest()
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        json.dump(document, stream)
    return path


def edited(document: dict, table: str, index: int, **changes) -> dict:
    document = copy.deepcopy(document)
    document["tables"][table][index].update(changes)
    return document


def empty(database) -> bool:
    return all(not rows for rows in backup.dump(database)["tables"].values())


def index_of(document: dict, table: str, **match) -> int:
    return next(i for i, row in enumerate(document["tables"][table]) if all(row[k] == v for k, v in match.items()))


CASES = {  # name -> (edit of the document, the field the error names)
    "unknown tier": (lambda d: edited(d, "projects", 0, tier="secret"), "tables.projects[0].tier"),
    "non-numeric version": (lambda d: edited(d, "projects", 1, version="two"), "tables.projects[1].version"),
    "superuser role": (lambda d: edited(d, "accounts", 0, role="superuser"), "tables.accounts[0].role"),
    "non-list field": (lambda d: edited(d, "projects", 2, shared_with="everyone"), "tables.projects[2].shared_with"),
    "unknown column": (lambda d: edited(d, "milestones", 0, colour="red"), "tables.milestones[0].colour"),
    "missing owner": (lambda d: edited(d, "decisions", 0, owner_org_id=None), "tables.decisions[0].owner_org_id"),
    "dangling reference": (lambda d: edited(d, "milestones", 0, project_id="00000000-0000-4000-8000-000000000000"),
                           "tables.milestones[0].project_id"),
    "duplicate id": (lambda d: edited(d, "projects", 1, id=d["tables"]["projects"][0]["id"]), "tables.projects[1].id"),
    "end before start": (lambda d: edited(d, "projects", 0, end_date="2000-01-01"), "tables.projects[0]"),
    "naive timestamp": (lambda d: edited(d, "audit_log", 0, at="2026-01-01T00:00:00"), "tables.audit_log[0].at"),
    "audit entry not an object": (lambda d: edited(d, "audit_log", 0, after=[1, 2]), "tables.audit_log[0].after"),
    "password hash not a hash": (lambda d: edited(d, "accounts", 1, password_hash="letmein"),
                                 "tables.accounts[1].password_hash"),
    "child owned by another organisation than its parent": (
        lambda d: edited(d, "milestones", 0, owner_org_id=next(
            o["id"] for o in d["tables"]["organisations"] if o["id"] != d["tables"]["milestones"][0]["owner_org_id"])),
        "tables.milestones[0].owner_org_id"),
    "rows not a list": (lambda d: {**d, "tables": {**d["tables"], "projects": {"a": 1}}}, "tables.projects"),
    "unknown table": (lambda d: {**d, "tables": {**d["tables"], "superusers": []}}, "tables.superusers"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_invalid_row_is_refused_with_its_place_and_nothing_is_written(sample_backup, make_sqlite, tmp_path, case):
    change, field = CASES[case]
    path = write(tmp_path / "edited.json.gz", change(sample_backup))
    target = make_sqlite()
    with pytest.raises(DataFormatError) as raised:
        backups.restore(target.database, path)
    assert raised.value.field == field and raised.value.file == str(path), str(raised.value)
    assert empty(target.database)


def test_the_unedited_backup_restores(sample_backup, make_sqlite, tmp_path):
    target = make_sqlite()
    backups.restore(target.database, write(tmp_path / "b.json.gz", sample_backup))
    assert backup.dump(target.database)["tables"] == sample_backup["tables"]


def test_an_edit_without_a_new_checksum_is_detected(sample_backup, make_sqlite, tmp_path):
    """Deleting an audit entry (the edit an intruder would make) changes the content under the checksum."""
    document = copy.deepcopy(sample_backup)
    document["sha256"] = hashlib.sha256(_content(document)).hexdigest()
    del document["tables"]["audit_log"][3]
    path = write(tmp_path / "b.json.gz", document, checksum=False)
    target = make_sqlite()
    with pytest.raises(DataFormatError, match="checksum does not match"):
        backups.restore(target.database, path)
    assert empty(target.database)


def test_a_signed_backup_detects_an_audit_log_rewritten_with_a_fresh_checksum(sample_backup, make_sqlite, tmp_path):
    signed = write(tmp_path / "signed.json.gz", sample_backup, key=KEY)
    target = make_sqlite()
    with pytest.raises(DataFormatError, match="the backup is signed"):  # the key is needed to restore it
        backups.restore(target.database, signed)
    document = json.loads(gzip.decompress(signed.read_bytes()))
    document["tables"]["audit_log"][0]["actor"] = "someone-else"
    document["sha256"] = hashlib.sha256(_content(document)).hexdigest()  # the intruder recomputes the checksum
    forged = write(tmp_path / "forged.json.gz", document, checksum=False)
    with pytest.raises(DataFormatError, match="signature does not match"):
        backups.restore(target.database, forged, key=KEY)
    with pytest.raises(DataFormatError, match="not signed"):
        backups.restore(target.database, write(tmp_path / "unsigned.json.gz", sample_backup), key=KEY)
    assert empty(target.database)
    backups.restore(target.database, signed, key=KEY)
    assert not empty(target.database)


def test_a_backup_without_a_checksum_needs_unverified(sample_backup, make_sqlite, tmp_path):
    path = write(tmp_path / "old.json.gz", sample_backup, checksum=False)
    target = make_sqlite()
    with pytest.raises(DataFormatError, match="--unverified"):
        backups.restore(target.database, path)
    backups.restore(target.database, path, unverified=True)
    assert not empty(target.database)


def test_backups_are_written_0600_and_carry_a_checksum(sample_backup, sqlite_register, tmp_path):
    build_sample(sqlite_register)
    path = tmp_path / "out" / "b.json.gz"
    backup.backup(sqlite_register.database, path, key=KEY)
    assert path.stat().st_mode & 0o777 == 0o600
    document = json.loads(gzip.decompress(path.read_bytes()))
    assert document["sha256"] == hashlib.sha256(_content(document)).hexdigest()
    assert "hmac_sha256" in document


def corrupted(path: Path, good: bytes, kind: str) -> Path:
    if kind == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "bad deflate data":
        path.write_bytes(good[:20] + bytes(b ^ 0xFF for b in good[20:60]) + good[60:])
    elif kind == "not UTF-8":
        path.write_bytes(gzip.compress(b'{"format": "setu-register-backup", "x": "\xe9"}'))
    elif kind == "deeply nested":
        path.write_bytes(gzip.compress(b"[" * 100_000 + b"]" * 100_000))
    elif kind == "tables is a list":
        path.write_bytes(gzip.compress(b'{"format": "setu-register-backup", "tables": []}'))
    elif kind == "empty":
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize("kind", ["truncated", "bad deflate data", "not UTF-8", "deeply nested", "tables is a list",
                                  "empty"])
def test_a_corrupted_file_is_an_error_naming_it_never_a_traceback(sample_backup, make_sqlite, tmp_path, monkeypatch,
                                                                  capsys, kind):
    """Through the CLI's entry point: exit 2, one line naming the file, no traceback, nothing written."""
    good = write(tmp_path / "good.json.gz", sample_backup).read_bytes()
    path = corrupted(tmp_path / "bad.json.gz", good, kind)
    target = make_sqlite()
    monkeypatch.setattr(sys, "argv", ["setu", "register", "restore", str(path), "--database-url", target.database.url])
    with pytest.raises(SystemExit) as exited:  # any other exception would be the traceback a user sees
        run()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith(f"error: {path}") and error.count("\n") == 1, error
    assert empty(target.database)
