"""The register pages: log in and out, projects (list and create), Points of Contact, dialogues, action
items and the overdue view.

Every read and write goes through the register service with the signed-in ``Principal``, so roles and
visibility tiers are enforced there, once, exactly as for the API (the pages' JSON twins are
``/api/projects``, ``/api/contacts``, ``/api/dialogues``, ``/api/action-items``, ``/api/followup/overdue``).
"""

from __future__ import annotations

import contextlib

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from setu.errors import SetuError
from setu.register.accounts import Credentials, validated
from setu.register.catalog import BY_NAME
from setu.register.fields import ProjectStatus, Sector, Tier
from setu.web.pages import render
from setu.web.session import COOKIE, require_principal, safe_next

router = APIRouter(include_in_schema=False)
LISTED = {"contacts": "Points of Contact", "dialogues": "Dialogues", "action_items": "Action items"}


def _list(request: Request, noun: str, principal: Any, **filters: Any) -> list[Any]:
    kind = BY_NAME[noun]
    items, _ = request.app.state.register.records.list(principal, kind, kind.query(limit=200, **filters))
    return items


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


@router.get("/register", response_class=HTMLResponse)
def projects(request: Request) -> HTMLResponse:
    principal = require_principal(request)
    return render(request, "projects.html", projects=_list(request, "projects", principal), sectors=list(Sector),
                  statuses=list(ProjectStatus), tiers=list(Tier), people=_list(request, "people", principal),
                  error=None, today=date.today(), title="Register: projects")


def _create_project(request: Request, principal: Any, form: dict[str, str]) -> str:
    records = request.app.state.register.records
    project = records.create(principal, BY_NAME["projects"], validated(
        BY_NAME["projects"].create, title=form["title"], sector=form["sector"], status=form["status"],
        summary=form["summary"], tier=form["tier"],
        links=[{"node_id": node.strip()} for node in form["nodes"].split(",") if node.strip()]))
    if form["milestone"].strip():
        records.create(principal, BY_NAME["milestones"], validated(
            BY_NAME["milestones"].create, project_id=project.id, title=form["milestone"],
            due_date=form["due_date"] or None))
    if form["person_id"]:
        records.create(principal, BY_NAME["contacts"], validated(
            BY_NAME["contacts"].create, person_id=form["person_id"], project_id=project.id))
    return project.id


@router.post("/register/projects", response_class=HTMLResponse)
def create_project(request: Request, title: Annotated[str, Form(max_length=300)],
                   sector: Annotated[str, Form(max_length=40)], status: Annotated[str, Form(max_length=40)] = "proposed",
                   tier: Annotated[str, Form(max_length=20)] = "shared", summary: Annotated[str, Form(max_length=5000)] = "",
                   nodes: Annotated[str, Form(max_length=600)] = "", milestone: Annotated[str, Form(max_length=300)] = "",
                   due_date: Annotated[str, Form(max_length=10)] = "", person_id: Annotated[str, Form(max_length=64)] = ""
                   ) -> Response:
    principal = require_principal(request)
    form = {"title": title, "sector": sector, "status": status, "tier": tier, "summary": summary, "nodes": nodes,
            "milestone": milestone, "due_date": due_date, "person_id": person_id}
    try:
        _create_project(request, principal, form)
    except SetuError as error:
        return render(request, "projects.html", status_code=422, projects=_list(request, "projects", principal),
                      sectors=list(Sector), statuses=list(ProjectStatus), tiers=list(Tier),
                      people=_list(request, "people", principal), error=str(error), form=form, today=date.today(),
                      title="Register: projects")
    return RedirectResponse("/register", status_code=303)


@router.get("/register/overdue", response_class=HTMLResponse)
def overdue(request: Request) -> HTMLResponse:
    principal = require_principal(request)
    groups = request.app.state.register.followup.overdue(principal)
    titles = {p.id: p.title for p in _list(request, "projects", principal)}
    return render(request, "overdue.html", groups=groups, titles=titles, today=date.today(),
                  title="Register: overdue")


@router.get("/register/{noun}", response_class=HTMLResponse)
def listing(request: Request, noun: str) -> HTMLResponse:
    kind = noun.replace("-", "_")
    if kind not in LISTED:
        return render(request, "error.html", status_code=404, message=f"no register page {noun!r}", title="Not found")
    principal = require_principal(request)
    people = {p.id: p.name for p in _list(request, "people", principal)}
    projects = {p.id: p.title for p in _list(request, "projects", principal)}
    return render(request, f"register_{kind}.html", items=_list(request, kind, principal), people=people,
                  projects=projects, heading=LISTED[kind], title=f"Register: {LISTED[kind]}")
