"""Optional data packs: separately licensed data that Setu can use but does not bundle.

A pack is a folder with a ``pack.yaml`` manifest (id, title, publisher, licence, and the sha256 of every
file) next to its licence text. The repository keeps each pack under ``datapacks/<id>/``, outside the
Apache-2.0 package; ``setu data add <id>`` verifies the checksums and copies the folder into the user's
data directory (``<data_dir>/datapacks/<id>``), all or nothing. Nothing is downloaded.

A pack's file names stay inside its folder: an absolute name, a ``..`` part or a symbolic link is refused,
so a manifest cannot make Setu read or write outside the pack. The installed pack is a folder
``.<id>-<random>`` and ``<id>`` a symbolic link to it; adding again writes a new folder beside it and
replaces the link in one ``os.replace``, so a kill at any moment leaves either the old pack or the new
one installed. Folders no link points to (a killed add's staging, a replaced pack) are removed by the
next ``add`` or ``remove``, which hold ``datapacks/.lock``.

Where the repository copy is found: ``--from PATH`` (a pack folder, or a folder of packs), else
``$SETU_DATAPACKS_DIR``, else the ``datapacks/`` folder of the source checkout this package runs from
(an editable install, ``pip install -e .``, of a clone).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import setu
from setu.errors import DataFormatError, DataPackMissingError, NotFoundError, UnknownNameError
from setu.settings import Settings
from setu.sources.line_yaml import load_marked, read_text
from setu.store.files import file_lock, private_dir, try_lock

MANIFEST = "pack.yaml"
FORMAT = "setu-datapack/1"
#: The packs Setu knows how to use, with what each one is for.
KNOWN_PACKS: dict[str, str] = {
    "submarine-cables": "submarine cables and landing stations, for `setu cables`",
}
_REQUIRED = ("id", "title", "publisher", "licence", "licence_file", "year", "files")


@dataclass(frozen=True)
class PackManifest:
    id: str
    title: str
    publisher: str
    licence: str
    licence_file: str
    year: int
    files: dict[str, str]  # file name -> sha256
    attribution: str = ""
    url: str = ""
    data_as_of: str = ""


@dataclass(frozen=True)
class PackStatus:
    id: str
    purpose: str
    installed: Path | None
    available: Path | None  # the copy `setu data add` would use
    manifest: PackManifest | None


def read_manifest(folder: Path) -> PackManifest:
    path = folder / MANIFEST
    if not path.exists():
        raise NotFoundError(f"{folder} is not a data pack: it has no {MANIFEST}")
    raw = load_marked(read_text(path, what="pack manifest"), file=str(path))
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise DataFormatError(f"expected format: {FORMAT}", file=str(path), field="format")
    for key in _REQUIRED:
        if not raw.get(key):
            raise DataFormatError("missing", file=str(path), field=key)
    files = raw["files"]
    if not isinstance(files, dict) or not all(isinstance(v, str) and len(v) == 64 for v in files.values()):
        raise DataFormatError("expected file name: sha256 (64 hex digits)", file=str(path), field="files")
    for name in files:
        _check_name(str(name), path)
    if raw["licence_file"] not in files:
        raise DataFormatError("the licence file must be listed under files", file=str(path), field="licence_file")
    return PackManifest(
        id=str(raw["id"]), title=str(raw["title"]), publisher=str(raw["publisher"]), licence=str(raw["licence"]),
        licence_file=str(raw["licence_file"]), year=int(raw["year"]), files={str(k): v for k, v in files.items()},
        attribution=str(raw.get("attribution") or ""), url=str(raw.get("url") or ""),
        data_as_of=str(raw.get("data_as_of") or ""),
    )


def _check_name(name: str, manifest: Path) -> None:
    """A listed file is a plain relative name inside the pack's folder (forward slashes, no ``..``)."""
    parts = PurePosixPath(name).parts
    if (not name or "\\" in name or "\x00" in name or PurePosixPath(name).is_absolute()
            or any(part in ("..", ".") for part in parts) or name != PurePosixPath(name).as_posix()):
        raise DataFormatError(f"file name {name!r} leaves the pack's folder (absolute, '..' or '\\'); list "
                              "files by their name inside the pack", file=str(manifest), field=f"files.{name}")


def _inside(folder: Path, name: str) -> Path:
    """``folder/name``, refused when it or a folder on the way is a symbolic link (which could point
    anywhere) or when it resolves outside ``folder``."""
    path = folder / name
    for step in [path, *path.parents]:
        if step == folder or folder.is_relative_to(step):
            break
        if step.is_symlink():
            raise DataFormatError("a symbolic link in a data pack is refused: copy the file itself",
                                  file=str(step))
    if not path.resolve().is_relative_to(folder.resolve()):
        raise DataFormatError("leaves the pack's folder", file=str(path))
    return path


def sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def verify(folder: Path, manifest: PackManifest) -> None:
    """Every listed file is present with its recorded sha256; raises the first mismatch."""
    for name, digest in manifest.files.items():
        path = _inside(folder, name)
        if not path.is_file():
            raise DataFormatError("listed in pack.yaml but missing", file=str(path))
        if sha256(path) != digest:
            raise DataFormatError(f"sha256 differs from pack.yaml ({digest[:12]}…): the copy is damaged or edited",
                                  file=str(path))


def _known(pack_id: str) -> str:
    if pack_id not in KNOWN_PACKS:
        import difflib

        raise UnknownNameError("data pack", pack_id, difflib.get_close_matches(pack_id, list(KNOWN_PACKS), n=3))
    return pack_id


def checkout_packs_dir() -> Path | None:
    """``datapacks/`` of the source checkout this package runs from (``src/setu`` -> the repository root),
    when there is one: the case of ``pip install -e .`` in a clone."""
    root = Path(setu.__file__).resolve().parent.parent.parent
    folder = root / "datapacks"
    return folder if folder.is_dir() else None


def source_copy(pack_id: str, from_path: Path | None = None, environ: dict[str, str] | None = None) -> Path | None:
    """The folder ``setu data add`` copies from, or None when no copy is found."""
    env = os.environ if environ is None else environ
    candidates: list[Path] = []
    if from_path is not None:
        candidates += [from_path, from_path / pack_id]
    else:
        if env.get("SETU_DATAPACKS_DIR"):
            candidates.append(Path(env["SETU_DATAPACKS_DIR"]) / pack_id)
        checkout = checkout_packs_dir()
        if checkout is not None:
            candidates.append(checkout / pack_id)
    for folder in candidates:
        if (folder / MANIFEST).is_file():
            return folder
    return None


def installed_dir(settings: Settings, pack_id: str) -> Path:
    return settings.data_dir / "datapacks" / pack_id


def installed(settings: Settings, pack_id: str) -> Path | None:
    folder = installed_dir(settings, pack_id)
    return folder if (folder / MANIFEST).is_file() else None


def require(settings: Settings, pack_id: str) -> Path:
    """The installed pack's folder, or :class:`DataPackMissingError` saying how to add it."""
    folder = installed(settings, _known(pack_id))
    if folder is None:
        raise DataPackMissingError(pack_id, KNOWN_PACKS[pack_id])
    return folder


def add(settings: Settings, pack_id: str, from_path: Path | None = None) -> tuple[PackManifest, Path]:
    """Verify the repository copy and install it; an existing installation is replaced only once the new
    copy is complete and verified (stored data stay as they were on any error)."""
    _known(pack_id)
    source = source_copy(pack_id, from_path)
    if source is None:
        where = str(from_path) if from_path else "$SETU_DATAPACKS_DIR or the datapacks/ folder of a Setu checkout"
        raise NotFoundError(f"no copy of the {pack_id!r} data pack found in {where}: pass --from PATH to "
                            "the datapacks/ folder of a Setu clone")
    manifest = read_manifest(source)
    if manifest.id != pack_id:
        raise DataFormatError(f"this is pack {manifest.id!r}, not {pack_id!r}", file=str(source / MANIFEST), field="id")
    verify(source, manifest)
    target = installed_dir(settings, pack_id)
    with _packs_lock(settings):
        clean(settings)
        staging = Path(tempfile.mkdtemp(prefix=f".{pack_id}-", dir=target.parent))
        try:
            for name in [*manifest.files, MANIFEST, "SOURCE.md"]:
                if _inside(source, name).is_file():
                    destination = staging / name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source / name, destination, follow_symlinks=False)
            verify(staging, manifest)
            _point(target, staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        clean(settings)  # the folder the link pointed to before
    return manifest, target


def _point(target: Path, folder: Path) -> None:
    """Make ``target`` a link to ``folder`` in one rename (a new link beside it replaces the old one)."""
    link = target.with_name(f".{target.name}.link-{uuid.uuid4().hex[:8]}")
    os.symlink(folder.name, link)
    if target.is_dir() and not target.is_symlink():  # a pack installed as a plain folder by an older Setu
        target.rename(target.with_name(f".{target.name}-old-{uuid.uuid4().hex[:8]}"))
    os.replace(link, target)


def clean(settings: Settings) -> list[str]:
    """Remove the folders and links of ``datapacks/`` that no installed pack uses (what a killed ``add``
    left, or the copy an ``add`` replaced). Call with the packs' lock held. Returns the names removed."""
    parent = settings.data_dir / "datapacks"
    if not parent.is_dir():
        return []
    for old in sorted(parent.glob(".*-old-*")):  # a kill inside the one-time move of a plain-folder pack
        pack = parent / old.name[1:].rsplit("-old-", 1)[0]
        if not pack.exists() and not pack.is_symlink():
            old.rename(pack)
    used = {os.readlink(p) for p in parent.iterdir() if p.is_symlink() and not p.name.startswith(".")}
    removed = []
    for path in parent.iterdir():
        if not path.name.startswith(".") or path.name == ".lock" or path.name in used:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def clean_unlocked(settings: Settings) -> list[str]:
    """:func:`clean` at start, if no ``add`` or ``remove`` is running now (else nothing)."""
    lock = settings.data_dir / "datapacks" / ".lock"
    if not lock.exists():
        return []
    with try_lock(lock) as free:
        return clean(settings) if free else []


def _packs_lock(settings: Settings):
    return file_lock(private_dir(settings.data_dir / "datapacks") / ".lock")


def remove(settings: Settings, pack_id: str) -> bool:
    """Delete the installed pack; False when it was not installed."""
    folder = installed_dir(settings, _known(pack_id))
    with _packs_lock(settings):
        if not folder.exists() and not folder.is_symlink():
            return False
        if folder.is_symlink():
            folder.unlink()  # one step: the pack is gone; its folder is debris for clean()
        else:
            shutil.rmtree(folder)
        clean(settings)
    return True


def status(settings: Settings) -> list[PackStatus]:
    rows = []
    for pack_id, purpose in KNOWN_PACKS.items():
        folder = installed(settings, pack_id)
        available = source_copy(pack_id)
        manifest = read_manifest(folder or available) if (folder or available) else None
        rows.append(PackStatus(pack_id, purpose, folder, available, manifest))
    return rows
