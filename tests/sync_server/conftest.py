"""Server test fixtures: an app per test on its own database (SQLite and PostgreSQL)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sync_server.app import create_app
from sync_server.repository.database import write_transaction
from sync_server.settings import ServerSettings


@pytest.fixture
def settings(database_url, tmp_path) -> ServerSettings:
    # The expiry job stays off: a test decides when quotes expire (test_quote_expiry turns it on).
    return ServerSettings(
        data_dir=Path(tmp_path), database_url=database_url, quote_expiry_minutes=0, metrics_update_seconds=0
    )


@pytest.fixture
def app(settings):
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def seed(app):
    """Run `fn(conn)` in a write transaction on the app's database."""

    def run(fn):
        with write_transaction(app.state.engine) as conn:
            return fn(conn)

    return run
