"""Which supply-chain node ids exist, for checking the register's links to them.

A project or action item links to a node of a bundled supply-chain map ("gallium",
"semiconductors/wafer-300mm") or to a material of the reference tables. The register stores only the id;
this module says whether the id names something, which the closest valid ids are when it does not, and
where a page should link to show it. The maps are read once per process (they are bundled, read-only).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from setu.reference import tables
from setu.services.maps import bundled_map_files
from setu.sources.supply_map import load_map


@lru_cache(maxsize=1)
def node_maps() -> Mapping[str, tuple[str, ...]]:
    """Node id -> the ids of the bundled maps holding it (sorted)."""
    found: dict[str, set[str]] = {}
    for map_id, path in sorted(bundled_map_files().items()):
        for node in load_map(path).nodes:
            found.setdefault(node.id, set()).add(map_id)
    return {node: tuple(sorted(maps)) for node, maps in sorted(found.items())}


@lru_cache(maxsize=1)
def material_ids() -> frozenset[str]:
    return frozenset(tables.materials().materials)


def known_nodes() -> list[str]:
    return sorted(set(node_maps()) | material_ids())


def unknown_nodes(node_ids: Iterable[str]) -> dict[str, list[str]]:
    """The ids that name neither a map node nor a material, each with up to three closest valid ids."""
    known = set(node_maps()) | material_ids()
    choices = sorted(known)
    return {node: difflib.get_close_matches(node, choices, n=3, cutoff=0.6)
            for node in dict.fromkeys(node_ids) if node not in known}


def links_problem(links: Any) -> str | None:
    """The register's check of a ``links`` field (a list of ``{"node_id": ...}``): None when every node exists."""
    missing = unknown_nodes(link["node_id"] for link in links or [])
    if not missing:
        return None
    return "; ".join(f"no supply-chain node or material {node!r}" + (f" (closest: {', '.join(close)})" if close else "")
                     for node, close in missing.items())


def node_href(node_id: str) -> str | None:
    """The page that shows a node: its material page, else its place on the first map holding it."""
    if node_id in material_ids():
        return f"/materials/{node_id}"
    maps = node_maps().get(node_id)
    return f"/supply-chains/{maps[0]}?node={node_id}" if maps else None


def register_checks() -> dict[str, Any]:
    """The register's checks of links to supply-chain nodes (``RecordService`` external checks)."""
    return {"links": links_problem}
