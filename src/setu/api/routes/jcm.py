"""The Joint Crediting Mechanism under /api/jcm: records, the unit ledger, adjustments and the AEF report.

Reads need a signed-in account; writes are decided by the JCM's roles in ``setu.jcm.service`` (the Joint Committee
secretariat, a registry's administrator, an account holder).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Response

from setu.api.deps import PrincipalDep, RegisterDep
from setu.jcm import model
from setu.jcm.service import Operation
from setu.register.fields import RequiredLongText, Strict

router = APIRouter(prefix="/jcm", tags=["jcm"])

RecordKind = Literal["methodologies", "projects", "monitoring-periods", "notices", "accounts", "authorisations"]


class OperationPublic(Strict):
    operation_id: str
    kind: model.MovementKind
    quantity: int
    movements: list[model.Movement]


class CycleStep(Strict):
    project: model.Reference
    period_start: date
    reason: RequiredLongText


class AdjustmentPublic(Strict):
    party: str
    vintage: int
    year: int
    first_transfer_tco2e: int
    use_tco2e: int
    net_tco2e: int


Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]


def _table(rows: list[dict[str, Any]], format: str, name: str) -> Any:
    """JSON rows, or the same rows as a CSV download (lists and mappings as JSON text in their cell)."""
    if format == "json":
        return rows
    from setu.jcm.export import rows_csv

    return Response(rows_csv(rows), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="jcm-{name}.csv"'})  # fmt: skip


def _public(operation: Operation) -> OperationPublic:
    return OperationPublic(operation_id=operation.operation_id, kind=operation.kind, quantity=operation.quantity,
                           movements=operation.movements)  # fmt: skip


_CSV = {200: {"content": {"application/json": {}, "text/csv": {}}}}


@router.get("/{kind}", operation_id="jcm_records", responses=_CSV)
def records(kind: Annotated[RecordKind, Path()], principal: PrincipalDep, register: RegisterDep,
            format: Format = "json") -> Any:  # fmt: skip
    return _table(register.jcm.records(kind.replace("-", "_")), format, kind)


@router.get("/ledger/holdings", operation_id="jcm_holdings", responses=_CSV)
def holdings(
    principal: PrincipalDep, register: RegisterDep,
    at: Annotated[datetime | None, Query(description="an instant with a time zone: holdings then")] = None,
    format: Format = "json",
) -> Any:  # fmt: skip
    return _table(register.jcm.holdings(at=at), format, "holdings")


@router.get("/ledger/transactions", operation_id="jcm_transactions", responses=_CSV)
def transactions(
    principal: PrincipalDep, register: RegisterDep,
    registry: Annotated[model.Party | None, Query()] = None,
    account: Annotated[model.Reference | None, Query()] = None,
    year: Annotated[int | None, Query(ge=2013, le=2100)] = None,
    format: Format = "json",
) -> Any:  # fmt: skip
    rows = [m.model_dump(mode="json") for m in register.jcm.movements(registry=registry, account=account, year=year)]
    return _table(rows, format, "transactions")


@router.get("/ledger/adjustments", response_model=list[AdjustmentPublic], operation_id="jcm_adjustments")
def adjustments(principal: PrincipalDep, register: RegisterDep) -> list[AdjustmentPublic]:
    return [AdjustmentPublic(party=t.party, vintage=t.vintage, year=t.year, first_transfer_tco2e=t.first_transfer_tco2e,
                             use_tco2e=t.use_tco2e, net_tco2e=t.net_tco2e) for t in register.jcm.adjustments()]  # fmt: skip


@router.get("/ledger/verify", operation_id="jcm_verify")
def verify(principal: PrincipalDep, register: RegisterDep) -> dict[str, Any]:
    problems = register.jcm.verify()
    return {"consistent": not problems, "problems": problems}


@router.get("/aef/{party}/{year}", operation_id="jcm_aef",
            responses={200: {"content": {"application/json": {}, "text/csv": {},
                                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})  # fmt: skip
def aef(
    party: Annotated[model.Party, Path()], year: Annotated[int, Path(ge=2013, le=2100)],
    principal: PrincipalDep, register: RegisterDep,
    format: Annotated[Literal["json", "csv", "xlsx"],
                      Query(description="json (default), csv (the five tables stacked) or xlsx (the workbook)")] = "json",
) -> Any:  # fmt: skip
    report = register.jcm.aef(party, year)
    if format in ("csv", "xlsx"):
        from setu.sources import aef as aef_files  # the workbook's writer imports openpyxl: only when asked

        body = aef_files.to_csv(report.tables, party, year) if format == "csv" else aef_files.xlsx_bytes(report.tables, party, year)
        media = "text/csv" if format == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="aef-{party}-{year}.{format}"'})  # fmt: skip
    return {"party": party, "year": year, "illustrative": report.illustrative, "totals": report.totals(),
            "tables": report.tables}  # fmt: skip


@router.post("/aef/check", operation_id="jcm_aef_check")
def aef_check(
    principal: PrincipalDep, register: RegisterDep,
    tables: Annotated[dict[str, list[dict[str, int | str]]], Body(description="the five tables, as GET /jcm/aef returns them")],
) -> dict[str, Any]:  # fmt: skip
    expected, problems = register.jcm.check_aef(tables)
    return {"matches": not problems, "problems": problems, "totals": expected.totals()}


def _create(path: str, schema: type, method: str, summary: str) -> None:
    def create(principal: PrincipalDep, register: RegisterDep, data: Any) -> dict[str, Any]:
        return getattr(register.jcm, method)(principal, data)

    create.__annotations__["data"] = Annotated[schema, Body()]
    router.post(path, status_code=201, operation_id=f"jcm_create_{method}", summary=summary)(create)


for _path, _schema, _method, _summary in (
    ("/grants", model.GrantCreate, "grant", "Name the secretariat or a registry's administrator (register admins)"),
    ("/methodologies", model.MethodologyCreate, "add_methodology", "Record an approved methodology (secretariat)"),
    ("/projects", model.ProjectCreate, "add_project", "Register a project (secretariat)"),
    ("/monitoring-periods", model.MonitoringPeriodCreate, "add_monitoring_period", "Record verified reductions (secretariat)"),
    ("/notices", model.NoticeCreate, "add_notice", "Record a notification of issuance (secretariat)"),
    ("/accounts", model.AccountCreate, "open_account", "Open an account (that registry's administrator)"),
    ("/authorisations", model.AuthorisationCreate, "authorise", "Record the host Party's authorisation (its registry's administrator)"),
):  # fmt: skip
    _create(_path, _schema, _method, _summary)


@router.post("/issuances", status_code=201, response_model=OperationPublic, operation_id="jcm_issue")
def issue(principal: PrincipalDep, register: RegisterDep, step: Annotated[CycleStep, Body()]) -> OperationPublic:
    return _public(register.jcm.issue(principal, step.project, step.period_start, step.reason))


@router.post("/allocations", status_code=201, response_model=OperationPublic, operation_id="jcm_allocate")
def allocate(principal: PrincipalDep, register: RegisterDep, step: Annotated[CycleStep, Body()]) -> OperationPublic:
    return _public(register.jcm.allocate(principal, step.project, step.period_start, step.reason))


@router.post("/transfers", status_code=201, response_model=OperationPublic, operation_id="jcm_transfer")
def transfer(principal: PrincipalDep, register: RegisterDep, request: Annotated[model.TransferRequest, Body()]) -> OperationPublic:
    return _public(register.jcm.transfer(principal, request))


@router.post("/cancellations", status_code=201, response_model=OperationPublic, operation_id="jcm_cancel")
def cancel(principal: PrincipalDep, register: RegisterDep, request: Annotated[model.CancellationRequest, Body()]) -> OperationPublic:
    return _public(register.jcm.cancel(principal, request))


@router.post("/retirements", status_code=201, response_model=OperationPublic, operation_id="jcm_retire")
def retire(principal: PrincipalDep, register: RegisterDep, request: Annotated[model.RetirementRequest, Body()]) -> OperationPublic:
    return _public(register.jcm.retire(principal, request))
