"""An ILLUSTRATIVE Japan–India JCM registry: two projects, their cycle, issuance, allocation, a first transfer, a
use towards Japan's NDC and a voluntary cancellation. Shared by the tests, the docs and ``setu jcm sample``.

Nothing here is a real JCM project or issuance: references start with ``ILL``, titles with "Illustrative",
every project row carries ``illustrative = true`` and every output shows it. The quantities are round numbers
chosen to exercise the ledger, not estimates of any activity. The organisations named as registries and
secretariat are placeholders for whoever the Parties designate.

The movements happen on fixed illustrative days of June 2026 (:data:`MOVEMENT_DAYS`), whenever the sample is
loaded, so that its reporting year stays 2026 and the documented ``setu jcm aef JPN 2026`` gives the same report
in any year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from setu.jcm import model
from setu.jcm.service import JcmService
from setu.register.accounts import AccountCreate as RegisterAccountCreate
from setu.register.accounts import principal_of
from setu.register.catalog import BY_NAME
from setu.register.fields import Role
from setu.register.service import RegisterService
from setu.register.visibility import Principal

SAMPLE_PASSWORD = "sample-password-not-for-production"
REPORTING_YEAR = 2026
#: When the sample's movements happen (after the notifications of 10 June 2026, within the reporting year).
MOVEMENT_DAYS = {
    "issuance": datetime(2026, 6, 15, 9, 0, tzinfo=UTC),
    "allocation": datetime(2026, 6, 16, 9, 0, tzinfo=UTC),
    "retirement": datetime(2026, 6, 25, 9, 0, tzinfo=UTC),
    "cancellation": datetime(2026, 6, 30, 9, 0, tzinfo=UTC),
}

ORGANISATIONS = {
    "secretariat": ("Illustrative Joint Committee secretariat (Japan–India JCM)", "agency", "JPN"),
    "registry-jpn": ("Illustrative JCM registry of Japan", "agency", "JPN"),
    "registry-ind": ("Illustrative JCM registry of India", "agency", "IND"),
    "participant-ind": ("Illustrative Solar Developer Pvt Ltd", "company", "IND"),
    "participant-jpn": ("Illustrative Engineering KK", "company", "JPN"),
}
#: username -> (organisation key, register role, JCM grant or None, party of the grant)
USERS = {
    "jcm-secretariat": ("secretariat", Role.EDITOR, model.GrantRole.SECRETARIAT, None),
    "jcm-registry-jpn": ("registry-jpn", Role.EDITOR, model.GrantRole.REGISTRY_ADMIN, "JPN"),
    "jcm-registry-ind": ("registry-ind", Role.EDITOR, model.GrantRole.REGISTRY_ADMIN, "IND"),
    "jcm-holder-ind": ("participant-ind", Role.EDITOR, None, None),
    "jcm-holder-jpn": ("participant-jpn", Role.EDITOR, None, None),
}


@dataclass
class SampleJcm:
    organisations: dict[str, str] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)
    operations: list[str] = field(default_factory=list)


def _operator() -> Principal:
    return Principal(account_id="cli", username="cli", role=Role.ADMIN, organisation_id=None, government=True)


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


class _SampleDay:
    """The clock of the sample's movements: the day of the step being recorded."""

    def __init__(self) -> None:
        self.now = MOVEMENT_DAYS["issuance"]

    def __call__(self) -> datetime:
        return self.now


def build_sample(register: RegisterService, jcm: JcmService, password: str = SAMPLE_PASSWORD) -> SampleJcm:
    """Fill a migrated register (with or without other records) with the illustrative JCM sample."""
    sample = SampleJcm()
    day = _SampleDay()
    ledger = JcmService(jcm.database, day)
    operator = _operator()
    organisations = BY_NAME["organisations"]
    for key, (name, kind, country) in ORGANISATIONS.items():
        created = register.records.create(operator, organisations, organisations.create(name=name, kind=kind, country=country))
        sample.organisations[key] = created.id
    for username, (org, role, grant, party) in USERS.items():
        account = register.accounts.create(operator, RegisterAccountCreate(
            username=username, password=password, role=role, organisation_id=sample.organisations[org]))  # fmt: skip
        sample.principals[username] = principal_of(account.model_dump(), org.startswith(("registry", "secretariat")))
        if grant is not None:
            jcm.grant(operator, model.GrantCreate(username=username, role=grant, party=party))
    secretariat = sample.principals["jcm-secretariat"]
    jpn, ind = sample.principals["jcm-registry-jpn"], sample.principals["jcm-registry-ind"]
    holders = {"IND": sample.organisations["participant-ind"], "JPN": sample.organisations["participant-jpn"]}

    for registry, admin in (("JPN", jpn), ("IND", ind)):
        prefix = "ILL-JP" if registry == "JPN" else "ILL-IN"
        kinds = [("GOV", model.AccountKind.GOVERNMENT_HOLDING, "Government holding account"),
                 ("RET", model.AccountKind.RETIREMENT, "Retirement account (use towards the NDC)"),
                 ("CAN", model.AccountKind.CANCELLATION, "Cancellation account"),
                 ("ENT", model.AccountKind.ENTITY_HOLDING, "Participant holding account")]  # fmt: skip
        if registry == "IND":
            kinds.insert(0, ("ISS", model.AccountKind.ISSUANCE, "Issuance account"))
        for code, kind, name in kinds:
            jcm.open_account(admin, model.AccountCreate(
                number=f"{prefix}-{code}-001", registry=registry, kind=kind, name=f"Illustrative {name} ({registry})",
                holder_org_id=holders[registry] if kind is model.AccountKind.ENTITY_HOLDING else None))  # fmt: skip

    jcm.add_methodology(secretariat, model.MethodologyCreate(
        code="ILL-JCM-IN-AM001", version=1, title="Illustrative methodology: grid-connected solar PV",
        sectoral_scope="Energy industries (renewable sources)", approved_on=date(2025, 6, 2),
        valid_from=date(2025, 6, 2), illustrative=True))  # fmt: skip
    participants = [model.Participant(name=ORGANISATIONS["participant-ind"][0], party="IND", organisation_id=holders["IND"]),
                    model.Participant(name=ORGANISATIONS["participant-jpn"][0], party="JPN", organisation_id=holders["JPN"])]  # fmt: skip
    for reference, title in (("ILL-IN001", "Illustrative rooftop solar PV at industrial sites"),
                             ("ILL-IN002", "Illustrative solar PV with battery storage at a data centre")):  # fmt: skip
        jcm.add_project(secretariat, model.ProjectCreate(
            reference=reference, title=title, host_party="IND", methodology="ILL-JCM-IN-AM001", sector="Energy",
            activity_type="Renewable energy: solar photovoltaic", participants=participants,
            pdd_reference=f"PDD of {reference} (illustrative)", validator="Illustrative third-party entity",
            validated_on=date(2025, 9, 1), registered_on=date(2025, 10, 15), illustrative=True))  # fmt: skip
    for reference in ("ILL-IN001", "ILL-IN002"):
        jcm.authorise(ind, model.AuthorisationCreate(
            reference=f"ILL-AUTH-{reference[-3:]}", party="IND", project=reference, vintage_from=2025, vintage_to=2030,
            purpose=model.Purpose.NDC, authorised_at=_at(2025, 11, 3),
            terms="Illustrative: authorised for use towards Japan's NDC; India applies a corresponding adjustment "
                  "on first transfer."))  # fmt: skip

    periods = {"ILL-IN001": (date(2025, 10, 15), date(2026, 3, 31), 12_000, 2026, 6_000, 3_000, 3_000),
               "ILL-IN002": (date(2025, 10, 15), date(2026, 3, 31), 5_000, 2026, 2_500, 2_000, 500)}  # fmt: skip
    for reference, (start, end, tonnes, vintage, japan, india, participant) in periods.items():
        jcm.add_monitoring_period(secretariat, model.MonitoringPeriodCreate(
            project=reference, period_start=start, period_end=end, verified_tco2e=tonnes,
            verifier="Illustrative third-party entity", verified_on=date(2026, 5, 20)))  # fmt: skip
        jcm.add_notice(secretariat, model.NoticeCreate(
            project=reference, period_start=start, notified_on=date(2026, 6, 10), vintage=vintage,
            japan_government_tco2e=japan, india_government_tco2e=india,
            participants=[model.ParticipantAllocation(account="ILL-IN-ENT-001", tco2e=participant)]))  # fmt: skip
        day.now = MOVEMENT_DAYS["issuance"]
        sample.operations.append(ledger.issue(ind, reference, start, "Issuance per the Joint Committee's notification").operation_id)
        day.now = MOVEMENT_DAYS["allocation"]
        sample.operations.append(ledger.allocate(ind, reference, start, "Allocation per the notification").operation_id)
    day.now = MOVEMENT_DAYS["retirement"]
    sample.operations.append(ledger.retire(jpn, model.RetirementRequest(
        project="ILL-IN001", vintage=2026, quantity=4_000, source="ILL-JP-GOV-001", target="ILL-JP-RET-001",
        reason="Illustrative use towards Japan's NDC")).operation_id)  # fmt: skip
    day.now = MOVEMENT_DAYS["cancellation"]
    sample.operations.append(ledger.cancel(sample.principals["jcm-holder-ind"], model.CancellationRequest(
        project="ILL-IN001", vintage=2026, quantity=500, source="ILL-IN-ENT-001", target="ILL-IN-CAN-001",
        reason="Illustrative voluntary cancellation by the participant")).operation_id)  # fmt: skip
    return sample
