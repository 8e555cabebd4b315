"""What Setu hands Spark, checked without starting it: the addresses it checks before using a cluster,
the file addresses the executors read, and the time-out setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from setu.errors import EngineError, ValidationError
from setu.settings import Settings
from setu.store.spark import addresses, check_reachable, is_local
from setu.store.trade import TradeCatalog, TradeEngine

from .spark_cluster import free_ports


def test_master_and_connect_addresses_are_parsed_with_spark_default_ports():
    assert addresses("spark://m1.example.org:7078,m2.example.org") == [("m1.example.org", 7078),
                                                                       ("m2.example.org", 7077)]
    assert addresses("sc://connect.example.org/;token=abc;use_ssl=true") == [("connect.example.org", 15002)]
    assert addresses("sc://10.0.0.5:443") == [("10.0.0.5", 443)]
    assert addresses("yarn") == addresses("k8s://https://api:6443") == addresses("local[2]") == []
    assert is_local(None) and is_local("local[*]") and not is_local("spark://h:7077")
    with pytest.raises(ValidationError, match=r"spark://:7077 is not a valid address: no host"):  # exit 2
        addresses("spark://:7077")


def test_one_reachable_standby_master_is_enough():
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        listening = server.getsockname()[1]
        closed = free_ports(1)[0]
        check_reachable(f"spark://127.0.0.1:{closed},127.0.0.1:{listening}", timeout_s=5)
        with pytest.raises(EngineError, match=rf"the Spark master spark://127.0.0.1:{closed} is unreachable "
                                              rf"\(127.0.0.1:{closed}: "):
            check_reachable(f"spark://127.0.0.1:{closed}", timeout_s=5)


def test_spark_reads_explicit_file_addresses_or_the_cluster_url(tmp_path):
    relative = "parts/20260101T000000-ab/source=baci/hs=HS2017/year=2022/part-0.parquet"
    engine = TradeEngine(TradeCatalog(tmp_path / "my trade"), "spark")
    # file:// so that a cluster whose default file system is HDFS does not look there; '=' and ' ' not escaped
    assert engine.spark_path(relative) == f"file://{tmp_path}/my trade/{relative}"
    on_s3 = TradeEngine(TradeCatalog(tmp_path), "spark", spark_catalog_url="s3a://bucket/setu/trade/")
    assert on_s3.spark_path(relative) == f"s3a://bucket/setu/trade/{relative}"


def test_spark_timeout_setting():
    assert Settings.from_env({"SETU_DATA_DIR": "/d"}).spark_timeout_s == 120.0
    assert Settings.from_env({"SETU_DATA_DIR": "/d", "SETU_SPARK_TIMEOUT": "7.5"}).spark_timeout_s == 7.5
    settings = Settings.from_env({"SETU_DATA_DIR": "/d", "SETU_SPARK_CATALOG_URL": "hdfs://nn:8020/setu/trade"})
    assert settings.spark_catalog_url == "hdfs://nn:8020/setu/trade" and settings.data_dir == Path("/d")
    for bad in ("0", "-3", "soon"):
        with pytest.raises(ValidationError, match=rf"SETU_SPARK_TIMEOUT='{bad}': expected a number of seconds"):
            Settings.from_env({"SETU_DATA_DIR": "/d", "SETU_SPARK_TIMEOUT": bad})


def test_a_local_session_binds_its_driver_and_block_manager_to_loopback():
    """Read from the settings the session is built with, so no JVM is needed; the Spark tests read the same
    values back from a running session (test_engines.py)."""
    from setu.store.spark import local_conf

    conf = local_conf()
    assert conf["spark.driver.bindAddress"] == "127.0.0.1"  # the driver's RPC and block-manager ports
    assert conf["spark.driver.host"] == "127.0.0.1"  # what the driver advertises to its executors
    assert conf["spark.ui.enabled"] == "false"  # no web UI port at all


@pytest.mark.parametrize("master", ["localhost", "local[0]", "spark:/m:7077", "http://m:7077", "local[two]",
                                    "spark://m:notaport", "sc://", "yarn cluster"])
def test_a_master_that_is_not_a_spark_address_is_the_users_input(tmp_path, master):
    with pytest.raises(ValidationError, match=r"not a (Spark master|valid) address"):
        TradeEngine(TradeCatalog(tmp_path), "spark", master)


def test_accepted_master_forms_and_catalog_urls(tmp_path):
    for master in (None, "local", "local[4]", "local[*]", "local[2,3]", "spark://m1:7077,m2:7077", "yarn",
                   "k8s://https://api.example.org:6443", "sc://connect.example.org:15002/;token=x"):
        TradeEngine(TradeCatalog(tmp_path), "spark", master)
    TradeEngine(TradeCatalog(tmp_path), "spark", spark_catalog_url="hdfs://nn:8020/setu/trade")
    with pytest.raises(ValidationError, match="is not a URL"):
        TradeEngine(TradeCatalog(tmp_path), "spark", spark_catalog_url="/mnt/setu/trade")


def test_the_cli_exits_2_for_a_bad_master_without_a_java_trace(tmp_path):
    import subprocess
    import sys

    env = {"SETU_DATA_DIR": str(tmp_path / "data"), "SETU_BUNDLED_TRADE": "0", "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    result = subprocess.run([sys.executable, "-c", "from setu.cli.main import run; run()", "dependence", "JPN",
                             "--product", "850511", "--engine", "spark", "--spark-master", "localhost"],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 2, result.stderr
    assert "'localhost' is not a Spark master address" in result.stderr and "Traceback" not in result.stderr
    assert "java" not in result.stderr.lower()
