"""Export (what the caller may read) and import (admins) of the whole register as JSON."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from setu.api.deps import PrincipalDep, RegisterDep

router = APIRouter(tags=["export"])
IMPORT_PATH = "/import"


@router.get("/export", operation_id="export", response_class=Response, responses={200: {"content": {"application/json": {}}}})
def export(principal: PrincipalDep, register: RegisterDep) -> Response:
    return Response(register.transfer.export_json(principal), media_type="application/json")


@router.post(IMPORT_PATH, operation_id="import_records")
def import_records(
    principal: PrincipalDep, register: RegisterDep, document: Annotated[dict[str, Any], Body()]
) -> dict[str, int]:
    records = register.transfer.parse_json(json.dumps(document), file="request body")
    return register.transfer.import_records(principal, records)
