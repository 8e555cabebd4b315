"""A real Spark standalone cluster and a Spark Connect server on loopback, for the cluster tests.

Started with the installed PySpark distribution's own launchers (``bin/spark-class``,
``bin/spark-submit``): a master with one worker (2 cores, 1,280 MiB: room for two applications of one
512 MiB executor each), a Spark Connect server whose application runs on that worker, and a second master
with no worker at all (for the failure test). Every process binds to 127.0.0.1 on a free port, logs to
and works in one temporary folder, runs in its own process group and is stopped with it.
``spark-defaults.conf`` in that folder's ``conf/`` sizes the applications; a driver started in a child
process gets it through ``SPARK_CONF_DIR`` (see :meth:`SparkCluster.driver_env`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

APPLICATION_DEFAULTS = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.cores.max": "1",
    "spark.executor.cores": "1",
    "spark.executor.memory": "512m",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
}


def java_available() -> bool:
    return bool(os.environ.get("JAVA_HOME") or shutil.which("java"))


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            handle = socket.socket()
            handle.bind(("127.0.0.1", 0))
            sockets.append(handle)
        return [handle.getsockname()[1] for handle in sockets]
    finally:
        for handle in sockets:
            handle.close()


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


class SparkCluster:
    """Master + worker + Connect server (+ an idle master) under ``base``; :meth:`start`, :meth:`stop`."""

    def __init__(self, base: Path, *, worker_cores: int = 2, worker_memory: str = "1280m",
                 application: dict[str, str] | None = None):
        import pyspark

        self.base = Path(base)
        self.worker_cores, self.worker_memory = worker_cores, worker_memory
        self.home = Path(pyspark.__file__).resolve().parent
        (self.master_port, self.master_ui_port, self.worker_ui_port, self.connect_port, self.connect_ui_port,
         self.idle_port, self.idle_ui_port) = free_ports(7)
        self.master_url = f"spark://127.0.0.1:{self.master_port}"
        self.idle_master_url = f"spark://127.0.0.1:{self.idle_port}"
        self.connect_url = f"sc://127.0.0.1:{self.connect_port}"
        self.connect_ui = f"http://127.0.0.1:{self.connect_ui_port}"
        self.processes: dict[str, subprocess.Popen] = {}
        (self.base / "conf").mkdir(parents=True, exist_ok=True)
        (self.base / "logs").mkdir(exist_ok=True)
        (self.base / "conf" / "spark-defaults.conf").write_text(
            "".join(f"{key} {value}\n" for key, value in (application or APPLICATION_DEFAULTS).items()),
            encoding="utf-8")

    # -- environment -------------------------------------------------------------------------------
    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, SPARK_HOME=str(self.home), SPARK_CONF_DIR=str(self.base / "conf"),
                   SPARK_LOCAL_IP="127.0.0.1", SPARK_LOCAL_DIRS=str(self.base / "local"),
                   PYSPARK_PYTHON=sys.executable, **extra)
        env.pop("SPARK_REMOTE", None)
        env.pop("SPARK_CONNECT_MODE_ENABLED", None)
        return env

    def driver_env(self) -> dict[str, str]:
        """For a child process whose Setu drives the cluster: the applications' defaults, and this
        checkout's ``src`` and ``tests`` on the path."""
        tests = Path(__file__).resolve().parents[1]
        path = os.pathsep.join([str(tests.parent / "src"), str(tests), os.environ.get("PYTHONPATH", "")])
        return self.env(PYTHONPATH=path.rstrip(os.pathsep))

    # -- lifecycle ----------------------------------------------------------------------------------
    def _launch(self, name: str, script: str, args: list[str], env: dict[str, str]) -> None:
        with open(self.base / "logs" / f"{name}.log", "wb") as log:
            self.processes[name] = subprocess.Popen(
                ["bash", str(self.home / "bin" / script), *args], stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=self.base, env=env, start_new_session=True)

    def start(self, timeout_s: float = 300.0, *, connect: bool = True, idle_master: bool = True) -> SparkCluster:
        """Start the master and worker, and (optionally) the Connect server and the idle master; return
        once the worker has registered and the others listen."""
        daemon = self.env(SPARK_DAEMON_MEMORY="256m")
        self._launch("master", "spark-class", ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                               "--port", str(self.master_port),
                                               "--webui-port", str(self.master_ui_port)], daemon)
        if idle_master:
            self._launch("idle-master", "spark-class", ["org.apache.spark.deploy.master.Master", "--host",
                                                        "127.0.0.1", "--port", str(self.idle_port),
                                                        "--webui-port", str(self.idle_ui_port)], daemon)
        self._launch("worker", "spark-class", ["org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                                               "--webui-port", str(self.worker_ui_port),
                                               "--cores", str(self.worker_cores), "--memory", self.worker_memory,
                                               "--work-dir", str(self.base / "work"), self.master_url], daemon)
        if connect:
            self._launch("connect", "spark-submit", [
                "--master", self.master_url, "--driver-memory", "768m", "--name", "setu-connect-server",
                "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
                "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
                "--conf", f"spark.connect.grpc.binding.port={self.connect_port}",
                "--conf", f"spark.ui.port={self.connect_ui_port}", "spark-internal"], self.env())
        deadline = time.monotonic() + timeout_s
        self._wait("worker registered with the master", deadline,
                   lambda: get_json(f"http://127.0.0.1:{self.master_ui_port}/json/")["aliveworkers"] >= 1)
        if idle_master:
            self._wait("idle master listening", deadline, lambda: port_open(self.idle_port))
        if connect:
            self._wait("Spark Connect server listening", deadline, lambda: port_open(self.connect_port))
        return self

    def _wait(self, what: str, deadline: float, ready) -> None:
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"Spark {name} exited with {process.returncode} before: {what}\n"
                                       + self.log_tail(name))
            try:
                if ready():
                    return
            except OSError:  # the UI is not up yet
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for: {what}\n"
                                   + "\n".join(self.log_tail(name) for name in self.processes))
            time.sleep(0.25)

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.base / "logs" / f"{name}.log"
        text = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
        return f"--- {name} log ---\n" + "\n".join(text)

    def stop(self) -> None:
        for name in ("connect", "worker", "idle-master", "master"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
            except ProcessLookupError:
                pass

    def worker_pid(self) -> int | None:
        process = self.processes.get("worker")
        return process.pid if process is not None and process.poll() is None else None
