from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from .browser import ARGS, CHROMIUM, run_server

from setu.app import create_app
from setu.register.sample import SAMPLE_PASSWORD, SampleRegister, build_sample
from setu.register.service import RegisterService
from setu.services import map_nodes
from setu.settings import Settings
from setu.store.register.database import RegisterDatabase

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def csrf_token(client: TestClient) -> str:
    """The browser's form token: the ``setu_csrf`` cookie, set by the first page the client opens."""
    if "setu_csrf" not in client.cookies:
        client.get("/login")
    return client.cookies["setu_csrf"]


def post_form(client: TestClient, path: str, data: dict[str, object], **options: object):
    """POST a page form as the browser does: with its CSRF token field."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client)}, **options)


class Site:
    """A TestClient over the whole app (pages and API) with the sample register."""

    def __init__(self, client: TestClient, sample: SampleRegister, register: RegisterService):
        self.client = client
        self.sample = sample
        self.register = register

    def login(self, username: str) -> None:
        response = post_form(self.client, "/login", {"username": username, "password": SAMPLE_PASSWORD,
                                                     "next": "/register"}, follow_redirects=False)
        assert response.status_code == 303, response.text

    def logout(self) -> None:
        post_form(self.client, "/logout", {}, follow_redirects=False)


def make_site(data_dir: Path, tmp: Path, *, warm_up: bool = True) -> Iterator[Site]:
    """The app over a new sample register; ``warm_up`` runs its lifespan (the background warm-up, joined at the
    end), which tests of one page at a time do not need."""
    url = f"sqlite:///{tmp / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url, hasher=FAST_HASHER, clock=lambda: datetime.now(UTC),
                                    external_checks=map_nodes.register_checks())  # as `setu serve` has
    sample = build_sample(register)
    app = create_app(Settings(data_dir=data_dir, database_url=url), register=register)
    if warm_up:
        with TestClient(app) as client:
            yield Site(client, sample, register)
    else:
        yield Site(TestClient(app), sample, register)
    register.close()


@pytest.fixture(scope="module")
def site(built_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One app per module over the session's catalog; pages cache their documents, so reuse pays."""
    yield from make_site(built_catalog, tmp_path_factory.mktemp("web"))


@pytest.fixture
def fresh_site(built_catalog: Path, tmp_path: Path) -> Iterator[Site]:
    yield from make_site(built_catalog, tmp_path, warm_up=False)


# -- browser tests (tests/web/test_e2e*.py): one server and one browser per module ---------------------------
@pytest.fixture(scope="module")
def server(built_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from run_server(built_catalog, tmp_path_factory.mktemp("e2e"),
                          ("/overview/JPN", "/overview/JPN?year=2024&product=850511"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


class Watched:
    """A browser context whose requests off the server are refused and counted, with the page's script
    errors and Content-Security-Policy violations; ``check`` fails the test on any of them."""

    def __init__(self, browser, server: str, **options: object):
        self.server = server
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(base_url=server, accept_downloads=True, **options)
        self.context.route("**/*", self._route)
        self.pages: list = []

    def _route(self, route) -> None:
        if route.request.url.startswith(self.server) or route.request.url.startswith("blob:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def new_page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: self.errors.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text else None)
        page.set_default_timeout(60_000)  # generous: a loaded machine answers slowly, never wrongly
        self.pages.append(page)
        return page

    def check(self) -> None:
        self.context.close()
        assert not self.outside, f"requests left the machine: {self.outside}"
        assert not self.errors, f"script errors: {self.errors}"


@pytest.fixture
def open_page(browser, server):
    """``open_page(viewport=..., bypass_csp=...)``: a fresh page in its own watched context."""
    opened: list[Watched] = []

    def make(**options: object):
        watched = Watched(browser, server, **options)
        opened.append(watched)
        return watched.new_page()

    yield make
    for watched in opened:
        watched.check()


@pytest.fixture
def page(open_page):
    return open_page()
