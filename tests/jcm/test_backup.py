"""A register backup carries the JCM's records and movements; a restore replays them through the ledger's rules."""

from __future__ import annotations

import gzip
import json

import pytest

from setu.errors import DataFormatError
from setu.jcm import model
from setu.jcm.sample import SampleJcm
from setu.jcm.service import JcmService
from setu.register import backups
from setu.register.service import RegisterService
from setu.store.register import backup
from setu.store.register.database import RegisterDatabase

from .conftest import FAST_HASHER, Clock


def _restored(path, url: str) -> JcmService:
    target = RegisterDatabase(url)
    target.upgrade()
    backups.restore(target, path)
    return RegisterService.open(url, hasher=FAST_HASHER, clock=Clock()).jcm


def test_a_backup_restores_the_same_ledger(jcm: JcmService, sample: SampleJcm, tmp_path, database_url) -> None:
    path = tmp_path / "register.json.gz"
    counts = backup.backup(jcm.database, path)
    assert counts["jcm_transactions"] == len(jcm.movements()) and "jcm_blocks" not in counts
    restored = _restored(path, f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    assert restored.holdings() == jcm.holdings()
    assert restored.adjustments() == jcm.adjustments() and restored.verify() == []
    assert restored.aef("JPN", 2026).tables == jcm.aef("JPN", 2026).tables
    # The restored ledger goes on: a new movement after the restore gets a fresh id.
    restored.transfer(sample.principals["jcm-holder-ind"], model.TransferRequest(project="ILL-IN001", vintage=2026, quantity=5, source="ILL-IN-ENT-001",
                                                    target="ILL-JP-ENT-001", reason="after restore"))  # fmt: skip
    assert restored.verify() == []


def _edited(path, tmp_path, edit) -> object:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        document = json.load(stream)
    edit(document["tables"])
    document.pop("sha256", None)  # an edit made without a checksum: restored only --unverified
    edited = tmp_path / "edited.json.gz"
    with gzip.open(edited, "wt", encoding="utf-8") as stream:
        json.dump(document, stream)
    return edited


@pytest.mark.parametrize("edit, field", [
    # a retirement's units moved again: the movement is refused where it stands
    (lambda t: t["jcm_transactions"].append({**t["jcm_transactions"][-2], "id": 10_000}), "jcm_transactions"),
    # more issued than the notification allows
    (lambda t: t["jcm_transactions"][0].update(serial_end=t["jcm_transactions"][0]["serial_end"] + 1,
                                               quantity=t["jcm_transactions"][0]["quantity"] + 1), "jcm_transactions[0]"),
    (lambda t: t["jcm_accounts"][0].update(kind="vault"), "jcm_accounts[0]"),
    (lambda t: t["jcm_notices"][0].update(vintage="2026"), "jcm_notices[0].vintage"),
    (lambda t: t["jcm_transactions"][0].update(at="2026-07-01T09:00:00"), "jcm_transactions[0].at"),
])  # fmt: skip
def test_an_edited_backup_is_refused_with_its_place_and_writes_nothing(jcm: JcmService, sample: SampleJcm, tmp_path,
                                                                      edit, field) -> None:  # fmt: skip
    if jcm.database.dialect != "sqlite":
        pytest.skip("the file's checks do not depend on the engine it came from")
    path = tmp_path / "register.json.gz"
    backup.backup(jcm.database, path)
    edited = _edited(path, tmp_path, edit)
    target = RegisterDatabase(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    target.upgrade()
    with pytest.raises(DataFormatError, match=field.replace("[", r"\[").replace("]", r"\]")):
        backups.restore(target, edited, unverified=True)
    assert backup.dump(target)["tables"]["jcm_transactions"] == [] and backup.dump(target)["tables"]["accounts"] == []
