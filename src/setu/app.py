"""The composition root: the one place that assembles the served app from the API and the web pages.

``api/`` builds the REST API (routers, JSON errors, body limits) and ``web/`` the pages and their JSON
twins; neither imports the other. This module puts them on one FastAPI app and decides, once, how a
Setu error is answered: as JSON under ``/api`` (with the API's status) and as a page elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from setu.api import errors as api_errors
from setu.api.app import PREFIX, ROUTERS, build_api
from setu.api.limits import DEFAULT_MAX_BODY
from setu.errors import SetuError
from setu.register.service import RegisterService
from setu.settings import Settings
from setu.web import site


def create_app(
    settings: Settings,
    *,
    register: RegisterService | None = None,
    routers: Sequence[APIRouter] = ROUTERS,
    max_body: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """The API (register routers plus ``routers``) and the web pages over one data directory and register."""
    app = build_api(settings, register=register, routers=routers, max_body=max_body)
    site.install(app)

    async def setu_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, SetuError)
        if request.url.path.startswith(f"{PREFIX}/"):
            return await api_errors.setu_error(request, error)
        return site.error_page(request, error, api_errors.status_of(error))

    app.add_exception_handler(SetuError, setu_error)
    return app
