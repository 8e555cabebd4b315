"""The embedded reference catalog: one DuckDB file in the user's data directory.

It is derived data: built from the files bundled with Setu (USGS MCS, WGI, reference tables) plus the
production files the user has imported (kept, validated, under ``<data_dir>/imports/production``).

* **Atomic**: a build writes a new database next to the old one and swaps it in with ``os.replace``;
  a failed build leaves the previous catalog untouched.
* **Idempotent**: the build records the sha256 of every input; rebuilding with the same inputs does
  nothing unless forced, and a forced rebuild produces the same rows.

Only this module (and the other ``store`` modules) import duckdb.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml

import setu
from setu.errors import CatalogError
from setu.reference import tables
from setu.sources import production_csv, usgs
from setu.store.files import file_lock, private_dir, remove_debris, try_lock

LOCK = ".catalog.lock"
#: what a killed build leaves: its temporary database and write-ahead log
DEBRIS = (".catalog-*.duckdb", ".catalog-*.duckdb.wal")

# The observations table: (column, PyArrow type). PyArrow is imported only when the catalog is written, so that
# reading the catalog (every look-up) does not pay for PyArrow and NumPy.
OBSERVATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source_id", "string"),
    ("edition", "int32"),
    ("file", "string"),
    ("line", "int32"),
    ("material_id", "string"),
    ("usgs_code", "string"),
    ("type", "string"),
    ("series", "string"),
    ("stage", "string"),
    ("comparable", "bool_"),
    ("country_name", "string"),
    ("iso3", "string"),
    ("entity", "string"),
    ("measure", "string"),
    ("qualifier", "string"),
    ("year", "int32"),
    ("unit", "string"),
    ("base_unit", "string"),
    ("factor_to_base", "float64"),
    ("value", "float64"),
    ("value_status", "string"),
    ("value_bound", "string"),
    ("value_text", "string"),
    ("is_estimate", "bool_"),
    ("note", "string"),
)

# The current view keeps, for each source family, material, series, measure, qualifier and year, the rows
# of the latest edition only (MCS 2024 revises the 2022 figures that MCS 2023 estimated). It is a table worked out
# once at build time: every look-up reads it, and a view would redo the window over all observations each time.
_CURRENT_TABLE = """
CREATE TABLE current_observations AS
SELECT * EXCLUDE (latest_edition) FROM (
    SELECT *, max(edition) OVER (
        PARTITION BY source_family, material_id, series, measure, qualifier, year
    ) AS latest_edition
    FROM observations
) WHERE edition = latest_edition
"""


@dataclass(frozen=True)
class BuildReport:
    path: Path
    rebuilt: bool
    observations: int
    materials: int
    inputs_sha256: str


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def bundled_usgs_files() -> list[Path]:
    root = tables.data_path("usgs")
    return sorted(p for p in root.glob("mcs*/*.csv") if p.is_file()) + sorted(
        p for p in root.glob("mcs*/*.CSV") if p.is_file()
    )


def user_production_files(data_dir: Path) -> list[Path]:
    folder = data_dir / "imports" / "production"
    return sorted(folder.glob("*.csv")) if folder.exists() else []


def _inputs(data_dir: Path) -> list[Path]:
    reference = sorted(tables.data_path("reference").glob("*"))
    wgi = sorted(tables.data_path("wgi").glob("*.csv"))
    return [*bundled_usgs_files(), *reference, *wgi, *user_production_files(data_dir)]


def inputs_fingerprint(data_dir: Path) -> str:
    digest = hashlib.sha256(setu.__version__.encode())
    for path in _inputs(data_dir):
        digest.update(path.name.encode())
        digest.update(_sha256(path).encode())
    return digest.hexdigest()


def _observation_rows(data_dir: Path) -> Iterator[dict[str, object]]:
    materials_by_code = {m.usgs_code: m.material_id for m in tables.materials().materials.values()}
    for path in bundled_usgs_files():
        yield from usgs.parse_world_table(
            path,
            materials_by_code=materials_by_code,
            country_names=tables.usgs_country_names(),
            series_table=tables.usgs_series(),
        )
    for path in user_production_files(data_dir):
        yield from production_csv.parse(path, tables.materials(), tables.countries())


def _write(con: duckdb.DuckDBPyConnection, data_dir: Path, fingerprint: str) -> tuple[int, int]:
    import pyarrow as pa  # only building needs it (see OBSERVATION_COLUMNS)

    rows = list(_observation_rows(data_dir))
    schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in OBSERVATION_COLUMNS])
    observations = pa.Table.from_pylist(rows, schema=schema)
    con.register("observations_arrow", observations)
    con.execute(
        """
        CREATE TABLE observations AS
        SELECT *, CASE WHEN starts_with(source_id, 'usgs-mcs') THEN 'usgs-mcs' ELSE source_id END AS source_family
        FROM observations_arrow
        """
    )
    con.unregister("observations_arrow")
    con.execute(_CURRENT_TABLE)

    registry = tables.materials()
    material_rows = [
        {
            "material_id": m.material_id,
            "name": m.name,
            "usgs_code": m.usgs_code,
            "synonyms": ";".join(m.synonyms),
            "hs6_hs2017": ";".join(m.hs6_hs2017),
            "default_series": m.default_series,
        }
        for m in registry.materials.values()
    ]
    con.register("materials_arrow", pa.Table.from_pylist(material_rows))
    con.execute("CREATE TABLE materials AS SELECT * FROM materials_arrow")
    con.unregister("materials_arrow")

    countries = tables.countries()
    country_rows = [{"iso3": c.iso3, "name": c.name} for c in countries.countries.values()]
    con.register("countries_arrow", pa.Table.from_pylist(country_rows))
    con.execute("CREATE TABLE countries AS SELECT * FROM countries_arrow")
    con.unregister("countries_arrow")

    members = [
        {"group_id": g.group_id, "iso3": iso3, "group_source": g.source}
        for g in countries.groups.values()
        for iso3 in sorted(g.members)
    ]
    con.register("groups_arrow", pa.Table.from_pylist(members))
    con.execute("CREATE TABLE group_members AS SELECT * FROM groups_arrow")
    con.unregister("groups_arrow")

    risk = [{"iso3": iso3, "wgi_risk": value} for iso3, value in sorted(tables.wgi_risk().items())]
    con.register("wgi_arrow", pa.Table.from_pylist(risk))
    con.execute("CREATE TABLE governance AS SELECT *, 'wgi-2023' AS source_id, 2022 AS year FROM wgi_arrow")
    con.unregister("wgi_arrow")

    sources = yaml.safe_load(tables.data_path("SOURCES.yaml").read_text(encoding="utf-8"))["sources"]
    source_rows = [
        {k: str(v) for k, v in s.items() if k != "files"} | {"files": len(s.get("files", {}))} for s in sources
    ]
    source_rows += [
        {
            "source_id": production_csv.source_id_of(path),
            "title": f"user-imported production data ({path.name})",
            "publisher": "user",
            "edition": "",
            "years": "",
            "licence": "as supplied by the user",
            "url": "",
            "citation": "",
            "obtained_from": path.name,
            "files": 1,
        }
        for path in user_production_files(data_dir)
    ]
    con.register("sources_arrow", pa.Table.from_pylist(source_rows))
    con.execute("CREATE TABLE sources AS SELECT * FROM sources_arrow")
    con.unregister("sources_arrow")

    con.execute(
        "CREATE TABLE build_info AS SELECT ? AS inputs_sha256, ? AS built_at, ? AS setu_version",
        [fingerprint, datetime.now(UTC).isoformat(timespec="seconds"), setu.__version__],
    )
    return len(rows), len(material_rows)


def stored_fingerprint(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute("SELECT inputs_sha256 FROM build_info").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def writer_lock(data_dir: Path):
    """The lock every writer of the catalog and of its inputs under ``data_dir`` (production imports, the
    user's groups) holds while it decides and writes (see :mod:`setu.store.files`)."""
    return file_lock(private_dir(data_dir) / LOCK)


def clean(data_dir: Path) -> bool:
    """Remove temporary databases a killed build left, unless a build is running now; called at start."""
    if not (data_dir / LOCK).exists():
        return False
    with try_lock(data_dir / LOCK) as free:
        if free:
            remove_debris(data_dir, *DEBRIS)
        return free


def build(data_dir: Path, *, force: bool = False, _after_write: Callable[[], None] | None = None) -> BuildReport:
    """Build (or refresh) the catalog atomically, under the writer lock. Returns what was done.

    The fingerprint is compared under the lock, so two builds starting together build once; temporary
    databases a killed build left behind are removed first."""
    with writer_lock(data_dir):
        remove_debris(data_dir, *DEBRIS)
        return _build(data_dir, force, _after_write)


def _build(data_dir: Path, force: bool, _after_write: Callable[[], None] | None) -> BuildReport:
    target = data_dir / "catalog.duckdb"
    fingerprint = inputs_fingerprint(data_dir)
    if not force and stored_fingerprint(target) == fingerprint:
        with duckdb.connect(str(target), read_only=True) as con:
            observations = con.execute("SELECT count(*) FROM observations").fetchone()[0]
            materials = con.execute("SELECT count(*) FROM materials").fetchone()[0]
        return BuildReport(target, False, observations, materials, fingerprint)
    handle, temporary_name = tempfile.mkstemp(prefix=".catalog-", suffix=".duckdb", dir=data_dir)
    os.close(handle)
    temporary = Path(temporary_name)
    temporary.unlink()  # duckdb must create the file itself
    try:
        with duckdb.connect(str(temporary)) as con:
            observations, materials = _write(con, data_dir, fingerprint)
        if _after_write is not None:  # test hook: simulate a crash before the swap
            _after_write()
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
        raise
    return BuildReport(target, True, observations, materials, fingerprint)


@contextmanager
def connect(data_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection to the catalog; builds it first if it does not exist yet."""
    path = data_dir / "catalog.duckdb"
    if not path.exists():
        build(data_dir)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise CatalogError(f"cannot open the catalog at {path}: {error}; run `setu catalog build --force`") from None
    try:
        yield con
    finally:
        con.close()


def records(con: duckdb.DuckDBPyConnection, sql: str, parameters: Iterable[object] = ()) -> list[dict[str, object]]:
    """Run a query and return its rows as dictionaries."""
    cursor = con.execute(sql, list(parameters))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
