"""`setu serve`: the REST API on uvicorn, over the embedded SQLite register unless told otherwise.

``serve`` is a plain function that is also a ready Typer command (``app.command("serve")(serve)``):
its parameters carry their option help.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from setu.settings import Settings


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8000,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", envvar="SETU_DATABASE_URL", help="register database; default SQLite in the data dir"),
    ] = None,
    migrate: Annotated[bool, typer.Option(help="upgrade the database to the latest schema first")] = True,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Serve the Setu API (OpenAPI at /api/openapi.json)."""
    # Imported here so that `setu --help` and the analytics commands do not load the web stack.
    import uvicorn

    from setu.app import create_app
    from setu.services import datapacks
    from setu.store import catalog
    from setu.store.register.database import RegisterDatabase

    settings = Settings.from_env()
    if database_url:
        settings = dataclasses.replace(settings, database_url=database_url)
    if migrate:
        RegisterDatabase(settings.register_database_url).upgrade()
    catalog.clean(settings.data_dir)  # debris of killed builds and pack installs; the trade service cleans its own
    datapacks.clean_unlocked(settings)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, server_header=False)
