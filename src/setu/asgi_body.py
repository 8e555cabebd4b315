"""Reading a request body once in ASGI middleware, with a size limit, and handing it on unchanged.

Both shells' middleware need it: the API's body limit (``setu.api.limits``) and the pages' CSRF check
(``setu.web.security``), which reads a form before any route does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Receive = Callable[[], Awaitable[dict[str, Any]]]


async def read_body(receive: Receive, limit: int) -> tuple[bytes | None, bool]:
    """(the whole body, or None as soon as it grows past ``limit`` bytes; whether the client went away first)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None, False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app ``body`` first, then whatever the connection says next."""
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
