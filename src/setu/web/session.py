"""Browser sessions for the register pages: the API's bearer token, kept in an HttpOnly cookie.

Logging in through the page calls the same ``AccountService.login`` as ``POST /api/auth/token``; every
register page turns the cookie back into a ``Principal`` with ``AccountService.principal``, so expiry,
revocation and the visibility tiers are the register service's, exactly as for the API. The cookie is
``SameSite=Strict`` (no cross-site form can use it) and ``HttpOnly`` (scripts cannot read it).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse

from setu.errors import LoginRequired, PermissionDeniedError
from setu.register.visibility import Principal

COOKIE = "setu_session"


def principal_or_none(request: Request) -> Principal | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return request.app.state.register.accounts.principal(token)
    except PermissionDeniedError:  # expired or revoked: treat as signed out
        return None


def require_principal(request: Request) -> Principal:
    principal = principal_or_none(request)
    if principal is None:
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return principal


def to_login(error: LoginRequired) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(error.next_path, safe='/')}", status_code=303)


def safe_next(path: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/register"
    return path
