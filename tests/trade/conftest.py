"""Fixtures: sample files on disk, a catalog built from them, one Spark session for all Spark tests, and
a Spark standalone cluster with a Spark Connect server on loopback for the cluster tests."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from setu.services.trade import TradeService
from setu.settings import Settings
from .spark_cluster import SparkCluster, java_available
from .trade_samples import BACI_2021, BACI_2022, BACI_HS22_2022, COMTRADE_MONTHLY, write


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A data directory holding only what a test imports (the bundled extract has its own tests)."""
    return Settings(data_dir=tmp_path / "data", bundled_trade=False)


@pytest.fixture
def baci_file(tmp_path: Path) -> Path:
    return write(tmp_path, "BACI_HS17_Y2022_V202301.csv", BACI_2022)


@pytest.fixture
def comtrade_file(tmp_path: Path) -> Path:
    return write(tmp_path, "TradeData_JPN_2023_monthly.csv", COMTRADE_MONTHLY)


@pytest.fixture(scope="session")
def loaded_settings(tmp_path_factory) -> Settings:
    """A catalog holding BACI 2021 and 2022 (HS 2017), BACI 2022 in HS 2022, and monthly Comtrade 2023."""
    root = tmp_path_factory.mktemp("trade")
    settings = Settings(data_dir=root / "data", bundled_trade=False)
    service = TradeService(settings)
    service.import_baci([write(root, "BACI_HS17_Y2022_V202301.csv", BACI_2022),
                         write(root, "BACI_HS17_Y2021_V202301.csv", BACI_2021)])
    service.import_baci([write(root, "BACI_HS22_Y2022_V202401.csv", BACI_HS22_2022)])
    service.import_comtrade([write(root, "TradeData_JPN_2023_monthly.csv", COMTRADE_MONTHLY)])
    return settings


@pytest.fixture(scope="session")
def spark_service(loaded_settings: Settings):
    """One Spark session (local mode) for all Spark tests: starting the JVM is slow.

    Without PySpark the Spark tests are skipped on a developer's machine but fail in CI (``CI`` set), where
    the engine-agreement tests must run: install ``setu[spark]`` (PySpark 4.0 and py4j; Java 17).
    """
    if importlib.util.find_spec("pyspark") is None:
        message = "PySpark is not installed: pip install -e '.[spark]' (needs Java 17)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    service = TradeService(loaded_settings, engine="spark")
    yield service
    service.engine.backend._session.stop()


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory):
    """A Spark standalone master with one worker, an idle master and a Spark Connect server, on loopback
    (see spark_cluster.py); started once, stopped at the end. Skipped (failed in CI) without PySpark or
    Java; ``-m "not spark_cluster"`` leaves these tests out."""
    missing = ("PySpark is not installed: pip install -e '.[spark]'" if importlib.util.find_spec("pyspark") is None
               else None if java_available() else "Java 17 is not installed (java not on PATH, JAVA_HOME unset)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    cluster = SparkCluster(tmp_path_factory.mktemp("spark-cluster"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
