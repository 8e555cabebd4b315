"""The layering rules of docs/architecture.md, checked by walking the imports of every module under src/setu.

* only ``setu.store`` imports a database driver (duckdb, sqlalchemy, alembic, pyspark) or holds SQL;
* ``setu.web`` does not import ``setu.cli``; ``setu.api`` and ``setu.web`` do not import each other (the
  composition root ``setu.app`` joins them);
* the pure core imports no shell, service or store, and ``setu.optimise`` (the generic LP adapter) nothing
  of the scenarios it is used by;
* no import inside a function dodges a cycle: an in-function import of a Setu module is allowed (to load a
  heavy stack late) only if the same import at the top of the module would not close a cycle.

The walker reads source with ``ast`` (nothing is imported); ``if TYPE_CHECKING:`` blocks are skipped.
The last test runs it on a small package that breaks every rule, so the checks are known to bite.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import setu

SRC = Path(setu.__file__).resolve().parent.parent
DRIVERS = ("duckdb", "sqlalchemy", "alembic", "pyspark")
SQL = re.compile(r"\b(SELECT\s[\s\S]+?\sFROM|INSERT\s+INTO|CREATE\s+(TABLE|VIEW|INDEX)|DELETE\s+FROM|"
                 r"UPDATE\s+\w+\s+SET|DROP\s+TABLE)\b")
PURE_CORE = ("domain", "metrics", "maps", "scenarios", "optimise", "propagate", "watch", "policy", "cables")
OUTER = ("setu.store", "setu.services", "setu.cli", "setu.api", "setu.web", "setu.app")


@dataclass
class Module:
    name: str
    path: Path
    top: set[str] = field(default_factory=set)  # imported at module level
    late: list[tuple[str, int]] = field(default_factory=list)  # (target, line) imported inside a function
    strings: list[tuple[str, int]] = field(default_factory=list)


def _name_of(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(module: Module, node: ast.Import | ast.ImportFrom, names: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
        parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        base = ".".join([*parts, base] if base else parts)
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base for alias in node.names]


def read_modules(root: Path, package: str = "setu") -> dict[str, Module]:
    """Every module of ``package`` under ``root`` with what it imports at the top and inside functions."""
    modules = {_name_of(root, p): Module(_name_of(root, p), p) for p in sorted((root / package).rglob("*.py"))}
    names = set(modules)
    for module in modules.values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))

        def visit(node: ast.AST, in_function: bool, module: Module = module) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    continue
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    for target in _targets(module, child, names):
                        if in_function:
                            module.late.append((target, child.lineno))
                        else:
                            module.top.add(target)
                elif isinstance(child, ast.Constant) and isinstance(child.value, str):
                    module.strings.append((child.value, child.lineno))
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

        visit(tree, False)
    return modules


def _runs(target: str, modules: dict[str, Module]) -> list[str]:
    """Importing ``a.b.c`` runs ``a``, ``a.b`` and ``a.b.c`` (those that are modules of the tree)."""
    parts = target.split(".")
    return [name for name in (".".join(parts[:i]) for i in range(1, len(parts) + 1)) if name in modules]


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def _all_imports(module: Module) -> list[tuple[str, int | None]]:
    return [(target, None) for target in sorted(module.top)] + module.late


def driver_imports(modules: dict[str, Module]) -> list[str]:
    return [f"{m.name} imports {target}" for m in modules.values() if not _within(m.name, "setu.store")
            for target, _ in _all_imports(m) if target.split(".")[0] in DRIVERS]


def sql_outside_store(modules: dict[str, Module]) -> list[str]:
    return [f"{m.path.name}:{line}: {text.strip()[:60]!r}" for m in modules.values()
            if not _within(m.name, "setu.store") for text, line in m.strings if SQL.search(text)]


def forbidden(modules: dict[str, Module], rules: dict[str, tuple[str, ...]]) -> list[str]:
    """``rules``: package -> packages it must not import (at the top or inside a function)."""
    return [f"{m.name} imports {target}" for m in modules.values() for package, banned in rules.items()
            if _within(m.name, package) for target, _ in _all_imports(m)
            if any(_within(target, b) for b in banned)]


def cycle_dodges(modules: dict[str, Module]) -> list[str]:
    """In-function imports that would close an import cycle if written at the top of their module."""
    graph = {name: {run for target in m.top for run in _runs(target, modules)} - {name} for name, m in modules.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, stack = set(), [start]
        while stack:
            current = stack.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                stack.extend(graph.get(current, ()))
        return False

    return [f"{m.name}:{line} imports {target} inside a function (a cycle at the top)"
            for m in modules.values() for target, line in m.late
            if any(reaches(run, m.name) for run in _runs(target, modules) if run != m.name)]


def test_only_the_store_imports_database_drivers_or_holds_sql():
    modules = read_modules(SRC)
    assert "setu.store.catalog" in modules and "setu.store.catalog_reader" in modules  # the walker sees the tree
    assert driver_imports(modules) == []
    assert sql_outside_store(modules) == []


def test_shells_do_not_import_each_other():
    modules = read_modules(SRC)
    assert forbidden(modules, {"setu.web": ("setu.cli", "setu.api"), "setu.api": ("setu.web", "setu.cli"),
                               "setu.services": ("setu.cli", "setu.api", "setu.web", "setu.app")}) == []


def test_the_pure_core_imports_no_shell_service_or_store():
    modules = read_modules(SRC)
    rules = {f"setu.{package}": OUTER for package in PURE_CORE}
    rules["setu.optimise"] = (*OUTER, "setu.scenarios")
    assert forbidden(modules, rules) == []


def test_no_in_function_import_dodges_a_cycle():
    assert cycle_dodges(read_modules(SRC)) == []


def test_the_walker_finds_each_kind_of_violation(tmp_path: Path):
    files = {
        "setu/__init__.py": "",
        "setu/store/__init__.py": "import duckdb\nQUERY = 'SELECT a FROM t'\n",
        "setu/services/__init__.py": "",
        "setu/services/briefing.py": "import duckdb\nQ = '''SELECT source_id\n FROM sources'''\n",
        "setu/web/__init__.py": "",
        "setu/web/site.py": "from setu.cli import main\n\ndef install():\n    from setu.web import pages\n",
        "setu/web/pages.py": "from setu.web import site\nfrom ..api import errors\n",
        "setu/api/__init__.py": "",
        "setu/api/errors.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from setu.web import site\n",
        "setu/cli/__init__.py": "",
        "setu/cli/main.py": "def run():\n    import setu.api.errors\n",  # late but no cycle: allowed
        "setu/optimise/__init__.py": "from setu.scenarios import model\n",
        "setu/scenarios/__init__.py": "",
        "setu/scenarios/model.py": "def f():\n    import sqlalchemy\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    modules = read_modules(tmp_path)
    assert sorted(driver_imports(modules)) == ["setu.scenarios.model imports sqlalchemy",
                                               "setu.services.briefing imports duckdb"]
    assert sql_outside_store(modules) == ["briefing.py:2: 'SELECT source_id\\n FROM sources'"]
    assert sorted(forbidden(modules, {"setu.web": ("setu.cli", "setu.api"), "setu.api": ("setu.web",)})) == [
        "setu.web.pages imports setu.api.errors", "setu.web.site imports setu.cli.main"]
    assert forbidden(modules, {"setu.optimise": ("setu.scenarios",)}) == ["setu.optimise imports setu.scenarios.model"]
    assert cycle_dodges(modules) == ["setu.web.site:4 imports setu.web.pages inside a function (a cycle at the top)"]
