"""Setu's exception tree mapped to HTTP statuses, in one place, and the bodies that say what went wrong.

A 422 has the body the OpenAPI document declares for it, FastAPI's ``HTTPValidationError``:
``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`` — the same whether FastAPI refused a parameter
or Setu refused a value (``loc`` names the field where Setu knows it). Every other error is
``{"detail": "..."}`` (the ``Error`` schema, see :mod:`setu.api.openapi`).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from setu.errors import (
    AuthenticationError,
    CatalogError,
    ConflictError,
    DataFormatError,
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
    return JSONResponse({"detail": validation_detail(error) if status == 422 else str(error)}, status_code=status,
                        headers=headers)


def validation_detail(error: SetuError) -> list[dict[str, object]]:
    """Setu's input error as FastAPI's list of validation errors (one item)."""
    field = getattr(error, "field", None)
    location: list[object] = [] if field is None else [field]
    if isinstance(error, DataFormatError):
        location = [error.file, *([] if error.line is None else [error.line]), *location]
    kind = "data_format" if isinstance(error, DataFormatError) else "value_error"
    return [{"loc": location, "msg": str(error), "type": kind}]


def install(app: FastAPI) -> None:
    app.add_exception_handler(SetuError, setu_error)
