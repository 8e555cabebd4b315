"""Account management (admins), and changing one's own password."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from setu.api.deps import PrincipalDep, RegisterDep, VersionDep, set_etag
from setu.register.accounts import AccountCreate, AccountPublic, AccountUpdate
from setu.register.fields import RecordId

router = APIRouter(prefix="/accounts", tags=["accounts"])
AccountPath = Annotated[RecordId, Path(description="the account's id")]


@router.get("", response_model=list[AccountPublic], operation_id="list_accounts")
def list_accounts(principal: PrincipalDep, register: RegisterDep) -> list[AccountPublic]:
    return register.accounts.list(principal)


@router.post("", response_model=AccountPublic, status_code=201, operation_id="create_account")
def create_account(body: AccountCreate, response: Response, principal: PrincipalDep, register: RegisterDep) -> AccountPublic:
    account = register.accounts.create(principal, body)
    set_etag(response, account.version)
    return account


@router.get("/{account_id}", response_model=AccountPublic, operation_id="get_account")
def get_account(account_id: AccountPath, response: Response, principal: PrincipalDep, register: RegisterDep) -> AccountPublic:
    account = register.accounts.get(principal, account_id)
    set_etag(response, account.version)
    return account


@router.patch("/{account_id}", response_model=AccountPublic, operation_id="update_account")
def update_account(
    account_id: AccountPath,
    body: AccountUpdate,
    version: VersionDep,
    response: Response,
    principal: PrincipalDep,
    register: RegisterDep,
) -> AccountPublic:
    account = register.accounts.update(principal, account_id, body, version)
    set_etag(response, account.version)
    return account
