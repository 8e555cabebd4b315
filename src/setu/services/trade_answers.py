"""The everyday trade answers (`setu dependence`, `setu supply-risk`, `setu complementarity`) kept in the
data directory.

Each answer on the embedded DuckDB engine depends only on the trade catalog (its manifest, which names every
Parquet file with its SHA-256, and the bundled extract's load marker and archive), the reference catalog
(``catalog.duckdb``, from which production, governance and reserves are read), the user's own country groups
(``groups.yaml``), the bundled reference, trade-code, IEA and measures tables, the question's parameters and the
code; it is kept in the derived store (:mod:`setu.store.derived`) under a key of all of them, so a later asking
reads the document back without importing the trade service, opening DuckDB or running a query. An import
(``setu import baci``) swaps the manifest, and ``setu catalog build`` rewrites ``catalog.duckdb``: either is
another key, so a stored answer is never stale. The Spark engine is never stored (its data live elsewhere).

The key is taken before the answer is computed and again after it; the answer is kept only when both agree, so
an answer whose computing changed its own inputs (the first asking loads the bundled extract; a missing
reference catalog is built) or that raced an import is never kept under either key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from setu.settings import Settings
from setu.services.documents.json_text import json_text
from setu.store import derived

NAMESPACE = "trade-answers"
#: the code the answers are computed by (see :func:`setu.store.derived.key`)
CODE = derived.ALL_CODE
#: the bundled tables the answers read (production figures come through ``catalog.duckdb``)
BUNDLED = ("reference", "baci/baci_critical_materials_V202601.zip", "baci/baci_country_codes_V202601.csv",
           "baci/crosswalk.json", "hs", "iea", "measures", "wgi")


def inputs(settings: Settings) -> list[Path]:
    """Every file the answers are read from (a missing one is hashed as absent)."""
    trade = settings.trade_dir
    return [trade / "manifest.json", trade / "bundled.json", settings.data_dir / "catalog.duckdb",
            settings.data_dir / "groups.yaml", *derived.bundled_files(BUNDLED)]


def _key(settings: Settings, question: str, parameters: Mapping[str, Any]) -> str:
    return derived.key(NAMESPACE, inputs=inputs(settings), code=CODE,
                       parameters={"question": question, "bundled_trade": settings.bundled_trade, **parameters})


def stored(settings: Settings, question: str, parameters: Mapping[str, Any],
           compute: Callable[[], Any]) -> Any:
    """The document ``compute`` returns for this question, as JSON gives it back (what ``--json`` prints),
    from the store when it holds it for these inputs."""
    store = derived.DerivedStore(settings.data_dir, NAMESPACE)
    before = _key(settings, question, parameters)
    found = store.get(before)
    if found is not None:
        return found
    document = json.loads(json_text(compute()))
    if _key(settings, question, parameters) == before:
        store.put(before, document)
    return document
