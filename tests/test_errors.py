"""Every exception class Setu defines belongs to the one tree in setu.errors and is drawn in its docstring."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import setu
from setu import errors
from setu.api.errors import status_of

SOURCE = Path(setu.__file__).parent


def defined_exception_classes() -> list[tuple[str, str]]:
    """(module, class) of every class in the package whose bases name an Error or Exception (by AST, so
    the walk imports only the modules that define one)."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        module = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(base) for base in node.bases]
                if any(base.endswith(("Error", "Exception", "Required")) for base in bases):
                    found.append((module, node.name))
    return found


def test_every_exception_class_is_in_the_tree() -> None:
    classes = defined_exception_classes()
    assert len(classes) >= 14  # the walk found the tree itself
    outside = []
    for module, name in classes:
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, errors.SetuError)):
            outside.append(f"{module}.{name} is not a SetuError")
        elif module != "setu.errors":
            outside.append(f"{module}.{name} is defined outside setu.errors")
        elif name not in (errors.__doc__ or ""):
            outside.append(f"{name} is missing from the tree drawn in setu.errors")
    assert outside == []


def test_user_caused_solver_failures_are_client_errors() -> None:
    assert status_of(errors.UnsolvableInputError("x")) == 422
    assert status_of(errors.SolverError("x")) == 500
    assert status_of(errors.AuthenticationError("x")) == 401
