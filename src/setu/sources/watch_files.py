"""Where the watch's inputs are: the bundled measures register and monthly series, and the user's own
files and folders. Only paths (no parsing), so that the digest's stored answers can be keyed by these files
without importing the detectors (:mod:`setu.services.watch_digest`)."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from setu.errors import DataFormatError

BUNDLED_SERIES_FILE = "china_exports_hs6_monthly.csv"


def bundled_series_path() -> Path:
    """The bundled monthly series (UN Comtrade, China's exports of three HS6 codes by partner)."""
    return Path(str(resources.files("setu").joinpath("data", "watch", BUNDLED_SERIES_FILE)))


def bundled_register_paths() -> list[Path]:
    """The bundled register's measures files, sorted."""
    folder = resources.files("setu").joinpath("data", "measures")
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml")))


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every ``*.yaml``/``*.yml`` inside named folders (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        elif path.exists():
            files.append(path)
        else:
            raise DataFormatError("no such file or folder", file=str(path))
    return files
