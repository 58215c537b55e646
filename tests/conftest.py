"""Fixtures shared by every test folder: factories and per-test databases, no shared state."""

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from sync_server.repository.database import make_engine, migrate

POSTGRES_ENV = "TERRENO_TEST_POSTGRES_URL"


def pytest_configure(config):
    """Passwords are hashed with argon2's cheapest parameters in tests: at production cost
    they took a third of the suite. tests/sync_server/test_password_cost.py checks the
    production parameters once."""
    from argon2 import PasswordHasher

    from sync_server.services.auth import use_password_hasher

    use_password_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def postgres_base_url() -> str:
    """The PostgreSQL server the tests use; `make test` and `.ci/run` set it."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.fail(f"{POSTGRES_ENV} is not set: run the tests with `make test`, which starts PostgreSQL and sets it")
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _postgres_schema_engine(base_url: str) -> tuple[sa.Engine, str, sa.Engine]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    joiner = "&" if "?" in base_url else "?"
    url = f"{base_url}{joiner}options={quote(f'-csearch_path={schema}')}"
    return make_engine(url), schema, admin


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite database migrated once per test process, the real way; tests get copies."""
    path = tmp_path_factory.mktemp("template") / "server.db"
    engine = make_engine(f"sqlite:///{path.as_posix()}")
    try:
        migrate(engine)
        with engine.connect() as conn:  # everything in the one file, nothing left in the WAL
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return path


@dataclass(frozen=True)
class SchemaRecipe:
    """What the real migration ran on an empty PostgreSQL schema, to run again on another.

    Replaying the statements takes a third of the time of running Alembic, and hundreds of
    tests each want an empty schema. Only the epoch differs between two databases.
    """

    steps: tuple[tuple[str, Any], ...]

    def apply(self, engine: sa.Engine) -> None:
        with engine.begin() as conn:
            for statement, parameters in self.steps:
                if parameters:
                    conn.exec_driver_sql(statement, parameters)
                else:
                    conn.exec_driver_sql(statement)
            conn.exec_driver_sql(
                "INSERT INTO server_meta (key, value) VALUES ('epoch', %(epoch)s)", {"epoch": uuid.uuid4().hex}
            )


@pytest.fixture(scope="session")
def postgres_recipe() -> Iterator[SchemaRecipe]:
    """The statements of one real migration of an empty schema (once per test process)."""
    engine, schema, admin = _postgres_schema_engine(postgres_base_url())
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        migrate(engine)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
    steps = []
    for statement, parameters in seen:
        head = statement.lstrip().split(None, 1)[0].upper()
        if head == "SELECT" or (head == "INSERT" and "server_meta" in statement):
            continue  # reads (the migration lock, Alembic's lookups) and the epoch: made per copy
        steps.append((statement, parameters))
    yield SchemaRecipe(tuple(_joined(steps)))


def _joined(steps: list[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """Runs of statements without parameters as one script: one round trip instead of dozens."""
    run: list[str] = []
    for statement, parameters in steps:
        if parameters:
            if run:
                yield ";\n".join(run), None
                run = []
            yield statement, parameters
        else:
            run.append(statement)
    if run:
        yield ";\n".join(run), None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str]:
    """A migrated, empty server database with its own epoch: a SQLite file, or its own
    PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "server.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        with closing(sqlite3.connect(path)) as conn, conn:
            conn.execute("UPDATE server_meta SET value = ? WHERE key = 'epoch'", (uuid.uuid4().hex,))
        yield f"sqlite:///{path.as_posix()}"
        return
    recipe = request.getfixturevalue("postgres_recipe")
    engine, schema, admin = _postgres_schema_engine(postgres_base_url())
    recipe.apply(engine)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def engine(database_url) -> Iterator[sa.Engine]:
    """Engine on the migrated per-test database (SQLite and PostgreSQL)."""
    eng = make_engine(database_url)
    try:
        yield eng
    finally:
        eng.dispose()
