"""Register projects can point at a cable or landing station: the format always, the id against the pack
when it is installed; migration 0002 adds the nullable column."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest
from argon2 import PasswordHasher
from sqlalchemy import inspect

from setu.errors import ValidationError
from setu.register.catalog import BY_NAME
from setu.register.fields import Role
from setu.register.sample import build_sample
from setu.register.service import RegisterService
from setu.register.visibility import Principal
from setu.services.cables import register_checks
from setu.settings import Settings
from setu.store.register.database import RegisterDatabase

PROJECTS = BY_NAME["projects"]
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ADMIN = Principal("cli", "cli", Role.ADMIN, None, True)


def _open(tmp_path: Path, data_dir: Path) -> tuple[RegisterService, str]:
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    service = RegisterService.open(url, hasher=FAST, external_checks=register_checks(Settings(data_dir=data_dir)))
    return service, url


@pytest.fixture
def sample_owner():
    def owner(service: RegisterService) -> str:
        with service.database.transaction(write=False) as tx:
            return tx.select("organisations", scope=None, conditions=(), limit=1).rows[0]["id"]
    return owner


def test_with_the_pack_the_reference_must_exist(tmp_path, pack_data_dir, sample_owner):
    service, _ = _open(tmp_path, pack_data_dir)
    build_sample(service)
    owner = sample_owner(service)
    project = service.records.create(ADMIN, PROJECTS, PROJECTS.create(
        title="SeaMeWe-6 landing in Mumbai", sector="ict", owner_org_id=owner, infrastructure_ref="cable:seamewe-6"))
    assert project.infrastructure_ref == "cable:seamewe-6"
    with pytest.raises(ValidationError, match=r"infrastructure_ref: no cable 'seamewe-7'.*cable:seamewe-"):
        service.records.create(ADMIN, PROJECTS, PROJECTS.create(
            title="x", sector="ict", owner_org_id=owner, infrastructure_ref="cable:seamewe-7"))
    station = service.records.update(ADMIN, PROJECTS, project.id, PROJECTS.update(
        infrastructure_ref="station:mumbai-india"), expected_version=1)
    assert station.infrastructure_ref == "station:mumbai-india"
    listed, total = service.records.list(ADMIN, PROJECTS, PROJECTS.query(infrastructure_ref="station:mumbai-india"))
    assert total == 1 and listed[0].id == project.id
    service.close()


def test_without_the_pack_only_the_format_is_checked(tmp_path, sample_owner):
    service, _ = _open(tmp_path, tmp_path / "no-pack")
    build_sample(service)
    owner = sample_owner(service)
    project = service.records.create(ADMIN, PROJECTS, PROJECTS.create(
        title="y", sector="ict", owner_org_id=owner, infrastructure_ref="cable:anything-at-all"))
    assert project.infrastructure_ref == "cable:anything-at-all"
    for bad in ("pipe:x", "cable:", "cable:Upper-Case", "station:a b"):
        with pytest.raises(pydantic.ValidationError, match="infrastructure_ref"):
            PROJECTS.create.model_validate({"title": "z", "sector": "ict", "infrastructure_ref": bad})
    empty = service.records.create(ADMIN, PROJECTS, PROJECTS.create(title="w", sector="ict", owner_org_id=owner))
    assert empty.infrastructure_ref is None
    service.close()


def test_migration_adds_and_removes_the_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    database = RegisterDatabase(url)
    database.upgrade()
    assert "infrastructure_ref" in {c["name"] for c in inspect(database.engine).get_columns("projects")}
    database.downgrade("0001")
    assert "infrastructure_ref" not in {c["name"] for c in inspect(database.engine).get_columns("projects")}
    database.upgrade()
    database.dispose()
