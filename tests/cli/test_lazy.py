"""The lazy command registry: every command listed with its help, loaded only when run, and the heavy
libraries left unimported by the commands that do not need them (checked through sys.modules, not timing)."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from setu.cli.lazy import Entry, Subgroup, load
from setu.cli.main import COMMANDS, app

HEAVY = ("pandas", "ibis", "pymrio", "scipy", "statsmodels", "matplotlib", "plotly", "fastapi", "pyspark")

# Runs the CLI as the console script does, then prints which of HEAVY ended up imported (to stderr's last line).
PROBE = """
import atexit, json, sys
heavy = {heavy!r}
atexit.register(lambda: print("IMPORTED " + json.dumps(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr))
from setu.cli.main import run
sys.argv = ["setu", *{args!r}]
run()
"""


def _probe(*args: str, data_dir: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    env = {**os.environ, "SETU_DATA_DIR": str(data_dir)}
    code = PROBE.format(heavy=HEAVY, args=list(args))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    marker = [line for line in result.stderr.splitlines() if line.startswith("IMPORTED ")]
    assert marker, result.stderr
    return result, json.loads(marker[-1].removeprefix("IMPORTED "))


def _first_paragraph(text: str | None) -> str:
    return " ".join(inspect.cleandoc(text or "").split("\n\n")[0].split())


def _walk(entries: dict[str, Entry | Subgroup], prefix: str = "") -> list[tuple[str, Entry | Subgroup]]:
    found: list[tuple[str, Entry | Subgroup]] = []
    for name, entry in entries.items():
        found.append((prefix + name, entry))
        if isinstance(entry, Subgroup):
            found.extend(_walk(dict(entry.entries), prefix + name + " "))
    return found


@pytest.mark.parametrize(("path", "entry"), _walk(COMMANDS), ids=lambda value: value if isinstance(value, str) else "")
def test_registry_help_is_the_commands_own_first_paragraph(path: str, entry: Entry | Subgroup) -> None:
    """The listing line kept in the registry must not drift from the help the loaded command prints."""
    command = load(path.split()[-1], entry)
    assert _first_paragraph(command.help) == _first_paragraph(entry.help), path


def test_help_lists_every_command_and_group_with_its_help() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=400)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.replace("│", " ").split())
    for name, entry in COMMANDS.items():
        assert f"{name} {_first_paragraph(entry.help)}" in flat, name


def test_group_help_and_nested_import_group() -> None:
    runner = CliRunner()
    maps_help = runner.invoke(app, ["maps", "--help"], terminal_width=400)
    assert maps_help.exit_code == 0 and "vulnerabilities" in maps_help.output
    import_help = runner.invoke(app, ["import", "--help"], terminal_width=400).output
    assert all(name in import_help for name in ("production", "baci", "comtrade"))


def test_unknown_command_is_a_usage_error_with_the_closest_name() -> None:
    result = CliRunner().invoke(app, ["concentraton", "gallium"])
    assert result.exit_code == 2
    assert "concentration" in result.output


def test_a_function_entry_loads_as_a_command_and_an_app_entry_as_a_group() -> None:
    command = load("rank", COMMANDS["rank"])
    group = load("maps", COMMANDS["maps"])
    assert command.name == "rank" and not hasattr(command, "commands")
    assert group.name == "maps" and "vulnerabilities" in group.commands
    assert isinstance(app, typer.Typer)


def test_help_imports_none_of_the_heavy_libraries(built_catalog: Path) -> None:
    result, imported = _probe("--help", data_dir=built_catalog)
    assert result.returncode == 0 and "concentration" in result.stdout
    assert imported == []
    modules = subprocess.run(
        [sys.executable, "-c", "import sys; from setu.cli import main; print(' '.join(sorted(m for m in sys.modules if m.startswith('setu.'))))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert not any(m.startswith(("setu.cli.catalog", "setu.cli.maps", "setu.services", "setu.store")) for m in modules), modules


def test_concentration_lookup_imports_none_of_the_heavy_libraries(built_catalog: Path) -> None:
    result, imported = _probe("concentration", "gallium", "--json", data_dir=built_catalog)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["material"] == "gallium"
    assert imported == []


def test_errors_still_exit_2_through_the_lazy_group(built_catalog: Path) -> None:
    result, _ = _probe("concentration", "galium", data_dir=built_catalog)
    assert result.returncode == 2 and "gallium" in result.stderr


#: the everyday trade answers on the embedded DuckDB: compiled SQL, none of Ibis, pandas, PyArrow, Spark, SciPy
EVERYDAY_TRADE = [
    ("dependence", "JPN", "--product", "850511", "--json"),
    ("dependence", "JPN", "--json"),
    ("supply-risk", "gallium", "--for", "JPN", "--json"),
    ("complementarity", "JPN", "IND", "--json"),
]
TRADE_FORBIDDEN = {"ibis", "pandas", "pyspark", "scipy", "statsmodels", "matplotlib", "plotly", "fastapi", "pymrio"}


@pytest.mark.parametrize("args", EVERYDAY_TRADE, ids=" ".join)
def test_everyday_trade_answers_import_none_of_the_heavy_libraries(built_catalog: Path, args: tuple[str, ...]) -> None:
    """The first question loads the bundled extract and compiles its SQL once (Ibis, PyArrow); every later one
    runs the kept SQL on DuckDB alone. PyArrow and Rich are checked here (not in HEAVY, the other tests' probe)."""
    first, _ = _probe(*args, data_dir=built_catalog)
    assert first.returncode == 0, first.stderr
    code = PROBE.format(heavy=(*HEAVY, "pyarrow", "rich"), args=list(args))
    env = {**os.environ, "SETU_DATA_DIR": str(built_catalog)}
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert again.returncode == 0, again.stderr
    # the same answer (its figures to the engine's last-bit summation order: compared in tests/trade)
    assert json.loads(again.stdout).keys() == json.loads(first.stdout).keys()
    marker = [line for line in again.stderr.splitlines() if line.startswith("IMPORTED ")]
    imported = set(json.loads(marker[-1].removeprefix("IMPORTED ")))
    assert not imported & (TRADE_FORBIDDEN | {"pyarrow", "rich"}), imported  # Rich draws tables, not JSON


# ----- the everyday cables, watch, scenario and maps answers: what each may not import -------------------

MORE_HEAVY = ("numpy", "networkx", "ruptures", "duckdb", "yaml", "sqlalchemy")
PROBE_MORE = PROBE.replace("heavy = {heavy!r}", "heavy = {heavy!r} + {more!r}")


def _probe_all(*args: str, data_dir: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    env = {**os.environ, "SETU_DATA_DIR": str(data_dir)}
    code = PROBE_MORE.format(heavy=HEAVY, more=MORE_HEAVY, args=list(args))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    marker = [line for line in result.stderr.splitlines() if line.startswith("IMPORTED ")]
    assert marker, result.stderr
    return result, json.loads(marker[-1].removeprefix("IMPORTED "))


@pytest.fixture
def fresh_data(built_catalog: Path, tmp_path: Path) -> Path:
    """A data directory of its own (the session's catalog copied, nothing stored yet), with the cables pack."""
    import shutil

    from setu.services import datapacks
    from setu.settings import Settings

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy2(built_catalog / "catalog.duckdb", data_dir / "catalog.duckdb")
    datapacks.add(Settings(data_dir=data_dir), "submarine-cables")
    return data_dir


@pytest.mark.parametrize("args", [("cables", "cut", "--cable", "SeaMeWe-3", "--json"),
                                  ("cables", "routes", "JPN", "IND", "--json"),
                                  ("cables", "country", "JPN", "--json")], ids=lambda a: " ".join(a[:2]))
def test_cables_import_no_graph_library_nor_arrays(fresh_data: Path, args: tuple[str, ...]):
    """The first asking computes with SciPy's compiled graph algorithms (maximum flow, components, Dijkstra),
    so it may import NumPy and SciPy but not networkx, pandas or DuckDB; the second is read from the derived
    store and imports none of NumPy, SciPy or networkx."""
    first, imported_first = _probe_all(*args, data_dir=fresh_data)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)
    assert not set(imported_first) & {"networkx", "pandas", "duckdb", "ibis"}, imported_first
    second, imported_second = _probe_all(*args, data_dir=fresh_data)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert not set(imported_second) & {"networkx", "numpy", "pandas", "scipy", "duckdb", "ibis"}, imported_second


@pytest.mark.parametrize("args, computing, stored", [
    (("watch", "digest", "--until", "2024-12", "--json"), set(),
     {"pandas", "numpy", "scipy", "statsmodels", "ruptures", "yaml", "duckdb"}),
    (("scenario", "run", "china-gallium", "--json"), {"pandas", "ibis", "duckdb"},
     {"numpy", "scipy", "networkx", "yaml", "duckdb", "pandas"}),
    (("maps", "vulnerabilities", "semiconductors", "--json"), {"networkx", "scipy", "pandas", "ibis"},
     {"networkx", "numpy", "duckdb", "yaml", "pandas"}),
], ids=lambda value: " ".join(value[:2]) if isinstance(value, tuple) else "")
def test_stored_answers_import_none_of_what_computed_them(fresh_data: Path, args, computing, stored):
    """The first asking computes (and may not import ``computing``); the second is read from the derived
    store, prints the same answer and imports none of ``stored``."""
    first, imported_first = _probe_all(*args, data_dir=fresh_data)
    assert first.returncode == 0, first.stderr
    assert not set(imported_first) & computing, imported_first
    second, imported_second = _probe_all(*args, data_dir=fresh_data)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert not set(imported_second) & stored, imported_second


#: what a stored trade answer may not import: the computing stack, the trade service and the catalogs' readers
TRADE_STORED_FORBIDDEN = ("duckdb", "pyarrow", "numpy", "pandas", "ibis", "yaml", "rich", "setu.services.trade",
                          "setu.store.trade", "setu.store.catalog", "setu.services.production", "setu.reference.tables")


@pytest.mark.parametrize("args", EVERYDAY_TRADE, ids=" ".join)
def test_stored_trade_answers_import_none_of_the_computing_stack(fresh_data: Path, args: tuple[str, ...]) -> None:
    """The first asking loads the bundled extract (not kept: its inputs changed while it computed), the second
    computes and keeps its document (setu.services.trade_answers), the third prints it byte for byte without
    the trade service, DuckDB, PyArrow, NumPy or the reference tables."""
    env = {**os.environ, "SETU_DATA_DIR": str(fresh_data)}
    code = PROBE.format(heavy=(*HEAVY, *TRADE_STORED_FORBIDDEN), args=list(args))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
            for _ in range(3)]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    assert runs[2].stdout == runs[1].stdout
    marker = [line for line in runs[2].stderr.splitlines() if line.startswith("IMPORTED ")]
    assert json.loads(marker[-1].removeprefix("IMPORTED ")) == []
    computing = [line for line in runs[1].stderr.splitlines() if line.startswith("IMPORTED ")]
    assert "setu.services.trade" in json.loads(computing[-1].removeprefix("IMPORTED "))  # the second computed
