"""`setu register ...` end to end on a SQLite file: init, admin, accounts, export/import, backup/restore."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from setu.cli.register import app
from setu.errors import CatalogError, InputError
from setu.register.sample import build_sample
from setu.register.service import RegisterService

runner = CliRunner()


def invoke(*args: str, input: str | None = None):
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'register.sqlite3'}"


def test_init_db_and_first_admin(url):
    assert json.loads(invoke("init-db", "--database-url", url, "--json").stdout) == {"revision": "0003"}
    out = invoke("create-admin", "--username", "root", "--password-stdin", "--database-url", url, "--json",
                 input="a long admin password\n")  # fmt: skip
    assert json.loads(out.stdout)["role"] == "admin"
    assert "a long admin password" not in out.output
    accounts = json.loads(invoke("accounts", "--database-url", url, "--json").stdout)
    assert [a["username"] for a in accounts] == ["root"]
    assert "password" not in json.dumps(accounts)


def test_prompted_password_must_match(url):
    invoke("init-db", "--database-url", url)
    result = runner.invoke(app, ["create-admin", "--username", "root", "--database-url", url],
                           input="first password!\nsecond password\nfirst password!\nfirst password!\n")  # fmt: skip
    assert result.exit_code == 0 and "do not match" in result.output.lower()


def test_export_import_backup_restore(url, tmp_path):
    invoke("init-db", "--database-url", url)
    service = RegisterService.open(url, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    build_sample(service)
    invoke("export", str(tmp_path / "all.json"), "--database-url", url)
    invoke("export", str(tmp_path / "company.json"), "--as", "company-viewer", "--database-url", url)
    invoke("export", str(tmp_path / "csv"), "--format", "csv", "--database-url", url)
    full = json.loads((tmp_path / "all.json").read_text())["records"]
    company = json.loads((tmp_path / "company.json").read_text())["records"]
    assert len(full["projects"]) == 8 and len(company["projects"]) == 4

    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    invoke("init-db", "--database-url", other)
    counts = json.loads(invoke("import", str(tmp_path / "csv"), "--database-url", other, "--json").stdout)
    assert counts["projects"] == 8
    invoke("export", str(tmp_path / "again.json"), "--database-url", other)
    assert (tmp_path / "again.json").read_text() == (tmp_path / "all.json").read_text()

    invoke("backup", str(tmp_path / "b.json.gz"), "--database-url", url)
    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    invoke("init-db", "--database-url", restored)
    invoke("restore", str(tmp_path / "b.json.gz"), "--database-url", restored)
    invoke("export", str(tmp_path / "restored.json"), "--database-url", restored)
    assert (tmp_path / "restored.json").read_text() == (tmp_path / "all.json").read_text()

    overdue = json.loads(invoke("overdue", "--as-of", "2026-03-31", "--database-url", url, "--json").stdout)
    assert sum(len(group["items"]) for group in overdue) == 8
    table = invoke("overdue", "--as-of", "2026-03-31", "--database-url", url, "--csv").stdout.splitlines()
    assert table[0] == "person_id,person_name,kind,id,title,due_date,days_overdue" and len(table) == 9
    with pytest.raises(InputError):
        runner.invoke(app, ["overdue", "--as-of", "31/03/2026", "--database-url", url], catch_exceptions=False)


def test_commands_refuse_an_uninitialised_database(url):
    with pytest.raises(CatalogError, match="init-db"):
        runner.invoke(app, ["accounts", "--database-url", url], catch_exceptions=False)
