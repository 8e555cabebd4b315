"""List, detail, create, edit and archive pages for every kind of register record, from one set of routes.

``/register/<kind>`` lists, ``/register/<kind>/new`` creates, ``/register/<kind>/<id>`` shows a record with its
linked records (a project's milestones and Points of Contact, a dialogue's meetings, a meeting's decisions
and action items) and, for admins, its history; ``…/edit`` and ``…/archive`` change it. ``<kind>`` is any noun
of :data:`setu.register.catalog.NOUNS`. Reads and writes go through ``RecordService`` with the signed-in
``Principal``: the tiers, roles, version checks (an edit is based on the version shown, as ``If-Match``) and
audit entries are the API's. Archiving a record removes it from the register like ``DELETE`` in the API; the
audit log keeps its last state. Each page shows only the actions the caller's role and tier allow, and the
service refuses the rest anyway.
"""

from __future__ import annotations

import contextlib

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from setu.errors import ConflictError, NotFoundError, SetuError
from setu.register.catalog import BY_NAME, NOUNS
from setu.register.fields import Role
from setu.register.noun import Noun
from setu.register.visibility import Principal, can_change
from setu.services.map_nodes import node_href
from setu.web.pages import render
from setu.web.record_forms import FormField, FormState, blank_raw, noun_fields, parse_submission, raw_from_record, \
    record_service_error
from setu.web.record_names import RecordNames, segment
from setu.web.session import require_principal, safe_next

router = APIRouter(include_in_schema=False)
BY_SEGMENT: dict[str, Noun] = {segment(noun.name): noun for noun in NOUNS}
TITLES = {"contacts": "Points of Contact", "action_items": "Action items"}
#: columns of each list after the record's name (the tier is always shown for tiered records)
COLUMNS = {
    "organisations": ("kind", "country"), "people": ("organisation_id", "position"),
    "projects": ("sector", "status", "owner_org_id", "links"), "milestones": ("project_id", "due_date", "completed_on"),
    "dialogues": ("kind", "owner_org_id"), "meetings": ("held_on", "location"), "decisions": ("meeting_id",),
    "action_items": ("owner_person_id", "due_date", "state"), "contacts": ("since", "until"),
}


def title_of(noun: Noun) -> str:
    return TITLES.get(noun.name, noun.name.replace("_", " ").capitalize())


def noun_of(kind: str) -> Noun:
    noun = BY_SEGMENT.get(kind)
    if noun is None:
        import difflib

        close = difflib.get_close_matches(kind, BY_SEGMENT, n=3)
        raise NotFoundError(f"no register page {kind!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    return noun


def may_create(principal: Principal, noun: Noun) -> bool:
    return principal.role is not Role.VIEWER and (principal.is_admin or not noun.admin_writes)


def may_change(principal: Principal, noun: Noun, record: dict[str, Any]) -> bool:
    return may_create(principal, noun) and (not noun.tiered or can_change(principal, record))


def shown_fields(principal: Principal, noun: Noun) -> tuple[FormField, ...]:
    """Who owns a record is not always a choice: a child record (a milestone, a Point of Contact, a meeting's
    decision) belongs to its parent's organisation, an editor's records to their organisation; only admins choose
    the owner of other records, and an admin of no organisation must (the record would have no owner otherwise)."""
    chooses_owner = principal.is_admin and not noun.parents
    return tuple(replace(f, required=principal.organisation_id is None) if f.name == "owner_org_id" else f
                 for f in noun_fields(noun) if f.name != "owner_org_id" or chooses_owner)


def children(noun: Noun) -> list[tuple[Noun, str]]:
    """(child noun, field) for every noun whose records name a record of ``noun`` and can be listed by it."""
    return [(child, field) for child in NOUNS for field, target in child.references.items()
            if target == noun.name and field in child.query.model_fields]


def display(names: RecordNames, f: FormField, value: Any) -> list[tuple[str, str | None]]:
    """(text, link) pairs showing one field's value: names for references, pages for supply-chain nodes."""
    if value is None or value == "" or value == []:
        return []
    if f.widget == "reference":
        return [(names.name(f.target or "", value), names.href(f.target or "", value))]
    if f.widget == "multi":
        return [(names.name(f.target or "", item), names.href(f.target or "", item)) for item in value]
    if f.widget == "links":
        return [(link["node_id"] + (f" ({link['vulnerability']})" if link.get("vulnerability") else ""),
                 node_href(link["node_id"])) for link in value]
    return [(str(getattr(value, "value", value)), None)]


def _context(request: Request, principal: Principal, noun: Noun, **extra: Any) -> dict[str, Any]:
    names = RecordNames(request.app.state.register.records, principal)
    return {"noun": noun, "kind": segment(noun.name), "heading": title_of(noun), "names": names,
            "display": display, "user": principal, "may_create": may_create(principal, noun),
            "api": f"/api/{segment(noun.name)}", **extra}


@router.get("/register/{kind}", response_class=HTMLResponse)
def listing(request: Request, kind: str, q: str | None = None) -> HTMLResponse:
    noun = noun_of(kind)
    principal = require_principal(request)
    query = noun.query(limit=200, q=q[:100] if q and q.strip() else None)
    items, total = request.app.state.register.records.list(principal, noun, query)
    fields = {f.name: f for f in noun_fields(noun)}
    columns = [fields[c] for c in COLUMNS.get(noun.name, ()) if c in fields]
    return render(request, "record_list.html", **_context(request, principal, noun, items=items, total=total,
                  columns=columns, q=q or "", title=f"Register: {title_of(noun)}"))


def _form_page(request: Request, principal: Principal, noun: Noun, state: FormState, *, record: Any = None,
               next_path: str = "", status_code: int = 200) -> HTMLResponse:
    action = f"/register/{segment(noun.name)}" + (f"/{record.id}" if record is not None else "")
    verb = "Edit" if record is not None else "New"
    return render(request, "record_form.html", status_code=status_code, **_context(
        request, principal, noun, fields=shown_fields(principal, noun), state=state, record=record, action=action,
        next=next_path, title=f"{verb} {noun.label}"))


@router.get("/register/{kind}/new", response_class=HTMLResponse)
def new(request: Request, kind: str) -> HTMLResponse:
    noun = noun_of(kind)
    principal = require_principal(request)
    if not may_create(principal, noun):
        return _refused(request, principal, noun)
    fields = shown_fields(principal, noun)
    raw = blank_raw(fields)  # then what the link asks for (a project's new milestone names the project)
    raw.update({f.name: request.query_params[f.name] for f in fields
                if f.name in request.query_params and f.widget != "multi"})
    return _form_page(request, principal, noun, FormState(raw=raw),
                      next_path=safe_next(request.query_params.get("next")) if "next" in request.query_params else "")


def _refused(request: Request, principal: Principal, noun: Noun) -> HTMLResponse:
    why = "viewers change nothing" if principal.role is Role.VIEWER else f"only an admin may change {noun.name}"
    return render(request, "error.html", status_code=403, message=f"You may not do this: {why}.",
                  title="Not allowed")


@router.post("/register/{kind}", response_class=HTMLResponse)
async def create(request: Request, kind: str) -> Response:
    noun = noun_of(kind)
    principal = require_principal(request)
    form = await request.form()
    state, values, data = parse_submission(noun.create, shown_fields(principal, noun), form)
    next_path = str(form.get("next", ""))
    if data is not None:
        try:
            created = request.app.state.register.records.create(principal, noun, data)
            return RedirectResponse(safe_next(next_path) if next_path else
                                    f"/register/{segment(noun.name)}/{created.id}", status_code=303)
        except SetuError as error:
            record_service_error(error, state, set(values))
    return _form_page(request, principal, noun, state, next_path=next_path, status_code=422)


def _record(request: Request, principal: Principal, noun: Noun, record_id: str) -> Any:
    return request.app.state.register.records.get(principal, noun, record_id)


@router.get("/register/{kind}/{record_id}", response_class=HTMLResponse)
def detail(request: Request, kind: str, record_id: str) -> HTMLResponse:
    noun = noun_of(kind)
    principal = require_principal(request)
    records = request.app.state.register.records
    record = _record(request, principal, noun, record_id)
    linked = []
    for child, field in children(noun):
        items, _ = records.list(principal, child, child.query(limit=200, **{field: record.id}))
        linked.append({"noun": child, "field": field, "items": items, "kind": segment(child.name),
                       "heading": title_of(child),
                       "may_create": may_create(principal, child) and may_change(principal, noun, record.model_dump())})
    if noun.name == "projects":
        linked += through_contacts(records, principal, [item for group in linked if group["noun"].name == "contacts"
                                                        for item in group["items"]])
    history = []
    if principal.is_admin:
        history, _ = request.app.state.register.audit.entries(principal, entity=noun.name, entity_id=record.id)
    return render(request, "record_detail.html", **_context(
        request, principal, noun, record=record, values=record.model_dump(), fields=noun_fields(noun),
        linked=linked, history=history, may_change=may_change(principal, noun, record.model_dump()),
        title=f"{noun.label.capitalize()}: {RecordNames(records, principal).label(noun.name, record)}"))


def through_contacts(records: Any, principal: Principal, contacts: list[Any]) -> list[dict[str, Any]]:
    """A project's links through its Points of Contact: the dialogues they are Points of Contact of, and the
    action items they own (a project names no dialogue itself: its people do)."""
    people = sorted({contact.person_id for contact in contacts})
    dialogues: dict[str, Any] = {}
    actions: dict[str, Any] = {}
    for person in people:
        roles, _ = records.list(principal, BY_NAME["contacts"], BY_NAME["contacts"].query(limit=200, person_id=person))
        for role in roles:
            if role.dialogue_id and role.dialogue_id not in dialogues:
                with contextlib.suppress(NotFoundError):  # a dialogue the caller may not read stays unnamed
                    dialogues[role.dialogue_id] = records.get(principal, BY_NAME["dialogues"], role.dialogue_id)
        owned, _ = records.list(principal, BY_NAME["action_items"],
                                BY_NAME["action_items"].query(limit=200, owner_person_id=person))
        actions.update((item.id, item) for item in owned)
    return [{"noun": BY_NAME[name], "field": "person_id", "items": list(items.values()), "kind": segment(name),
             "heading": heading, "may_create": False}
            for name, items, heading in (("dialogues", dialogues, "Dialogues of its Points of Contact"),
                                         ("action_items", actions, "Action items owned by its Points of Contact"))]


async def _posted(request: Request, kind: str, record_id: str) -> tuple[Noun, Principal, Any, Any]:
    """The noun, caller, record (as the caller may read it) and submitted form of a change."""
    noun = noun_of(kind)
    principal = require_principal(request)
    return noun, principal, _record(request, principal, noun, record_id), await request.form()


def _changeable(request: Request, kind: str, record_id: str) -> tuple[Noun, Principal, Any, HTMLResponse | None]:
    """The noun, caller and record of an edit or archive page, and the refusal to show when the caller may not
    change it (the record is not even offered to change: the service would refuse it anyway)."""
    noun = noun_of(kind)
    principal = require_principal(request)
    record = _record(request, principal, noun, record_id)
    refusal = None if may_change(principal, noun, record.model_dump()) else _refused(request, principal, noun)
    return noun, principal, record, refusal


@router.get("/register/{kind}/{record_id}/edit", response_class=HTMLResponse)
def edit(request: Request, kind: str, record_id: str) -> HTMLResponse:
    noun, principal, record, refusal = _changeable(request, kind, record_id)
    if refusal is not None:
        return refusal
    state = FormState(raw=raw_from_record(shown_fields(principal, noun), record.model_dump()))
    return _form_page(request, principal, noun, state, record=record)


@router.post("/register/{kind}/{record_id}", response_class=HTMLResponse)
async def update(request: Request, kind: str, record_id: str) -> Response:
    noun, principal, record, form = await _posted(request, kind, record_id)
    state, values, data = parse_submission(noun.create, shown_fields(principal, noun), form)
    if data is not None:
        try:
            patch = noun.update.model_validate(values)
            request.app.state.register.records.update(principal, noun, record_id, patch, _version(form))
            return RedirectResponse(f"/register/{segment(noun.name)}/{record_id}", status_code=303)
        except ConflictError as error:
            state.error = f"{error} (reload the page to see the current record; your edits are below)"
        except SetuError as error:
            record_service_error(error, state, set(values))
    return _form_page(request, principal, noun, state, record=_Shown(record, form), status_code=422)


class _Shown:
    """The record an edit form is about, at the version the user started from (kept across a failed submit)."""

    def __init__(self, record: Any, form: Any):
        self.id = record.id
        self.version = _version(form)


def _version(form: Any) -> int:
    text = str(form.get("version", ""))
    return int(text) if text.isdigit() and len(text) < 12 else 0


@router.get("/register/{kind}/{record_id}/archive", response_class=HTMLResponse)
def archive_form(request: Request, kind: str, record_id: str) -> HTMLResponse:
    noun, principal, record, refusal = _changeable(request, kind, record_id)
    if refusal is not None:
        return refusal
    return render(request, "record_archive.html", **_context(request, principal, noun, record=record, error=None,
                  title=f"Archive {noun.label}"))


@router.post("/register/{kind}/{record_id}/archive", response_class=HTMLResponse)
async def archive(request: Request, kind: str, record_id: str) -> Response:
    noun, principal, record, form = await _posted(request, kind, record_id)
    try:
        request.app.state.register.records.delete(principal, noun, record_id, _version(form))
    except SetuError as error:
        return render(request, "record_archive.html", status_code=409 if isinstance(error, ConflictError) else 422,
                      **_context(request, principal, noun, record=record, error=str(error),
                                 title=f"Archive {noun.label}"))
    return RedirectResponse(f"/register/{segment(noun.name)}", status_code=303)


__all__ = ["BY_SEGMENT", "router"]
