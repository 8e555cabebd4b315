"""One Settings object, built by entry points and passed down (never read at import time).

The data directory defaults to the platform's user data directory
(e.g. ``~/.local/share/setu`` on Linux) and can be moved with ``SETU_DATA_DIR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from setu.errors import ValidationError


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    engine: str = "duckdb"
    spark_master: str | None = None
    #: the trade catalog's root as a Spark cluster sees it (hdfs://…, s3a://…), where that differs from trade_dir
    spark_catalog_url: str | None = None
    #: seconds allowed to reach a Spark cluster and run a probe job on it before a clear error
    spark_timeout_s: float = 120.0
    database_url: str | None = None
    #: load the bundled BACI critical-materials extract into the trade catalog on first use
    #: (``SETU_BUNDLED_TRADE=0`` keeps the catalog to the user's own imports)
    bundled_trade: bool = True
    #: the secret that signs register backups and verifies them on restore (``SETU_BACKUP_KEY``)
    backup_key: str | None = field(default=None, repr=False)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def catalog_path(self) -> Path:
        """The embedded DuckDB reference catalog (USGS, WGI, HS, countries)."""
        return self.data_dir / "catalog.duckdb"

    @property
    def trade_dir(self) -> Path:
        """Root of the Parquet trade catalog (BACI, Comtrade, customs)."""
        return self.data_dir / "trade"

    @property
    def register_database_url(self) -> str:
        """The cooperation register's database: ``SETU_DATABASE_URL``, else a SQLite file in data_dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'register.sqlite3'}"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("SETU_DATA_DIR") or user_data_dir("setu", appauthor=False))
        return cls(
            data_dir=data_dir,
            engine=env.get("SETU_ENGINE", "duckdb"),
            spark_master=env.get("SETU_SPARK_MASTER") or None,
            spark_catalog_url=env.get("SETU_SPARK_CATALOG_URL") or None,
            spark_timeout_s=_positive_seconds(env, "SETU_SPARK_TIMEOUT", 120.0),
            database_url=env.get("SETU_DATABASE_URL") or None,
            bundled_trade=env.get("SETU_BUNDLED_TRADE", "1").strip().lower() not in {"0", "false", "no", "off"},
            backup_key=env.get("SETU_BACKUP_KEY") or None,
        )


def _positive_seconds(env, name: str, default: float) -> float:
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ValidationError(f"{name}={text!r}: expected a number of seconds greater than 0")
    return value
