"""Fixtures shared by every test folder: factories and per-test databases, no shared state."""

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sync_server.repository.database import make_engine
from tests import servers
from tests.memory import forget_fastapi_callables
from tests.postgres import SchemaPool, SchemaRecipe, postgres_base_url
from tests.store_template import new_stores_from_template


def pytest_configure(config):
    """Passwords are hashed with argon2's cheapest parameters in tests: at production cost
    they took a third of the suite. tests/sync_server/test_password_cost.py checks the
    production parameters once.

    Device databases are plain SQLite in tests unless TERRENO_ENCRYPT_DATABASE=1 says
    otherwise (the suite runs both ways; tests/client/store/test_encrypted_store.py always
    opens an encrypted one)."""
    os.environ.setdefault("TERRENO_ENCRYPT_DATABASE", "false")
    # The app lock is tested where it is the subject (tests/browser/test_lost_tablet.py and
    # the app-lock services); elsewhere a PIN dialog would stand in front of every flow.
    os.environ.setdefault("TERRENO_APP_LOCK", "false")
    from argon2 import PasswordHasher

    from sync_server.services.auth import use_password_hasher

    use_password_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="session", autouse=True)
def _stores_from_template() -> Iterator[None]:
    """A new plain device store is a copy of one migrated once per process (tests/store_template.py)."""
    with new_stores_from_template():
        yield


@pytest.fixture(autouse=True)
def _apps_let_go() -> Iterator[None]:
    """After each test, FastAPI forgets the callables it classified (tests/memory.py): an
    app a test built is freed with the test, not kept to the end of the process."""
    yield
    forget_fastapi_callables()


def pytest_collection_finish(session):
    """What importing and collecting made (modules, models, tests: some 400,000 objects)
    lives to the end: frozen, so that a full garbage collection no longer walks it each
    time (tests/sync_server/api: 8.8 s of 67 in full collections, 5.1 s frozen)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def sqlite_template() -> Path:
    """A SQLite database migrated once per test process, the real way; tests get copies."""
    return servers.sqlite_template()


@pytest.fixture(scope="session")
def postgres_recipe() -> SchemaRecipe:
    """The statements of one real migration of an empty schema (once per test process)."""
    return SchemaRecipe.record(postgres_base_url())


@pytest.fixture(scope="session")
def postgres_schemas(postgres_recipe) -> Iterator[SchemaPool]:
    """This process's empty schemas, reused from test to test (tests/postgres.py)."""
    pool = SchemaPool(postgres_base_url(), postgres_recipe)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str]:
    """A migrated, empty server database with its own epoch: a SQLite file, or its own
    PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "server.db"
        servers.new_sqlite_database(path)
        yield f"sqlite:///{path.as_posix()}"
        return
    pool = request.getfixturevalue("postgres_schemas")
    url, kept = pool.take()
    try:
        yield url
    finally:
        pool.give_back(kept)


@pytest.fixture
def engine(database_url) -> Iterator[sa.Engine]:
    """Engine on the migrated per-test database (SQLite and PostgreSQL)."""
    eng = make_engine(database_url)
    try:
        yield eng
    finally:
        eng.dispose()
