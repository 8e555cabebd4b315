"""The bundled watch data (register and monitoring series) is documented: every file is in its folder's
SOURCE.md table with a matching sha256."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path

import pytest

ROW = re.compile(r"^\|\s*`?([^|`]+?)`?\s*\|\s*`?([0-9a-f]{64})`?\s*\|", re.MULTILINE)


@pytest.mark.parametrize("folder", ["measures", "watch"])
def test_source_tables_match_files(folder):
    root = Path(str(resources.files("setu").joinpath("data", folder)))
    rows = dict(ROW.findall((root / "SOURCE.md").read_text(encoding="utf-8")))
    files = {p.name for p in root.iterdir() if p.is_file() and p.name not in {"SOURCE.md", "__init__.py"}}
    assert set(rows) == files, "list every bundled file in SOURCE.md (and only those)"
    for name, digest in rows.items():
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest, f"{folder}/{name}: update SOURCE.md"
