"""Browser-facing protections for every response and every form: security headers and CSRF refusal.

* **Headers** (on every response, pages and API): a Content-Security-Policy that lets scripts, styles, fonts,
  images and fetches come from this server only (``script-src 'self'; style-src 'self'``: no inline script,
  no ``style=""``), no framing (``frame-ancestors 'none'``, and ``X-Frame-Options: DENY`` for older
  browsers), ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``. The policy follows
  the W3C Content Security Policy Level 3 recommendation and OWASP's Secure Headers Project.
* **CSRF** (on every state-changing request outside ``/api``): the request must come from this site and carry
  the form token. Two independent checks, after OWASP's CSRF Prevention Cheat Sheet: an ``Origin`` header
  (or, without it, a ``Referer``) naming another host is refused, and the ``csrf_token`` field (or the
  ``X-CSRF-Token`` header; in an upload form, its ``multipart/form-data`` part) must equal the browser's
  ``setu_csrf`` cookie (the double-submit pattern; the
  cookie is random per browser, ``HttpOnly`` and ``SameSite=Strict``). Login is a form like any other, so a
  foreign site cannot log a browser in either. The API under ``/api`` authenticates with bearer tokens that
  a browser never sends by itself, so it needs neither check.

Refusals are 403 pages that say why; nothing behind them runs.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from markupsafe import Markup, escape

from setu.asgi_body import read_body, replaying

CSRF_COOKIE = "setu_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = b"x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: page forms are small (the largest is an edited scenario file, 256 KiB); the API has its own limits
MAX_FORM_BYTES = 1 << 20
POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
])
HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


def csrf_input(request: Any) -> Markup:
    """The hidden form field every page form carries (a Jinja global: ``{{ csrf_input(request) }}``)."""
    token = request.scope.get("state", {}).get("csrf_token", "")
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


def _cookie(headers: dict[bytes, bytes]) -> str | None:
    raw = headers.get(b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except Exception:  # a malformed Cookie header is treated as no cookie
        return None
    morsel = jar.get(CSRF_COOKIE)
    return morsel.value if morsel and 20 <= len(morsel.value) <= 100 else None


def foreign_origin(headers: dict[bytes, bytes]) -> bool:
    """Whether the request says it comes from another site: its ``Origin`` (else its ``Referer``) names
    another host, or is ``null`` (a sandboxed or opaque origin). A request naming neither is left to the
    token check alone (browsers send ``Origin`` with every form POST; scripts and tests may not)."""
    claimed = headers.get(b"origin") or headers.get(b"referer")
    if not claimed:
        return False
    host = headers.get(b"host", b"").decode("latin-1").lower()
    return urlsplit(claimed.decode("latin-1").strip().lower()).netloc != host or not host


def multipart_token(body: bytes, content_type: bytes) -> str:
    """The ``csrf_token`` field of a ``multipart/form-data`` body (a file upload form), or "" (RFC 7578: parts
    separated by ``--boundary``, each with its headers, a blank line and its value)."""
    boundary = next((p.split(b"=", 1)[1].strip().strip(b'"') for p in content_type.split(b";")
                     if p.strip().lower().startswith(b"boundary=")), b"")
    if not boundary:
        return ""
    for part in body.split(b"--" + boundary):
        head, found, value = part.partition(b"\r\n\r\n")
        disposition = next((line for line in head.split(b"\r\n") if line.lower().startswith(b"content-disposition:")),
                           b"")
        if found and f'name="{CSRF_FIELD}"'.encode() in disposition and b"filename=" not in disposition:
            return value.removesuffix(b"\r\n").decode("latin-1")
    return ""


class SecurityMiddleware:
    """ASGI middleware: headers on every response; the CSRF checks on unsafe requests to pages."""

    def __init__(self, app: Any, api_prefix: str = "/api"):
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        cookie_token = _cookie(headers)
        token = cookie_token or secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = list(HEADERS)
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                if cookie_token is None and kind.startswith(b"text/html"):  # pages only: never on cached files
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    extra.append((b"set-cookie", f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
                                                 f"{secure}".encode()))
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *(h for h in extra if h[0] not in present or h[0] == b"set-cookie")]}
            await send(message)

        path = scope.get("path", "")
        if scope.get("method") not in UNSAFE or path == self.api_prefix or path.startswith(self.api_prefix + "/"):
            await self.app(scope, receive, send_with_headers)
            return
        if foreign_origin(headers):
            await _refuse(send_with_headers, "this form was sent from another site (its Origin is not this server)")
            return
        body, gone = await read_body(receive, MAX_FORM_BYTES)
        if gone:
            return
        if body is None:
            await _refuse(send_with_headers, "the form is too large", status=413)
            return
        sent = headers.get(CSRF_HEADER, b"").decode("latin-1")
        content_type = headers.get(b"content-type", b"")
        if not sent and content_type.startswith(b"application/x-www-form-urlencoded"):
            sent = (parse_qs(body.decode("latin-1"), max_num_fields=2000).get(CSRF_FIELD) or [""])[0]
        elif not sent and content_type.startswith(b"multipart/form-data"):
            sent = multipart_token(body, content_type)
        if cookie_token is None or not secrets.compare_digest(sent.encode(), cookie_token.encode()):
            await _refuse(send_with_headers, "the form's security token is missing or out of date: "
                                             "reload the page and send it again")
            return
        await self.app(scope, replaying(body, receive), send_with_headers)


async def _refuse(send: Any, reason: str, status: int = 403) -> None:
    body = (f"<!doctype html><html lang='en'><title>Refused · Setu</title><h1>Refused</h1>"
            f"<p role='alert'>{escape(reason)}.</p><p><a href='/'>Back to Setu</a></p></html>").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
