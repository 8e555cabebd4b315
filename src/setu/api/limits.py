"""Request-size limit, applied before any route parses a body (HTTP 413 beyond it)."""

from __future__ import annotations

import json
from typing import Any

from setu.asgi_body import read_body, replaying

DEFAULT_MAX_BODY = 1 << 20  # 1 MiB: far above any single record (the largest text field is 5,000 characters)


class BodyLimit:
    """ASGI middleware: buffers at most ``max_bytes`` of a request body and refuses larger ones.

    ``overrides`` maps a path to its own limit (the import endpoint takes whole registers).
    """

    def __init__(self, app: Any, max_bytes: int = DEFAULT_MAX_BODY, overrides: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides or {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.overrides.get(scope["path"], self.max_bytes)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        body, gone = await read_body(receive, limit)
        if gone:
            return
        if body is None:
            await _too_large(send, limit)
            return
        await self.app(scope, replaying(body, receive), send)


async def _too_large(send: Any, limit: int) -> None:
    payload = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": payload})
