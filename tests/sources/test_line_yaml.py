"""A YAML file with a control character is a located input error (exit 2), in every YAML reader."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pytest

from setu.cli import main
from setu.errors import DataFormatError
from setu.sources import policy as policy_source
from setu.sources.line_yaml import load_marked


def with_bell(source: str, line: int, tmp_path: Path, name: str) -> Path:
    """A copy of a bundled file with BEL (\\x07) appended to the given 1-based line."""
    lines = source.split("\n")
    lines[line - 1] += " \x07"
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_reader_error_names_line_and_column() -> None:
    with pytest.raises(DataFormatError) as caught:
        load_marked("a: 1\nb: x\x07y\n", file="bad.yaml")
    assert caught.value.line == 2 and caught.value.file == "bad.yaml"
    assert "U+0007 at column 5" in str(caught.value)


@pytest.mark.parametrize(
    ("package", "name", "command"),
    [
        ("setu.data.maps", "batteries.yaml", ["maps", "validate"]),
        ("setu.data.scenarios", "china-gallium.yaml", ["scenario", "validate"]),
        ("setu.data.policy", "japan.yaml", ["policy", "validate"]),
    ],
)
def test_validate_commands_exit_2_with_the_line(
    package: str, name: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    path = with_bell(resources.files(package).joinpath(name).read_text("utf-8"), 4, tmp_path, name)
    monkeypatch.setattr(sys, "argv", ["setu", *command, str(path)])
    with pytest.raises(SystemExit) as exited:
        main.run()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"{path}:4: not valid YAML" in err and "U+0007" in err and "Traceback" not in err


def test_policy_loader_raises_a_located_error(tmp_path: Path) -> None:
    path = with_bell(resources.files("setu.data.policy").joinpath("japan.yaml").read_text("utf-8"), 3, tmp_path, "j.yaml")
    with pytest.raises(DataFormatError) as caught:
        policy_source.load_library([path])
    assert caught.value.line == 3
