"""Every bundled data file names its source: listed in data/SOURCES.yaml with its sha256, or in a folder
whose SOURCE.md documents it. Checksums recorded there must match the files."""

from __future__ import annotations

import hashlib
import re

import yaml

from setu.reference import tables

_ROW = re.compile(r"^\|\s*`?([^|`]+?)`?\s*\|.*?\b([0-9a-f]{64})\b.*\|\s*$", re.MULTILINE)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_checksums_and_provenance() -> None:
    root = tables.data_path()
    manifest = yaml.safe_load((root / "SOURCES.yaml").read_text(encoding="utf-8"))
    listed = {}
    for source in manifest["sources"]:
        for key in ("source_id", "publisher", "licence", "years", "title"):
            assert source.get(key), (source.get("source_id"), key)
        listed.update(source["files"])
    for relative, digest in listed.items():
        assert _sha(root / relative) == digest, relative
    folders = manifest.get("documented_elsewhere", [])
    for folder in folders:
        source_md = root / folder / "SOURCE.md"
        assert source_md.exists(), f"{folder} needs a SOURCE.md"
        rows = _ROW.findall(source_md.read_text(encoding="utf-8"))
        assert rows, f"{source_md} has no '| file | sha256 |' table"
        for relative, digest in rows:
            assert _sha(root / folder / relative) == digest, f"{folder}{relative}"
    on_disk = {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.name not in {"SOURCES.yaml", "__init__.py"} and "__pycache__" not in p.parts
    }
    authored = manifest.get("authored", [])
    for folder in authored:
        assert (root / folder / "SOURCE.md").exists(), f"{folder} needs a SOURCE.md"
    covered_folders = [*folders, *authored]
    uncovered = {p for p in on_disk if p not in listed and not any(p.startswith(f) for f in covered_folders)}
    assert not uncovered, sorted(uncovered)
