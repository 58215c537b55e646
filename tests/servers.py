"""Helpers for tests that serve the sync server: the database migrated first, as `serve` does."""

import atexit
import shutil
import sqlite3
import tempfile
import uuid
from contextlib import closing
from functools import cache
from pathlib import Path

from sqlalchemy.engine import make_url

from sync_server.repository.database import current_revision, head_revision, make_engine, migrate
from sync_server.settings import ServerSettings


@cache
def sqlite_template() -> Path:
    """A SQLite database migrated the real way, once per test process: new databases are
    copies of it (a migration costs a sixth of a second, and hundreds of tests want one)."""
    folder = Path(tempfile.mkdtemp(prefix="terreno-template-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "server.db"
    engine = make_engine(f"sqlite:///{path.as_posix()}")
    try:
        migrate(engine)
        with engine.connect() as conn:  # everything in the one file, nothing left in the WAL
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return path


@cache
def _demo_export() -> tuple[Path, tuple[tuple[str, int], ...]]:
    from sync_server.importer.demo import generate_demo_export

    folder = Path(tempfile.mkdtemp(prefix="terreno-demo-export-"))
    atexit.register(shutil.rmtree, folder, True)
    counts = generate_demo_export(folder / "export", scale=1, seed=7)
    return folder / "export", tuple(counts.items())


def demo_export(into: Path) -> dict[str, int]:
    """The demo export at scale 1, seed 7 and its reference date (generate_demo_export's
    defaults) copied into the new folder `into`; its rows per file. Generated once per test
    process (2 CPU seconds each time; the same seed, scale and date give the same bytes,
    which tests/importer/test_demo_data.py checks by generating it again)."""
    folder, counts = _demo_export()
    shutil.copytree(folder, into)
    return dict(counts)


def new_sqlite_database(path: Path) -> None:
    """A migrated, empty SQLite database at `path` with an epoch of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sqlite_template(), path)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE server_meta SET value = ? WHERE key = 'epoch'", (uuid.uuid4().hex,))


def migrate_database(settings: ServerSettings) -> None:
    """Bring the settings' database to the latest migration (create_app only checks it)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database)
        if not path.exists() or path.stat().st_size == 0:
            new_sqlite_database(path)
            return
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            if current_revision(conn) == head_revision():
                return
        migrate(engine)
    finally:
        engine.dispose()


__all__ = ["demo_export", "migrate_database", "new_sqlite_database", "sqlite_template"]
