"""The Content-Security-Policy of the pages: scripts and styles only from this server.

``script-src 'self'; style-src 'self'`` forbids inline ``<script>`` blocks, inline event handlers and
``style=""`` attributes in the markup (W3C CSP Level 3, sections 6.1.11 and 6.1.13), so the pages keep their
scripts and styles in static files. JSON data blocks (``<script type="application/json">``) are not run and
are allowed. Styles that plotly.js sets through the CSSOM (``element.style``) are not inline markup and stay
allowed, so charts draw under this policy (the browser tests check it).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = "script-src 'self'; style-src 'self'"


class ContentSecurityPolicy:
    """ASGI middleware adding :data:`POLICY` to every HTTP response that does not set its own."""

    def __init__(self, app: ASGIApp, policy: str = POLICY):
        self.app = app
        self.policy = policy.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"content-security-policy" for name, _ in headers):
                    headers.append((b"content-security-policy", self.policy))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_policy)
