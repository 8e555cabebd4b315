"""The bundled static files (plotly.js, style, script, world boundaries), served so that a page costs little
to load the first time and almost nothing after.

* **Versioned URLs**: templates ask ``asset_url(name)`` for ``/assets/<digest>/<name>``, where ``digest`` is the
  start of the file's sha256. Such a URL names one content forever, so it is served with
  ``Cache-Control: public, max-age=31536000, immutable`` and a browser does not ask again (RFC 8246).
  A stale digest (an old page after an upgrade) still gets the current file, but without the long cache.
* **Plain URLs** ``/static/<name>`` stay for scripts and links from outside; they are revalidated each time.
* **ETags**: each file's digest; ``If-None-Match`` with it answers ``304 Not Modified`` with no body.
* **Compression**: text files are gzip-compressed once, in memory (``warm`` does all of them in the
  background when the server starts; otherwise the first request does it), for clients that accept gzip.

Files are read once: the bundled files never change while the server runs.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Request
from fastapi.responses import Response

ROOT = Path(str(resources.files("setu.web"))) / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"
COMPRESSIBLE = {".js", ".css", ".json", ".svg", ".html", ".txt", ".md"}
DIGEST_CHARS = 16
#: plain URLs kept for links made before the files moved
ALIASES = {"plotly.min.js": "plotly/plotly.min.js"}
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".json": "application/json", ".md": "text/markdown; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


@dataclass
class Asset:
    """One static file: its bytes, digest and (once asked for) its gzip-compressed bytes."""

    name: str
    body: bytes
    digest: str
    media_type: str
    _gzipped: bytes | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def compressible(self) -> bool:
        return PurePosixPath(self.name).suffix in COMPRESSIBLE

    def gzipped(self) -> bytes:
        """The gzip-compressed bytes, made once (level 9: done once per server, read by every visitor)."""
        with self._lock:
            if self._gzipped is None:
                self._gzipped = gzip.compress(self.body, compresslevel=9, mtime=0)
            return self._gzipped


class Assets:
    """The files under ``root``, loaded on first use and kept."""

    def __init__(self, root: Path = ROOT):
        self.root = root.resolve()
        self._assets: dict[str, Asset | None] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Asset | None:
        """The asset at relative path ``name``; None for anything outside the folder or missing."""
        name = ALIASES.get(name, name)
        with self._lock:
            if name not in self._assets:
                self._assets[name] = self._load(name)
            return self._assets[name]

    def _load(self, name: str) -> Asset | None:
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root) or not path.is_file() or path.name.startswith("."):
            return None
        body = path.read_bytes()
        suffix = path.suffix.lower()
        media_type = TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Asset(name, body, hashlib.sha256(body).hexdigest()[:DIGEST_CHARS], media_type)

    def url(self, name: str) -> str:
        """The versioned, immutable URL of a bundled file (raises KeyError for a file that is not there)."""
        asset = self.get(name)
        if asset is None:
            raise KeyError(f"no bundled static file {name!r}")
        return f"/assets/{asset.digest}/{name}"

    def names(self) -> list[str]:
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*")
                      if p.is_file() and not p.name.startswith("."))

    def warm(self) -> None:
        """Read and compress every file now (called in the background at server start)."""
        for name in self.names():
            asset = self.get(name)
            if asset is not None and asset.compressible:
                asset.gzipped()

    def response(self, request: Request, name: str, *, immutable: bool) -> Response:
        asset = self.get(name)
        if asset is None:
            return Response(status_code=404, content="not found", media_type="text/plain")
        gzipped = asset.compressible and "gzip" in request.headers.get("accept-encoding", "").lower()
        etag = f'"{asset.digest}{"-gz" if gzipped else ""}"'
        headers = {"ETag": etag, "Cache-Control": IMMUTABLE if immutable else REVALIDATE}
        if asset.compressible:
            headers["Vary"] = "Accept-Encoding"
        if _matches(request.headers.get("if-none-match"), asset.digest):
            return Response(status_code=304, headers=headers)
        if gzipped:
            headers["Content-Encoding"] = "gzip"
            return Response(asset.gzipped(), media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)


#: The files bundled with Setu (one set per process: they never change while it runs).
BUNDLED = Assets()


def _matches(if_none_match: str | None, digest: str) -> bool:
    """RFC 9110 weak comparison: either representation's tag (plain or gzip) of the same content matches."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_none_match.split(",")}
    return bool(tags & {digest, f"{digest}-gz"})


def router(assets: Assets) -> APIRouter:
    """``/assets/<digest>/<name>`` (immutable when the digest is current) and ``/static/<name>``."""
    routes = APIRouter(include_in_schema=False)

    @routes.get("/assets/{digest}/{name:path}")
    def versioned(request: Request, digest: str, name: str) -> Response:
        asset = assets.get(name)
        return assets.response(request, name, immutable=asset is not None and asset.digest == digest)

    @routes.get("/static/{name:path}")
    def plain(request: Request, name: str) -> Response:
        return assets.response(request, name, immutable=False)

    return routes
