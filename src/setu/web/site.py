"""Mount the web pages on the app: templates, bundled static files (plotly.js, style, boundaries).

``install(app)`` adds the page routers, the JSON twins under ``/api/views`` and ``/static``; the
composition root (``setu.app``) calls it on the API app and routes errors off ``/api`` to ``error_page``. Nothing is
fetched from outside: plotly.js is the copy the ``plotly`` package ships, and the world boundaries are
Natural Earth 110m (public domain) as bundled in ``static/topojson`` (see its SOURCE.md).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from setu.errors import SetuError
from setu.services.scenarios import ScenarioService
from setu.web import pages, register_pages, twins
from setu.web.session import LoginRequired, to_login
from setu.web.views import Views

HERE = Path(str(resources.files("setu.web")))
STATIC = HERE / "static"


def plotly_js() -> Path:
    """The plotly.min.js shipped inside the ``plotly`` Python package."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def templates() -> Jinja2Templates:
    engine = Jinja2Templates(directory=str(HERE / "templates"))
    engine.env.filters["pct"] = lambda v, digits=1: "" if v is None else f"{100 * float(v):.{digits}f}%"
    engine.env.filters["num"] = lambda v, digits=0: "" if v is None else f"{float(v):,.{digits}f}"
    return engine


def install(app: FastAPI) -> None:
    """Add the pages, their JSON twins and the static files to ``app`` (built by ``setu.app.create_app``)."""
    app.state.views = Views(app.state.settings)
    app.state.scenarios = ScenarioService()
    app.state.scenario_list = lru_cache(maxsize=1)(app.state.scenarios.list_scenarios)
    app.state.templates = templates()

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        return FileResponse(plotly_js(), media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    async def login_required(request: Request, error: Exception) -> Response:
        assert isinstance(error, LoginRequired)
        return to_login(error)

    app.add_exception_handler(LoginRequired, login_required)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(twins.router, prefix="/api")
    app.include_router(register_pages.router)
    app.include_router(pages.router)


def error_page(request: Request, error: SetuError, status_code: int) -> Response:
    """A Setu error on a page, rendered as a page with the status the API would give it."""
    return pages.render(request, "error.html", status_code=status_code, message=str(error),
                        title="Cannot show this page")
