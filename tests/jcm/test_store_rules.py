"""The ledger's invariants hold in the database itself: writes that bypass the service are refused too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from setu.errors import PermissionDeniedError, ValidationError
from setu.jcm import model
from setu.jcm.sample import SampleJcm
from setu.jcm.service import JcmService
from setu.store.jcm.tables import (
    jcm_accounts,
    jcm_adjustments,
    jcm_authorisations,
    jcm_blocks,
    jcm_methodologies,
    jcm_monitoring_periods,
    jcm_notices,
    jcm_projects,
    jcm_transactions,
)


def _refused(jcm: JcmService, statement, message: str) -> None:
    with pytest.raises(DBAPIError, match=message), jcm.database.engine.begin() as connection:
        connection.execute(statement)


def _open_block(jcm: JcmService, account_number: str) -> dict:
    with jcm.database.engine.connect() as connection:
        account = connection.execute(select(jcm_accounts.c.id).where(jcm_accounts.c.number == account_number)).scalar_one()
        row = connection.execute(
            select(jcm_blocks).where(jcm_blocks.c.account_id == account, jcm_blocks.c.closed_by_tx.is_(None))
        ).first()
    return dict(row._mapping)


def _movement(jcm: JcmService, block: dict, target: str, **changes) -> dict:
    """A movement row written past the service: by default, the external transfer of ten units of ``block``
    from India to ``target`` as the service writes it (a first transfer, naming the block's authorisation)."""
    movement = {
        "operation_id": "00000000-0000-4000-8000-000000000004", "at": jcm.clock(), "kind": "external_transfer",
        "actor": "cli", "reason": "x", "project_id": block["project_id"], "vintage": block["vintage"],
        "serial_start": block["serial_start"], "serial_end": block["serial_start"] + 9, "quantity": 10,
        "source_block_id": block["id"], "source_account_id": block["account_id"],
        "target_account_id": _open_block(jcm, target)["account_id"], "source_registry": "IND",
        "target_registry": "JPN", "authorisation_id": block["authorisation_id"], "first_transfer": True,
    }  # fmt: skip
    return {**movement, **changes}


def test_movements_and_adjustments_are_append_only(jcm: JcmService, sample: SampleJcm) -> None:
    _refused(jcm, update(jcm_transactions).values(quantity=1), "append-only")
    _refused(jcm, delete(jcm_transactions), "append-only")
    _refused(jcm, update(jcm_adjustments).values(tco2e=1), "append-only")
    _refused(jcm, delete(jcm_adjustments), "append-only")


def test_holdings_change_only_through_movements(jcm: JcmService, sample: SampleJcm) -> None:
    block = _open_block(jcm, "ILL-IN-GOV-001")
    _refused(jcm, delete(jcm_blocks).where(jcm_blocks.c.id == block["id"]), "only through movements")
    _refused(jcm, update(jcm_blocks).where(jcm_blocks.c.id == block["id"]).values(serial_end=block["serial_end"] + 1),
             "only ever closed")  # fmt: skip
    # A copy of held units, written straight into another account, overlaps the open block: refused.
    copy = {key: block[key] for key in ("project_id", "vintage", "serial_start", "serial_end", "first_transferred",
                                        "authorisation_id", "created_by_tx")}  # fmt: skip
    copy["account_id"] = _open_block(jcm, "ILL-JP-GOV-001")["account_id"]
    _refused(jcm, insert(jcm_blocks).values(**copy), "exactly one account")
    assert jcm.verify() == []


def test_retired_units_never_move_again(jcm: JcmService, sample: SampleJcm) -> None:
    retired = _open_block(jcm, "ILL-JP-RET-001")
    movement = _movement(jcm, retired, "ILL-JP-GOV-001", kind="internal_transfer", serial_end=retired["serial_start"],
                         quantity=1, source_registry="JPN", first_transfer=False)  # fmt: skip
    _refused(jcm, insert(jcm_transactions).values(**movement), "never move again")
    _refused(jcm, update(jcm_blocks).where(jcm_blocks.c.id == retired["id"]).values(closed_by_tx=1), "only ever closed")


def test_a_block_moves_once(jcm: JcmService, sample: SampleJcm) -> None:
    block = _open_block(jcm, "ILL-IN-GOV-001")
    movement = _movement(jcm, block, "ILL-IN-ENT-001", kind="internal_transfer", target_registry="IND",
                         first_transfer=False)  # fmt: skip
    with jcm.database.engine.begin() as connection:
        connection.execute(insert(jcm_transactions).values(**movement))
    _refused(jcm, insert(jcm_transactions).values(**{**movement, "operation_id": movement["operation_id"][:-1] + "2"}),
             "not open in the source account")  # fmt: skip
    assert jcm.verify() == []


def test_an_external_transfer_names_both_registries(jcm: JcmService, sample: SampleJcm) -> None:
    block = _open_block(jcm, "ILL-IN-GOV-001")
    # An external transfer whose row names one registry on both sides (its target account lies in the other).
    movement = _movement(jcm, block, "ILL-JP-GOV-001", serial_end=block["serial_start"], quantity=1,
                         target_registry="IND", first_transfer=False)  # fmt: skip
    _refused(jcm, insert(jcm_transactions).values(**movement), "registr")


def test_the_service_refuses_what_the_roles_forbid(jcm: JcmService, sample: SampleJcm) -> None:
    holder_jpn = sample.principals["jcm-holder-jpn"]
    request = model.TransferRequest(project="ILL-IN001", vintage=2026, quantity=10, source="ILL-IN-ENT-001",
                                    target="ILL-JP-ENT-001", reason="not mine")  # fmt: skip
    with pytest.raises(PermissionDeniedError, match="holder"):
        jcm.transfer(holder_jpn, request)
    with pytest.raises(PermissionDeniedError, match="IND registry"):
        jcm.transfer(sample.principals["jcm-registry-jpn"], request.model_copy(update={"source": "ILL-IN-GOV-001"}))
    with pytest.raises(PermissionDeniedError, match="secretariat"):
        jcm.add_methodology(sample.principals["jcm-registry-ind"], model.MethodologyCreate(
            code="X-1", version=1, title="t", sectoral_scope="s", approved_on="2026-01-01", valid_from="2026-01-01"))  # fmt: skip
    with pytest.raises(PermissionDeniedError, match="administrator of the IND registry may issue"):
        jcm.issue(sample.principals["jcm-registry-jpn"], "ILL-IN001", model.date(2025, 10, 15), "x")


def test_a_notification_issues_once_and_only_what_it_allocates(jcm: JcmService, sample: SampleJcm) -> None:
    with pytest.raises(ValidationError, match="issued already"):
        jcm.issue(sample.principals["jcm-registry-ind"], "ILL-IN001", model.date(2025, 10, 15), "again")


def test_a_holder_cannot_move_more_than_it_holds(jcm: JcmService, sample: SampleJcm) -> None:
    request = model.TransferRequest(project="ILL-IN001", vintage=2026, quantity=2_501, source="ILL-IN-ENT-001",
                                    target="ILL-JP-ENT-001", reason="too much")  # fmt: skip
    with pytest.raises(ValidationError, match="holds 2,500"):
        jcm.transfer(sample.principals["jcm-holder-ind"], request)
    before = jcm.holdings()
    assert jcm.holdings() == before


def test_the_records_the_movements_were_checked_against_are_never_edited(jcm: JcmService, sample: SampleJcm) -> None:
    # A retirement account turned into a holding account would let retired units move again; a notification
    # raised after issuance would allow more issuance; an authorisation moved or narrowed after a first transfer
    # would leave the first transfer without one.
    _refused(jcm, update(jcm_accounts).where(jcm_accounts.c.number == "ILL-JP-RET-001").values(kind="government_holding"),
             "never edited")  # fmt: skip
    _refused(jcm, update(jcm_accounts).values(registry="IND"), "never edited")
    _refused(jcm, update(jcm_notices).values(total_tco2e=jcm_notices.c.total_tco2e + 1_000,
                                             participants_tco2e=jcm_notices.c.participants_tco2e + 1_000), "never edited")  # fmt: skip
    _refused(jcm, update(jcm_monitoring_periods).values(verified_tco2e=1), "never edited")
    _refused(jcm, update(jcm_authorisations).values(purpose="oimp", first_transfer_definition="issuance"), "never edited")
    _refused(jcm, update(jcm_projects).values(host_party="JPN", partner_party="IND"), "never edited")
    _refused(jcm, delete(jcm_authorisations), "never edited")
    _refused(jcm, delete(jcm_methodologies), "never edited")
    assert jcm.verify() == []


def test_a_first_transfer_is_never_left_unmarked(jcm: JcmService, sample: SampleJcm) -> None:
    # India's government holds authorised units never first-transferred: sending them to Japan is their first
    # transfer, which India adjusts. Written without the mark, or without naming the authorisation, the row
    # would carry no adjustment: refused.
    block = _open_block(jcm, "ILL-IN-GOV-001")
    assert block["authorisation_id"] is not None and not block["first_transferred"]
    _refused(jcm, insert(jcm_transactions).values(**_movement(jcm, block, "ILL-JP-GOV-001", first_transfer=False)),
             "first transfer")  # fmt: skip
    _refused(jcm, insert(jcm_transactions).values(**_movement(jcm, block, "ILL-JP-GOV-001", first_transfer=False,
                                                                       authorisation_id=None)), "authoris")  # fmt: skip
    # An internal transfer is no first transfer of units authorised for NDCs: marked as one, refused too.
    internal = _movement(jcm, block, "ILL-JP-GOV-001", kind="internal_transfer", target_registry="IND",
                                  target_account_id=_open_block(jcm, "ILL-IN-ENT-001")["account_id"])  # fmt: skip
    _refused(jcm, insert(jcm_transactions).values(**internal), "first transfer")
    marked = _movement(jcm, block, "ILL-JP-GOV-001")
    with jcm.database.engine.begin() as connection:  # the row as the service writes it is accepted
        connection.execute(insert(jcm_transactions).values(**marked))
    assert jcm.verify() == []
    assert {(t.party, t.first_transfer_tco2e) for t in jcm.adjustments()} >= {("IND", 8_510)}


def test_verified_reductions_are_notified_once_and_in_full(jcm: JcmService, sample: SampleJcm) -> None:
    # Written past the service: a second monitoring period over the same days, or a notification of more than
    # the period's verified reductions, would let the same tonnes be issued twice: refused.
    with jcm.database.engine.connect() as connection:
        period = dict(connection.execute(select(jcm_monitoring_periods)).first()._mapping)
        notice = dict(connection.execute(select(jcm_notices).where(
            jcm_notices.c.monitoring_period_id == period["id"])).first()._mapping)  # fmt: skip
    overlapping = {**period, "id": "00000000-0000-4000-8000-0000000000a1", "period_start": period["period_end"],
                   "period_end": period["period_end"]}  # fmt: skip
    _refused(jcm, insert(jcm_monitoring_periods).values(**overlapping), "verified once")
    later = {**period, "id": "00000000-0000-4000-8000-0000000000a2", "period_start": model.date(2026, 4, 1),
             "period_end": model.date(2026, 4, 30), "verified_on": model.date(2026, 5, 5), "verified_tco2e": 100}  # fmt: skip
    with jcm.database.engine.begin() as connection:
        connection.execute(insert(jcm_monitoring_periods).values(**later))
    too_much = {**notice, "id": "00000000-0000-4000-8000-0000000000a3", "monitoring_period_id": later["id"],
                "total_tco2e": 101, "japan_government_tco2e": 101, "india_government_tco2e": 0, "participants_tco2e": 0,
                "participant_allocations": []}  # fmt: skip
    _refused(jcm, insert(jcm_notices).values(**too_much), "verified reductions")


def test_a_movement_is_never_dated_before_its_units_arrived(jcm: JcmService, sample: SampleJcm) -> None:
    # Backdated to 2025, a first transfer of units issued in June 2026 would put India's adjustment and the AEF
    # row in a year before the units existed: refused.
    block = _open_block(jcm, "ILL-IN-GOV-001")
    backdated = _movement(jcm, block, "ILL-JP-GOV-001", at=datetime(2025, 12, 1, 9, 0, tzinfo=UTC))
    _refused(jcm, insert(jcm_transactions).values(**backdated), "no earlier than")
