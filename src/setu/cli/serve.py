"""`setu serve`: the REST API on uvicorn, over the embedded SQLite register unless told otherwise."""

from __future__ import annotations

import dataclasses

from setu.settings import Settings


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    database_url: str | None = None,
    migrate: bool = True,
    log_level: str = "info",
) -> None:
    """Serve the API. Migrates the database to the latest schema first unless ``migrate`` is False."""
    # Imported here so that `setu --help` and the analytics commands do not load the web stack.
    import uvicorn

    from setu.api.app import create_app
    from setu.store.register.database import RegisterDatabase

    settings = Settings.from_env()
    if database_url:
        settings = dataclasses.replace(settings, database_url=database_url)
    if migrate:
        RegisterDatabase(settings.register_database_url).upgrade()
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, server_header=False)
