"""The JCM's pages: projects, one project's cycle, holdings, transactions and the AEF report.

Each page reads through the JCM service for the signed-in account (as the API does), links its JSON twin under
``/api/jcm`` (a bearer token's) and offers its CSV at ``/jcm/<page>.csv`` for the signed-in browser. Every page that shows illustrative records says so at the top.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from setu.errors import NotFoundError, SetuError
from setu.web import jcm_forms
from setu.web.pages import render
from setu.web.record_forms import FormState
from setu.web.session import require_principal

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: an AEF file of one Party and year is a few hundred rows (tens of KiB); the page refuses more than this
MAX_AEF_UPLOAD = 512 * 1024


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
    return _project_page(request, reference)


def _project_page(request: Request, reference: str, cycle: FormState | None = None, status_code: int = 200) -> HTMLResponse:
    principal = require_principal(request)
    jcm = _jcm(request)
    found = [p for p in jcm.records("projects") if p["reference"] == reference]
    if not found:
        raise NotFoundError(f"no JCM project {reference!r}")
    row = found[0]
    periods = [p for p in jcm.records("monitoring_periods") if p["project_id"] == row["id"]]
    notices = {n["monitoring_period_id"]: n for n in jcm.records("notices")}
    authorisations = [a for a in jcm.records("authorisations") if a["project_id"] == row["id"]]
    holdings = [h for h in jcm.holdings() if h["project"] == reference]
    notified = [p for p in periods if p["id"] in notices]
    offer_cycle = bool(notified) and jcm_forms.may_run_cycle(jcm, principal, row)
    return render(request, "jcm_project.html", status_code=status_code, project=row, periods=periods, notices=notices,
                  authorisations=authorisations, holdings=holdings, illustrative=row["illustrative"],
                  cycle_fields=jcm_forms.cycle_fields(notified) if offer_cycle else (),
                  cycle=cycle or FormState(raw={"period_start": notified[-1]["period_start"] if notified else ""}),
                  forms=jcm_forms.units_forms(request, principal, reference), title=f"JCM project {reference}")  # fmt: skip


@router.post("/jcm/projects/{reference}/{step}", response_class=HTMLResponse)
async def cycle_step(request: Request, reference: str, step: Annotated[str, Path(pattern=r"^(issue|allocate)$")]) -> Response:
    state, done = await jcm_forms.cycle_step(request, reference, step)
    if isinstance(done, Response):
        return done
    return _project_page(request, reference, state, status_code=done)


@router.get("/jcm/holdings", response_class=HTMLResponse)
def holdings(request: Request) -> HTMLResponse:
    principal = require_principal(request)
    rows = _jcm(request).holdings()
    totals: dict[tuple[str, str], int] = {}
    for row in rows:
        totals[(row["registry"], row["account_kind"])] = totals.get((row["registry"], row["account_kind"]), 0) + row["tco2e"]
    return render(request, "jcm_holdings.html", holdings=rows, totals=sorted(totals.items()),
                  forms=jcm_forms.units_forms(request, principal), illustrative=_illustrative(rows),
                  title="JCM: holdings")  # fmt: skip


@router.get("/jcm/transactions", response_class=HTMLResponse)
def transactions(
    request: Request,
    registry: Annotated[str | None, Query(pattern=r"^(JPN|IND)$")] = None,
    year: Annotated[int | None, Query(ge=2013, le=2100)] = None,
    operation: Annotated[str | None, Query(pattern=r"^[0-9a-f-]{36}$")] = None,
) -> HTMLResponse:  # fmt: skip
    require_principal(request)
    jcm = _jcm(request)
    movements = [m for m in jcm.movements(registry=registry, year=year) if operation in (None, m.operation_id)]
    illustrative_projects = {p["reference"] for p in jcm.records("projects") if p["illustrative"]}
    query = urlencode({k: v for k, v in (("registry", registry), ("year", year)) if v is not None})
    return render(request, "jcm_transactions.html", movements=movements, registry=registry, year=year, operation=operation,
                  query=query, illustrative=any(m.project in illustrative_projects for m in movements),
                  title="JCM: transactions")  # fmt: skip


@router.get("/jcm/aef", response_class=HTMLResponse)
def aef(
    request: Request,
    party: Annotated[str, Query(pattern=r"^(JPN|IND)$")] = "JPN",
    year: Annotated[int | None, Query(ge=2013, le=2100)] = None,
) -> HTMLResponse:  # fmt: skip
    return _aef_page(request, party, year or date.today().year)


def _aef_page(request: Request, party: str, year: int, check: dict[str, Any] | None = None,
              status_code: int = 200) -> HTMLResponse:  # fmt: skip
    require_principal(request)
    from setu.jcm.aef import NOTE, TABLES

    report = _jcm(request).aef(party, year)
    return render(request, "jcm_aef.html", status_code=status_code, report=report, columns=TABLES, note=NOTE,
                  party=party, year=year, check=check, max_upload=MAX_AEF_UPLOAD, illustrative=report.illustrative,
                  title=f"JCM: AEF {party} {year}")  # fmt: skip


def _csv(rows: list[dict[str, Any]], name: str) -> Response:
    from setu.jcm.export import rows_csv

    return Response(rows_csv(rows), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="jcm-{name}.csv"'})  # fmt: skip


@router.get("/jcm/projects.csv")
def projects_csv(request: Request) -> Response:
    """The projects table as CSV, the same rows as ``GET /api/jcm/projects``."""
    require_principal(request)
    return _csv(_jcm(request).records("projects"), "projects")


@router.get("/jcm/holdings.csv")
def holdings_csv(request: Request) -> Response:
    """Every block and its account, the same rows as ``GET /api/jcm/ledger/holdings``."""
    require_principal(request)
    return _csv(_jcm(request).holdings(), "holdings")


@router.get("/jcm/transactions.csv")
def transactions_csv(
    request: Request,
    registry: Annotated[str | None, Query(pattern=r"^(JPN|IND)$")] = None,
    year: Annotated[int | None, Query(ge=2013, le=2100)] = None,
) -> Response:  # fmt: skip
    """The movements the transactions page shows, the same rows as ``GET /api/jcm/ledger/transactions``."""
    require_principal(request)
    rows = [m.model_dump(mode="json") for m in _jcm(request).movements(registry=registry, year=year)]
    return _csv(rows, "transactions")


@router.get("/jcm/aef/{party}/{year}.csv")
def aef_csv(request: Request, party: Annotated[str, Path(pattern=r"^(JPN|IND)$")],
            year: Annotated[int, Path(ge=2013, le=2100)]) -> Response:  # fmt: skip
    """The five AEF tables stacked, as ``GET /api/jcm/aef/{party}/{year}?format=csv``."""
    require_principal(request)
    from setu.sources.aef import to_csv

    return Response(to_csv(_jcm(request).aef(party, year).tables, party, year), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="aef-{party}-{year}.csv"'})  # fmt: skip


@router.get("/jcm/aef/{party}/{year}.xlsx")
def aef_workbook(request: Request, party: Annotated[str, Path(pattern=r"^(JPN|IND)$")],
                 year: Annotated[int, Path(ge=2013, le=2100)]) -> Response:  # fmt: skip
    """The AEF workbook for a signed-in browser (the API's ``?format=xlsx`` answers a bearer token)."""
    require_principal(request)
    from setu.sources.aef import xlsx_bytes

    return Response(xlsx_bytes(_jcm(request).aef(party, year).tables, party, year), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="aef-{party}-{year}.xlsx"'})  # fmt: skip


@router.post("/jcm/aef/check", response_class=HTMLResponse)
async def aef_check(request: Request) -> HTMLResponse:
    """Check an uploaded AEF workbook or CSV against the ledger: the Party, year and date are the file's own."""
    require_principal(request)
    from setu.sources.aef import read_upload

    form = await request.form()
    upload = form.get("file")
    party, year = str(form.get("party", "JPN"))[:3], date.today().year
    party = party if party in ("JPN", "IND") else "JPN"
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _aef_page(request, party, year, {"error": "choose an AEF workbook (.xlsx) or CSV file"}, 422)
    name = upload.filename[:120]
    content = await upload.read(MAX_AEF_UPLOAD + 1)
    if len(content) > MAX_AEF_UPLOAD:
        return _aef_page(request, party, year, {"name": name, "error": f"the file is larger than {MAX_AEF_UPLOAD:,} bytes"}, 413)
    try:
        tables = read_upload(content, name)
        expected, problems = _jcm(request).check_aef(tables)
    except SetuError as error:
        return _aef_page(request, party, year, {"name": name, "error": str(error)}, 422)
    return _aef_page(request, expected.party, expected.year, {"name": name, "problems": problems})
