"""Derived answers kept in the data directory: work that is the same for every asking of a question (a
digest's alerts, a map's scores, a cable network's route counts) is computed once and read back after.

An entry is found by a key, the SHA-256 of everything the answer depends on:

* a namespace (``watch-digest``, ``maps-vulnerabilities`` ...) and Setu's version;
* the source code that computes it (every ``.py`` file of the ``setu`` package, :data:`ALL_CODE`: a
  hand-kept list of modules misses some), so a changed method is a changed key even before the version moves;
* the bytes of every input file (bundled tables, data packs, the user's own files), with their names;
* the question's own parameters, as canonical JSON.

Any change to any of them gives another key, so an entry can never be read for inputs it was not computed
from: it is never stale, only left behind (the oldest entries of a namespace beyond :data:`KEEP` are
removed on each write). Entries are written to a temporary file in the same folder and moved into place
with :func:`os.replace`, atomic on POSIX and Windows, so a reader sees a whole entry or none. An entry that
cannot be read or parsed counts as absent, and a data directory that cannot be written to only means the
answer is computed each time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import setu

#: the code every answer is keyed by: the whole ``setu`` package (an answer's computing code reaches into
#: metrics, domain, sources and reference modules that a hand-kept list misses)
ALL_CODE = ("",)
#: entries kept per namespace (the most recently written)
KEEP = 64
FOLDER = "derived"
_PACKAGE = Path(setu.__file__).parent


def code_files(parts: Iterable[str]) -> list[Path]:
    """The ``.py`` files of the named parts of the ``setu`` package: a subpackage folder (``"watch"``) or
    one module (``"services/watch.py"``), sorted."""
    files: list[Path] = []
    for part in parts:
        path = _PACKAGE / part
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def bundled_files(parts: Iterable[str]) -> list[Path]:
    """The files of the named parts of the bundled data (``"reference"``, ``"maps/ict.yaml"``), sorted."""
    files: list[Path] = []
    for part in parts:
        path = _PACKAGE / "data" / part
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return files


def key(namespace: str, *, inputs: Iterable[Path] = (), code: Iterable[str] = (),
        parameters: Mapping[str, Any] | None = None) -> str:
    """The entry key of an answer (see the module docstring). A missing input file is hashed as absent,
    so it differs from any content it may later have."""
    digest = hashlib.sha256()

    def feed(label: str, data: bytes) -> None:
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    feed("namespace", namespace.encode())
    feed("version", setu.__version__.encode())
    feed("code", _code_digest(tuple(code)).encode())
    for path in inputs:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            feed("absent " + str(path), b"")
        else:
            feed("input " + str(path), data)
    feed("parameters", json.dumps(parameters or {}, sort_keys=True, default=str).encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _code_digest(parts: tuple[str, ...]) -> str:
    """The SHA-256 of the code files of ``parts`` (once a process: the installed code does not change while
    it runs)."""
    digest = hashlib.sha256()
    for path in code_files(parts):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(_PACKAGE).as_posix()}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


class DerivedStore:
    """One namespace of entries under ``<data dir>/derived/<namespace>/``."""

    def __init__(self, data_dir: Path, namespace: str):
        self.namespace = namespace
        self.folder = Path(data_dir) / FOLDER / namespace

    def path(self, entry: str) -> Path:
        return self.folder / f"{entry}.json"

    def get(self, entry: str) -> Any | None:
        """The stored value, or None when absent or unreadable."""
        try:
            return json.loads(self.path(entry).read_text(encoding="utf-8"))["value"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, entry: str, value: Any) -> bool:
        """Store ``value`` (JSON-serialisable) atomically; False when the folder cannot be written."""
        text = json.dumps({"namespace": self.namespace, "version": setu.__version__, "value": value})
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.folder)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                os.replace(temporary, self.path(entry))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            self._prune()
        except OSError:
            return False
        return True

    def _prune(self) -> None:
        entries = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)


def cached(data_dir: Path | None, namespace: str, entry: str | Callable[[], str], compute: Any) -> Any:
    """The stored answer for ``entry``, else ``compute()``, stored for next time. ``data_dir=None``
    computes without storing. Given as a function, the key is worked out again after computing and the
    answer kept only if it has not changed: an input another process changed meanwhile is never stored
    under the old content's key."""
    if data_dir is None:
        return compute()
    key_of = entry if callable(entry) else None
    before = key_of() if key_of is not None else entry
    store = DerivedStore(data_dir, namespace)
    found = store.get(before)
    if found is not None:
        return found
    value = compute()
    if key_of is None or key_of() == before:
        store.put(before, value)
    return value
