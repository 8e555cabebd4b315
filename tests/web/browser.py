"""What the browser tests share: Debian's Chromium, a server on a free loopback port, and a page that fails the
test on a script error, a Content-Security-Policy violation or a request leaving the machine."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: the CSP hash of an empty string: plotly.js clears colour-bar styles with ``attr("style", "")``; blocking an
#: empty style changes nothing, so that report alone is not a violation worth failing on
EMPTY_STYLE = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                                                  "(apt-get install -y chromium); no browser is downloaded")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread on 127.0.0.1; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def guarded_page(browser: Any, base: str) -> Iterator[Any]:
    """A page in a new context; on leaving, no request may have left the server, no script may have failed
    and no Content-Security-Policy may have been violated."""
    context = browser.new_context(base_url=base)
    outside: list[str] = []
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(base)
                                         else (outside.append(route.request.url), route.abort())))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            and EMPTY_STYLE not in message.text else None)
    page.set_default_timeout(20_000)
    yield page
    context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"script errors or policy violations: {errors}"
