"""The optional data pack: found in the checkout, verified, added, removed; and without it, every cable
command says how to add it (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from setu.cli.cables import app as cables_app
from setu.cli.data import app as data_app
from setu.errors import DataFormatError, DataPackMissingError, UnknownNameError
from setu.reference.tables import data_path
from setu.services import datapacks
from setu.settings import Settings

runner = CliRunner()
PACK = "submarine-cables"


def test_repository_copy_is_found_verified_and_kept_apart_from_the_package():
    folder = datapacks.source_copy(PACK)
    assert folder is not None and folder.parent == datapacks.checkout_packs_dir()
    manifest = datapacks.read_manifest(folder)
    datapacks.verify(folder, manifest)  # every sha256 in pack.yaml matches
    assert "NC-SA" in manifest.licence and (folder / manifest.licence_file).is_file()
    assert (folder / "SOURCE.md").is_file()
    # never mixed into the Apache-2.0 package or its bundled data
    package = Path(data_path()).parent
    assert not folder.resolve().is_relative_to(package.resolve())
    assert not any(p.name in manifest.files for p in package.rglob("*") if p.is_file())


def test_add_copies_and_verifies_and_remove_deletes(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data")
    with pytest.raises(DataPackMissingError, match="setu data add submarine-cables"):
        datapacks.require(settings, PACK)
    manifest, target = datapacks.add(settings, PACK)
    assert datapacks.require(settings, PACK) == target
    assert sorted(p.name for p in target.iterdir()) == sorted([*manifest.files, "pack.yaml", "SOURCE.md"])
    datapacks.add(settings, PACK)  # adding again replaces the copy
    assert datapacks.remove(settings, PACK) and not datapacks.remove(settings, PACK)
    with pytest.raises(UnknownNameError, match="submarine-cables"):
        datapacks.add(settings, "submarine-cable")


def test_a_damaged_copy_is_refused_and_nothing_changes(tmp_path: Path):
    source = datapacks.source_copy(PACK)
    damaged = tmp_path / PACK
    damaged.mkdir()
    for item in source.iterdir():
        (damaged / item.name).write_bytes(item.read_bytes())
    with (damaged / "cables.jsonl").open("a") as handle:
        handle.write("\n")
    settings = Settings(data_dir=tmp_path / "data")
    with pytest.raises(DataFormatError, match=r"cables\.jsonl: sha256 differs"):
        datapacks.add(settings, PACK, from_path=tmp_path)
    assert datapacks.installed(settings, PACK) is None


COMMANDS = [
    ["country", "JPN"],
    ["stations", "IND"],
    ["suppliers", "JPN"],
    ["suppliers", "--owners"],
    ["routes", "JPN", "IND"],
    ["cut", "--cable", "SeaMeWe-5"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] + str(i) for i, c in enumerate(COMMANDS)])
def test_every_cable_command_without_the_pack_says_how_to_add_it(without_pack, args):
    result = runner.invoke(cables_app, args)
    assert isinstance(result.exception, DataPackMissingError), result.output
    assert "setu data add submarine-cables" in str(result.exception)


def test_exit_code_2_without_the_pack(without_pack):
    env = {**os.environ, "SETU_DATA_DIR": str(without_pack)}
    result = subprocess.run([sys.executable, "-c", "from setu.cli.main import run; run()", "cables", "country",
                             "JPN"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 2, result.stderr
    assert "setu data add submarine-cables" in result.stderr


def test_data_commands(without_pack):
    listed = json.loads(runner.invoke(data_app, ["list", "--json"]).output)
    assert listed["rows"][0]["pack"] == PACK and listed["rows"][0]["installed"] is False
    added = runner.invoke(data_app, ["add", PACK, "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["files"] == 5
    assert json.loads(runner.invoke(data_app, ["list", "--json"]).output)["rows"][0]["installed"] is True
    assert json.loads(runner.invoke(data_app, ["remove", PACK, "--json"]).output) == {
        "pack": PACK, "removed": True, "rows": []}
    assert runner.invoke(data_app, ["remove", PACK]).output.strip() == f"{PACK} was not installed"
