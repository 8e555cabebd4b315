"""Every bundled data file is listed in data/SOURCES.yaml with its sha256, publisher and licence."""

from __future__ import annotations

import hashlib

import yaml

from setu.reference import tables


def test_checksums_and_provenance() -> None:
    root = tables.data_path()
    manifest = yaml.safe_load((root / "SOURCES.yaml").read_text(encoding="utf-8"))
    listed = {}
    for source in manifest["sources"]:
        for key in ("source_id", "publisher", "licence", "years", "title"):
            assert source.get(key), (source.get("source_id"), key)
        listed.update(source["files"])
    for relative, digest in listed.items():
        assert hashlib.sha256((root / relative).read_bytes()).hexdigest() == digest, relative
    on_disk = {
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name not in {"SOURCES.yaml"} and "__pycache__" not in p.parts
    }
    covered = {p for p in on_disk if p in listed or any(p.startswith(d) for d in manifest.get("documented_elsewhere", []))}
    assert on_disk == covered, sorted(on_disk - covered)
