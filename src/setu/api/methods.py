"""OPTIONS and 405 answers that say which methods a path allows (RFC 9110 §9.3.7 and §15.5.6).

Starlette matches one route per method, so a path served by several routes (GET and PATCH of a record)
would answer OPTIONS with 405, and a wrong method with the ``Allow`` of whichever route matched first. This
middleware reads the methods of a path from the OpenAPI document (so the answer and the contract agree):
OPTIONS is answered 204 with ``Allow``; a method the path does not take is answered 405 with the full
``Allow``. Paths the document does not list (the web pages) are left to Starlette.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

from setu.api.openapi import operations_at


class AllowedMethods:
    def __init__(self, app: Any, api: FastAPI):
        self.app = app
        self.api = api

    def allowed(self, path: str) -> set[str]:
        methods = {method.upper() for method in operations_at(self.api, path)}
        return methods | {"HEAD"} if "GET" in methods else methods

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        methods = self.allowed(scope["path"])
        method = scope["method"]
        if not methods or (method in methods and method != "OPTIONS"):
            await self.app(scope, receive, send)
            return
        allow = ", ".join(sorted(methods | {"OPTIONS"}))
        if method == "OPTIONS":
            await _answer(send, 204, allow, b"")
        else:
            await _answer(send, 405, allow, json.dumps({"detail": f"{method} is not allowed here; allowed: "
                                                                   f"{allow}"}).encode())


async def _answer(send: Any, status: int, allow: str, body: bytes) -> None:
    headers = [(b"allow", allow.encode())]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
