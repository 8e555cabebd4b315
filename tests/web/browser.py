"""Shared pieces of the browser tests: Debian's headless Chromium driven by Playwright against the server
running in-process on a free port. Nothing is downloaded: Playwright is pointed at /usr/bin/chromium and never
installs a browser of its own. The fixtures (``server``, ``browser``, ``page``, ``open_page``) are in conftest."""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(os.environ["SETU_E2E_SCREENSHOTS"]) if os.environ.get("SETU_E2E_SCREENSHOTS") else None
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
E2E = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                                     "(apt-get install -y chromium); no browser is downloaded"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_server(data_dir: Path, tmp: Path, warm: tuple[str, ...],
               fill: Callable[[Any], object] | None = None) -> Iterator[str]:
    """The whole app on a free port over ``data_dir`` and a register filled by ``fill`` (the sample by
    default), with the supply-chain node checks ``setu serve`` has; ``warm`` pages are loaded first, without a
    browser timeout, so that the browser tests measure pages, not the first-run load."""
    import uvicorn
    from argon2 import PasswordHasher

    from setu.app import create_app
    from setu.register.sample import build_sample
    from setu.register.service import RegisterService
    from setu.services import map_nodes
    from setu.settings import Settings
    from setu.store.register.database import RegisterDatabase

    url = f"sqlite:///{tmp / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url, clock=lambda: datetime.now(UTC), external_checks=map_nodes.register_checks(),
                                    hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    (fill or build_sample)(register)
    app = create_app(Settings(data_dir=data_dir, database_url=url), register=register)
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    for path in warm:
        with urllib.request.urlopen(base + path, timeout=600) as response:
            assert response.status == 200
    yield base
    uv.should_exit = True
    thread.join(timeout=10)
    register.close()


def drawn(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-drawn='true']")


def shot(page, name: str, *, full_page: bool = False) -> None:
    """A screenshot of the window when SETU_E2E_SCREENSHOTS names a folder (docs/screenshots for the docs),
    reduced to 96 colours so that a page stays near 100 kB."""
    if not SCREENSHOTS:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    try:
        from PIL import Image
    except ImportError:  # the full-colour file stays
        return
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=96)
    reduced.save(path, optimize=True)
