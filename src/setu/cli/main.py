"""The `setu` command. Each capability adds its commands from its own module."""

from __future__ import annotations

import sys

import typer

from setu.cli import catalog as catalog_commands
from setu.cli import economy as economy_commands
from setu.cli import maps as maps_commands
from setu.cli import policy as policy_commands
from setu.cli import register as register_commands
from setu.cli import scenarios as scenario_commands
from setu.cli import trade as trade_commands
from setu.cli import watch as watch_commands
from setu.cli.serve import serve
from setu.errors import InputError, NotFoundError, SetuError

app = typer.Typer(
    name="setu",
    help="Setu: critical-material dependence, supply-chain maps, disruption scenarios, cooperation register.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_commands.register(app)
app.add_typer(maps_commands.app, name="maps")
app.add_typer(trade_commands.app, name="trade")
app.add_typer(scenario_commands.app, name="scenario")
app.add_typer(economy_commands.app, name="economy")
app.add_typer(watch_commands.app, name="watch")
app.add_typer(policy_commands.app, name="policy")
app.command("screen")(policy_commands.screen)
app.add_typer(register_commands.app, name="register")
app.command("serve")(serve)
# `setu import production|baci|comtrade`: one group, commands from the catalog and trade modules
catalog_commands.import_app.registered_commands.extend(trade_commands.import_app.registered_commands)


def run() -> None:
    """Console entry point: Typer handles usage errors (exit 2); Setu's errors become a one-line
    message and exit code 2 (bad input, unknown name) or 1 (anything else Setu reports)."""
    try:
        app()
    except (InputError, NotFoundError) as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except SetuError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(1)
