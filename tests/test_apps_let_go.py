"""A test process keeps no app it is done with (tests/memory.py says why it would)."""

import gc
import weakref

from starlette.testclient import TestClient

from sync_server.app import create_app
from sync_server.settings import ServerSettings
from tests import servers
from tests.memory import forget_fastapi_callables


def _served_and_dropped(tmp_path) -> weakref.ref:
    """An app built, started, asked once and stopped, as a test does; a reference that does
    not keep it."""
    path = tmp_path / "server.db"
    servers.new_sqlite_database(path)
    app = create_app(ServerSettings(data_dir=tmp_path, database_url=f"sqlite:///{path.as_posix()}"))
    with TestClient(app) as client:
        assert client.get("/v1/health").status_code == 200
        assert client.get("/docs").status_code == 200  # fastapi-offline's page: its closure classified
    app.state.engine.dispose()
    return weakref.ref(app)


def test_an_app_is_freed_once_fastapi_forgets_its_callables(tmp_path):
    app = _served_and_dropped(tmp_path)
    forget_fastapi_callables()
    gc.collect()
    assert app() is None


def test_fastapi_alone_would_keep_the_app(tmp_path):
    """What the fixture is for: without it, FastAPI's caches hold the app (if a FastAPI
    release stops doing so, this fails, and tests/memory.py can go)."""
    app = _served_and_dropped(tmp_path)
    gc.collect()
    assert app() is not None
    forget_fastapi_callables()
