"""`serve()` migrates the database and hands uvicorn an app over it; Settings pick the database."""

from __future__ import annotations

from pathlib import Path

import typer
import uvicorn
from fastapi import APIRouter
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from setu.api.app import ROUTERS
from setu.app import create_app
from setu.cli import serve as serve_module
from setu.settings import Settings
from setu.store.register.database import RegisterDatabase


def test_serve_migrates_and_runs_uvicorn(tmp_path, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SETU_DATABASE_URL", raising=False)
    calls = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.update(app=app, **kwargs))
    serve_module.serve(host="127.0.0.1", port=8123)
    assert (calls["host"], calls["port"]) == ("127.0.0.1", 8123)
    assert "/api/projects" in calls["app"].openapi()["paths"]
    assert RegisterDatabase(f"sqlite:///{tmp_path / 'register.sqlite3'}").is_current()


def test_settings_choose_the_register_database(tmp_path):
    assert Settings(data_dir=Path("/data")).register_database_url == "sqlite:////data/register.sqlite3"
    settings = Settings.from_env({"SETU_DATA_DIR": str(tmp_path), "SETU_DATABASE_URL": "postgresql://h/db"})
    assert settings.register_database_url == "postgresql://h/db"


def test_serve_is_a_typer_command(tmp_path, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path))
    calls = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.update(kwargs))
    cli = typer.Typer()
    cli.command("serve")(serve_module.serve)
    cli.command("other")(lambda: None)
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    result = CliRunner().invoke(cli, ["serve", "--port", "9001", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert calls["port"] == 9001 and RegisterDatabase(url).is_current()


def test_create_app_takes_more_routers(tmp_path):
    """Analytics add read-only routers next to the register's: create_app(settings, routers=[*ROUTERS, r])."""
    extra = APIRouter(prefix="/concentration", tags=["concentration"])

    @extra.get("/ping")
    def ping() -> dict[str, str]:
        return {"answer": "pong"}

    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    app = create_app(Settings(data_dir=tmp_path, database_url=url), routers=[*ROUTERS, extra])
    with TestClient(app) as client:
        assert client.get("/api/concentration/ping").json() == {"answer": "pong"}
        assert "/api/projects" in client.get("/api/openapi.json").json()["paths"]
