"""No merge-conflict markers in any tracked file.

A merge once carried ``<<<<<<<``/``=======``/``>>>>>>>`` blocks into README.md, docs/architecture.md and the
docstring of ``setu.errors``: they render, import and even pass other tests, so they need a check of their own.
The markers are matched as git writes them (seven characters at the start of a line, then a space or the line's
end), which Markdown rules (``---``) and reStructuredText underlines (``=====``, any other length) never are.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(rb"^(<{7}|={7}|>{7})( |\r?$)", re.MULTILINE)


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name.decode() for name in out.split(b"\0") if name]


def markers_in(data: bytes) -> list[int]:
    """1-based line numbers of conflict markers in ``data`` (empty for binary files)."""
    if b"\0" in data[:8192]:
        return []
    return [data.count(b"\n", 0, match.start()) + 1 for match in MARKER.finditer(data)]


def test_the_matcher_finds_each_marker_and_nothing_else() -> None:
    text = b"a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> main\n---\n========\n====== x\n"
    assert markers_in(text) == [2, 4, 6]


def test_no_tracked_file_holds_a_conflict_marker() -> None:
    found = []
    for path in tracked_files():
        if path.is_file():
            found += [f"{path.relative_to(ROOT)}:{line}" for line in markers_in(path.read_bytes())]
    assert not found, "merge-conflict markers: " + ", ".join(found)
