"""The JCM's pages: projects, one project's cycle, holdings, transactions and the AEF report.

Each page reads through the JCM service for the signed-in account (as the API does) and links its JSON twin
and its CSV under ``/api/jcm``. Every page that shows illustrative records says so at the top.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from setu.errors import NotFoundError
from setu.web.pages import render
from setu.web.session import require_principal

router = APIRouter(include_in_schema=False)


def _jcm(request: Request) -> Any:
    return request.app.state.register.jcm


def _illustrative(rows: list[dict[str, Any]]) -> bool:
    return any(row.get("illustrative") for row in rows)


@router.get("/jcm", response_class=HTMLResponse)
def projects(request: Request) -> HTMLResponse:
    require_principal(request)
    jcm = _jcm(request)
    rows = jcm.records("projects")
    methodologies = {m["id"]: f"{m['code']} v{m['version']}" for m in jcm.records("methodologies")}
    return render(request, "jcm_projects.html", projects=rows, methodologies=methodologies,
                  illustrative=_illustrative(rows), title="JCM: projects")  # fmt: skip


@router.get("/jcm/projects/{reference}", response_class=HTMLResponse)
def project(request: Request, reference: str) -> HTMLResponse:
    require_principal(request)
    jcm = _jcm(request)
    found = [p for p in jcm.records("projects") if p["reference"] == reference]
    if not found:
        raise NotFoundError(f"no JCM project {reference!r}")
    row = found[0]
    periods = [p for p in jcm.records("monitoring_periods") if p["project_id"] == row["id"]]
    notices = {n["monitoring_period_id"]: n for n in jcm.records("notices")}
    authorisations = [a for a in jcm.records("authorisations") if a["project_id"] == row["id"]]
    holdings = [h for h in jcm.holdings() if h["project"] == reference]
    return render(request, "jcm_project.html", project=row, periods=periods, notices=notices,
                  authorisations=authorisations, holdings=holdings, illustrative=row["illustrative"],
                  title=f"JCM project {reference}")  # fmt: skip


@router.get("/jcm/holdings", response_class=HTMLResponse)
def holdings(request: Request) -> HTMLResponse:
    require_principal(request)
    rows = _jcm(request).holdings()
    totals: dict[tuple[str, str], int] = {}
    for row in rows:
        totals[(row["registry"], row["account_kind"])] = totals.get((row["registry"], row["account_kind"]), 0) + row["tco2e"]
    return render(request, "jcm_holdings.html", holdings=rows, totals=sorted(totals.items()),
                  illustrative=_illustrative(rows), title="JCM: holdings")  # fmt: skip


@router.get("/jcm/transactions", response_class=HTMLResponse)
def transactions(
    request: Request,
    registry: Annotated[str | None, Query(pattern=r"^(JPN|IND)$")] = None,
    year: Annotated[int | None, Query(ge=2013, le=2100)] = None,
) -> HTMLResponse:  # fmt: skip
    require_principal(request)
    jcm = _jcm(request)
    movements = jcm.movements(registry=registry, year=year)
    illustrative_projects = {p["reference"] for p in jcm.records("projects") if p["illustrative"]}
    query = urlencode({k: v for k, v in (("registry", registry), ("year", year)) if v is not None})
    return render(request, "jcm_transactions.html", movements=movements, registry=registry, year=year,
                  query=query, illustrative=any(m.project in illustrative_projects for m in movements),
                  title="JCM: transactions")  # fmt: skip


@router.get("/jcm/aef", response_class=HTMLResponse)
def aef(
    request: Request,
    party: Annotated[str, Query(pattern=r"^(JPN|IND)$")] = "JPN",
    year: Annotated[int | None, Query(ge=2013, le=2100)] = None,
) -> HTMLResponse:  # fmt: skip
    require_principal(request)
    from setu.jcm.aef import NOTE, TABLES

    year = year or date.today().year
    report = _jcm(request).aef(party, year)
    return render(request, "jcm_aef.html", report=report, columns=TABLES, note=NOTE, party=party, year=year,
                  illustrative=report.illustrative, title=f"JCM: AEF {party} {year}")  # fmt: skip
