"""Typed dependencies shared by the routes: the register, the caller, If-Match versions, ISO days and the
refusal of query parameters a route does not declare."""

import re
from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator

from setu.api.openapi import operations_at
from setu.errors import PreconditionRequired
from setu.errors import InputError
from setu.register.accounts import AuthenticationError
from setu.register.service import RegisterService
from setu.register.visibility import Principal

bearer = HTTPBearer(auto_error=False, description="a token from POST /api/auth/token")


def get_register(request: Request) -> RegisterService:
    return request.app.state.register


RegisterDep = Annotated[RegisterService, Depends(get_register)]


def get_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationError("send Authorization: Bearer <token>; get one from POST /api/auth/token")
    return credentials.credentials


def get_principal(register: RegisterDep, token: Annotated[str, Depends(get_token)]) -> Principal:
    return register.accounts.principal(token)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def expected_version(
    if_match: Annotated[
        str | None, Header(max_length=40, description='the ETag of the version being edited, e.g. "3"')
    ] = None,
) -> int:
    """The version an edit is based on, from If-Match (``"3"``, ``W/"3"`` or ``3``)."""
    if if_match is None:
        raise PreconditionRequired("send If-Match with the record's ETag (from GET) to change or delete it")
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 12:
        raise InputError(f"If-Match must be an ETag like \"3\", not {if_match!r}")
    return int(value)


VersionDep = Annotated[int, Depends(expected_version)]


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic would also read ``0`` or ``1700000000`` as a Unix time."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a day as YYYY-MM-DD")
    return value


#: A calendar day written as ISO 8601 ``YYYY-MM-DD``.
IsoDay = Annotated[date, BeforeValidator(_iso_day)]


def known_parameters(request: Request) -> None:
    """Refuse a query parameter the route does not declare (a typo would otherwise be ignored silently).

    What a route declares is read from the OpenAPI document, so the refusal and the published contract
    cannot disagree."""
    operation = operations_at(request.app, request.url.path).get(request.method.lower())
    if operation is None:  # HEAD, or a route left out of the document
        return
    declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        raise InputError(f"unknown query parameter(s) {', '.join(unknown)}; this endpoint takes: {allowed}")


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'
