"""Typed dependencies shared by the routes: the register, the caller, and If-Match versions."""

from typing import Annotated

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

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


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'
