"""The audit log is append-only in the database itself, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from setu.register.sample import build_sample


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'forger'", "DELETE FROM audit_log"])
def test_audit_rows_cannot_be_changed_or_deleted(register, statement):
    build_sample(register)
    with pytest.raises(DatabaseError, match="append-only"), register.database.transaction() as tx:
        tx.connection.execute(text(statement))
    with register.database.transaction(write=False) as tx:
        actors = set(tx.connection.execute(text("SELECT actor FROM audit_log")).scalars())
    assert actors == {"cli"}
