"""The data directory is private: created 0700, the register database and its backups 0600; writers of one
store take one lock, reentrant within a thread; debris of killed writers goes with the next writer."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from setu.store import catalog
from setu.store.files import file_lock, private_dir, remove_debris
from setu.store.register.database import RegisterDatabase
from setu.store.trade import TradeCatalog


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    previous = os.umask(0o022)  # the common default, which makes files 0644 and folders 0755
    yield
    os.umask(previous)


def test_data_directory_and_register_files_are_private_whatever_the_umask(tmp_path, loose_umask):
    data = tmp_path / "new" / "setu"
    database = RegisterDatabase(f"sqlite:///{data / 'register.sqlite3'}")
    database.upgrade()
    assert mode(data) == 0o700 and mode(data.parent) == 0o700
    for name in ("register.sqlite3", "register.sqlite3-wal", "register.sqlite3-shm"):
        if (data / name).exists():
            assert mode(data / name) == 0o600, name
    database.dispose()


def test_an_existing_register_file_is_tightened(tmp_path, loose_umask):
    path = tmp_path / "register.sqlite3"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    RegisterDatabase(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600


def test_catalog_and_trade_folders_are_created_private(tmp_path, loose_umask):
    with catalog.writer_lock(tmp_path / "data"):
        pass
    assert mode(tmp_path / "data") == 0o700
    with TradeCatalog(tmp_path / "data2" / "trade").once_lock():
        pass
    assert mode(tmp_path / "data2") == 0o700 and mode(tmp_path / "data2" / "trade") == 0o700


def test_an_existing_folder_keeps_its_modes(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o750)
    private_dir(folder)
    assert mode(folder) == 0o750


def test_the_lock_is_reentrant_in_a_thread_and_exclusive_across_threads(tmp_path):
    lock = tmp_path / ".lock"
    order = []
    with file_lock(lock), file_lock(lock):  # a writer calling another writer of the same store
        def other() -> None:
            with file_lock(lock):
                order.append("other")

        worker = threading.Thread(target=other)
        worker.start()
        worker.join(timeout=0.2)
        order.append("first")  # the other thread is still waiting: it cannot enter while this one holds it
        assert worker.is_alive()
    worker.join()
    assert order == ["first", "other"]


def test_a_killed_build_leaves_debris_the_next_build_removes(tmp_path):
    (tmp_path / ".catalog-abc123.duckdb").write_bytes(b"half a database")
    (tmp_path / ".catalog-abc123.duckdb.wal").write_bytes(b"")
    (tmp_path / "keep.txt").write_text("mine")
    catalog.build(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [catalog.LOCK, "catalog.duckdb", "keep.txt"]


def test_remove_debris_takes_only_what_matches(tmp_path):
    (tmp_path / ".x.tmp").write_text("")
    (tmp_path / ".staging-1").mkdir()
    (tmp_path / "x.tmp").write_text("")
    assert sorted(p.name for p in remove_debris(tmp_path, ".*.tmp", ".staging-*")) == [".staging-1", ".x.tmp"]
    assert [p.name for p in tmp_path.iterdir()] == ["x.tmp"]


def test_debris_is_cleaned_at_start_unless_a_writer_is_running(tmp_path):
    catalog.build(tmp_path)
    (tmp_path / ".catalog-killed.duckdb").write_bytes(b"half")
    with file_lock(tmp_path / catalog.LOCK):
        worker = threading.Thread(target=lambda: results.append(catalog.clean(tmp_path)))
        results: list[bool] = []
        worker.start()
        worker.join()
        assert results == [False] and (tmp_path / ".catalog-killed.duckdb").exists()  # a build is running
    assert catalog.clean(tmp_path) and not (tmp_path / ".catalog-killed.duckdb").exists()


def test_a_killed_trade_import_is_cleaned_when_the_next_service_starts(tmp_path):
    from setu.services.trade import TradeService
    from setu.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", bundled_trade=False)
    root = TradeCatalog(settings.trade_dir)
    with root.once_lock():
        pass
    with file_lock(root.root / ".lock"):
        pass
    orphan = root.root / "parts" / "20260101T000000-killed" / "source=baci"
    orphan.mkdir(parents=True)
    (root.root / ".manifest.json.abc.tmp").write_text("{")
    TradeService(settings)
    assert not orphan.parent.exists() and not (root.root / ".manifest.json.abc.tmp").exists()
