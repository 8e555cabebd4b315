"""The public names of setu.policy exist, and the bundled data files match the sha256 recorded in SOURCE.md."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import setu.policy
from setu.services.policy import bundled_library_files, bundled_rule_files


def test_exported_members():
    assert sorted(setu.policy.__all__) == sorted(name for name in setu.policy.__all__ if hasattr(setu.policy, name))
    assert {"screen", "Transaction", "Requirement", "PolicyLibrary", "NOTICE"} <= set(setu.policy.__all__)


def test_source_md_records_the_sha256_of_every_bundled_file():
    files = [*bundled_library_files(), *bundled_rule_files()]
    folder = files[0].parent
    recorded = {name: digest for digest, name in
                re.findall(r"^([0-9a-f]{64})  (\S+)$", (folder / "SOURCE.md").read_text("utf-8"), re.M)}
    for path in [*files, folder / "sectors.yaml"]:
        name = str(Path(path).relative_to(folder))
        assert recorded.get(name) == hashlib.sha256(Path(path).read_bytes()).hexdigest(), name
