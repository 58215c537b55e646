"""Fixtures shared by every test folder: factories and per-test databases, no shared state."""

import os
import uuid
from collections.abc import Iterator
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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str]:
    """A migrated, empty server database: a SQLite file, or its own PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{(tmp_path / 'server.db').as_posix()}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
        return
    engine, schema, admin = _postgres_schema_engine(postgres_base_url())
    migrate(engine)
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
