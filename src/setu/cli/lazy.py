"""Command groups that import a command's module only when that command runs.

Why: the command modules reach (through their services) pandas, Ibis, pymrio, SciPy, the web stack. Importing
all of them to print `setu --help` or to answer one look-up costs seconds. A `LazyGroup` lists its commands from
a registry of `Entry` (where the command lives, as "module:attribute", and its one-line help), shows the
registry's help in listings without importing anything, and imports the module when the command is resolved to
run (or to print its own --help). The loaded object may be a function (a command) or a `typer.Typer` (a group).

Only public Typer API is used: `typer.core.TyperGroup`/`TyperCommand` and `typer.main.get_group`.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class Entry:
    """A command or group living in `target` ("package.module:attribute"); `help` is its listing line, kept
    equal to the first paragraph of the loaded command's own help (tests/cli/test_lazy.py checks this)."""

    target: str
    help: str


@dataclass(frozen=True)
class Subgroup:
    """A group assembled here from entries that live in different modules (e.g. `setu import`)."""

    help: str
    entries: Mapping[str, Entry | Subgroup] = field(default_factory=dict)


def load(name: str, entry: Entry | Subgroup) -> Any:
    """The click command for one registry entry (imports its module)."""
    if isinstance(entry, Subgroup):
        return LazyGroup(name=name, help=entry.help, entries=entry.entries, no_args_is_help=True)
    module_name, _, attribute = entry.target.partition(":")
    target = getattr(importlib.import_module(module_name), attribute)
    holder = typer.Typer()
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class Placeholder(TyperCommand):
    """What a listing sees of a command not yet loaded: its name and registry help."""


class LazyGroup(TyperGroup):
    """A Typer group whose commands come from a registry and load on first use (see the module docstring)."""

    entries: Mapping[str, Entry | Subgroup] = {}

    def __init__(self, *, entries: Mapping[str, Entry | Subgroup] | None = None, **attrs: Any) -> None:
        super().__init__(**attrs)
        if entries is not None:
            self.entries = entries

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(name for name in self.entries if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Listings (help, completion, typo suggestions) get a placeholder; `resolve_command` loads."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = self.entries.get(cmd_name)
        if entry is None:
            return None
        if isinstance(entry, Subgroup):
            return self.load_command(cmd_name)
        return Placeholder(cmd_name, help=entry.help)

    def load_command(self, cmd_name: str) -> Any:
        """Import the command's module once and keep the click command."""
        if cmd_name not in self.commands:
            self.commands[cmd_name] = load(cmd_name, self.entries[cmd_name])
        return self.commands[cmd_name]

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        if args and not args[0].startswith("-") and not ctx.resilient_parsing and self.get_command(ctx, args[0]) is None:
            matches = difflib.get_close_matches(args[0], self.list_commands(ctx))
            ctx.fail(f"No such command {args[0]!r}." + (f" Did you mean {', '.join(map(repr, matches))}?" if matches else ""))
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, Placeholder) and name is not None:
            command = self.load_command(name)
        return name, command, rest
