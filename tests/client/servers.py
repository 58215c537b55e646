"""The real sync server, in-process, for client end-to-end tests."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.testclient import TestClient

from sync_server.app import create_app
from sync_server.repository.database import write_transaction
from sync_server.settings import ServerSettings


@contextmanager
def serve_in_process(database_url: str, tmp_path: Path, seed: Callable) -> Iterator[TestClient]:
    """Create the server on `database_url`, run `seed(conn)` in one transaction, serve it."""
    app = create_app(ServerSettings(data_dir=Path(tmp_path) / "server", database_url=database_url))
    with write_transaction(app.state.engine) as conn:
        seed(conn)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.state.engine.dispose()
