"""The real sync server, in-process, for client end-to-end tests."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.testclient import TestClient

from shared.models import Role
from sync_server.app import create_app
from sync_server.repository.database import write_transaction
from sync_server.settings import ServerSettings
from tests.servers import migrate_database
from tests.sync_server.factories import make_customer, make_user


def seed_north_team(conn) -> None:
    """Sellers ana.garcia (customer C1) and bruno.diaz (C2), and their manager marta.jefa."""
    make_user(conn, "ana.garcia", team="NORTE")
    make_user(conn, "bruno.diaz", team="NORTE")
    make_user(conn, "marta.jefa", role=Role.MANAGER, team="NORTE")
    make_customer(conn, "C1", "ana.garcia")
    make_customer(conn, "C2", "bruno.diaz")


@contextmanager
def serve_in_process(database_url: str, tmp_path: Path, seed: Callable) -> Iterator[TestClient]:
    """Create the server on `database_url`, run `seed(conn)` in one transaction, serve it."""
    settings = ServerSettings(data_dir=Path(tmp_path) / "server", database_url=database_url)
    migrate_database(settings)  # idempotent: most callers' database is migrated already
    app = create_app(settings)
    with write_transaction(app.state.engine) as conn:
        seed(conn)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.state.engine.dispose()
