"""A small sample register shared by the tests, the docs and the load benchmark.

Organisations are real bodies of the Japan–India economic-security cooperation; the company is a
placeholder. Projects, dialogues and people are illustrative samples, not records of real
cooperation, and carry no figures (no funding amounts), so nothing here needs a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from setu.register.accounts import AccountCreate
from setu.register.catalog import BY_NAME
from setu.register.fields import Role
from setu.register.service import RegisterService
from setu.register.visibility import Principal

SAMPLE_PASSWORD = "sample-password-not-for-production"

ORGANISATIONS = {
    "meti": ("Ministry of Economy, Trade and Industry", "ministry", "JPN"),
    "meity": ("Ministry of Electronics and Information Technology", "ministry", "IND"),
    "keidanren": ("Keidanren (Japan Business Federation)", "industry-body", "JPN"),
    "cii": ("Confederation of Indian Industry", "industry-body", "IND"),
    "company": ("Sample Components Pvt Ltd", "company", "IND"),
}
#: (organisation key, role) of each sample account; usernames are "<org>-<role>".
ACCOUNTS = [(org, role) for org in ("meti", "keidanren", "company") for role in (Role.EDITOR, Role.VIEWER)] + [
    ("meity", Role.VIEWER),
    ("cii", Role.VIEWER),
]


@dataclass
class SampleRegister:
    organisations: dict[str, str] = field(default_factory=dict)  # key -> id
    usernames: list[str] = field(default_factory=list)
    records: dict[str, dict[str, str]] = field(default_factory=dict)  # noun -> label -> id
    admin: str = "admin"


def _operator() -> Principal:
    return Principal(account_id="cli", username="cli", role=Role.ADMIN, organisation_id=None, government=True)


def build_sample(service: RegisterService, password: str = SAMPLE_PASSWORD) -> SampleRegister:
    """Fill an empty, migrated register with the sample; returns the ids it made."""
    sample = SampleRegister()
    operator = _operator()
    service.accounts.create_admin("admin", password)
    for key, (name, kind, country) in ORGANISATIONS.items():
        org = service.records.create(
            operator, BY_NAME["organisations"], BY_NAME["organisations"].create(name=name, kind=kind, country=country)
        )
        sample.organisations[key] = org.id
    for key, role in ACCOUNTS:
        username = f"{key}-{role.value}"
        service.accounts.create(
            operator,
            AccountCreate(username=username, password=password, role=role, organisation_id=sample.organisations[key]),
        )
        sample.usernames.append(username)

    def add(noun: str, label: str, **values: object) -> str:
        model = BY_NAME[noun].create(**values)
        record = service.records.create(operator, BY_NAME[noun], model)
        sample.records.setdefault(noun, {})[label] = record.id
        return record.id

    orgs = sample.organisations
    tiers = {
        "government": {"tier": "government"},
        "shared": {"tier": "shared", "shared_with": [orgs["company"]]},
        "private": {"tier": "shared"},
        "public": {"tier": "public"},
    }
    for owner in ("meti", "keidanren"):
        person = add("people", f"{owner}-poc", name=f"Sample PoC of {owner}", organisation_id=orgs[owner],
                     owner_org_id=orgs[owner], tier="public")  # fmt: skip
        dialogue = add("dialogues", f"{owner}-dialogue", kind="gtog" if owner == "meti" else "btob",
                       title=f"Sample dialogue of {owner}", owner_org_id=orgs[owner], tier="public")  # fmt: skip
        meeting = add("meetings", f"{owner}-meeting", dialogue_id=dialogue, held_on=date(2026, 1, 20),
                      location="New Delhi", owner_org_id=orgs[owner], tier="public")  # fmt: skip
        for tier, visibility in tiers.items():
            label = f"{owner}-{tier}"
            project = add(
                "projects", label, title=f"Sample {tier} project of {owner}", sector="critical-minerals",
                status="active", partner_ids=[orgs["cii"]], start_date=date(2025, 4, 1),
                links=[{"node_id": "rare-earths", "vulnerability": "refining concentration"}],
                owner_org_id=orgs[owner], **visibility,
            )  # fmt: skip
            add("milestones", label, project_id=project, title=f"Milestone of {label}", due_date=date(2026, 3, 31),
                owner_org_id=orgs[owner], **visibility)  # fmt: skip
            decision = add("decisions", label, meeting_id=meeting, text=f"Decision on {label}",
                           owner_org_id=orgs[owner], **visibility)  # fmt: skip
            add("action_items", label, meeting_id=meeting, decision_id=decision, title=f"Action on {label}",
                owner_person_id=person, due_date=date(2026, 2, 28), links=[{"node_id": "gallium"}],
                owner_org_id=orgs[owner], **visibility)  # fmt: skip
            add("contacts", label, person_id=person, project_id=project, since=date(2025, 4, 1),
                owner_org_id=orgs[owner], **visibility)  # fmt: skip
    return sample
