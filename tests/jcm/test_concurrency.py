"""Two transfers of one block at the same time: exactly one succeeds, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from setu.errors import ConflictError, ValidationError
from setu.jcm import model
from setu.jcm.sample import SampleJcm
from setu.jcm.service import JcmService
from setu.store.jcm.ledger import Ledger


def test_two_transfers_of_one_block_exactly_one_succeeds(
    jcm: JcmService, sample: SampleJcm, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    [block] = [row for row in jcm.holdings() if row["account"] == "ILL-IN-GOV-001" and row["project"] == "ILL-IN001"]
    request = model.TransferRequest(
        project="ILL-IN001", vintage=2026, quantity=block["tco2e"], serial_start=block["serial_start"],
        source="ILL-IN-GOV-001", target="ILL-IN-ENT-001", reason="race",
    )  # fmt: skip
    if database_url.startswith("postgresql"):
        # Both read the block as open before either writes: the database must then pick one.
        barrier = threading.Barrier(2, timeout=20)
        original = Ledger.open_blocks

        def open_blocks_then_wait(self: Ledger, **kwargs: object) -> list[dict]:
            rows = original(self, **kwargs)
            barrier.wait()
            return rows

        monkeypatch.setattr(Ledger, "open_blocks", open_blocks_then_wait)
    start = threading.Barrier(2, timeout=20)
    outcomes: list[object] = []

    def attempt() -> None:
        start.wait()
        try:
            outcomes.append(jcm.transfer(sample.principals["jcm-registry-ind"], request))
        except (ConflictError, ValidationError) as error:
            outcomes.append(error)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.undo()
    succeeded = [o for o in outcomes if hasattr(o, "operation_id")]
    failed = [o for o in outcomes if isinstance(o, Exception)]
    assert len(succeeded) == 1 and len(failed) == 1, outcomes
    if database_url.startswith("postgresql"):  # the loser read the block as open: the database refused it
        assert isinstance(failed[0], ConflictError), failed
    held = {(row["account"], row["project"]): 0 for row in jcm.holdings()}
    for row in jcm.holdings():
        held[(row["account"], row["project"])] += row["tco2e"]
    assert ("ILL-IN-GOV-001", "ILL-IN001") not in held
    assert held[("ILL-IN-ENT-001", "ILL-IN001")] == 2_500 + 3_000
    assert jcm.verify() == []
