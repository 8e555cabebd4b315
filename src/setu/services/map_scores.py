"""A map's vulnerability scores (`setu maps vulnerabilities`) kept in the data directory.

The scores depend only on the map file, the reference catalog's USGS figures (``catalog.duckdb``), the
installed data packs (the submarine-cables pack fills the ICT map's cable node), the bundled maps, reference,
governance and IEA tables, and the code; the rows are kept in the derived store (:mod:`setu.store.derived`) under a
key of all of them, so a later asking reads them back without loading the map, opening the catalog or
importing the analysis. A change to any input is another key: a stored score is never stale.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from setu.store import derived

NAMESPACE = "maps-vulnerabilities"
#: the code the rows are computed by (see :func:`setu.store.derived.key`)
CODE = derived.ALL_CODE


def map_file(name_or_path: str) -> Path | None:
    """The file ``MapService.load`` reads for a bundled map id or a map path; None when it names neither
    (the service then says so)."""
    from importlib import resources

    bundled = resources.files("setu.data.maps").joinpath(f"{name_or_path}.yaml")
    if "/" not in name_or_path and "\\" not in name_or_path and bundled.is_file():
        return Path(str(bundled))
    path = Path(name_or_path)
    return path if path.suffix in (".yaml", ".yml") and path.exists() else None


def inputs(data_dir: Path, file: Path) -> list[Path]:
    """Every file the scores are read from."""
    packs = data_dir / "datapacks"
    installed = sorted(p for p in packs.rglob("*") if p.is_file()) if packs.is_dir() else []
    return [file, data_dir / "catalog.duckdb", *installed, *derived.bundled_files(["maps", "reference", "wgi", "iea"])]


def stored(data_dir: Path, name_or_path: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The document ``compute`` returns for this map, from the store when it holds it for these inputs."""
    file = map_file(name_or_path)
    if file is None or not (data_dir / "catalog.duckdb").exists():
        return compute()  # an unknown name's error, or the first use that builds the catalog
    return derived.cached(data_dir, NAMESPACE, lambda: derived.key(NAMESPACE, inputs=inputs(data_dir, file), code=CODE,
                        parameters={"map": name_or_path, "file": str(file)}), compute)
