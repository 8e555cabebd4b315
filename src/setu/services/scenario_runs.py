"""A scenario run (`setu scenario run`) kept in the data directory.

A run propagates the scenario month by month and solves the partners' best response (linear programmes,
SciPy's HiGHS); its document depends only on the scenario file, the bundled maps (the CLI loads maps
without the catalog), the files beside a user's scenario (maps it names by relative path), the bundled
reference tables, the trade catalog's manifest (which lists the checksum of every file it holds, for
scenarios with a trade baseline) and the bundled BACI extract it is first loaded from, the settings that choose the trade data, the options and the code. It
is kept in the derived store (:mod:`setu.store.derived`) under a key of all of them and read back without
importing NumPy, SciPy or the scenario model; a change to any input is another key, never a stale answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from setu.settings import Settings
from setu.store import derived

NAMESPACE = "scenario-run"
#: Largest scenario text accepted from an editor (bytes); the bundled files are under 20 kB.
MAX_SCENARIO_BYTES = 256 * 1024
#: the code a run is computed by (see :func:`setu.store.derived.key`)
CODE = derived.ALL_CODE


def bundled_scenario_files() -> dict[str, Path]:
    """Bundled scenario files by id (the file name without its suffix)."""
    folder = resources.files("setu.data.scenarios")
    return {Path(item.name).stem: Path(str(item)) for item in folder.iterdir()
            if item.name.endswith((".yaml", ".json"))}


def scenario_file(name_or_path: str) -> Path | None:
    """The file ``ScenarioService.load`` reads for a bundled id or a path; None when it names neither."""
    folder = resources.files("setu.data.scenarios")
    for suffix in (".yaml", ".json"):
        bundled = folder.joinpath(name_or_path + suffix)
        if "/" not in name_or_path and "\\" not in name_or_path and bundled.is_file():
            return Path(str(bundled))
    path = Path(name_or_path)
    return path if path.suffix in (".yaml", ".yml", ".json") and path.exists() else None


def _named_maps(file: Path) -> list[Path]:
    """The files a scenario's ``map:`` may name (beside the scenario, or from the working folder), read from
    its text without parsing it: a map in a subfolder, above it or given by an absolute path is keyed too."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    named = [line.split(":", 1)[1].strip().strip("'\"") for line in text.splitlines()
             if line.lstrip().startswith(("map:", '"map":'))]
    return [candidate for value in named if value for candidate in (file.parent / value, Path(value))]


def inputs(settings: Settings, file: Path) -> list[Path]:
    beside = sorted(p for p in file.parent.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))
    return [file, *beside, *_named_maps(file), *derived.bundled_files(["maps", "reference", "baci"]), settings.trade_dir / "manifest.json"]


def stored(settings: Settings, name_or_path: str, options: Mapping[str, Any],
           compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What ``compute`` returns for this run, from the store when it holds it for these inputs."""
    file = scenario_file(name_or_path)
    if file is None:
        return compute()  # the unknown name's error
    parameters = {"scenario": name_or_path, "file": str(file), **options, "engine": settings.engine,
                  "bundled_trade": settings.bundled_trade, "spark_master": settings.spark_master,
                  "spark_catalog_url": settings.spark_catalog_url}
    return derived.cached(settings.data_dir, NAMESPACE, lambda: derived.key(NAMESPACE, inputs=inputs(settings, file), code=CODE, parameters=parameters), compute)
