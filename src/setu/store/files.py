"""Files under the user's data directory: private, written by one writer at a time, replaced in one rename.

The data directory holds password hashes and records of every tier (the register and its backups), so it is
created readable by its owner only (0700) and the files that hold those records are 0600, whatever the
process umask. Writers of one store (a catalog, the trade catalog, the user's groups) take an exclusive
advisory lock on a file beside it and decide what to write while they hold it: a decision taken before the
lock may be stale by the time the write lands.

Temporary files carry a recognisable prefix (a leading dot and a ``.tmp``/``.partial`` suffix, or a
staging folder's prefix) so that the next writer, holding the lock, removes what a killed one left.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["PRIVATE_DIR", "PRIVATE_FILE", "file_lock", "make_private", "private_dir", "remove_debris", "try_lock"]

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600

_held = threading.local()  # lock paths this thread holds, with their depth (the lock is reentrant per thread)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by the owner only; an existing folder is left as it is
    (a folder the user chose and shares on purpose keeps its modes)."""
    path = Path(path)
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    return path


def make_private(path: Path) -> None:
    """Set ``path`` to 0600 when it exists (SQLite and gzip create files with the umask's modes)."""
    with suppress(FileNotFoundError):
        os.chmod(path, PRIVATE_FILE)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` for the block, across processes and threads.

    Reentrant within one thread: a writer that calls another writer of the same store (an import that
    rebuilds the catalog) does not wait for itself. ``flock`` locks belong to an open file, so a second open
    in the same thread would otherwise block forever.
    """
    key = str(Path(path).absolute())
    depth = getattr(_held, "depth", None)
    if depth is None:
        depth = _held.depth = {}
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        depth[key] = 1
        try:
            yield
        finally:
            depth.pop(key, None)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def try_lock(path: Path) -> Iterator[bool]:
    """The lock of :func:`file_lock` if it is free now (yields True), else yields False at once: for
    clean-ups at start, which must not wait for a long import in another process."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_debris(folder: Path, *patterns: str) -> list[Path]:
    """Delete what killed writers left in ``folder`` (files or folders matching ``patterns``); call it while
    holding the folder's writer lock, so that no live writer's temporary file is taken. Returns what went."""
    removed = []
    if not Path(folder).is_dir():
        return removed
    for pattern in patterns:
        for path in Path(folder).glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed
