"""Setu's exception tree mapped to HTTP statuses, in one place."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from setu.errors import (
    AuthenticationError,
    CatalogError,
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionRequired,
    SetuError,
    UnknownNameError,
)

logger = logging.getLogger("setu.api")

#: Most specific first.
STATUS: tuple[tuple[type[SetuError], int], ...] = (
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (UnknownNameError, 404),
    (NotFoundError, 404),
    (ConflictError, 412),
    (InputError, 422),
    (CatalogError, 503),
)


def status_of(error: SetuError) -> int:
    if isinstance(error, PreconditionRequired):
        return 428
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    return 500


async def setu_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SetuError)
    status = status_of(error)
    if status >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, type(error).__name__)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(SetuError, setu_error)
