"""The Parquet trade catalog and the engines that query it.

Layout under ``Settings.trade_dir``::

    manifest.json                                  the catalog: what is current (swapped atomically)
    parts/<import id>/source=baci/year=2022/part-0.parquet
    parts/<import id>/source=comtrade/year=2023/month=01/part-0.parquet
    .lock                                          one writer at a time

An import writes its partitions under a fresh ``parts/<import id>/`` directory, then replaces
``manifest.json`` in one ``os.replace``. Readers only follow the manifest, so an import that fails or is
killed half-way leaves the previous catalog readable and unchanged; its orphaned directory is removed by
the next import. A dataset is identified by (source, HS revision, year, month). Importing a BACI year
again replaces it; Comtrade bulk files (one per reporter) add up, and a file imported again under the same
name replaces its earlier copy.

Engines: the catalog's Parquet files are bound to an Ibis backend — DuckDB in-process by default, or
PySpark (``local[N]`` by default; a ``spark://`` / ``yarn`` master or an ``sc://`` Spark Connect address for
a cluster, see :mod:`setu.store.spark`). Spark is given the files' addresses, never their rows: its
executors read the Parquet themselves, so on a cluster the catalog must be on storage they reach (a folder
mounted at the same path on every node, or the address in ``SETU_SPARK_CATALOG_URL``: HDFS, S3). The
analytics in :mod:`setu.metrics.trade` are engine-free Ibis expressions.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from setu.errors import CatalogError, NotFoundError, ValidationError
from setu.store.files import file_lock, private_dir, try_lock
from setu.store.spark import DEFAULT_TIMEOUT_S, check_catalog_url, check_master, read_error, spark_session
from setu.store.trade_sql import DirectDuckDB, Question, Rows, cached_sql, duckdb_settings, split_params

if TYPE_CHECKING:  # Ibis and PyArrow load where a path needs them: the compiled DuckDB questions do not
    import ibis
    import pyarrow as pa

__all__ = ["Dataset", "ImportedPart", "InputRecord", "TradeCatalog", "TradeEngine", "spark_session"]

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class InputRecord:
    """A file that was imported: its name, checksum and row counts."""

    name: str
    sha256: str
    rows: int | None = None  # None until written: the rows the import kept
    skipped_rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    """One partition of the catalog: a source's data for one year (and month) in one HS revision."""

    source: str
    dataset: str
    edition: str
    hs_revision: str
    year: int
    month: int | None
    files: tuple[str, ...]  # relative to the catalog root; files[k] holds the rows kept from inputs[k]
    file_sha256: tuple[str, ...]
    rows: int
    inputs: tuple[InputRecord, ...]
    imported_at: str
    file_rows: tuple[int, ...] = ()
    #: at most one row per (flow, exporter, importer, product) and period, checked on import (BACI)
    keyed: bool = False
    #: loaded from the extract bundled with Setu (not a file the user imported)
    bundled: bool = False

    @property
    def key(self) -> tuple[str, str, int, int | None]:
        return (self.source, self.hs_revision, self.year, self.month)

    @classmethod
    def from_json(cls, data: dict) -> Dataset:
        return cls(**{**data, "files": tuple(data["files"]), "file_sha256": tuple(data["file_sha256"]),
                      "file_rows": tuple(data.get("file_rows", ())),
                      "inputs": tuple(InputRecord(**i) for i in data["inputs"])})

    def merged_with(self, newer: Dataset) -> Dataset:
        """This partition plus ``newer``'s files; an input imported again (same file name) is replaced."""
        names = {i.name for i in newer.inputs}
        keep = [k for k, i in enumerate(self.inputs) if i.name not in names]
        file_rows = tuple(self.file_rows[k] for k in keep) + newer.file_rows
        editions = sorted({self.edition, newer.edition})
        return replace(
            newer,
            edition=", ".join(editions),
            files=tuple(self.files[k] for k in keep) + newer.files,
            file_sha256=tuple(self.file_sha256[k] for k in keep) + newer.file_sha256,
            inputs=tuple(self.inputs[k] for k in keep) + newer.inputs,
            file_rows=file_rows,
            rows=sum(file_rows),
            keyed=False,  # several files: rows of one flow may repeat
        )


@dataclass(frozen=True)
class ImportedPart:
    """What an importer hands the catalog: batches of one (year, month) partition and their provenance."""

    source: str
    dataset: str
    edition: str
    hs_revision: str
    inputs: tuple[InputRecord, ...]
    #: True where files add up (Comtrade bulk files, one per reporter); False where a file is the whole
    #: partition (a BACI year), so that importing it again replaces it.
    accumulate: bool = False
    #: True where the importer has checked that no (flow, exporter, importer, product) repeats in a period
    keyed: bool = False
    #: True for the extract bundled with Setu, loaded on first run
    bundled: bool = False


class TradeCatalog:
    """The manifest-guarded Parquet trade catalog rooted at ``root``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    # -- reading ---------------------------------------------------------------------------------
    def state(self) -> str:
        """The manifest's checksum: what the catalog holds now (compiled questions are kept per state)."""
        try:
            return hashlib.sha256((self.root / MANIFEST).read_bytes()).hexdigest()
        except FileNotFoundError:
            return "empty"

    def datasets(self) -> list[Dataset]:
        path = self.root / MANIFEST
        if not path.exists():
            return []
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise CatalogError(f"trade catalog manifest {path} is unreadable: {error}") from error
        if data.get("format") != FORMAT_VERSION:
            raise CatalogError(f"trade catalog manifest {path} has format {data.get('format')!r}")
        return [Dataset.from_json(entry) for entry in data["datasets"]]

    def select(self, *, source: str | None = None, year: int | None = None,
               hs_revision: str | None = None) -> list[Dataset]:
        """The datasets of one source and HS revision (BACI first, newest revision), optionally one year.

        Without a source, a year picks the source that holds it (BACI where both do); the answer's source
        info names it. Without a year, the latest year of the user's own imports is chosen, and the bundled extract's
        latest year only where the user has imported none: a full BACI year someone imported is not
        overshadowed by a newer extract of 30 products.
        """
        candidates = [d for d in self.datasets()
                      if (source is None or d.source == source)
                      and (hs_revision is None or d.hs_revision == hs_revision)]
        if not candidates:
            raise NotFoundError(
                "no trade data in the catalog" + (f" for source {source}" if source else "")
                + (f" in {hs_revision}" if hs_revision else "") + "; import with `setu import baci FILE`")
        if source is None and year is not None:  # the source that holds the year (BACI first), said by the answer
            holding = [d for d in candidates if d.year == year]
            if not holding:
                held = {}
                for d in candidates:
                    held.setdefault(d.source, set()).add(d.year)
                raise NotFoundError(f"no trade data for {year} in any source; years held: " + "; ".join(
                    f"{name} {', '.join(map(str, sorted(years)))}" for name, years in sorted(held.items())))
            candidates = holding
        chosen_source = source or min({d.source for d in candidates}, key=lambda s: (s != "baci", s))
        candidates = [d for d in candidates if d.source == chosen_source]
        if year is None:
            year = max(d.year for d in ([d for d in candidates if not d.bundled] or candidates))
        in_year = [d for d in candidates if d.year == year]
        if not in_year:
            years = sorted({d.year for d in candidates})
            raise NotFoundError(f"no {chosen_source} trade data for {year}; years held: "
                                + ", ".join(map(str, years)))
        revision = hs_revision or max(d.hs_revision for d in in_year)
        return sorted((d for d in in_year if d.hs_revision == revision), key=lambda d: d.month or 0)

    # -- writing ---------------------------------------------------------------------------------
    def write_import(self, items: Iterable[tuple[ImportedPart, Iterable[pa.RecordBatch]]]) -> list[Dataset]:
        """Write every part's batches to a new partition set, then swap the manifest.

        Batches are split by their (year, month) into one Parquet file per partition. A bundled part never
        replaces a partition the user imported (decided under the writer lock). An exception raised
        while the batches are produced (a malformed line) propagates after the new partition set has been
        removed; the manifest is only replaced once every part is written.
        """
        private_dir(self.root)
        with self._writer_lock():
            self._remove_orphans()
            # what this import may replace is decided here, under the lock, on the manifest as it is now:
            # a decision taken before the lock (the bundled load's) could overwrite an import that landed since
            held = {d.key: d for d in self.datasets()}
            import_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
            staging = self.root / "parts" / import_id
            try:
                written: dict[tuple, Dataset] = {}
                accumulate: dict[tuple, bool] = {}
                for part, batches in items:
                    for dataset in self._write_part(staging, part, batches):
                        if dataset.key in written:
                            dataset = written[dataset.key].merged_with(dataset)
                        written[dataset.key] = dataset
                        accumulate[dataset.key] = part.accumulate
                for key in [k for k, d in written.items() if d.bundled and k in held and not held[k].bundled]:
                    for file in written.pop(key).files:  # the user's own import of that year stays
                        (self.root / file).unlink(missing_ok=True)
                merged = dict(held)
                for key, dataset in written.items():
                    merged[key] = merged[key].merged_with(dataset) if accumulate[key] and key in merged else dataset
                self._swap_manifest(sorted(merged.values(), key=lambda d: (d.source, d.hs_revision, d.year,
                                                                           d.month or 0)))
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            self._remove_orphans()
            return list(written.values())

    def _write_part(self, staging: Path, part: ImportedPart, batches: Iterable[pa.RecordBatch]) -> list[Dataset]:
        import pyarrow.parquet as pq

        from setu.sources.trade_csv import TRADE_SCHEMA

        writers: dict[tuple[int, int | None], tuple[Path, pq.ParquetWriter]] = {}
        rows: dict[tuple[int, int | None], int] = {}
        try:
            for batch in batches:
                for (year, month), piece in _split_by_period(batch):
                    if (year, month) not in writers:
                        directory = staging / f"source={part.source}" / f"hs={part.hs_revision}" / f"year={year}"
                        if month is not None:
                            directory = directory / f"month={month:02d}"
                        directory.mkdir(parents=True, exist_ok=True)
                        path = directory / f"part-{uuid.uuid4().hex[:8]}.parquet"
                        # min/max statistics only where they prune (the partition keys): on unsorted
                        # country and product strings they cost half the write time and prune nothing
                        writers[year, month] = (path, pq.ParquetWriter(path, TRADE_SCHEMA, compression="zstd",
                                                                       write_statistics=["year", "month"]))
                        rows[year, month] = 0
                    writers[year, month][1].write_batch(piece, row_group_size=1 << 20)
                    rows[year, month] += piece.num_rows
        finally:
            for _, writer in writers.values():
                writer.close()
        imported_at = datetime.now(UTC).isoformat(timespec="seconds")
        inputs = tuple(replace(i, rows=sum(rows.values())) if i.rows is None else i for i in part.inputs)
        return [
            Dataset(source=part.source, dataset=part.dataset, edition=part.edition, hs_revision=part.hs_revision,
                    year=year, month=month, files=(str(path.relative_to(self.root)),),
                    file_sha256=(_sha256(path),), rows=rows[year, month], inputs=inputs, imported_at=imported_at,
                    file_rows=(rows[year, month],), keyed=part.keyed, bundled=part.bundled)
            for (year, month), (path, _) in sorted(writers.items(), key=lambda item: (item[0][0], item[0][1] or 0))
        ]

    def _swap_manifest(self, datasets: list[Dataset]) -> None:
        payload = {"format": FORMAT_VERSION, "datasets": [asdict(d) for d in datasets]}
        temporary = self.root / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.root / MANIFEST)

    def _remove_orphans(self) -> None:
        """Delete partition sets and temporary manifests that the manifest does not reference."""
        referenced = {Path(f).parts[1] for d in self.datasets() for f in d.files}
        parts = self.root / "parts"
        if parts.exists():
            for directory in parts.iterdir():
                if directory.name not in referenced:
                    shutil.rmtree(directory, ignore_errors=True)
        for temporary in self.root.glob(f".{MANIFEST}.*.tmp"):
            temporary.unlink(missing_ok=True)

    def clean(self) -> bool:
        """Remove what a killed import left (partition sets and manifests the manifest does not name), if
        no import is running now; called when a service starts. Returns whether it could look."""
        if not (self.root / ".lock").exists():
            return False
        with try_lock(self.root / ".lock") as free:
            if free:
                self._remove_orphans()
            return free

    @contextmanager
    def once_lock(self):
        """A lock (``.once.lock``) for one-time steps over the catalog, such as loading the bundled extract:
        held around the check and the load, so that two servers or threads starting together load it once.
        Separate from the writer lock, which the load itself takes."""
        private_dir(self.root)
        with self._file_lock(".once.lock"):
            yield

    def _writer_lock(self):
        return self._file_lock(".lock")

    def _file_lock(self, name: str):
        """An exclusive advisory lock on ``root/name``, held for the block (processes and threads alike)."""
        return file_lock(self.root / name)

    def verify(self) -> list[str]:
        """Files whose checksum no longer matches the manifest (empty when the catalog is intact)."""
        return [f for d in self.datasets() for f, digest in zip(d.files, d.file_sha256, strict=True)
                if not (self.root / f).exists() or _sha256(self.root / f) != digest]


def _split_by_period(batch: pa.RecordBatch) -> list[tuple[tuple[int, int | None], pa.RecordBatch]]:
    """The batch's rows grouped by (year, month); most batches hold one period and are returned whole."""
    import pyarrow as pa
    import pyarrow.compute as pc

    periods = pa.Table.from_batches([batch.select(["year", "month"])]).group_by(["year", "month"]).aggregate([])
    keys = list(zip(periods.column("year").to_pylist(), periods.column("month").to_pylist(), strict=True))
    if len(keys) == 1:
        return [(keys[0], batch)]
    pieces = []
    for year, month in keys:
        mask = pc.and_(pc.equal(batch.column("year"), year),
                       pc.is_null(batch.column("month")) if month is None else pc.equal(batch.column("month"), month))
        pieces.append(((year, month), batch.filter(pc.fill_null(mask, False))))
    return pieces


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# -- engines -------------------------------------------------------------------------------------
class TradeEngine:
    """An Ibis backend bound to the trade catalog; turns manifest entries into Ibis tables.

    ``spark_catalog_url``: the catalog's root as the Spark cluster sees it (``hdfs://nn/setu/trade``,
    ``s3a://bucket/setu/trade``, ``file:///mnt/setu/trade``) where that differs from the local path; the
    manifest is still read locally. ``spark_timeout_s``: see :mod:`setu.store.spark`.

    ``compiled``: DuckDB runs the questions of :meth:`ask` as SQL compiled once from their Ibis expression
    (:mod:`setu.store.trade_sql`); ``False`` executes the expression through Ibis every time, as Spark does.
    """

    def __init__(self, catalog: TradeCatalog, engine: str = "duckdb", spark_master: str | None = None, *,
                 spark_catalog_url: str | None = None, spark_timeout_s: float = DEFAULT_TIMEOUT_S,
                 compiled: bool = True):
        if engine not in ENGINES:
            raise ValidationError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        if engine == "spark":  # a bad address is the user's input: refused here, before Spark starts
            check_master(spark_master)
            check_catalog_url(spark_catalog_url)
        self.catalog = catalog
        self.engine = engine
        self.spark_master = spark_master
        self.spark_catalog_url = spark_catalog_url
        self.spark_timeout_s = spark_timeout_s
        self._backend = None
        self._tables = 0
        # DuckDB connections refuse a second caller while busy, and the server runs pages in threads (and a
        # warm-up thread at start): each thread gets its own in-process DuckDB; Spark's session is shared.
        self._local = threading.local()
        self._opened: list = []
        self._opening = threading.Lock()
        self.compiled = compiled and engine == "duckdb"
        self._direct: DirectDuckDB | None = None

    def ask(self, question: Question, datasets: list[Dataset], *, flow: str = "M", flows=None,
            **params) -> Rows | pa.Table:
        """Rows of ``question(as_reported(flows of datasets, flow), **params)`` (a function of
        :mod:`setu.metrics.trade_questions`); read them with ``to_pylist()``.

        ``flows``: an Ibis table to ask instead (converted flows): executed through Ibis. Otherwise the
        embedded DuckDB runs the compiled SQL of the question and Spark executes its expression.
        """
        if self.compiled and flows is None:
            direct, sql, files, bound = self._compiled(question, datasets, flow, params)
            return direct.run(sql, files, bound)
        return self.execute(self._expression(question, datasets, flow, flows, params))

    def write_parquet(self, question: Question, datasets: list[Dataset], target: Path, *, flow: str = "M",
                      **params) -> None:
        """The answer of :meth:`ask` written to Parquet at ``target`` by the engine's own writer (DuckDB's
        ``COPY``; Spark's executors), for answers of millions of rows."""
        if self.compiled:
            direct, sql, files, bound = self._compiled(question, datasets, flow, params)
            direct.write_parquet(sql, files, bound, target)
            return
        self.backend.to_parquet(self._expression(question, datasets, flow, None, params), str(target))

    def prepare(self, question: Question, datasets: list[Dataset], *, flow: str = "M", **params) -> None:
        """Compile and keep the question's SQL now (DuckDB), so that its first answer runs it; no-op on Spark."""
        if self.compiled:
            self._compiled(question, datasets, flow, params)

    def _compiled(self, question: Question, datasets: list[Dataset], flow: str, params: dict):
        files = [f for d in datasets for f in d.files]
        if not files:
            raise NotFoundError("no trade data selected")
        bound, shape = split_params(params)
        sql = cached_sql(self.catalog.root, question, flow, bound, shape, self.catalog.state())
        with self._opening:  # the server's threads share the engine: one set of per-thread connections
            if self._direct is None:
                self._direct = DirectDuckDB(self.catalog.root)
        return self._direct, sql, files, bound

    def _expression(self, question: Question, datasets: list[Dataset], flow: str, flows, params: dict):
        from setu.metrics.trade import as_reported

        chosen = flows if flows is not None else as_reported(self.flows(datasets), flow)
        return question(chosen, **params)

    @property
    def backend(self):
        if self.engine == "duckdb":
            backend = getattr(self._local, "backend", None)
            if backend is None:
                backend = self._local.backend = self._duckdb()
                with self._opening:
                    self._opened.append(backend)
            return backend
        if self._backend is None:
            import ibis

            self._backend = ibis.pyspark.connect(spark_session(self.spark_master, timeout_s=self.spark_timeout_s))
        return self._backend

    def _duckdb(self):
        """In-process DuckDB with a memory ceiling: beyond it, aggregations and sorts spill to disk under
        the catalog (``SETU_DUCKDB_MEMORY_LIMIT``, default 1GB), so a question over every pair of a
        BACI year stays well under 2 GiB of resident memory."""
        import ibis

        return ibis.duckdb.connect(**duckdb_settings(self.catalog.root))

    def spark_path(self, file: str) -> str:
        """Where Spark reads a catalog file (``file`` relative to the root): under ``spark_catalog_url``
        if set, else the absolute ``file://`` address — with its scheme, because a cluster whose default
        file system is HDFS would look for a bare path there. Not percent-encoded: Hadoop's ``Path``
        would read ``%3D`` literally."""
        if self.spark_catalog_url:
            return self.spark_catalog_url.rstrip("/") + "/" + Path(file).as_posix()
        return "file://" + (self.catalog.root / file).absolute().as_posix()

    def flows(self, datasets: list[Dataset]) -> ibis.Table:
        """One Ibis table over the Parquet files of ``datasets`` (columns of TRADE_SCHEMA)."""
        files = [f for d in datasets for f in d.files]
        if not files:
            raise NotFoundError("no trade data selected")
        self._tables += 1
        name = f"setu_trade_{self._tables}"
        if self.engine == "duckdb":
            # the files carry year and month themselves: keep the directory names out of the schema
            return self.backend.read_parquet([str(self.catalog.root / f) for f in files], table_name=name,
                                             hive_partitioning=False)
        session = self.backend._session
        try:  # the driver lists the files and reads their footers; the executors will read the rows
            session.read.parquet(*map(self.spark_path, files)).createOrReplaceTempView(name)
        except Exception as error:
            translated = read_error(error, self.spark_master, "driver")
            if translated is None:
                raise
            raise translated from error
        return self.backend.table(name)

    def table(self, data: pa.Table) -> ibis.Table:
        """A small reference table (a concordance, a country group); Ibis ships it to the engine on use."""
        import ibis

        return ibis.memtable(data)

    def execute(self, expression: ibis.Expr) -> pa.Table:
        import ibis

        table = expression if isinstance(expression, ibis.Table) else expression.as_table()
        if self.engine == "duckdb":
            return table.to_pyarrow()
        try:
            return table.to_pyarrow()
        except Exception as error:
            translated = read_error(error, self.spark_master, "executors")
            if translated is None:
                raise
            raise translated from error

    def close(self) -> None:
        if self._direct is not None:
            self._direct.close()
        with self._opening:
            opened, self._opened = self._opened, []
        for backend in opened:
            backend.disconnect()
        self._local = threading.local()
        self._backend = None
