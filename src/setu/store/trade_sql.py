"""Compiled trade questions: each Ibis question compiled to DuckDB SQL once, kept beside the catalog, and run
by the embedded DuckDB directly, so that an everyday answer pays for neither Ibis nor PyArrow.

A *question* is a function of :mod:`setu.metrics.trade_questions`: ``question(flows, **params)`` returns an
Ibis expression, the one definition of what is asked (the Spark path executes that very expression). For
DuckDB, the expression is built once on an unbound table named ``setu_flows`` with a stand-in for every
scalar parameter (a country, a product, a year), compiled by Ibis to DuckDB SQL, and each stand-in replaced by
a prepared-statement parameter (``$importer``); the other parameters (lists of codes, flags) shape the SQL
and are part of its key. At question time ``setu_flows`` is a view over the chosen Parquet files and the SQL
runs with the parameters bound, as a hand-written query would.

The SQL is kept under ``<trade dir>/compiled/<key>.sql``, the key a SHA-256 of Setu's version, the source of
the questions and metrics (so an edited definition is compiled again), the DuckDB version, the question, its
shaping parameters and the catalog's state (the manifest's checksum: importing a year compiles again).
Written to a temporary file and renamed into place (``os.replace``), so concurrent processes never read half
a file; two that compile at once write the same text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

import setu

FLOWS_TABLE = "setu_flows"
CACHE_DIR = "compiled"
KEEP = 256  # compiled questions kept; beyond, the oldest go
_TEXT_STANDIN = "setu:param:{}"
_INT_STANDIN = 1_987_654_321  # + the parameter's position: never a year, a count or a code
Question = Callable[..., Any]


def duckdb_settings(root: Path) -> dict[str, str]:
    """The embedded DuckDB's memory ceiling and spill folder (beyond the ceiling, aggregations and sorts spill
    under the catalog, ``SETU_DUCKDB_MEMORY_LIMIT``, default 1GB): the same for Ibis's and the direct path."""
    spill = Path(root) / ".duckdb-spill"
    spill.mkdir(parents=True, exist_ok=True)
    return {"memory_limit": os.environ.get("SETU_DUCKDB_MEMORY_LIMIT", "1GB"), "temp_directory": str(spill)}


class Rows(list):
    """Result rows as dicts (what ``pyarrow.Table.to_pylist`` gives), so callers read both paths alike."""

    def to_pylist(self) -> list[dict]:
        return list(self)


def split_params(params: Mapping[str, Any]) -> tuple[dict[str, str | int], dict[str, Any]]:
    """Scalar text and whole numbers are bound at run time; everything else (lists, flags) shapes the SQL."""
    bound = {k: v for k, v in params.items() if isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool))}
    return bound, {k: v for k, v in params.items() if k not in bound}


@cache
def _definitions_digest() -> str:
    """What the compiled SQL depends on besides its inputs: Setu's version, the source of the questions and
    metrics and of this module, and DuckDB's version (the SQL dialect)."""
    digest = hashlib.sha256(f"{setu.__version__}\0{duckdb.__version__}\0".encode())
    package = Path(setu.__file__).parent
    for path in sorted([*package.joinpath("metrics").glob("*.py"), Path(__file__),
                        package / "sources" / "trade_csv.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_key(question: Question, flow: str, bound: Mapping[str, Any], shape: Mapping[str, Any],
              catalog_state: str) -> str:
    ident = f"{question.__module__}:{question.__qualname__}"
    payload = json.dumps([_definitions_digest(), ident, flow, sorted(bound), shape, catalog_state],
                         sort_keys=True, default=list)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def compile_sql(question: Question, flow: str, bound: Mapping[str, Any], shape: Mapping[str, Any]) -> str:
    """The question's DuckDB SQL over ``setu_flows`` with ``$name`` for each bound parameter (Ibis, once)."""
    import ibis

    from setu.metrics.trade import as_reported
    from setu.sources.trade_csv import TRADE_SCHEMA

    standins: dict[str, str | int] = {}
    for position, (name, value) in enumerate(sorted(bound.items())):
        standins[name] = _TEXT_STANDIN.format(name) if isinstance(value, str) else _INT_STANDIN + position
    flows = as_reported(ibis.table(ibis.Schema.from_pyarrow(TRADE_SCHEMA), name=FLOWS_TABLE), flow)
    sql = ibis.to_sql(question(flows, **standins, **shape), dialect="duckdb")
    for name, standin in standins.items():
        pattern = re.escape(f"'{standin}'") if isinstance(standin, str) else rf"(?<![\w.]){standin}(?![\w.])"
        sql, found = re.subn(pattern, f"${name}", sql)
        # absent (transformed by the question) or left in another form: never run SQL that asks another thing
        if not found or str(standin).lower() in sql.lower():
            raise RuntimeError(f"parameter {name} of {question.__qualname__} could not be bound")
    return sql


def cached_sql(root: Path, question: Question, flow: str, bound: Mapping[str, Any], shape: Mapping[str, Any],
               catalog_state: str) -> str:
    """The compiled SQL, from ``root/compiled`` when kept there, else compiled now and kept."""
    folder = Path(root) / CACHE_DIR
    path = folder / f"{cache_key(question, flow, bound, shape, catalog_state)}.sql"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        pass
    sql = compile_sql(question, flow, bound, shape)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
        temporary.write_text(sql, encoding="utf-8")
        os.replace(temporary, path)
        _prune(folder)
    except OSError:
        pass  # a read-only catalog still answers; it compiles each time
    return sql


def _prune(folder: Path) -> None:
    kept = sorted(folder.glob("*.sql"), key=lambda p: p.stat().st_mtime)
    for path in kept[:-KEEP]:
        path.unlink(missing_ok=True)
    for temporary in folder.glob(".*.tmp"):  # a writer killed between write and rename
        try:
            if temporary.stat().st_mtime < kept[-1].stat().st_mtime - 3600:
                temporary.unlink(missing_ok=True)
        except (OSError, IndexError):
            continue


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class DirectDuckDB:
    """One embedded DuckDB connection per thread (a connection refuses a second caller while busy), running
    compiled questions over the catalog's Parquet files."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._local = threading.local()
        self._opened: list[duckdb.DuckDBPyConnection] = []
        self._opening = threading.Lock()

    def connection(self) -> duckdb.DuckDBPyConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = duckdb.connect(config=duckdb_settings(self.root))
            with self._opening:
                self._opened.append(connection)
        return connection

    def _view(self, files: Sequence[str]) -> duckdb.DuckDBPyConnection:
        connection = self.connection()
        listed = ", ".join(_sql_text(str(self.root / f)) for f in files)
        # the files carry year and month themselves: keep the directory names out of the schema
        connection.execute(f"CREATE OR REPLACE TEMP VIEW {FLOWS_TABLE} AS SELECT * FROM "
                           f"read_parquet([{listed}], hive_partitioning = false)")
        return connection

    def run(self, sql: str, files: Sequence[str], bound: Mapping[str, Any]) -> Rows:
        connection = self._view(files)
        used = {k: v for k, v in bound.items() if re.search(rf"\${k}(?!\w)", sql)}
        cursor = connection.execute(sql, used)
        columns = [d[0] for d in cursor.description]
        return Rows(dict(zip(columns, row, strict=True)) for row in cursor.fetchall())

    def write_parquet(self, sql: str, files: Sequence[str], bound: Mapping[str, Any], target: Path) -> None:
        """The rows of ``sql`` written to ``target`` by DuckDB's own Parquet writer (no rows through Python)."""
        connection = self._view(files)
        used = {k: v for k, v in bound.items() if re.search(rf"\${k}(?!\w)", sql)}
        connection.execute(f"COPY ({sql}) TO {_sql_text(str(target))} (FORMAT parquet)", used)

    def close(self) -> None:
        with self._opening:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()
        self._local = threading.local()
