"""The JCM's operations as pages: transfer, cancel and retire units; issue and allocate a notification's credits.

The forms are built by the register's form machinery (``record_forms``) from the very request models the API
takes (``TransferRequest``, ``CancellationRequest``, ``RetirementRequest``), and the page calls the same
``JcmService`` methods, so the rules are the service's: it decides who may move what, and a page only chooses
which forms to offer (none to a viewer; the accounts a caller's JCM role or organisation may move from). A
failed form comes back with everything typed and the service's refusal beside the field it is about; nothing
is written. A success goes (303) to the operation's movements on ``/jcm/transactions``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pydantic
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from setu.errors import ConflictError, NotFoundError, PermissionDeniedError, SetuError
from setu.jcm.model import AccountKind, CancellationRequest, RetirementRequest, TransferRequest
from setu.register.fields import RequiredLongText, Role, Strict
from setu.register.visibility import Principal
from setu.web.pages import render
from setu.web.record_forms import FormField, FormState, blank_raw, form_fields, parse_submission
from setu.web.session import require_principal

router = APIRouter(include_in_schema=False)

LABELS = {"source": "From account", "target": "To account", "serial_start": "First serial (optional)",
          "vintage": "Vintage", "quantity": "Quantity (tCO2e)", "purpose": "Purpose", "reason": "Reason"}  # fmt: skip
HELP = {"serial_start": "Leave empty to take the oldest serials first.",
        "reason": "Kept in the ledger and the audit log with your name."}  # fmt: skip
#: field order of every units form
ORDER = ("project", "vintage", "quantity", "serial_start", "source", "target", "purpose", "reason")


@dataclass(frozen=True)
class UnitsOperation:
    """One kind of units form: its request model, the service method, and the kinds of account it goes to."""

    name: str
    title: str
    model: type[pydantic.BaseModel]
    method: str
    targets: tuple[AccountKind, ...]


OPERATIONS = {
    op.name: op for op in (
        UnitsOperation("transfer", "Transfer units", TransferRequest, "transfer",
                       (AccountKind.GOVERNMENT_HOLDING, AccountKind.ENTITY_HOLDING)),
        UnitsOperation("cancel", "Cancel units", CancellationRequest, "cancel", (AccountKind.CANCELLATION,)),
        UnitsOperation("retire", "Retire units", RetirementRequest, "retire", (AccountKind.RETIREMENT,)),
    )
}  # fmt: skip


class CycleForm(Strict):
    """Which notification's credits to issue or allocate: the project's monitoring period, and why."""

    period_start: str
    reason: RequiredLongText


def _jcm(request: Request) -> Any:
    return request.app.state.register.jcm


def movable_accounts(jcm: Any, principal: Principal) -> list[dict[str, Any]]:
    """The accounts the caller may move units out of, as the service decides it (``JcmService._may_move``): an
    entity account of the caller's organisation (not as a viewer), any other account of a registry the caller
    administers. Cancellation and retirement accounts are never a source: their units never move again."""
    if principal.role is Role.VIEWER:
        return []
    roles = jcm.roles_of(principal)
    closed = (AccountKind.CANCELLATION.value, AccountKind.RETIREMENT.value)
    return [a for a in jcm.records("accounts") if a["kind"] not in closed and (
        a["holder_org_id"] == principal.organisation_id and principal.organisation_id is not None
        if a["kind"] == AccountKind.ENTITY_HOLDING.value else a["registry"] in roles.registry_admin_of)]


def units_fields(jcm: Any, principal: Principal, operation: UnitsOperation) -> tuple[FormField, ...]:
    """The form of one operation from its request model, with the project and accounts to choose from."""
    accounts = jcm.records("accounts")
    choices = {
        "project": tuple(p["reference"] for p in jcm.records("projects")),
        "source": tuple(a["number"] for a in movable_accounts(jcm, principal)),
        "target": tuple(a["number"] for a in accounts if a["kind"] in {k.value for k in operation.targets}),
    }
    fields = {f.name: f for f in form_fields(operation.model, {}, {})}
    shaped = {name: replace(f, label=LABELS.get(name, f.label), help=HELP.get(name, f.help),
                            **({"widget": "select", "choices": choices[name]} if name in choices else {}))
              for name, f in fields.items()}  # fmt: skip
    return tuple(shaped[name] for name in ORDER if name in shaped)


def units_forms(request: Request, principal: Principal, project: str | None = None) -> list[dict[str, Any]]:
    """The units forms to offer this caller (none when it may move nothing), the project chosen when given."""
    jcm = _jcm(request)
    if not movable_accounts(jcm, principal):
        return []
    forms = []
    for operation in OPERATIONS.values():
        fields = units_fields(jcm, principal, operation)
        raw = blank_raw(fields) | ({"project": project} if project else {})
        forms.append({"operation": operation, "fields": fields, "state": FormState(raw=raw)})
    return forms


def field_of_refusal(message: str, raw: dict[str, Any]) -> str | None:
    """The form field a service refusal is about (shown beside it), or None (shown for the whole form)."""
    text = message.lower()
    for name in ("target", "source"):
        value = str(raw.get(name, "")).lower()
        if value and (f"account {value}" in text or f"account {value!r}" in text):
            return "source" if "holder" in text or "move units" in text else name
    if "holding accounts" in text or "registry that holds them" in text:
        return "target"
    if "jcm project" in text:
        return "project"
    if "serials" in text and raw.get("serial_start"):
        return "serial_start"
    if "units of this project and vintage" in text or "quantity" in text:
        return "quantity"
    return None


def _operation_page(request: Request, principal: Principal, operation: UnitsOperation, state: FormState,
                    status_code: int = 200) -> HTMLResponse:
    fields = units_fields(_jcm(request), principal, operation)
    return render(request, "jcm_operation.html", status_code=status_code,
                  forms=[{"operation": operation, "fields": fields, "state": state}],
                  title=f"JCM: {operation.title.lower()}")  # fmt: skip


@router.get("/jcm/operations/{name}", response_class=HTMLResponse)
def operation_form(request: Request, name: str, project: str | None = None) -> HTMLResponse:
    principal = require_principal(request)
    operation = _known(name)
    if not movable_accounts(_jcm(request), principal):
        return _refused(request)
    fields = units_fields(_jcm(request), principal, operation)
    raw = blank_raw(fields) | ({"project": project[:64]} if project else {})
    return _operation_page(request, principal, operation, FormState(raw=raw))


@router.post("/jcm/operations/{name}", response_class=HTMLResponse)
async def operate(request: Request, name: str) -> Response:
    principal = require_principal(request)
    operation = _known(name)
    fields = units_fields(_jcm(request), principal, operation)
    state, _values, data = parse_submission(operation.model, fields, await request.form())
    if data is not None:
        try:
            done = getattr(_jcm(request), operation.method)(principal, data)
            return RedirectResponse(f"/jcm/transactions?operation={done.operation_id}", status_code=303)
        except SetuError as error:
            where = field_of_refusal(str(error), state.raw)
            if where is None:
                state.error = str(error)
            else:
                state.errors[where] = str(error)
            return _operation_page(request, principal, operation, state, status_code=status_of(error))
    return _operation_page(request, principal, operation, state, status_code=422)


def status_of(error: SetuError) -> int:
    """403 for a refusal of who is asking, 409 for a lost race, 422 for a request the ledger cannot take."""
    return 403 if isinstance(error, PermissionDeniedError) else 409 if isinstance(error, ConflictError) else 422


def _known(name: str) -> UnitsOperation:
    if name not in OPERATIONS:
        raise NotFoundError(f"no JCM operation {name!r} (operations: {', '.join(OPERATIONS)})")
    return OPERATIONS[name]


def _refused(request: Request) -> HTMLResponse:
    return render(request, "error.html", status_code=403, title="Not allowed",
                  message="You may not do this: your account holds no JCM account it may move units from.")


# ----- issue and allocate (the host registry's administrator) ---------------------------------------------------
def may_run_cycle(jcm: Any, principal: Principal, project: dict[str, Any]) -> bool:
    return principal.role is not Role.VIEWER and project["host_party"] in jcm.roles_of(principal).registry_admin_of


def cycle_fields(periods: list[dict[str, Any]]) -> tuple[FormField, ...]:
    fields = {f.name: f for f in form_fields(CycleForm, {}, {})}
    return (replace(fields["period_start"], label="Monitoring period starting", widget="select",
                    choices=tuple(p["period_start"] for p in periods)),
            replace(fields["reason"], label="Reason", help=HELP["reason"]))  # fmt: skip


async def cycle_step(request: Request, reference: str, step: str) -> tuple[FormState, Response | int]:
    """Issue or allocate per the form: (state, the redirect to its movements), or the failed form's state and the
    status to show it with."""
    principal = require_principal(request)
    jcm = _jcm(request)
    project = next((p for p in jcm.records("projects") if p["reference"] == reference), None)
    periods = [p for p in jcm.records("monitoring_periods") if project and p["project_id"] == project["id"]]
    state, _values, data = parse_submission(CycleForm, cycle_fields(periods), await request.form())
    if data is None:
        return state, 422
    try:
        start = date.fromisoformat(data.period_start)
    except ValueError:
        state.errors["period_start"] = f"not a date: {data.period_start!r}"
        return state, 422
    try:
        done = getattr(jcm, step)(principal, reference, start, data.reason)
    except SetuError as error:
        state.error = str(error)
        return state, status_of(error)
    return state, RedirectResponse(f"/jcm/transactions?operation={done.operation_id}", status_code=303)


__all__ = ["OPERATIONS", "cycle_fields", "cycle_step", "may_run_cycle", "movable_accounts", "router", "units_forms"]
