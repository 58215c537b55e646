"""A round the server stops half-way: the token expires mid-sync, or the app is too old.

Against the real server in-process, on SQLite and PostgreSQL (`database_url`). The round
runs through the sync engine, so the test sees what the status bar shows the seller.
"""

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

import sync_server.services.auth
import sync_server.services.versions
from client.services.field_work import record_visit
from client.services.session import Session, sign_in
from client.services.synchronization import background_sync, sync_now
from client.settings import ClientSettings
from client.store import count_pending, read_state
from client.sync import SyncApi
from shared.protocol import PROTOCOL_VERSION
from sync_server.api.routes import sync as sync_routes
from sync_server.repository.database import write_transaction
from sync_server.repository.tables import ENTITY_TABLES, changes, tokens
from tests.client.factories import make_visit, table_rows
from tests.client.servers import serve_in_process
from tests.sync_server.factories import make_customer, make_user

LOGIN = "ana.garcia"


def _seed(conn) -> None:
    make_user(conn, LOGIN, team="NORTE")
    for i in range(8):
        make_customer(conn, f"C{i}", LOGIN)


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[TestClient]:
    with serve_in_process(database_url, tmp_path, _seed) as client:
        yield client


class ExpiringTransport(httpx.BaseTransport):
    """Forwards to the server; after the n-th answer to `path`, every token of the user expires."""

    def __init__(self, server: TestClient) -> None:
        self.server = server
        self.expire_after: tuple[str, int] | None = None
        self.seen: list[tuple[str, dict]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.server._transport.handle_request(request)
        self.seen.append((request.url.path, dict(request.url.params)))
        if self.expire_after and self.expire_after[0] == request.url.path:
            self.expire_after = (self.expire_after[0], self.expire_after[1] - 1)
            if self.expire_after[1] == 0:
                self.expire_after = None
                with write_transaction(self.server.app.state.engine) as conn:
                    conn.execute(sa.update(tokens).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        return response


def _session(server: TestClient, tmp_path, transport: httpx.BaseTransport) -> Session:
    http = httpx.Client(base_url="http://testserver", transport=transport)
    settings = ClientSettings(data_dir=tmp_path / "ana", pull_page_size=3)
    return sign_in(settings, LOGIN, "secret-pass-1", api=SyncApi("", http_client=http))


def _engine_round(session: Session):
    """One round through the background engine; (outcome, status)."""

    async def scenario():
        engine = background_sync(session, interval_minutes=60)
        engine.start(sync_at_once=False)
        try:
            outcome = await engine.sync_now()
            return outcome, engine.status
        finally:
            await engine.stop()
            session.on_local_write = None

    return asyncio.run(scenario())


def _server_visits(server: TestClient) -> list[str]:
    with server.app.state.engine.connect() as conn:
        return sorted(str(v) for v in conn.execute(sa.select(ENTITY_TABLES["visit"].c.id)).scalars())


def _visit_puts(server: TestClient) -> list[int]:
    with server.app.state.engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(sa.func.count())
                .where(changes.c.entity == "visit", changes.c.op == "put")
                .group_by(changes.c.entity_id)
            ).scalars()
        )


def _expire_after_the_first_streamed_page(server: TestClient, monkeypatch) -> None:
    """Every token expires once the pull stream has read its first page: the next page of
    the same stream is not served (each page is authorised again)."""
    read_page = sync_routes.read_page
    calls = []

    def read_then_expire(*args, **kwargs):
        page = read_page(*args, **kwargs)
        calls.append(page.cursor)
        if len(calls) == 1:
            with write_transaction(server.app.state.engine) as conn:
                conn.execute(sa.update(tokens).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        return page

    monkeypatch.setattr(sync_routes, "read_page", read_then_expire)


@pytest.mark.parametrize(
    "expire_after",
    [("/v1/sync/push", 1), ("/v1/sync/pull/stream", 1)],
    ids=["between push and pull", "between two pages"],
)
def test_a_token_expiring_mid_sync_asks_to_sign_in_and_loses_nothing(server, tmp_path, expire_after, monkeypatch):
    wire = ExpiringTransport(server)
    ana = _session(server, tmp_path, wire)
    sync_now(ana)
    with ana.store.read() as db:
        before = read_state(db).cursor
    with write_transaction(server.app.state.engine) as conn:  # enough new rows for several pages of 3
        for i in range(10, 16):
            make_customer(conn, f"C{i}", LOGIN)
    first = record_visit(ana, make_visit("C1", seller_login=LOGIN))
    if expire_after[0] == "/v1/sync/push":
        wire.expire_after = expire_after
    else:
        _expire_after_the_first_streamed_page(server, monkeypatch)

    outcome, status = _engine_round(ana)
    monkeypatch.undo()
    assert not outcome.ok and status.needs_sign_in and status.last_error["$message"] == "sync.failure.sign_in"
    second = record_visit(ana, make_visit("C2", seller_login=LOGIN))  # work goes on offline meanwhile
    with ana.store.read() as db:
        kept = read_state(db)
        pending = count_pending(db)
    assert pending == 1  # the first visit went with the push; the second waits; nothing dropped
    if expire_after[0] == "/v1/sync/push":
        assert kept.cursor == before
    else:
        assert kept.cursor > before  # the page that arrived stays, with its cursor: no restart
        assert len(table_rows(ana.store, "customers")) < 14  # and no page after it was served
    ana.store.close()
    ana.api.close()

    wire.seen.clear()
    again = _session(server, tmp_path, wire)  # signing in again reopens the same device and store
    assert again.client_id == ana.client_id
    assert sync_now(again).verified.agreed
    pulls = [p for path, p in wire.seen if path == "/v1/sync/pull/stream"]
    assert int(pulls[0]["cursor"]) == kept.cursor  # resumed where it stopped
    assert _server_visits(server) == sorted([str(first.id), str(second.id)])
    assert set(_visit_puts(server)) == {1}
    assert sorted(r["id"] for r in table_rows(again.store, "visits")) == _server_visits(server)
    with again.store.read() as db:
        assert count_pending(db) == 0
    assert len(table_rows(again.store, "customers")) == 14


def test_an_app_too_old_for_a_newer_server_keeps_its_outbox_and_says_update(server, tmp_path, monkeypatch):
    ana = _session(server, tmp_path, server._transport)
    sync_now(ana)
    visits = [record_visit(ana, make_visit("C1", seller_login=LOGIN)) for _ in range(3)]
    # The server is upgraded to a protocol this app does not speak (only the next one).
    newer_only = frozenset({PROTOCOL_VERSION + 1})
    monkeypatch.setattr(sync_server.services.versions, "SUPPORTED_PROTOCOL_VERSIONS", newer_only)
    monkeypatch.setattr(sync_server.services.auth, "SUPPORTED_PROTOCOL_VERSIONS", newer_only)

    outcome, status = _engine_round(ana)
    assert not outcome.ok and status.last_error["$message"] == "sync.failure.update_app"
    with ana.store.read() as db:
        assert count_pending(db) == 3  # kept, never half-sent
    assert _server_visits(server) == []
    assert len(table_rows(ana.store, "visits")) == 3  # still shown on the tablet

    # The app is updated (here: the server serves v1 again): the outbox goes, once.
    monkeypatch.undo()
    sync_now(ana)
    assert _server_visits(server) == sorted(str(v.id) for v in visits) and set(_visit_puts(server)) == {1}


def test_an_older_but_supported_app_keeps_syncing_with_a_newer_server(server, tmp_path, monkeypatch):
    # DESIGN §4.10: only an unsupported version is refused. A server on schema 2 that still
    # serves protocol 1 takes this app's pushes (schema 1) and serves its pulls.
    monkeypatch.setattr(
        sync_server.services.versions,
        "SUPPORTED_PROTOCOL_VERSIONS",
        frozenset({PROTOCOL_VERSION, PROTOCOL_VERSION + 1}),
    )
    monkeypatch.setattr(sync_server.services.versions, "SCHEMA_VERSION", 2)
    ana = _session(server, tmp_path, server._transport)
    visits = [record_visit(ana, make_visit("C1", seller_login=LOGIN)) for _ in range(3)]
    outcome, status = _engine_round(ana)
    assert outcome.ok and status.last_error is None and not status.needs_sign_in
    with ana.store.read() as db:
        assert count_pending(db) == 0
    assert _server_visits(server) == sorted(str(v.id) for v in visits) and set(_visit_puts(server)) == {1}
    assert len(table_rows(ana.store, "customers")) == 8
