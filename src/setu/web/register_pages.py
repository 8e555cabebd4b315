"""The register's own pages: log in and out, the signed-in home (what is overdue and what falls due this week),
the first-run set-up of a fresh register, and accounts.

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

from setu.errors import SetuError
from setu.register.accounts import AccountCreate, Credentials, validated
from setu.register.fields import Role
from setu.web.pages import render
from setu.web.record_forms import FormState, blank_raw, form_fields, parse_submission, record_service_error
from setu.web.record_names import RecordNames
from setu.web.session import COOKIE, require_principal, safe_next

router = APIRouter(include_in_schema=False)
SIDES = (("JPN", "Japan"), ("IND", "India"))
ACCOUNT_FIELDS = form_fields(AccountCreate, {"organisation_id": "organisations"}, {})
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


__all__ = ["router"]
