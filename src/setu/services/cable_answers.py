"""The everyday cable answers (`setu cables country`, `routes`, `cut`) kept in the data directory.

Each answer depends only on the installed submarine-cables pack (its files), the bundled country tables
(names resolved to ISO3), the question and the code; it is kept in the derived store
(:mod:`setu.store.derived`) under a key of all of them and read back without reading the pack's JSON or
running a maximum flow. Reinstalling or changing the pack changes its files, hence the key: a stored
answer is never stale. Without the pack nothing is stored and the service says how to add it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from setu.store import derived

PACK = "submarine-cables"
NAMESPACE = "cables"
#: the code the answers are computed by (see :func:`setu.store.derived.key`)
CODE = derived.ALL_CODE


def inputs(data_dir: Path) -> list[Path] | None:
    """The pack's files and the country tables; None when the pack is not installed."""
    folder = data_dir / "datapacks" / PACK
    if not (folder / "pack.yaml").is_file():
        return None
    return [*sorted(p for p in folder.rglob("*") if p.is_file()), *derived.bundled_files(["reference"])]


def stored(data_dir: Path, question: str, parameters: Mapping[str, Any],
           compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The document ``compute`` returns for this question, from the store when it holds it for this pack."""
    files = inputs(data_dir)
    if files is None:
        return compute()  # says how to add the pack
    return derived.cached(data_dir, NAMESPACE, lambda: derived.key(NAMESPACE, inputs=files, code=CODE, parameters={"question": question, **parameters}), compute)
