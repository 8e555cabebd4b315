"""Log in (a bearer token for a username and password), log out, and who am I."""

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from setu.api.deps import PrincipalDep, RegisterDep, get_token
from setu.register.accounts import Credentials, IssuedToken

logger = logging.getLogger("setu.api")
router = APIRouter(prefix="/auth", tags=["auth"])


class Me(BaseModel):
    account_id: str
    username: str
    role: str
    organisation_id: str | None
    government: bool


@router.post("/token", response_model=IssuedToken, operation_id="login", responses={401: {"description": "wrong credentials"}})
def login(credentials: Credentials, register: RegisterDep) -> IssuedToken:
    try:
        issued = register.accounts.login(credentials)
    except Exception:
        logger.warning("failed login for %r", credentials.username)
        raise
    logger.info("login by %r", credentials.username)
    return issued


@router.post("/logout", status_code=204, operation_id="logout")
def logout(register: RegisterDep, token: Annotated[str, Depends(get_token)]) -> Response:
    register.accounts.logout(token)
    return Response(status_code=204)


@router.get("/me", response_model=Me, operation_id="me")
def me(principal: PrincipalDep) -> Me:
    return Me(
        account_id=principal.account_id,
        username=principal.username,
        role=principal.role.value,
        organisation_id=principal.organisation_id,
        government=principal.government,
    )
