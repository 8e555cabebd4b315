"""The JCM's use cases over the register's database, with who may do what decided here, once.

Roles (granted by a register admin, kept in ``jcm_grants``):

- the **Joint Committee secretariat** records the Joint Committee's decisions: methodologies, project
  registrations, verified monitoring periods and notifications of issuance;
- a **registry administrator** of Japan's or India's registry opens that registry's accounts, records that
  Party's authorisations, issues into that registry, allocates from it per a notification and moves the units of
  its government accounts;
- an **account holder** (an editor or admin account of the organisation holding an entity account) moves units
  only out of its own organisation's accounts.

Everyone signed in may read the records, holdings, movements and reports (an Article 6.2 registry's holdings and
transactions are reported publicly). Every operation writes one audit entry with who, when and why, in the same
transaction as its movements.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from setu.errors import NotFoundError, PermissionDeniedError, ValidationError
from setu.jcm import accounting, aef, serials
from setu.jcm.model import (
    AccountCreate,
    AccountKind,
    AuthorisationCreate,
    CancellationRequest,
    GrantCreate,
    GrantRole,
    MethodologyCreate,
    MonitoringPeriodCreate,
    Movement,
    MovementKind,
    NoticeCreate,
    ProjectCreate,
    RetirementPurpose,
    RetirementRequest,
    TransferRequest,
    UnitsRequest,
)
from setu.register.audit import record_change
from setu.register.fields import Role
from setu.register.visibility import Principal
from setu.store.jcm.ledger import Ledger


@dataclass(frozen=True)
class Roles:
    registry_admin_of: frozenset[str]
    secretariat: bool


@dataclass(frozen=True)
class Operation:
    operation_id: str
    kind: MovementKind
    quantity: int
    movements: list[Movement]


def _new_id() -> str:
    return str(uuid.uuid4())


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date | datetime) else value for key, value in row.items()}


class JcmService:
    def __init__(self, database: Any, clock: Callable[[], datetime]):
        self.database = database
        self.clock = clock

    # ----- roles -----------------------------------------------------------------------------------------
    def roles(self, ledger: Ledger, principal: Principal) -> Roles:
        grants = ledger.grants_of([principal.account_id])
        return Roles(
            registry_admin_of=frozenset(g["party"] for g in grants if g["role"] == GrantRole.REGISTRY_ADMIN.value),
            secretariat=any(g["role"] == GrantRole.SECRETARIAT.value for g in grants),
        )

    def roles_of(self, principal: Principal) -> Roles:
        with self.database.transaction(write=False) as tx:
            return self.roles(Ledger(tx.connection), principal)

    def _require_secretariat(self, ledger: Ledger, principal: Principal, action: str) -> None:
        if not self.roles(ledger, principal).secretariat:
            raise PermissionDeniedError(f"only the Joint Committee secretariat may {action}")

    def _require_registry_admin(self, ledger: Ledger, principal: Principal, party: str, action: str) -> None:
        if party not in self.roles(ledger, principal).registry_admin_of:
            raise PermissionDeniedError(f"only an administrator of the {party} registry may {action}")

    def grant(self, principal: Principal, data: GrantCreate) -> dict[str, Any]:
        """A register admin (or the machine's operator) names the secretariat and the registry administrators."""
        if principal.role is not Role.ADMIN:
            raise PermissionDeniedError("only a register admin may grant JCM roles")
        with self.database.transaction() as tx:
            account = tx.account(username=data.username)
            if account is None:
                raise NotFoundError(f"no account {data.username!r}")
            ledger = Ledger(tx.connection)
            existing = [g for g in ledger.grants_of([account["id"]]) if g["role"] == data.role.value and g["party"] == data.party]
            if existing:
                return _json(existing[0])
            row = {"id": _new_id(), "account_id": account["id"], "role": data.role.value, "party": data.party,
                   **self._created(principal)}  # fmt: skip
            self._insert(ledger, tx, principal, "grants", row)
            return _json(row)

    # ----- records of the cycle (the Joint Committee secretariat) ------------------------------------------
    def _created(self, principal: Principal) -> dict[str, Any]:
        return {"created_at": self.clock(), "created_by": principal.username}

    def _insert(self, ledger: Ledger, tx: Any, principal: Principal, record: str, row: dict[str, Any]) -> None:
        ledger.insert(record, row)
        record_change(tx, at=row["created_at"], actor=principal.username, action="create", entity=f"jcm_{record}",
                      entity_id=row["id"], before=None, after=_json(row))  # fmt: skip

    def _project(self, ledger: Ledger, reference: str) -> dict[str, Any]:
        project = ledger.by_reference("projects", reference)
        if project is None:
            known = [row["reference"] for row in ledger.find("projects")]
            raise NotFoundError(f"no JCM project {reference!r} (projects: {', '.join(known) or 'none yet'})")
        return project

    def _account(self, ledger: Ledger, number: str) -> dict[str, Any]:
        rows = ledger.find("accounts", number=number)
        if not rows:
            raise NotFoundError(f"no JCM account {number!r}")
        return rows[0]

    def add_methodology(self, principal: Principal, data: MethodologyCreate) -> dict[str, Any]:
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            self._require_secretariat(ledger, principal, "record an approved methodology")
            row = {"id": _new_id(), **data.model_dump(), **self._created(principal)}
            self._insert(ledger, tx, principal, "methodologies", row)
            return _json(row)

    def add_project(self, principal: Principal, data: ProjectCreate) -> dict[str, Any]:
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            self._require_secretariat(ledger, principal, "register a project")
            versions = [m for m in ledger.find("methodologies", code=data.methodology)
                        if m["valid_from"] <= data.registered_on and (m["valid_until"] is None or data.registered_on <= m["valid_until"])]  # fmt: skip
            if not versions:
                raise ValidationError(f"methodology {data.methodology!r} has no version valid on {data.registered_on}")
            if data.register_project_id is not None and not tx.existing_ids("projects", [data.register_project_id]):
                raise ValidationError(f"register_project_id: no register project {data.register_project_id}")
            values = data.model_dump(exclude={"methodology"}, mode="json")
            values.update(validated_on=data.validated_on, registered_on=data.registered_on)
            partner = "JPN" if data.host_party == "IND" else "IND"
            row = {"id": _new_id(), **values, "partner_party": partner,
                   "methodology_id": max(versions, key=lambda m: m["version"])["id"], **self._created(principal)}  # fmt: skip
            self._insert(ledger, tx, principal, "projects", row)
            return _json(row)

    def add_monitoring_period(self, principal: Principal, data: MonitoringPeriodCreate) -> dict[str, Any]:
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            self._require_secretariat(ledger, principal, "record a verified monitoring period")
            project = self._project(ledger, data.project)
            if data.period_start < project["registered_on"]:
                raise ValidationError("a monitoring period starts on or after the project's registration")
            for other in ledger.find("monitoring_periods", project_id=project["id"]):
                if other["period_start"] <= data.period_end and other["period_end"] >= data.period_start:
                    raise ValidationError(
                        f"the period overlaps the monitoring period {other['period_start']} to {other['period_end']}: "
                        "emission reductions are verified once"
                    )
            row = {"id": _new_id(), **data.model_dump(exclude={"project"}), "project_id": project["id"],
                   **self._created(principal)}  # fmt: skip
            self._insert(ledger, tx, principal, "monitoring_periods", row)
            return _json(row)

    def _period(self, ledger: Ledger, project: dict[str, Any], period_start: date) -> dict[str, Any]:
        rows = [p for p in ledger.find("monitoring_periods", project_id=project["id"]) if p["period_start"] == period_start]
        if not rows:
            raise NotFoundError(f"project {project['reference']} has no monitoring period starting {period_start}")
        return rows[0]

    def add_notice(self, principal: Principal, data: NoticeCreate) -> dict[str, Any]:
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            self._require_secretariat(ledger, principal, "record a notification of issuance")
            project = self._project(ledger, data.project)
            period = self._period(ledger, project, data.period_start)
            if data.total_tco2e != period["verified_tco2e"]:
                raise ValidationError(
                    f"the allocation adds up to {data.total_tco2e:,} t but the period's verified reductions are "
                    f"{period['verified_tco2e']:,} t"
                )
            if data.notified_on < period["verified_on"]:
                raise ValidationError("a notification of issuance follows the verification")
            years = range(period["period_start"].year, period["period_end"].year + 1)
            if data.vintage not in years:
                raise ValidationError(
                    f"vintage {data.vintage} is not a year of the monitoring period ({period['period_start']} to "
                    f"{period['period_end']}): the vintage is the year the reductions happened"
                )
            for line in data.participants:
                account = self._account(ledger, line.account)
                if account["kind"] != AccountKind.ENTITY_HOLDING.value:
                    raise ValidationError(f"participants' credits go to entity holding accounts, not {line.account}")
            row = {
                "id": _new_id(), "monitoring_period_id": period["id"], "notified_on": data.notified_on,
                "vintage": data.vintage, "total_tco2e": data.total_tco2e,
                "japan_government_tco2e": data.japan_government_tco2e,
                "india_government_tco2e": data.india_government_tco2e, "participants_tco2e": data.participants_tco2e,
                "participant_allocations": [line.model_dump() for line in data.participants], **self._created(principal),
            }  # fmt: skip
            self._insert(ledger, tx, principal, "notices", row)
            return _json(row)

    # ----- accounts and authorisations (a registry's administrator) -----------------------------------------
    def open_account(self, principal: Principal, data: AccountCreate) -> dict[str, Any]:
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            self._require_registry_admin(ledger, principal, data.registry, "open an account in it")
            if data.holder_org_id is not None and not tx.existing_ids("organisations", [data.holder_org_id]):
                raise ValidationError(f"holder_org_id: no organisation {data.holder_org_id}")
            row = {"id": _new_id(), **data.model_dump(mode="json"), **self._created(principal)}
            self._insert(ledger, tx, principal, "accounts", row)
            return _json(row)

    def authorise(self, principal: Principal, data: AuthorisationCreate) -> dict[str, Any]:
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            self._require_registry_admin(ledger, principal, data.party, "record that Party's authorisation")
            project = self._project(ledger, data.project)
            if data.party != project["host_party"]:
                raise ValidationError(
                    f"the host Party ({project['host_party']}) authorises the transfer of its mitigation outcomes"
                )
            values = data.model_dump(exclude={"project"})
            values.update(purpose=data.purpose.value, first_transfer_definition=data.first_transfer_definition.value)
            row = {"id": _new_id(), **values, "project_id": project["id"], **self._created(principal)}
            self._insert(ledger, tx, principal, "authorisations", row)
            return _json(row)

    # ----- the ledger ----------------------------------------------------------------------------------------
    def _authorisation(self, ledger: Ledger, project: dict[str, Any], vintage: int, at: datetime) -> dict[str, Any] | None:
        rows = [a for a in ledger.find("authorisations", project_id=project["id"], party=project["host_party"])
                if a["vintage_from"] <= vintage <= a["vintage_to"] and a["authorised_at"] <= at]  # fmt: skip
        return min(rows, key=lambda a: a["authorised_at"]) if rows else None

    def _may_move(self, ledger: Ledger, principal: Principal, account: dict[str, Any]) -> None:
        if account["kind"] == AccountKind.ENTITY_HOLDING.value:
            if principal.role is Role.VIEWER or principal.organisation_id != account["holder_org_id"]:
                raise PermissionDeniedError(
                    f"only the holder of account {account['number']} may move its units"
                )
            return
        self._require_registry_admin(ledger, principal, account["registry"], f"move units of account {account['number']}")

    def _move(
        self, ledger: Ledger, *, principal: Principal, operation_id: str, at: datetime, kind: MovementKind,
        project: dict[str, Any], request: UnitsRequest, source: dict[str, Any], target: dict[str, Any],
        purpose: str | None = None,
    ) -> list[int]:  # fmt: skip
        blocks = ledger.open_blocks(account_id=source["id"], project_id=project["id"], vintage=request.vintage)
        by_id = {block["id"]: block for block in blocks}
        authorisation = self._authorisation(ledger, project, request.vintage, at)
        ids = []
        for piece in serials.pieces(blocks, request.quantity, request.serial_start):
            first = accounting.first_transfer_applies(
                kind=kind, authorisation=authorisation, already_first_transferred=bool(by_id[piece.block_id]["first_transferred"]),
                host_party=project["host_party"], target_registry=target["registry"], purpose=purpose,
            )  # fmt: skip
            ids.append(ledger.insert_movement({
                "operation_id": operation_id, "at": at, "kind": kind.value, "actor": principal.username,
                "reason": request.reason, "project_id": project["id"], "vintage": request.vintage,
                "serial_start": piece.serial_start, "serial_end": piece.serial_end, "quantity": piece.quantity,
                "source_block_id": piece.block_id, "source_account_id": source["id"], "target_account_id": target["id"],
                "source_registry": source["registry"], "target_registry": target["registry"],
                "authorisation_id": authorisation["id"] if authorisation else None, "first_transfer": first,
                "purpose": purpose,
            }))  # fmt: skip
        return ids

    def _operation(self, tx: Any, ledger: Ledger, principal: Principal, operation_id: str, kind: MovementKind,
                   reason: str, action: str | None = None) -> Operation:  # fmt: skip
        movements = self._public_movements(ledger, ledger.movements(operation_id=operation_id))
        total = sum(m.quantity for m in movements)
        record_change(tx, at=self.clock(), actor=principal.username, action=action or f"jcm_{kind.value}",
                      entity="jcm_operations", entity_id=operation_id, before=None,
                      after={"reason": reason, "quantity": total,
                             "movements": [m.model_dump(mode="json") for m in movements]})  # fmt: skip
        return Operation(operation_id, kind, total, movements)

    def issue(self, principal: Principal, project_reference: str, period_start: date, reason: str) -> Operation:
        """Issue the credits of a notification into the host registry's issuance account (serials continue the
        project's and vintage's last issued serial)."""
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            project = self._project(ledger, project_reference)
            party = project["host_party"]
            self._require_registry_admin(ledger, principal, party, "issue into it")
            period = self._period(ledger, project, period_start)
            notices = ledger.find("notices", monitoring_period_id=period["id"])
            if not notices:
                raise ValidationError("the Joint Committee has not notified issuance for this monitoring period")
            notice = notices[0]
            if ledger.issued_for_notice(notice["id"]):
                raise ValidationError("the credits of this notification are issued already")
            target = self._sole_account(ledger, party, AccountKind.ISSUANCE)
            at = self.clock()
            start = ledger.issued_serial_end(project["id"], notice["vintage"]) + 1
            authorisation = self._authorisation(ledger, project, notice["vintage"], at)
            first = authorisation is not None and accounting.first_transfer_applies(
                kind=MovementKind.ISSUANCE, authorisation=authorisation, already_first_transferred=False,
                host_party=party, target_registry=party,
            )  # fmt: skip
            operation_id = _new_id()
            ledger.insert_movement({
                "operation_id": operation_id, "at": at, "kind": "issuance", "actor": principal.username,
                "reason": reason, "project_id": project["id"], "vintage": notice["vintage"], "serial_start": start,
                "serial_end": start + notice["total_tco2e"] - 1, "quantity": notice["total_tco2e"],
                "target_account_id": target["id"], "target_registry": party, "notice_id": notice["id"],
                "authorisation_id": authorisation["id"] if authorisation else None, "first_transfer": first,
            })  # fmt: skip
            return self._operation(tx, ledger, principal, operation_id, MovementKind.ISSUANCE, reason)

    def _sole_account(self, ledger: Ledger, registry: str, kind: AccountKind) -> dict[str, Any]:
        rows = ledger.find("accounts", registry=registry, kind=kind.value)
        if len(rows) != 1:
            names = ", ".join(row["number"] for row in rows) or "none"
            raise ValidationError(f"the {registry} registry needs exactly one {kind.value} account (it has: {names})")
        return rows[0]

    def allocate(self, principal: Principal, project_reference: str, period_start: date, reason: str) -> Operation:
        """Move the issued credits of a notification to the Government of Japan, the Government of India and the
        participants, as the notification allocates them (external transfers where the account is in the other
        registry). One operation: all of it or none."""
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            project = self._project(ledger, project_reference)
            party = project["host_party"]
            self._require_registry_admin(ledger, principal, party, "allocate from it")
            notice = ledger.find("notices", monitoring_period_id=self._period(ledger, project, period_start)["id"])
            if not notice or not ledger.issued_for_notice(notice[0]["id"]):
                raise ValidationError("issue the notification's credits before allocating them")
            notice_row = notice[0]
            source = self._sole_account(ledger, party, AccountKind.ISSUANCE)
            lines = [(self._sole_account(ledger, "JPN", AccountKind.GOVERNMENT_HOLDING), notice_row["japan_government_tco2e"]),
                     (self._sole_account(ledger, "IND", AccountKind.GOVERNMENT_HOLDING), notice_row["india_government_tco2e"]),
                     *((self._account(ledger, line["account"]), line["tco2e"]) for line in notice_row["participant_allocations"])]  # fmt: skip
            operation_id, at = _new_id(), self.clock()
            for target, quantity in lines:
                if quantity == 0:
                    continue
                kind = MovementKind.INTERNAL_TRANSFER if target["registry"] == party else MovementKind.EXTERNAL_TRANSFER
                request = UnitsRequest(project=project["reference"], vintage=notice_row["vintage"], quantity=quantity,
                                       reason=reason)  # fmt: skip
                self._move(ledger, principal=principal, operation_id=operation_id, at=at, kind=kind,
                           project=project, request=request, source=source, target=target)  # fmt: skip
            return self._operation(tx, ledger, principal, operation_id, MovementKind.INTERNAL_TRANSFER, reason,
                                   action="jcm_allocation")

    def _units_operation(self, principal: Principal, request: TransferRequest | CancellationRequest | RetirementRequest,
                         kind_for: Callable[[dict[str, Any], dict[str, Any]], MovementKind],
                         target_kind: AccountKind | None, purpose: str | None) -> Operation:  # fmt: skip
        with self.database.transaction() as tx:
            ledger = Ledger(tx.connection)
            project = self._project(ledger, request.project)
            source, target = self._account(ledger, request.source), self._account(ledger, request.target)
            self._may_move(ledger, principal, source)
            if purpose == RetirementPurpose.NDC.value:
                self._require_registry_admin(ledger, principal, source["registry"], "use units towards that Party's NDC")
            if target_kind is not None and target["kind"] != target_kind.value:
                raise ValidationError(f"account {target['number']} is not a {target_kind.value} account")
            if target_kind is not None and target["registry"] != source["registry"]:
                raise ValidationError("units are cancelled or retired in the registry that holds them")
            kind = kind_for(source, target)
            operation_id = _new_id()
            self._move(ledger, principal=principal, operation_id=operation_id, at=self.clock(), kind=kind,
                       project=project, request=request, source=source, target=target, purpose=purpose)  # fmt: skip
            return self._operation(tx, ledger, principal, operation_id, kind, request.reason)

    def transfer(self, principal: Principal, request: TransferRequest) -> Operation:
        def kind(source: dict[str, Any], target: dict[str, Any]) -> MovementKind:
            if target["kind"] not in (AccountKind.GOVERNMENT_HOLDING.value, AccountKind.ENTITY_HOLDING.value):
                raise ValidationError(f"transfers go to holding accounts; use cancel or retire for {target['number']}")
            same = source["registry"] == target["registry"]
            return MovementKind.INTERNAL_TRANSFER if same else MovementKind.EXTERNAL_TRANSFER

        return self._units_operation(principal, request, kind, None, None)

    def cancel(self, principal: Principal, request: CancellationRequest) -> Operation:
        return self._units_operation(principal, request, lambda _s, _t: MovementKind.CANCELLATION,
                                     AccountKind.CANCELLATION, request.purpose.value)  # fmt: skip

    def retire(self, principal: Principal, request: RetirementRequest) -> Operation:
        """Use units towards an NDC (the Party's act: only its registry administrator, from government accounts;
        a participant transfers its units to the government or cancels them) or for OIMP (any holder)."""
        return self._units_operation(principal, request, lambda _s, _t: MovementKind.RETIREMENT,
                                     AccountKind.RETIREMENT, request.purpose.value)  # fmt: skip

    # ----- reads -------------------------------------------------------------------------------------------
    def _public_movements(self, ledger: Ledger, rows: list[dict[str, Any]]) -> list[Movement]:
        projects = {p["id"]: p for p in ledger.find("projects")}
        accounts = {a["id"]: a["number"] for a in ledger.find("accounts")}
        out = []
        for row in rows:
            project = projects[row["project_id"]]
            out.append(Movement(
                id=row["id"], operation_id=row["operation_id"], at=row["at"], kind=MovementKind(row["kind"]),
                actor=row["actor"], reason=row["reason"], project=project["reference"], vintage=row["vintage"],
                unit_identifier=serials.unit_identifier(project["host_party"], project["reference"], row["vintage"],
                                                        row["serial_start"], row["serial_end"]),
                serial_start=row["serial_start"], serial_end=row["serial_end"], quantity=row["quantity"],
                source_account=accounts.get(row["source_account_id"]), target_account=accounts[row["target_account_id"]],
                source_registry=row["source_registry"], target_registry=row["target_registry"],
                first_transfer=bool(row["first_transfer"]), purpose=row["purpose"],
                corrects_operation_id=row["corrects_operation_id"],
            ))  # fmt: skip
        return out

    def movements(self, *, registry: str | None = None, account: str | None = None, year: int | None = None) -> list[Movement]:
        with self.database.transaction(write=False) as tx:
            ledger = Ledger(tx.connection)
            account_id = self._account(ledger, account)["id"] if account else None
            since = datetime(year, 1, 1, tzinfo=UTC) if year else None
            until = datetime.combine(date(year, 12, 31), time.max, tzinfo=UTC) if year else None
            rows = ledger.movements(registry=registry, account_id=account_id, since=since, until=until)
            return self._public_movements(ledger, rows)

    def records(self, record: str) -> list[dict[str, Any]]:
        with self.database.transaction(write=False) as tx:
            return [_json(row) for row in Ledger(tx.connection).find(record)]

    def holdings(self, *, at: datetime | None = None) -> list[dict[str, Any]]:
        """Units held per account, project and vintage (now, or at instant ``at``), with their blocks' identifiers."""
        if at is not None and at.tzinfo is None:
            raise ValidationError("the instant needs a time zone (e.g. 2026-12-31T23:59:59Z)")
        with self.database.transaction(write=False) as tx:
            ledger = Ledger(tx.connection)
            blocks = ledger.open_blocks() if at is None else ledger.blocks_held_at(at)
            projects = {p["id"]: p for p in ledger.find("projects")}
            accounts = {a["id"]: a for a in ledger.find("accounts")}
            rows = []
            for block in blocks:
                project, account = projects[block["project_id"]], accounts[block["account_id"]]
                rows.append({
                    "registry": account["registry"], "account": account["number"], "account_kind": account["kind"],
                    "project": project["reference"], "vintage": block["vintage"],
                    "unit_identifier": serials.unit_identifier(project["host_party"], project["reference"],
                                                               block["vintage"], block["serial_start"], block["serial_end"]),
                    "serial_start": block["serial_start"], "serial_end": block["serial_end"],
                    "tco2e": block["serial_end"] - block["serial_start"] + 1,
                    "authorised": block["authorisation_id"] is not None,
                    "first_transferred": bool(block["first_transferred"]),
                    "illustrative": bool(project["illustrative"]),
                })  # fmt: skip
            return rows

    def adjustments(self) -> list[accounting.AdjustmentTotal]:
        with self.database.transaction(write=False) as tx:
            return accounting.adjustment_totals(Ledger(tx.connection).adjustments())

    def verify(self) -> list[str]:
        """Replay the ledger from nothing and compare with what the store holds (empty list: consistent)."""
        with self.database.transaction(write=False) as tx:
            ledger = Ledger(tx.connection)
            return accounting.validate(
                movements=ledger.movements(), open_blocks=ledger.open_blocks(), adjustments=ledger.adjustments(),
                accounts={a["id"]: a for a in ledger.find("accounts")},
                authorisations={a["id"]: a for a in ledger.find("authorisations")},
                host_party={p["id"]: p["host_party"] for p in ledger.find("projects")},
            )  # fmt: skip

    # ----- Article 6.2 reporting ---------------------------------------------------------------------------
    def aef(self, party: str, year: int, submitted_on: date | None = None) -> aef.Report:
        """The AEF tables of ``party``'s annual information for ``year``, from the ledger."""
        if party not in ("JPN", "IND"):
            raise ValidationError(f"party must be JPN or IND, not {party!r}")
        end = datetime.combine(date(year, 12, 31), time.max, tzinfo=UTC)
        with self.database.transaction(write=False) as tx:
            ledger = Ledger(tx.connection)
            return aef.build(
                party=party, year=year, submitted_on=(submitted_on or self.clock().date()).isoformat(),
                projects={p["id"]: p for p in ledger.find("projects")},
                authorisations={a["id"]: a for a in ledger.find("authorisations")},
                movements=ledger.movements(since=datetime(year, 1, 1, tzinfo=UTC), until=end),
                year_end_blocks=ledger.blocks_held_at(end), accounts={a["id"]: a for a in ledger.find("accounts")},
            )  # fmt: skip

    def check_aef(self, tables: dict[str, list[aef.Row]]) -> tuple[aef.Report, list[str]]:
        """Compare an AEF file's tables with what the ledger gives for the Party, year and date the file names."""
        try:
            [submission] = tables["Submission"]
            party, year = str(submission["Party"]), int(submission["Reported year"])
            submitted_on = date.fromisoformat(str(submission["Submission date"]))
        except (KeyError, ValueError, TypeError) as error:
            raise ValidationError(f"the Submission table needs one row with Party, Reported year and Submission date ({error})") from None
        expected = self.aef(party, year, submitted_on)
        return expected, aef.differences(expected, tables)
