"""Create, read, update and delete any register record, with the access policy applied here, once.

Every route, CLI command, export and digest reaches records through :class:`RecordService` (or the
scoped queries it shares with :mod:`setu.register.followup` and :mod:`setu.register.transfer`), so the
rules of :mod:`setu.register.visibility` cannot be skipped by a new endpoint. Records the caller may
not read are reported as missing (404), never as forbidden, so their existence does not leak.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import pydantic
from pydantic import BaseModel

from setu.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from setu.register.audit import record_change
from setu.register.catalog import BY_NAME
from setu.register.noun import Condition, ListQuery, Noun
from setu.register.visibility import Principal, can_change, can_see, require_admin, require_writer, scope_for

if TYPE_CHECKING:
    from setu.store.register.transaction import Transaction


def plain(value: Any) -> Any:
    """Enums to their values, recursively: what the database and JSON hold."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def input_error(error: pydantic.ValidationError) -> ValidationError:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "record"
        parts.append(f"{where}: {item['msg']}")
    return ValidationError("; ".join(parts))


def visible_rows(
    tx: Transaction, principal: Principal, noun: Noun, conditions: Sequence[Condition] = (), **page: Any
) -> tuple[list[dict[str, Any]], int]:
    """The one way services read many records: the caller's scope goes into the query, and every row that
    comes back is checked again against the policy (a disagreement is a bug, reported, never served).
    ``page`` passes text, sort, limit and offset through to the store."""
    result = tx.select(noun.name, scope=scope_for(principal) if noun.tiered else None, conditions=conditions, **page)
    for row in result.rows:
        if noun.tiered and not can_see(principal, row):
            raise PermissionDeniedError(f"{noun.label} {row['id']} is outside the caller's scope")
    return result.rows, result.total


def conditions_for(noun: Noun, query: ListQuery) -> list[Condition]:
    conditions = []
    for name, value in query.model_dump(exclude={"limit", "offset", "sort", "q"}, exclude_none=True).items():
        field, op = noun.filters.get(name, (name, "eq"))
        conditions.append(Condition(field, op, plain(value)))
    return conditions


def sort_for(noun: Noun, sort: str | None) -> tuple[str, bool] | None:
    if sort is None:
        return None
    field = sort.removeprefix("-")
    if field not in noun.sortable:
        raise ValidationError(f"cannot sort {noun.name} by {field!r}; sortable fields: {', '.join(noun.sortable)}")
    return field, sort.startswith("-")


#: Checks of fields that name things outside the register (a cable of an optional data pack): field ->
#: a function returning None when the value exists, else the message to report.
ExternalChecks = Mapping[str, Callable[[str], str | None]]


class RecordService:
    def __init__(self, database: Any, clock: Callable[[], datetime], external_checks: ExternalChecks | None = None):
        self.database = database
        self.clock = clock
        self.external_checks = dict(external_checks or {})

    # ----- reads ---------------------------------------------------------------------------------
    def list(self, principal: Principal, noun: Noun, query: ListQuery) -> tuple[list[BaseModel], int]:
        with self.database.transaction(write=False) as tx:
            rows, total = visible_rows(
                tx,
                principal,
                noun,
                conditions_for(noun, query),
                text=(noun.text_fields, query.q) if query.q and noun.text_fields else None,
                sort=sort_for(noun, query.sort),
                limit=query.limit,
                offset=query.offset,
            )
        return [noun.public.model_validate(row) for row in rows], total

    def get(self, principal: Principal, noun: Noun, record_id: str) -> BaseModel:
        with self.database.transaction(write=False) as tx:
            return noun.public.model_validate(self._visible(tx, principal, noun, record_id))

    def _visible(self, tx: Transaction, principal: Principal, noun: Noun, record_id: str) -> dict[str, Any]:
        row = tx.get(noun.name, record_id)
        if row is None or (noun.tiered and not can_see(principal, row)):
            raise NotFoundError(f"no {noun.label} {record_id}")
        return row

    # ----- writes --------------------------------------------------------------------------------
    def _require_write(self, principal: Principal, noun: Noun) -> None:
        require_writer(principal)
        if noun.admin_writes:
            require_admin(principal, f"change {noun.name}")

    def _owner(self, principal: Principal, noun: Noun, values: dict[str, Any]) -> None:
        if not noun.tiered:
            return
        wanted = values.get("owner_org_id")
        if principal.is_admin:
            values["owner_org_id"] = wanted or principal.organisation_id
            if values["owner_org_id"] is None:
                raise ValidationError("owner_org_id is required: name the organisation that owns the record")
        elif wanted not in (None, principal.organisation_id):
            raise PermissionDeniedError("editors create and keep records owned by their own organisation")
        else:
            values["owner_org_id"] = principal.organisation_id

    def check_references(
        self, tx: Transaction, principal: Principal, noun: Noun, values: dict[str, Any], changed: set[str]
    ) -> None:
        for field, target_name in noun.references.items():
            if field in changed and values.get(field) is not None:
                target = BY_NAME[target_name]
                row = tx.get(target.name, values[field])
                if row is None or (target.tiered and not can_see(principal, row)):
                    raise ValidationError(f"{field}: no {target.label} {values[field]}")
        for field, check in self.external_checks.items():
            if field in changed and values.get(field) is not None:
                problem = check(values[field])
                if problem:
                    raise ValidationError(f"{field}: {problem}")
        org_lists = dict(noun.list_references)
        if noun.tiered:
            org_lists["shared_with"] = "organisations"
            org_lists["owner_org_id"] = "organisations"
        for field, target_name in org_lists.items():
            if field in changed and values.get(field):
                wanted = values[field] if isinstance(values[field], list) else [values[field]]
                missing = set(wanted) - tx.existing_ids(target_name, wanted)
                if missing:
                    raise ValidationError(f"{field}: no {target_name} {', '.join(sorted(missing))}")

    def check_parents(
        self, tx: Transaction, principal: Principal, noun: Noun, values: dict[str, Any], changed: set[str]
    ) -> None:
        """A child record (a milestone, a meeting's decision, a project's Point of Contact) is part of its
        parent: only those who may change the parent may add one to it or move one onto it, and the child is
        owned by the parent's organisation, so the parent's editors can change and delete it and nobody else
        can. Checked when the parent field or the owner changes (references already exist and are visible)."""
        for field in noun.parents:
            if values.get(field) is None or not ({field, "owner_org_id"} & changed):
                continue
            target = BY_NAME[noun.references[field]]
            parent = tx.get(target.name, values[field])
            if parent is None:
                continue  # check_references reports it
            if not can_change(principal, parent):
                raise PermissionDeniedError(
                    f"{field}: {target.label} {values[field]} belongs to another organisation; only its editors "
                    f"may add a {noun.label} to it")
            if values.get("owner_org_id") != parent["owner_org_id"]:
                raise ValidationError(
                    f"owner_org_id: a {noun.label} is owned by its {target.label}'s organisation "
                    f"({parent['owner_org_id']}); leave owner_org_id out or give that one")

    def _parent_owner(self, tx: Transaction, noun: Noun, values: dict[str, Any]) -> str | None:
        for field in noun.parents:
            if values.get(field) is not None:
                parent = tx.get(noun.references[field], values[field])
                if parent is not None:
                    return parent["owner_org_id"]
        return None

    def _validated(self, noun: Noun, values: dict[str, Any]) -> dict[str, Any]:
        try:
            model = noun.create.model_validate(values)
        except pydantic.ValidationError as error:
            raise input_error(error) from None
        record = plain(model.model_dump())
        if noun.check is not None:
            noun.check(record)
        return record

    def _inherit_visibility(self, tx: Transaction, noun: Noun, values: dict[str, Any]) -> None:
        """A record created without a tier takes its parent's (a milestone its project's, a decision its
        meeting's), so children are not more open than their parent by accident; without a parent it
        keeps the safe default (shared with nobody)."""
        for field, target_name in noun.references.items():
            if BY_NAME[target_name].tiered and values.get(field):
                parent = tx.get(target_name, values[field])
                if parent is not None:
                    values["tier"], values["shared_with"] = parent["tier"], list(parent["shared_with"])
                return

    def create(self, principal: Principal, noun: Noun, data: BaseModel) -> BaseModel:
        self._require_write(principal, noun)
        values = plain(data.model_dump())
        now = self.clock()
        with self.database.transaction() as tx:
            if principal.is_admin and noun.parents and values.get("owner_org_id") is None:
                values["owner_org_id"] = self._parent_owner(tx, noun, values)  # an admin adds to the parent's
            self._owner(principal, noun, values)
            if noun.tiered and not {"tier", "shared_with"} & data.model_fields_set:
                self._inherit_visibility(tx, noun, values)
            values = self._validated(noun, values)
            self.check_references(tx, principal, noun, values, set(values))
            self.check_parents(tx, principal, noun, values, set(values))
            row = {
                **values,
                "id": str(uuid.uuid4()),
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "created_by": principal.username,
                "updated_by": principal.username,
            }
            tx.insert(noun.name, row)
            public = noun.public.model_validate(row)
            record_change(
                tx, at=now, actor=principal.username, action="create", entity=noun.name, entity_id=row["id"],
                before=None, after=public.model_dump(mode="json"),
            )  # fmt: skip
        return public

    def update(
        self, principal: Principal, noun: Noun, record_id: str, patch: BaseModel, expected_version: int
    ) -> BaseModel:
        self._require_write(principal, noun)
        changes = plain(patch.model_dump(exclude_unset=True))
        now = self.clock()
        with self.database.transaction() as tx:
            current = self._visible(tx, principal, noun, record_id)
            if not can_change(principal, current):
                raise PermissionDeniedError(f"{principal.username!r} may not change {noun.label} {record_id}")
            if current["version"] != expected_version:
                raise ConflictError(
                    f"{noun.label} {record_id} is at version {current['version']}, not {expected_version}: "
                    "fetch it again and reapply the change"
                )
            if changes.get("owner_org_id", "") is None:
                del changes["owner_org_id"]  # null means "keep the owner"
            moved = noun.tiered and changes.get("owner_org_id", current.get("owner_org_id")) != current.get("owner_org_id")
            if moved and not principal.is_admin:
                raise PermissionDeniedError("only an admin may move a record to another organisation")
            merged = {field: current[field] for field in noun.input_fields} | changes
            values = self._validated(noun, merged)
            changed = {field for field in noun.input_fields if values[field] != current[field]}
            self.check_references(tx, principal, noun, values, changed)
            self.check_parents(tx, principal, noun, values, changed)
            update = {field: values[field] for field in noun.input_fields}
            update |= {"updated_at": now, "updated_by": principal.username}
            if not tx.update(noun.name, record_id, expected_version, update):
                raise ConflictError(f"{noun.label} {record_id} was changed by someone else; fetch it again")
            after = noun.public.model_validate({**current, **update, "version": expected_version + 1})
            before = noun.public.model_validate(current)
            record_change(
                tx, at=now, actor=principal.username, action="update", entity=noun.name, entity_id=record_id,
                before=before.model_dump(mode="json"), after=after.model_dump(mode="json"),
            )  # fmt: skip
        return after

    def delete(self, principal: Principal, noun: Noun, record_id: str, expected_version: int) -> None:
        self._require_write(principal, noun)
        now = self.clock()
        with self.database.transaction() as tx:
            current = self._visible(tx, principal, noun, record_id)
            if not can_change(principal, current):
                raise PermissionDeniedError(f"{principal.username!r} may not delete {noun.label} {record_id}")
            if current["version"] != expected_version or not tx.delete(noun.name, record_id, expected_version):
                raise ConflictError(f"{noun.label} {record_id} is at version {current['version']}, not {expected_version}")
            record_change(
                tx, at=now, actor=principal.username, action="delete", entity=noun.name, entity_id=record_id,
                before=noun.public.model_validate(current).model_dump(mode="json"), after=None,
            )  # fmt: skip
