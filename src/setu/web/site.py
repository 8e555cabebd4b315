"""Mount the web pages on the app: templates, bundled static files (plotly.js, style, boundaries).

``install(app)`` adds the page routers, the JSON twins under ``/api/views`` and the static files; the
composition root (``setu.app``) calls it on the API app and routes errors off ``/api`` to ``error_page``. Nothing is
fetched from outside: plotly.js is a partial bundle with the traces Setu draws (``static/plotly``, built by
``tools/plotly-bundle``), and the world boundaries are Natural Earth 110m (public domain) as bundled in
``static/topojson`` (see their SOURCE.md). Static files are served by :mod:`setu.web.assets` (versioned URLs,
ETags, gzip); pages and JSON are gzip-compressed too. When the server starts, ``warm_up`` loads the maps and
the catalog and compresses the static files in a background thread, so the first request does not wait.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from starlette.middleware.gzip import GZipMiddleware

from setu.domain.shares import share_text
from setu.reference import tables
from setu.errors import SetuError
from setu.web import assets, jcm_forms, jcm_pages, pages, record_pages, register_pages, screen_page, twins
from setu.web.charts import compact, readable
from setu.web.security import SecurityMiddleware, csrf_input
from setu.web.session import LoginRequired, to_login
from setu.web.views import Views

HERE = Path(str(resources.files("setu.web")))
STATIC = HERE / "static"


def plotly_js() -> Path:
    """The bundled plotly.min.js (partial bundle; offline reports inline it)."""
    return STATIC / "plotly" / "plotly.min.js"


def plot_json(figure: dict) -> Markup:
    """A figure as the JSON its page embeds for plotly.js: without its rows (``table``), which the CSV serves."""
    return htmlsafe_json_dumps({k: v for k, v in figure.items() if k != "table"})


@lru_cache(maxsize=1)
def country_names() -> list[tuple[str, str]]:
    """(ISO3, name) of every country, by name: the suggestions of the pages' country fields."""
    return sorted(((c.iso3, c.name) for c in tables.country_table().values()), key=lambda pair: pair[1])


def templates() -> Jinja2Templates:
    engine = Jinja2Templates(directory=str(HERE / "templates"))
    engine.env.filters["pct"] = share_text
    engine.env.filters["num"] = lambda v, digits=0: "" if v is None else f"{float(v):,.{digits}f}"
    engine.env.filters["plot_json"] = plot_json
    engine.env.filters["compact"] = compact
    engine.env.filters["cell"] = lambda v: "" if v is None else readable(v) if isinstance(v, float) else v
    engine.env.globals["asset_url"] = assets.BUNDLED.url
    engine.env.globals["csrf_input"] = csrf_input
    engine.env.filters["changed_fields"] = changed_fields
    engine.env.globals["country_names"] = country_names()
    return engine


def changed_fields(after: dict[str, object], before: dict[str, object]) -> str:
    """The fields an audit entry changed (its bookkeeping aside), for a record's history."""
    ignored = {"version", "updated_at", "updated_by"}
    return ", ".join(sorted(k for k in after if k not in ignored and after.get(k) != before.get(k))) or "none"


def _scenario_service() -> object:
    from setu.services.scenarios import ScenarioService  # the scenario model, NumPy, SciPy: on the first scenario page

    return ScenarioService()


def _scenario_list(app: FastAPI) -> Callable[[], object]:
    def scenario_list() -> object:
        return app.state.scenarios.list_scenarios()

    return scenario_list


class OnFirstUse:
    """A service built when it is first used, so that the server accepts connections before the stacks behind
    its pages are imported; thread-safe (pages run in a thread pool)."""

    def __init__(self, build: object):
        self._build = build
        self._value: object | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()  # type: ignore[operator]
        return getattr(self._value, name)


def install(app: FastAPI) -> None:
    """Add the pages, their JSON twins and the static files to ``app`` (built by ``setu.app.create_app``)."""
    app.state.views = Views(app.state.settings)
    app.state.scenarios = OnFirstUse(_scenario_service)
    app.state.scenario_list = lru_cache(maxsize=1)(_scenario_list(app))
    app.state.templates = templates()

    async def login_required(request: Request, error: Exception) -> Response:
        assert isinstance(error, LoginRequired)
        return to_login(error)

    app.add_exception_handler(LoginRequired, login_required)
    app.include_router(assets.router(assets.BUNDLED))
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # pages and JSON; static files come compressed
    app.add_middleware(SecurityMiddleware)  # outermost: headers on every response, CSRF before any route
    _warm_up_on_start(app)
    app.include_router(twins.router, prefix="/api")
    app.include_router(screen_page.twin, prefix="/api")
    app.include_router(register_pages.router)
    app.include_router(record_pages.router)  # after the register's own pages: /register/<kind> is generic
    app.include_router(jcm_pages.router)
    app.include_router(jcm_forms.router)
    app.include_router(pages.router)
    app.include_router(screen_page.router)


def error_page(request: Request, error: SetuError, status_code: int) -> Response:
    """A Setu error on a page, rendered as a page with the status the API would give it."""
    return pages.render(request, "error.html", status_code=status_code, message=str(error),
                        title="Cannot show this page")


def warm_up(app: FastAPI) -> None:
    """Load what the first pages need (maps resolved against the catalog, the scenario list) and compress the
    static files. Runs once, in a background thread started with the server; a request arriving first simply
    loads what it needs itself (the caches are filled either way)."""
    try:
        assets.BUNDLED.warm()
        views: Views = app.state.views
        views.chains()
        app.state.scenario_list()
    except Exception:  # a broken file shows on the page that needs it, with its located error
        logging.getLogger(__name__).warning("warming up the pages failed", exc_info=True)


def _warm_up_on_start(app: FastAPI) -> None:
    """Start ``warm_up`` in a thread when the server starts (the app's lifespan), without waiting for it;
    at shutdown, wait for it to end, so that no thread is left inside DuckDB when the process exits."""
    started = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[object]:
        thread = threading.Thread(target=warm_up, args=(app,), name="setu-warm-up", daemon=True)
        thread.start()
        try:
            async with started(application) as state:
                yield state
        finally:
            thread.join()

    app.router.lifespan_context = lifespan
