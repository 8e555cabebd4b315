"""The overview page kept in the derived store: equal to the page computed afresh, and recomputed when an
input changes (here the trade catalog's manifest)."""

from __future__ import annotations

import shutil
from pathlib import Path

from setu.settings import Settings
from setu.web.views import Views, _json_values


def _entries(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "derived" / "page-overview").glob("*.json"))


def test_stored_overview_equals_fresh_and_follows_the_trade_manifest(built_catalog: Path, tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy2(built_catalog / "catalog.duckdb", data / "catalog.duckdb")
    settings = Settings(data_dir=data)
    Views(settings).overview("JPN")  # the first use also loads the bundled trade extract
    fresh = _json_values(Views(settings)._overview("JPN"))
    assert Views(settings).overview("JPN") == fresh  # stored for the loaded catalog
    count = len(_entries(data))
    assert Views(settings).overview("JPN") == fresh and len(_entries(data)) == count  # read back
    manifest = settings.trade_dir / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert Views(settings).overview("JPN") == fresh
    assert len(_entries(data)) == count + 1  # a changed input is a new entry, not the stored one
