"""Article 6.2 cases beyond the sample, each worked by hand: who adjusts, with which sign, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from setu.errors import PermissionDeniedError, ValidationError
from setu.jcm import model
from setu.jcm.sample import SampleJcm
from setu.jcm.service import JcmService


def _totals(jcm: JcmService) -> dict[tuple[str, int, int], tuple[int, int]]:
    return {(row.party, row.vintage, row.year): (row.first_transfer_tco2e, row.use_tco2e) for row in jcm.adjustments()}


def test_the_host_using_itmos_it_first_transferred_and_reacquired_subtracts_them(
    jcm: JcmService, sample: SampleJcm
) -> None:
    # Japan's government holds serials 4,001-6,000 of ILL-IN001, first-transferred by India (India added 6,000 t).
    # Japan sends 1,000 t back; India uses them towards its own NDC: as the using Party it subtracts 1,000 t
    # (2/CMA.3 annex, para 8), so its net is +8,500 - 1,000 = +7,500 t.
    jpn, ind = sample.principals["jcm-registry-jpn"], sample.principals["jcm-registry-ind"]
    jcm.transfer(jpn, model.TransferRequest(project="ILL-IN001", vintage=2026, quantity=1_000, serial_start=4_001,
                                            source="ILL-JP-GOV-001", target="ILL-IN-GOV-001", reason="returned"))  # fmt: skip
    jcm.retire(ind, model.RetirementRequest(project="ILL-IN001", vintage=2026, quantity=1_000, serial_start=4_001,
                                            source="ILL-IN-GOV-001", target="ILL-IN-RET-001", reason="own NDC"))  # fmt: skip
    assert _totals(jcm) == {("IND", 2026, 2026): (8_500, -1_000), ("JPN", 2026, 2026): (0, -4_000)}
    uses = [row for row in jcm.aef("IND", 2026).tables["Actions"] if row["Action type"] == "Use towards NDC"]
    assert [(row["Quantity (tCO2e)"], row["Using Party or entity"]) for row in uses] == [(1_000, "IND")]
    assert jcm.verify() == []


def test_the_host_using_units_never_transferred_adjusts_nothing(jcm: JcmService, sample: SampleJcm) -> None:
    # India's government holds serials 6,001-9,000 of ILL-IN001, authorised but never first-transferred: using
    # them towards India's own NDC is no international transfer and no corresponding adjustment.
    ind = sample.principals["jcm-registry-ind"]
    jcm.retire(ind, model.RetirementRequest(project="ILL-IN001", vintage=2026, quantity=1_000, source="ILL-IN-GOV-001",
                                            target="ILL-IN-RET-001", reason="own NDC"))  # fmt: skip
    assert _totals(jcm) == {("IND", 2026, 2026): (8_500, 0), ("JPN", 2026, 2026): (0, -4_000)}
    assert jcm.verify() == []


def test_units_authorised_for_ndcs_only_are_not_used_for_other_purposes(jcm: JcmService, sample: SampleJcm) -> None:
    # ILL-AUTH-001 authorises use towards NDCs only: Japan cannot use its units for OIMP (e.g. CORSIA).
    jpn = sample.principals["jcm-registry-jpn"]
    before = jcm.holdings()
    with pytest.raises(ValidationError, match="not authorised for this use"):
        jcm.retire(jpn, model.RetirementRequest(project="ILL-IN001", vintage=2026, quantity=100, source="ILL-JP-GOV-001",
                                                target="ILL-JP-RET-001", purpose=model.RetirementPurpose.OIMP,
                                                reason="CORSIA"))  # fmt: skip
    assert jcm.holdings() == before


def test_only_the_government_uses_units_towards_its_ndc(jcm: JcmService, sample: SampleJcm) -> None:
    # A use towards India's NDC is India's act (its registry administrator's): the participant may cancel its
    # units or transfer them to the government, not decide the Party's use.
    holder = sample.principals["jcm-holder-ind"]
    before = jcm.holdings()
    with pytest.raises(PermissionDeniedError, match="administrator of the IND registry"):
        jcm.retire(holder, model.RetirementRequest(project="ILL-IN001", vintage=2026, quantity=100, source="ILL-IN-ENT-001",
                                                   target="ILL-IN-RET-001", reason="towards India's NDC"))  # fmt: skip
    assert jcm.holdings() == before


def test_a_notification_gives_a_vintage_of_its_monitoring_period(jcm: JcmService, sample: SampleJcm) -> None:
    # Vintage is the year the reductions happened: a period of 2026-04-01 to 2026-09-30 gives vintage 2026 only.
    secretariat = sample.principals["jcm-secretariat"]
    jcm.add_monitoring_period(secretariat, model.MonitoringPeriodCreate(
        project="ILL-IN002", period_start=date(2026, 4, 1), period_end=date(2026, 9, 30), verified_tco2e=1_000,
        verifier="Illustrative third-party entity", verified_on=date(2026, 10, 20)))  # fmt: skip
    notice = {"project": "ILL-IN002", "period_start": date(2026, 4, 1), "notified_on": date(2026, 11, 2),
              "japan_government_tco2e": 500, "india_government_tco2e": 500}  # fmt: skip
    with pytest.raises(ValidationError, match="vintage 2030 is not a year of the monitoring period"):
        jcm.add_notice(secretariat, model.NoticeCreate(vintage=2030, **notice))
    assert jcm.add_notice(secretariat, model.NoticeCreate(vintage=2026, **notice))["vintage"] == 2026


def test_a_use_for_oimp_in_the_host_registry_is_the_first_transfer(jcm: JcmService, sample: SampleJcm) -> None:
    # Units authorised for NDCs and OIMP, used for OIMP (e.g. CORSIA) by the Indian participant in India's own
    # registry, never cross a border: without a first transfer India would keep them in its NDC accounting while
    # they are used elsewhere. The use is their first transfer: India adds 300 t.
    secretariat, ind = sample.principals["jcm-secretariat"], sample.principals["jcm-registry-ind"]
    participants = [model.Participant(name="Illustrative Solar Developer Pvt Ltd", party="IND",
                                      organisation_id=sample.organisations["participant-ind"])]  # fmt: skip
    jcm.add_project(secretariat, model.ProjectCreate(
        reference="ILL-IN003", title="Illustrative wind farm", host_party="IND", methodology="ILL-JCM-IN-AM001",
        sector="Energy", activity_type="Renewable energy: wind", participants=participants, pdd_reference="PDD",
        validator="Illustrative third-party entity", validated_on=date(2025, 9, 1), registered_on=date(2025, 10, 15),
        illustrative=True))  # fmt: skip
    jcm.authorise(ind, model.AuthorisationCreate(
        reference="ILL-AUTH-003", party="IND", project="ILL-IN003", vintage_from=2026, vintage_to=2026,
        purpose=model.Purpose.NDC_AND_OIMP, authorised_at="2025-11-03T09:00:00Z", terms="Illustrative"))  # fmt: skip
    jcm.add_monitoring_period(secretariat, model.MonitoringPeriodCreate(
        project="ILL-IN003", period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), verified_tco2e=1_000,
        verifier="Illustrative third-party entity", verified_on=date(2026, 5, 20)))  # fmt: skip
    jcm.add_notice(secretariat, model.NoticeCreate(
        project="ILL-IN003", period_start=date(2026, 1, 1), notified_on=date(2026, 6, 10), vintage=2026,
        japan_government_tco2e=0, india_government_tco2e=0,
        participants=[model.ParticipantAllocation(account="ILL-IN-ENT-001", tco2e=1_000)]))  # fmt: skip
    jcm.issue(ind, "ILL-IN003", date(2026, 1, 1), "issue")
    jcm.allocate(ind, "ILL-IN003", date(2026, 1, 1), "allocate")
    jcm.retire(sample.principals["jcm-holder-ind"], model.RetirementRequest(
        project="ILL-IN003", vintage=2026, quantity=300, source="ILL-IN-ENT-001", target="ILL-IN-RET-001",
        purpose=model.RetirementPurpose.OIMP, reason="CORSIA"))  # fmt: skip
    assert _totals(jcm)[("IND", 2026, 2026)] == (8_500 + 300, 0)
    assert jcm.verify() == []
