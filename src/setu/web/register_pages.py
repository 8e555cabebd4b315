"""The register's own pages: log in and out, the signed-in home (what is overdue and what falls due this week),
the first-run set-up of a fresh register, and accounts (an admin creates and changes them; every signed-in
person changes their own password).

Every read and write goes through the register service with the signed-in ``Principal``, so roles and
visibility tiers are enforced there, once, exactly as for the API (the JSON twins are
``/api/followup/overdue`` and ``/api/accounts``). Records themselves have their pages in
:mod:`setu.web.record_pages`.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from setu.errors import ConflictError, NotFoundError, PermissionDeniedError, SetuError
from setu.register.accounts import AccountCreate, AccountUpdate, Credentials, validated
from setu.register.fields import Role
from setu.web.pages import render
from setu.web.record_forms import (
    FormField,
    FormState,
    blank_raw,
    form_fields,
    parse_submission,
    raw_from_record,
    record_service_error,
)
from setu.web.record_names import RecordNames
from setu.web.session import COOKIE, require_principal, safe_next

router = APIRouter(include_in_schema=False)
SIDES = (("JPN", "Japan"), ("IND", "India"))
ACCOUNT_FIELDS = form_fields(AccountCreate, {"organisation_id": "organisations"}, {})
#: an admin's edit of an account: a new password (empty keeps the old one), the role, organisation and whether
#: the account may sign in; a person editing their own account sees the password only
EDIT_FIELDS = tuple(
    FormField(name="active", label="Active", widget="select", required=True, choices=("yes", "no"),
              help="an inactive account cannot sign in; deactivating ends its sessions")
    if f.name == "active" else
    FormField(name="password", label="New password", widget="password", required=False, max_length=f.max_length,
              help="at least 12 characters; leave empty to keep the current one; a new password ends every session")
    if f.name == "password" else f
    for f in form_fields(AccountUpdate, {"organisation_id": "organisations"}, {}))
OWN_FIELDS = tuple(f for f in EDIT_FIELDS if f.name == "password")
WEEK = 7


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", next=safe_next(next), error=None, title="Log in")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=256)], next: Annotated[str, Form(max_length=300)] = "/register"
          ) -> Response:
    try:
        issued = request.app.state.register.accounts.login(validated(Credentials, username=username,
                                                                     password=password))
    except SetuError as error:  # wrong credentials, or too many failed attempts: the service says which
        message = str(error)
        return render(request, "login.html", status_code=401, next=safe_next(next),
                      error=message[:1].upper() + message[1:] + ".", title="Log in")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(COOKIE, issued.access_token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", expires=issued.expires_at)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        with contextlib.suppress(SetuError):  # already expired or revoked
            request.app.state.register.accounts.logout(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def setup_steps(request: Request, principal: Any) -> list[dict[str, Any]]:
    """The first-run checklist: an organisation on each side, accounts besides the admins, a first project."""
    names = RecordNames(request.app.state.register.records, principal)
    organisations = names.choices("organisations")
    rows = names.rows("organisations")
    steps = []
    for country, side in SIDES:
        mine = [label for record_id, label in organisations if rows[record_id].country == country]
        steps.append({"id": f"side-{country}", "title": f"{side}'s side: an organisation ({country})", "done": bool(mine),
                      "have": mine, "href": f"/register/organisations/new?country={country}&next=/register/setup",
                      "action": f"Add an organisation of {side}"})
    accounts = [a for a in request.app.state.register.accounts.list(principal) if a.role is not Role.ADMIN]
    steps.append({"id": "accounts", "title": "Accounts for the officials (editors and viewers)",
                  "done": bool(accounts), "have": [f"{a.username} ({a.role.value})" for a in accounts],
                  "href": "/register/accounts/new?next=/register/setup", "action": "Create an account"})
    projects = names.rows("projects")
    steps.append({"id": "project", "title": "The first cooperation project", "done": bool(projects),
                  "have": [names.label("projects", p) for p in list(projects.values())[:3]],
                  "href": "/register/projects/new", "action": "Create a project"})
    return steps


@router.get("/register/setup", response_class=HTMLResponse)
def setup(request: Request) -> HTMLResponse:
    principal = require_principal(request)
    if not principal.is_admin:
        return render(request, "error.html", status_code=403, message="Only an admin sets up the register.",
                      title="Not allowed")
    return render(request, "setup.html", steps=setup_steps(request, principal), title="Set up the register")


@router.get("/register", response_class=HTMLResponse)
def home(request: Request) -> Response:
    principal = require_principal(request)
    register = request.app.state.register
    if principal.is_admin and not RecordNames(register.records, principal).rows("organisations"):
        return RedirectResponse("/register/setup", status_code=303)  # a fresh register: first run
    names = RecordNames(register.records, principal)
    today = date.today()
    steps = setup_steps(request, principal) if principal.is_admin else []
    return render(request, "register_home.html", groups=register.followup.overdue(principal),
                  due=register.followup.due_soon(principal, WEEK), names=names, today=today,
                  week_end=today + timedelta(days=WEEK), steps_left=[s for s in steps if not s["done"]],
                  title="Register: follow-up")


@router.get("/register/overdue")
def overdue() -> RedirectResponse:
    return RedirectResponse("/register", status_code=301)


@router.get("/register/accounts", response_class=HTMLResponse)
def accounts(request: Request) -> HTMLResponse:
    principal = require_principal(request)
    listed = request.app.state.register.accounts.list(principal)  # admins only: the service refuses others
    return render(request, "accounts.html", accounts=listed,
                  names=RecordNames(request.app.state.register.records, principal), title="Register: accounts")


def _account_form(request: Request, principal: Any, state: FormState, next_path: str,
                  status_code: int = 200) -> HTMLResponse:
    return render(request, "account_form.html", status_code=status_code, fields=ACCOUNT_FIELDS, state=state,
                  names=RecordNames(request.app.state.register.records, principal), next=next_path,
                  title="New account")


@router.get("/register/accounts/new", response_class=HTMLResponse)
def new_account(request: Request, next: str | None = None) -> HTMLResponse:
    principal = require_principal(request)
    if not principal.is_admin:
        return render(request, "error.html", status_code=403, message="Only an admin creates accounts.",
                      title="Not allowed")
    return _account_form(request, principal, FormState(raw=blank_raw(ACCOUNT_FIELDS)), safe_next(next) if next else "")


@router.post("/register/accounts", response_class=HTMLResponse)
async def create_account(request: Request) -> Response:
    principal = require_principal(request)
    form = await request.form()
    state, values, data = parse_submission(AccountCreate, ACCOUNT_FIELDS, form)
    next_path = str(form.get("next", ""))
    if data is not None:
        try:
            request.app.state.register.accounts.create(principal, data)
            return RedirectResponse(safe_next(next_path) if next_path else "/register/accounts", status_code=303)
        except SetuError as error:
            record_service_error(error, state, set(values))
    state.raw["password"] = ""  # never sent back to the browser
    return _account_form(request, principal, state, next_path, status_code=422)


def _edit_form(request: Request, principal: Any, account: Any, state: FormState, status_code: int = 200
               ) -> HTMLResponse:
    fields = EDIT_FIELDS if principal.is_admin else OWN_FIELDS
    return render(request, "account_edit.html", status_code=status_code, fields=fields, state=state, account=account,
                  names=RecordNames(request.app.state.register.records, principal),
                  title=f"Account {account.username}")


def _editable(request: Request, principal: Any, account_id: str) -> Any:
    """The account, if the signed-in person may change it: an admin any account, anyone else their own."""
    if not principal.is_admin and principal.account_id != account_id:
        raise PermissionDeniedError("only an admin changes another person's account")
    return request.app.state.register.accounts.get(principal, account_id)


def _refusal(request: Request, error: SetuError) -> HTMLResponse:
    status = 404 if isinstance(error, NotFoundError) else 403
    return render(request, "error.html", status_code=status, message=str(error),
                  title="Not found" if status == 404 else "Not allowed")


@router.get("/register/account")
def own_account(request: Request) -> RedirectResponse:
    """The signed-in person's own account page (to change their password)."""
    principal = require_principal(request)
    return RedirectResponse(f"/register/accounts/{principal.account_id}/edit", status_code=303)


@router.get("/register/accounts/{account_id}/edit", response_class=HTMLResponse)
def edit_account(request: Request, account_id: str) -> HTMLResponse:
    principal = require_principal(request)
    try:
        account = _editable(request, principal, account_id)
    except (NotFoundError, PermissionDeniedError) as error:
        return _refusal(request, error)
    raw = raw_from_record(EDIT_FIELDS, account.model_dump())
    raw.update(password="", active="yes" if account.active else "no")
    return _edit_form(request, principal, account, FormState(raw=raw))


@router.post("/register/accounts/{account_id}", response_class=HTMLResponse)
async def update_account(request: Request, account_id: str) -> Response:
    """One change of one account at the version the form was read at (a change made meanwhile is a 409 that
    keeps what was typed); a failed form changes nothing."""
    principal = require_principal(request)
    try:
        account = _editable(request, principal, account_id)
    except (NotFoundError, PermissionDeniedError) as error:
        return _refusal(request, error)
    form = await request.form()
    fields = EDIT_FIELDS if principal.is_admin else OWN_FIELDS
    state, values, data = parse_submission(AccountUpdate, fields, form)
    status = 422
    if data is not None:
        changes = {key: value for key, value in data.model_dump(exclude_unset=True).items() if value is not None}
        try:
            version = int(str(form.get("version", "")))
        except ValueError:
            state.error = "the form lost the account's version: open the account again"
        else:
            try:
                request.app.state.register.accounts.update(principal, account_id, AccountUpdate(**changes), version)
                destination = "/register/accounts" if principal.is_admin else "/register"
                return RedirectResponse(destination, status_code=303)
            except ConflictError as error:
                state.error = f"{error}: nothing was changed; reload the account to see the change"
                status = 409
            except SetuError as error:
                record_service_error(error, state, set(values))
    state.raw["password"] = ""  # never sent back to the browser
    return _edit_form(request, principal, account, state, status_code=status)


__all__ = ["router"]
