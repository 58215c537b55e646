"""The app against the real server after `compact`: new tablets and tablets that were away
too long sync to the end, on both backends (the lock-out the integrity review found)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from client.services.portfolio import search_customers
from client.services.session import sign_in, sign_out
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from client.store import read_state
from client.sync import SyncApi
from sync_server.repository.compaction import compact
from sync_server.repository.database import write_transaction
from tests.client.servers import serve_in_process
from tests.sync_server.factories import make_customer, make_user


def _seed(conn) -> None:
    make_user(conn, "ana.garcia")
    make_user(conn, "bruno.diaz")
    for i in range(1, 9):
        make_customer(conn, f"C{i}", "ana.garcia")


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[TestClient]:
    with serve_in_process(database_url, tmp_path, _seed) as client:
        yield client


def _compact_a_year_later(server: TestClient) -> int:
    with write_transaction(server.app.state.engine) as conn:
        report = compact(conn, datetime.now(UTC) + timedelta(days=365), timedelta(days=90))
    return report.min_valid_cursor


def _move(server: TestClient, code: str, seller: str) -> None:
    with write_transaction(server.app.state.engine) as conn:
        make_customer(conn, code, seller)


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "pages"])
def test_a_new_tablet_syncs_to_the_end_after_a_compaction(server, tmp_path, stream, monkeypatch):
    _move(server, "C2", "bruno.diaz")
    _move(server, "C9", "ana.garcia")
    floor = _compact_a_year_later(server)
    if not stream:
        monkeypatch.delattr(SyncApi, "pull_stream")
    settings = ClientSettings(data_dir=tmp_path / "device", pull_page_size=2)
    session = sign_in(settings, "ana.garcia", "secret-pass-1", api=SyncApi("", http_client=server))
    pulled = sync_now(session).pulled
    assert pulled.pages > 2 and not pulled.was_reset
    with session.store.read() as db:
        state = read_state(db)
    assert state.cursor > floor and state.floor == floor
    codes = sorted(r.code for r in search_customers(session.store))
    assert codes == ["C1", "C3", "C4", "C5", "C6", "C7", "C8", "C9"]
    sign_out(session)


def test_a_tablet_away_past_the_retention_does_one_replacement_sync_and_keeps_syncing(server, tmp_path):
    settings = ClientSettings(data_dir=tmp_path / "device", pull_page_size=2)
    session = sign_in(settings, "ana.garcia", "secret-pass-1", api=SyncApi("", http_client=server))
    sync_now(session)
    # Away: C2 and C3 move to Bruno, C9 arrives, and the deletes are compacted.
    _move(server, "C2", "bruno.diaz")
    _move(server, "C3", "bruno.diaz")
    _move(server, "C9", "ana.garcia")
    _compact_a_year_later(server)
    back = sync_now(session).pulled
    assert back.was_reset
    assert sorted(r.code for r in search_customers(session.store)) == ["C1", "C4", "C5", "C6", "C7", "C8", "C9"]
    # And the rounds after it are plain incremental ones.
    _move(server, "C10", "ana.garcia")
    again = sync_now(session).pulled
    assert not again.was_reset and again.changes == 1
    sign_out(session)
