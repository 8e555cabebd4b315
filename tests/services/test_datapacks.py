"""Data packs cannot reach outside their folder, and installing one is a single rename.

A manifest naming ``../`` paths or absolute paths, and a pack holding a symbolic link, are refused before
anything is copied; the installed pack is a link to its folder, replaced in one ``os.replace``, and what a
killed ``add`` leaves behind is removed by the next one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from setu.errors import DataFormatError
from setu.services import datapacks
from setu.settings import Settings

PACK = "submarine-cables"


def pack_copy(tmp_path: Path) -> Path:
    """A copy of the repository's pack to edit (under tmp_path/packs/<id>)."""
    folder = tmp_path / "packs" / PACK
    shutil.copytree(datapacks.source_copy(PACK), folder)
    return folder


def rewrite_manifest(folder: Path, **changes) -> None:
    manifest = yaml.safe_load((folder / "pack.yaml").read_text())
    manifest.update(changes)
    (folder / "pack.yaml").write_text(yaml.safe_dump(manifest))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["../../../outside.txt", "/etc/outside.txt", "sub/../../outside.txt",
                                  "..\\outside.txt", "./cables.jsonl"])
def test_a_file_name_that_leaves_the_pack_is_refused_and_nothing_is_written(tmp_path, name):
    folder = pack_copy(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("planted")
    manifest = yaml.safe_load((folder / "pack.yaml").read_text())
    rewrite_manifest(folder, files={**manifest["files"], name: digest(outside)})
    settings = Settings(data_dir=tmp_path / "data" / "setu")
    with pytest.raises(DataFormatError, match="leaves the pack's folder") as raised:
        datapacks.add(settings, PACK, from_path=folder.parent)
    assert raised.value.field == f"files.{name}"
    assert datapacks.installed(settings, PACK) is None
    assert not (tmp_path / "data" / "outside.txt").exists() and not (tmp_path / "outside.txt.copy").exists()


def test_a_symbolic_link_in_the_pack_is_refused(tmp_path):
    folder = pack_copy(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the pack")
    (folder / "cables.jsonl").unlink()
    os.symlink(secret, folder / "cables.jsonl")
    manifest = yaml.safe_load((folder / "pack.yaml").read_text())
    rewrite_manifest(folder, files={**manifest["files"], "cables.jsonl": digest(secret)})
    settings = Settings(data_dir=tmp_path / "data")
    with pytest.raises(DataFormatError, match="symbolic link"):
        datapacks.add(settings, PACK, from_path=folder.parent)
    assert datapacks.installed(settings, PACK) is None


def test_replacing_a_pack_is_one_rename_and_debris_is_cleaned(tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path / "data")
    _, target = datapacks.add(settings, PACK)
    first = os.readlink(target)
    parent = target.parent
    (parent / f".{PACK}-killedadd").mkdir()  # a staging folder a killed add left
    (parent / f".{PACK}.link-1234abcd").symlink_to(first)  # and its half-made link

    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (renames.append((Path(a).name, Path(b).name)),
                                                     real_replace(a, b))[1])
    datapacks.add(settings, PACK)
    assert [target_name for _, target_name in renames].count(PACK) == 1  # the pack changes in one rename
    assert os.readlink(target) != first and datapacks.installed(settings, PACK) == target
    assert sorted(p.name for p in parent.iterdir()) == sorted([".lock", PACK, os.readlink(target)])
    datapacks.verify(target, datapacks.read_manifest(target))


def test_a_kill_before_the_rename_leaves_the_old_pack_installed(tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path / "data")
    _, target = datapacks.add(settings, PACK)
    before = os.readlink(target)

    def killed(a, b):
        raise KeyboardInterrupt  # the process dies where the link would be replaced

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        datapacks.add(settings, PACK)
    monkeypatch.undo()
    assert os.readlink(target) == before and datapacks.installed(settings, PACK) == target
    datapacks.add(settings, PACK)  # the next add cleans what the killed one left
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([".lock", PACK, os.readlink(target)])


def test_a_pack_installed_as_a_plain_folder_is_replaced(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    legacy = datapacks.installed_dir(settings, PACK)
    shutil.copytree(datapacks.source_copy(PACK), legacy)
    datapacks.add(settings, PACK)
    assert legacy.is_symlink() and datapacks.installed(settings, PACK) == legacy
    assert datapacks.remove(settings, PACK) and list(legacy.parent.iterdir()) == [legacy.parent / ".lock"]


def test_a_kill_inside_the_move_of_a_plain_folder_pack_is_undone_by_the_next_add(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    legacy = datapacks.installed_dir(settings, PACK)
    shutil.copytree(datapacks.source_copy(PACK), legacy.with_name(f".{PACK}-old-1234abcd"))  # moved, not replaced
    assert datapacks.installed(settings, PACK) is None
    with datapacks._packs_lock(settings):  # what every add and remove does first
        datapacks.clean(settings)
    assert datapacks.installed(settings, PACK) == legacy
