"""Build Setu's REST API: ``build_api(settings)``; the served app (API and pages) is ``setu.app.create_app``.

The API is a list of routers under ``/api``; the register's come first and other capabilities add
their read-only analytics routers with ``create_app(settings, routers=[*ROUTERS, my_router])``.
The OpenAPI document is at ``/api/openapi.json`` and the docs at ``/api/docs`` (served offline:
FastAPI's Swagger page needs a CDN, so ``/api/docs`` is a plain listing generated from the spec).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import HTMLResponse

import setu
from setu.api import errors, openapi, redaction
from setu.api.deps import known_parameters
from setu.api.limits import DEFAULT_MAX_BODY, BodyLimit
from setu.api.methods import AllowedMethods
from setu.api.routes import REGISTER_ROUTERS
from setu.api.routes.transfer import IMPORT_PATH
from setu.register.service import RegisterService
from setu.services import map_nodes
from setu.services.cables import register_checks
from setu.settings import Settings

PREFIX = "/api"
ROUTERS: tuple[APIRouter, ...] = REGISTER_ROUTERS
MAX_IMPORT_BODY = 64 << 20


def external_checks(settings: Settings) -> dict[str, object]:
    """The register's checks of fields naming things outside it: cables of the installed pack, and supply-chain
    nodes (a link to "galium" is refused with the closest valid ids)."""
    return {**register_checks(settings), **map_nodes.register_checks()}


def build_api(
    settings: Settings,
    *,
    register: RegisterService | None = None,
    routers: Sequence[APIRouter] = ROUTERS,
    max_body: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """The API over the register at ``settings.register_database_url`` (or the ``register`` given).

    Errors under ``/api`` are JSON (``errors.install``); ``setu.app`` adds the pages, whose errors are pages.
    """
    redaction.install()
    register = register or RegisterService.open(settings.register_database_url,
                                                external_checks=external_checks(settings))
    app = FastAPI(
        title="Setu API",
        version=getattr(setu, "__version__", "0"),
        description="Cooperation register (projects, Points of Contact, dialogues, follow-up) and analytics.",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.register = register
    app.state.settings = settings
    errors.install(app)
    openapi.install(app, PREFIX)
    for router in routers:
        app.include_router(router, prefix=PREFIX, dependencies=[Depends(known_parameters)])
    app.add_middleware(BodyLimit, max_bytes=max_body, overrides={f"{PREFIX}{IMPORT_PATH}": MAX_IMPORT_BODY})
    app.add_middleware(AllowedMethods, api=app)

    @app.get(f"{PREFIX}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        rows = "".join(
            f"<tr><td>{method.upper()}</td><td><code>{path}</code></td><td>{op.get('summary', '')}</td></tr>"
            for path, operations in app.openapi()["paths"].items()
            for method, op in operations.items()
        )
        return HTMLResponse(
            f"<!doctype html><title>Setu API</title><h1>Setu API</h1>"
            f"<p>OpenAPI document: <a href='{PREFIX}/openapi.json'>{PREFIX}/openapi.json</a></p>"
            f"<table>{rows}</table>"
        )

    return app
