"""Spark sessions for the trade engine, and the checks that make a cluster's failures say what is wrong.

A local session (``local[N]``, the default) runs the driver and its executors in one JVM that sees one
file system. A cluster — a standalone master (``spark://host:7077``), ``yarn``, ``k8s://…`` — or a Spark
Connect server (``sc://host:15002``) fails in ways a local run never shows, and Spark reports them slowly
or not at all:

* an unreachable standalone master: the driver retries registration for a minute, then stops its context
  in the background, so the caller only meets a later, unrelated error;
* a master without a worker that can take the application: every job waits for ever ("Initial job has
  not accepted any resources");
* an unreachable Spark Connect server: the client retries with back-off for minutes;
* executors that cannot read the catalog's files (a folder mounted on the driver's machine only): each
  task fails with a Java stack trace.

A local session opens its driver and block-manager ports on 127.0.0.1 only (``spark.driver.bindAddress``
and ``spark.driver.host``): Spark's RPC is unauthenticated by default, and nothing outside the machine needs
to reach a local session. A cluster's driver must be reachable by its executors, so there Spark's own
settings (``spark-defaults.conf``, ``SPARK_LOCAL_IP``) decide.

A master that is not one of Spark's address forms (``local[N]``, ``spark://host:port``, ``yarn``,
``k8s://…``, ``sc://host:port``) is the user's input, refused before Spark starts
(:class:`~setu.errors.ValidationError`, exit 2), instead of Spark's Java stack trace.

Each failure to reach a cluster becomes an :class:`~setu.errors.EngineError` naming the address or the file, within ``timeout_s``
seconds (``SETU_SPARK_TIMEOUT``): a TCP connection to the master or server first, then a two-task probe
job that must finish in time (on time-out its jobs are cancelled); read failures are recognised in
Spark's error and re-stated with the path.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
from urllib.parse import urlsplit

from setu.errors import CatalogError, EngineError, ValidationError

#: seconds allowed to reach a cluster and to run the probe job on one of its executors
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_PORTS = {"spark": 7077, "sc": 15002}

#: what a local session binds to: loopback only (see the module's docstring)
LOOPBACK = "127.0.0.1"
_MASTER = re.compile(r"^(local(\[(\*|[1-9][0-9]*)(,[0-9]+)?\])?|local-cluster\[[0-9]+,[0-9]+,[0-9]+\]|yarn|"
                     r"(spark|sc)://[^\s]+|k8s://[^\s]+)$")

_connect_sessions: dict[str, object] = {}
_probed: set[tuple[str, int]] = set()


def is_local(master: str | None) -> bool:
    return not master or master.startswith("local")


def check_master(master: str | None) -> None:
    """Refuse a master that is not one of Spark's address forms, naming the forms (exit 2 in the CLI)."""
    if master is None:
        return
    if not _MASTER.match(master):
        raise ValidationError(f"{master!r} is not a Spark master address: give local[N], spark://HOST:PORT, "
                              "yarn, k8s://https://HOST:PORT or sc://HOST:PORT (Spark Connect)")
    addresses(master)  # a spark:// or sc:// address names a host and a valid port


def check_catalog_url(url: str | None) -> None:
    """The catalog's address as the cluster sees it must be a URL with a scheme (hdfs://, s3a://, file://)."""
    if url is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s]+$", url):
        raise ValidationError(f"SETU_SPARK_CATALOG_URL={url!r} is not a URL: give the catalog's address as the "
                              "cluster sees it, such as hdfs://namenode:8020/setu/trade or file:///mnt/setu/trade")


def local_conf() -> dict[str, str]:
    """The settings of a local session: loopback only, no UI, shuffle partitions for this machine."""
    return {
        "spark.driver.bindAddress": LOOPBACK,
        "spark.driver.host": LOOPBACK,
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(max(2, os.cpu_count() or 2)),
        "spark.driver.memory": os.environ.get("SETU_SPARK_DRIVER_MEMORY", "2g"),
    }


def spark_session(master: str | None = None, *, timeout_s: float = DEFAULT_TIMEOUT_S):
    """A SparkSession: Spark Connect for ``sc://`` addresses, a classic session otherwise (``local[N]``).

    A cluster is checked before the session is returned (see the module's docstring); a local session is
    not (it has nothing to reach).
    """
    check_master(master)
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise CatalogError("the Spark engine needs PySpark: pip install 'setu[spark]' (and Java 17)") from None
    if master and master.startswith("sc://"):
        return _connect_session(master, timeout_s)
    return _classic_session(master, timeout_s)


def _classic_session(master: str | None, timeout_s: float):
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    requested = master or f"local[{min(os.cpu_count() or 2, 4)}]"
    check_reachable(requested, timeout_s)
    active = SparkContext._active_spark_context
    if active is not None and active.master != requested:
        raise EngineError(f"this process already runs a Spark session on {active.master}; Spark allows one "
                          f"per process, so it cannot also use {requested}")
    builder = SparkSession.builder.appName("setu").master(requested)
    if is_local(requested):
        for key, value in local_conf().items():
            builder = builder.config(key, value)
    builder = builder.config("spark.sql.session.timeZone", "UTC")
    try:
        session = builder.getOrCreate()
    except Exception as error:  # the JVM did not start (no Java) or the master refused the application
        raise EngineError(f"could not start Spark ({requested}): {first_line(error)}") from error
    session.sparkContext.setLogLevel("ERROR")
    if not is_local(requested):
        _probe(session, requested, timeout_s, connect=False)
    return session


def _connect_session(master: str, timeout_s: float):
    check_reachable(master, timeout_s)
    try:
        from pyspark.sql.connect.session import SparkSession as ConnectSession
    except ImportError as error:  # grpcio and friends: the 'spark' extra
        raise CatalogError(f"Spark Connect needs its client libraries: pip install 'setu[spark]' ({error})") from None
    session = _connect_sessions.get(master)
    if session is None or getattr(session, "is_stopped", False):
        # the Connect builder itself, not SparkSession.builder.remote(): the latter switches the whole
        # process to Connect mode and refuses to run beside a classic session
        session = ConnectSession.builder.remote(master).appName("setu").create()
        _connect_sessions[master] = session
    _probe(session, master, timeout_s, connect=True)
    return session


def addresses(master: str) -> list[tuple[str, int]]:
    """The (host, port) pairs behind a ``spark://`` master (standby masters comma-separated) or an
    ``sc://host:port/;params`` address; empty for masters Setu cannot check (local, yarn, k8s)."""
    scheme, _, rest = master.partition("://")
    if scheme not in DEFAULT_PORTS or not rest:
        return []
    pairs = []
    for host in rest.split("/")[0].split(";")[0].split(","):
        try:
            parts = urlsplit(f"//{host}")
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError as error:
            raise ValidationError(f"{master} is not a valid address: {error}") from None
        if not parts.hostname:
            raise ValidationError(f"{master} is not a valid address: no host")
        pairs.append((parts.hostname, port))
    return pairs


def check_reachable(master: str, timeout_s: float) -> None:
    """Open (and close) a TCP connection to the master or server; any one of standby masters will do."""
    failures = []
    for host, port in addresses(master):
        try:
            with socket.create_connection((host, port), timeout=min(timeout_s, 10.0)):
                return
        except OSError as error:
            failures.append(f"{host}:{port}: {error.strerror or error}")
    if failures:
        kind = "Spark Connect server" if master.startswith("sc://") else "Spark master"
        raise EngineError(f"the {kind} {master} is unreachable ({'; '.join(failures)}): check the address "
                          "and that it is running")


def _probe(session, master: str, timeout_s: float, *, connect: bool) -> None:
    """Run a two-task job that needs an executor; cancel it and raise if it has not finished in time."""
    key = (master, id(session))
    if key in _probed:
        return
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["rows"] = session.range(0, 2, 1, 2).count()
        except Exception as error:  # reported below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="setu-spark-probe", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        with contextlib.suppress(Exception):  # the session may be unusable: the error below says what matters
            session.interruptAll() if connect else session.sparkContext.cancelAllJobs()
        worker.join(min(timeout_s, 30.0))
        if connect:
            raise EngineError(f"the Spark Connect server {master} did not run a two-task probe job within "
                              f"{timeout_s:g} s (SETU_SPARK_TIMEOUT): its cluster may have no live worker with "
                              "free cores and memory")
        executors = _executor_count(session)
        session.stop()
        raise EngineError(f"no executor of the Spark master {master} ran a two-task probe job within "
                          f"{timeout_s:g} s (SETU_SPARK_TIMEOUT; {executors} executor(s) registered): the master "
                          "has no live worker with enough free cores and memory for this application "
                          "(spark.executor.memory, spark.cores.max); its web UI lists its workers")
    if "error" in outcome:
        if not connect:
            session.stop()
        raise EngineError(f"the Spark cluster {master} could not run a probe job: "
                          f"{first_line(outcome['error'])}") from outcome["error"]
    _probed.add(key)


def _executor_count(session) -> int | str:
    try:
        return session.sparkContext._jsc.sc().getExecutorIds().size()
    except Exception:
        return "no"


# -- read failures ---------------------------------------------------------------------------------
_UNREADABLE = re.compile(r"FileNotFound|FILE_NOT_EXIST|PATH_NOT_FOUND|does not exist|AccessDenied|"
                         r"Permission denied|No FileSystem for scheme", re.IGNORECASE)
_PATH = re.compile(r"((?:[a-z][a-z0-9+.-]*:)?/[^\s'\"`,;\]\)]*\.parquet)")
_EXECUTOR = re.compile(r"\(([^()\s]+) executor ([^()\s]+)\)")


def read_error(error: BaseException, master: str | None, where: str) -> EngineError | None:
    """An :class:`EngineError` naming the file if ``error`` is Spark failing to read one, else None.

    ``where`` says who read: "driver" (while planning: listing files, reading Parquet footers) or
    "executors" (while running the query's tasks).
    """
    text = str(error)
    if not _UNREADABLE.search(text):
        return None
    match = _PATH.search(text)
    path = match.group(1) if match else "the catalog's Parquet files"
    executor = _EXECUTOR.search(text)
    if executor:
        reader = f"Spark executor {executor.group(2)} on {executor.group(1)}"
    elif where == "executors":
        reader = "the Spark executors"
    else:
        reader = "the Spark driver" + (" (the Connect server)" if master and master.startswith("sc://") else "")
    return EngineError(
        f"{reader} of {master or 'local Spark'} cannot read {path}: every executor (and the driver) must reach "
        "the catalog's files at the path Setu gives — put SETU_DATA_DIR on storage mounted at the same path on "
        "every node, or set SETU_SPARK_CATALOG_URL to the catalog's address as the cluster sees it "
        f"(hdfs://…, s3a://…, file:///mnt/…). Spark said: {first_line(error)}")


def first_line(error: BaseException) -> str:
    """The first meaningful line of a (Java) error, without its stack trace."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if not line.startswith(("at ", "JVM stacktrace", "An error occurred while calling", "<_", "status =")):
            return line[:500]
    return lines[0][:500] if lines else type(error).__name__
