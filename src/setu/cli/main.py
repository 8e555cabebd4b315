"""The `setu` command. Each capability adds its commands from its own module."""

from __future__ import annotations

import sys

import typer

from setu.errors import InputError, NotFoundError, SetuError

app = typer.Typer(
    name="setu",
    help="Setu: critical-material dependence, supply-chain maps, disruption scenarios, cooperation register.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def run() -> None:
    """Console entry point: maps Setu's errors to messages and exit codes (2 = bad input)."""
    try:
        app(standalone_mode=False)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except (InputError, NotFoundError) as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except SetuError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(1)
    except Exception as error:  # click usage errors
        import click

        if isinstance(error, click.exceptions.ClickException):
            error.show()
            sys.exit(error.exit_code)
        if isinstance(error, click.exceptions.Abort):
            sys.exit(1)
        raise
