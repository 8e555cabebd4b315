"""Administrative use cases on the catalog: user-defined country groups and production imports.

Imports are transactional: the file is validated completely, stored under the data directory, and the
catalog rebuilt; if any step fails, the stored files and the catalog are as they were before.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from setu.domain.countries import CountryGroup, CountryRegistry
from setu.errors import ValidationError
from setu.reference import tables
from setu.settings import Settings
from setu.sources import production_csv
from setu.store import catalog
from setu.store.files import private_dir, remove_debris


def user_groups_path(settings: Settings) -> Path:
    return settings.data_dir / "groups.yaml"


def country_registry(settings: Settings) -> CountryRegistry:
    """The bundled countries and groups plus the user's own groups (``<data_dir>/groups.yaml``)."""
    registry = tables.countries()
    path = user_groups_path(settings)
    if path.exists():
        registry = registry.with_groups(tables.parse_groups(path, user_defined=True))
    return registry


def _atomic_write(path: Path, text: str) -> None:
    private_dir(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def add_group(settings: Settings, group_id: str, members: Sequence[str], *, source: str, name: str | None = None) -> CountryGroup:
    group_id = group_id.strip().upper()
    if not group_id.replace("-", "").replace("_", "").isalnum():
        raise ValidationError(f"group id {group_id!r} must be letters, digits, '-' or '_'")
    if not source.strip():
        raise ValidationError("a group needs a source (who defines its membership)")
    bundled = tables.countries()
    if group_id in bundled.groups:
        raise ValidationError(f"{group_id} is a bundled group; choose another id")
    path = user_groups_path(settings)
    with catalog.writer_lock(settings.data_dir):  # read, change and write the file as one step
        registry = country_registry(settings)  # validates the file as it is now (its root is a mapping)
        resolved = registry.resolve_many(members)
        document = tables.load_yaml(path) if path.exists() else None
        document = document or {"format": "setu-groups/1", "groups": {}}
        document["groups"] = dict(document.get("groups") or {})
        document["groups"][group_id] = {"name": name or group_id, "source": source, "members": sorted(resolved)}
        _atomic_write(path, yaml.safe_dump(document, sort_keys=True, allow_unicode=True))
    return country_registry(settings).group(group_id)


def import_production(settings: Settings, path: Path) -> dict[str, object]:
    """Validate ``path`` completely, then store it and rebuild the catalog, all or nothing (under the
    catalog's writer lock, so that two imports or an import and a build do not interleave)."""
    rows = production_csv.parse(path, tables.materials(), country_registry(settings))
    with catalog.writer_lock(settings.data_dir):
        return _store_production(settings, path, len(rows))


def _store_production(settings: Settings, path: Path, rows: int) -> dict[str, object]:
    remove_debris(settings.data_dir / "imports" / "production", ".*.csv.????????")  # a killed import's temporaries
    folder = settings.data_dir / "imports" / "production"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}.previous")
        shutil.copy2(target, backup)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
        os.close(handle)
        shutil.copyfile(path, temporary)
        os.replace(temporary, target)
        catalog.build(settings.data_dir)
    except BaseException:
        if backup is not None:
            os.replace(backup, target)
        else:
            target.unlink(missing_ok=True)
        raise
    if backup is not None:
        backup.unlink(missing_ok=True)
    return {"rows": rows, "source_id": production_csv.source_id_of(target), "stored_as": str(target)}
