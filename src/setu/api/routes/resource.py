"""A CRUD router for one noun of the register: list (filter, sort, page), read, create, update, delete.

Routes only parse, call the record service and render; permissions and tiers are the service's.
(No ``from __future__ import annotations`` here: FastAPI reads the per-noun models from the closures.)
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, create_model

from setu.api.deps import PrincipalDep, RegisterDep, VersionDep, set_etag
from setu.register.fields import RecordId
from setu.register.noun import Noun

ERRORS = {
    401: {"description": "missing, unknown or expired token"},
    403: {"description": "the caller's role may not do this"},
    404: {"description": "no such record, or not visible to the caller"},
    422: {"description": "invalid input"},
}


def page_model(public: type[BaseModel], name: str) -> type[BaseModel]:
    return create_model(name, items=(list[public], ...), total=(int, ...), limit=(int, ...), offset=(int, ...))


def record_router(noun: Noun) -> APIRouter:
    path = noun.name.replace("_", "-")
    title = "".join(part.capitalize() for part in noun.label.split())
    Public, Create, Update, Filters = noun.public, noun.create, noun.update, noun.query
    Page = page_model(Public, f"{title}Page")
    RecordPath = Annotated[RecordId, Path(description=f"the {noun.label}'s id")]
    router = APIRouter(prefix=f"/{path}", tags=[path], responses=ERRORS)

    @router.get("", response_model=Page, operation_id=f"list_{noun.name}", summary=f"List {noun.name}")
    def list_records(
        filters: Annotated[Filters, Query()], principal: PrincipalDep, register: RegisterDep
    ) -> dict[str, object]:
        items, total = register.records.list(principal, noun, filters)
        return {"items": items, "total": total, "limit": filters.limit, "offset": filters.offset}

    @router.post(
        "", response_model=Public, status_code=201, operation_id=f"create_{noun.name}", summary=f"Create a {noun.label}"
    )
    def create_record(body: Create, response: Response, principal: PrincipalDep, register: RegisterDep) -> BaseModel:
        record = register.records.create(principal, noun, body)
        set_etag(response, record.version)
        response.headers["Location"] = f"{router.prefix}/{record.id}"
        return record

    @router.get("/{record_id}", response_model=Public, operation_id=f"get_{noun.name}", summary=f"Read a {noun.label}")
    def get_record(
        record_id: RecordPath, response: Response, principal: PrincipalDep, register: RegisterDep
    ) -> BaseModel:
        record = register.records.get(principal, noun, record_id)
        set_etag(response, record.version)
        return record

    @router.patch(
        "/{record_id}",
        response_model=Public,
        operation_id=f"update_{noun.name}",
        summary=f"Change a {noun.label} (If-Match required)",
        responses={412: {"description": "the record changed since the If-Match version"}, 428: {"description": "If-Match missing"}},
    )
    def update_record(
        record_id: RecordPath,
        body: Update,
        version: VersionDep,
        response: Response,
        principal: PrincipalDep,
        register: RegisterDep,
    ) -> BaseModel:
        record = register.records.update(principal, noun, record_id, body, version)
        set_etag(response, record.version)
        return record

    @router.delete(
        "/{record_id}",
        status_code=204,
        operation_id=f"delete_{noun.name}",
        summary=f"Delete a {noun.label} (If-Match required)",
        responses={412: {"description": "the record changed since the If-Match version"}, 428: {"description": "If-Match missing"}},
    )
    def delete_record(record_id: RecordPath, version: VersionDep, principal: PrincipalDep, register: RegisterDep) -> Response:
        register.records.delete(principal, noun, record_id, version)
        return Response(status_code=204)

    return router
