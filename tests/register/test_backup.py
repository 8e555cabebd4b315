"""Backup then restore gives back every row of every table, on each engine and across engines."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from setu.errors import DataFormatError, ValidationError
from setu.register import backups
from setu.register.sample import build_sample
from setu.store.register import backup
from setu.store.register.database import RegisterDatabase


def test_backup_restore_equality(register, tmp_path):
    build_sample(register)
    before = backup.dump(register.database)
    path = tmp_path / "register.json.gz"
    counts = backup.backup(register.database, path)
    assert counts["projects"] == 8 and counts["audit_log"] > 0 and "tokens" not in counts

    target = RegisterDatabase(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    target.upgrade()
    backups.restore(target, path)
    assert backup.dump(target) == before


def test_restore_into_the_same_engine(register, tmp_path, database_url):
    build_sample(register)
    before = backup.dump(register.database)
    path = tmp_path / "register.json.gz"
    backup.backup(register.database, path)
    register.database.downgrade("base")
    register.database.upgrade()
    backups.restore(register.database, path)
    assert backup.dump(register.database) == before
    # the audit log keeps growing after a restore without id clashes
    with register.database.transaction() as tx:
        tx.append_audit({"at": datetime.now(UTC), "actor": "t", "action": "check", "entity": "x", "entity_id": "1"})


def test_restore_refuses_a_non_empty_database(register, tmp_path):
    build_sample(register)
    path = tmp_path / "b.json.gz"
    backup.backup(register.database, path)
    with pytest.raises(ValidationError, match="empty database"):
        backups.restore(register.database, path)


def test_restore_refuses_garbage(sqlite_register, tmp_path):
    path = tmp_path / "bad.json.gz"
    with gzip.open(path, "wt") as stream:
        stream.write('{"format": "something else"}')
    with pytest.raises(DataFormatError):
        backups.restore(sqlite_register.database, path)
    (tmp_path / "plain.txt").write_text("not gzip")
    with pytest.raises(DataFormatError):
        backups.restore(sqlite_register.database, tmp_path / "plain.txt")


def test_sqlite_backup_restores_into_each_engine(sqlite_register, database_url, tmp_path):
    build_sample(sqlite_register)
    path = tmp_path / "from-sqlite.json.gz"
    backup.backup(sqlite_register.database, path)
    target = RegisterDatabase(database_url)
    target.upgrade()
    backups.restore(target, path)
    assert backup.dump(target) == backup.dump(sqlite_register.database)
    target.dispose()
