"""Checkpoint verification and bucket repair against the real server, in-process.

Runs on both server backends (the shared `database_url` fixture: SQLite and PostgreSQL).
"""

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from client.services.field_work import record_visit, save_opportunity
from client.services.session import Session, sign_in
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from client.store.bucket_repair import list_bucket_repairs
from client.sync import SyncApi, pull_until_caught_up
from client.sync.verify import verify_checkpoint
from shared.models import Role
from sync_server.repository.database import write_transaction
from tests.client.factories import make_opportunity, make_visit, table_rows
from tests.client.servers import serve_in_process
from tests.sync_server.factories import make_customer, make_user

ANA = "portfolio:ana.garcia"
ACTIVITY = "activity:ana.garcia"


class CountingTransport(httpx.BaseTransport):
    """Forwards to the server and remembers the bucket each snapshot request asked for."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.buckets: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/sync/bucket":
            self.buckets.append(request.url.params["name"])
        return self.inner.handle_request(request)


def _seed(conn) -> None:
    make_user(conn, "ana.garcia", team="NORTE")
    make_user(conn, "bruno.diaz", team="NORTE")
    make_user(conn, "marta.jefa", role=Role.MANAGER, team="NORTE")
    for i in range(12):
        make_customer(conn, f"C{i:02d}", "ana.garcia")
    make_customer(conn, "B01", "bruno.diaz")


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[TestClient]:
    with serve_in_process(database_url, tmp_path, _seed) as client:
        yield client


@pytest.fixture
def wire(server) -> CountingTransport:
    return CountingTransport(server._transport)


@pytest.fixture
def ana(server, wire, tmp_path) -> Session:
    # Pages of 5 so a repair takes several snapshot pages.
    http = httpx.Client(base_url="http://testserver", transport=wire)
    settings = ClientSettings(data_dir=tmp_path / "ana", pull_page_size=5)
    session = sign_in(settings, "ana.garcia", "secret-pass-1", api=SyncApi("", http_client=http))
    first = sync_now(session)
    assert first.verified is not None and first.verified.agreed and wire.buckets == []
    return session


def _customers(session: Session) -> list[tuple[str, str, int, str]]:
    return [(r["id"], r["legal_name"], r["_version"], r["_bucket"]) for r in table_rows(session.store, "customers")]


def test_a_correct_store_triggers_no_bucket_request(ana, wire):
    record_visit(ana, make_visit("C01", seller_login="ana.garcia"))  # pushed, then pulled back with version 1
    again = sync_now(ana)
    assert again.verified.agreed and again.verified.checked >= 3  # directory, catalog, portfolio, activity, ...
    assert wire.buckets == [] and list_bucket_repairs(ana.store) == []


def test_rows_recorded_here_and_not_yet_sent_do_not_count(ana, wire):
    record_visit(ana, make_visit("C01", seller_login="ana.garcia"))  # pending: pull and verify without a push
    pull_until_caught_up(ana.store, ana.api)
    verified = verify_checkpoint(ana.store, ana.api)
    assert verified.agreed and wire.buckets == []


def _stale(session: Session, server: TestClient) -> None:
    # The server renames C03 (version 2), the device takes it, then loses it: its row is
    # back at version 1 with the old name, as if the update had never arrived.
    with write_transaction(server.app.state.engine) as conn:
        make_customer(conn, "C03", "ana.garcia", legal_name="Nombre nuevo S.A.")
    sync_now(session)
    with session.store.write() as db:
        db.execute("UPDATE customers SET legal_name = 'Suministros Peñalara C03 S.L.', _version = 1 WHERE id = 'C03'")


def _deleted(session: Session, server: TestClient) -> None:
    with session.store.write() as db:
        db.execute("DELETE FROM customers WHERE id = 'C07'")


def _extra(session: Session, server: TestClient) -> None:
    # A row the server does not have in that bucket (a tombstone that never arrived, say).
    with session.store.write() as db:
        db.execute(
            "INSERT INTO customers (id, code, legal_name, seller_login, _version, _bucket) "
            "VALUES ('C99', 'C99', 'Fantasma S.L.', 'ana.garcia', 3, ?)",
            [ANA],
        )


@pytest.mark.parametrize("corrupt", [_stale, _deleted, _extra], ids=["changed field", "deleted row", "extra row"])
def test_a_corrupted_local_row_is_repaired_by_a_bucket_resync(ana, server, wire, tmp_path, corrupt):
    corrupt(ana, server)
    repaired = sync_now(ana)

    assert [r.bucket for r in repaired.verified.repairs] == [ANA]
    assert set(wire.buckets) == {ANA} and len(wire.buckets) == 3  # 12 customers in pages of 5: only that bucket
    # The device now holds exactly what a fresh device of the same user pulls.
    fresh = sign_in(
        ClientSettings(data_dir=tmp_path / "fresh", pull_page_size=50),
        "ana.garcia",
        "secret-pass-1",
        api=SyncApi("", http_client=httpx.Client(base_url="http://testserver", transport=server._transport)),
    )
    sync_now(fresh)
    assert _customers(ana) == _customers(fresh)
    [logged] = list_bucket_repairs(ana.store)
    assert logged.bucket == ANA and logged.expected != logged.found and logged.written == 12
    # Repaired for good: the next round compares equal and asks for nothing.
    wire.buckets.clear()
    assert sync_now(ana).verified.agreed and wire.buckets == []


def test_a_repair_keeps_pending_edits_on_top(ana, server, wire):
    opportunity = make_opportunity("C01", seller_login="ana.garcia", title="Renovación EPIs")
    save_opportunity(ana, opportunity)
    sync_now(ana)  # the server has it at version 1
    save_opportunity(ana, opportunity.model_copy(update={"title": "Renovación EPIs 2027"}))  # pending, not pushed
    with ana.store.write() as db:  # the opportunity row claims a version the server never had
        db.execute("UPDATE opportunities SET _version = 5")
    pull_until_caught_up(ana.store, ana.api)
    verified = verify_checkpoint(ana.store, ana.api)

    assert [r.bucket for r in verified.repairs] == [ACTIVITY]
    [row] = table_rows(ana.store, "opportunities")
    assert (row["title"], row["_version"], row["_bucket"]) == ("Renovación EPIs 2027", 1, ACTIVITY)
    assert verify_checkpoint(ana.store, ana.api).agreed


def test_rows_of_a_bucket_outside_the_scope_are_removed_without_a_request(ana, wire):
    with ana.store.write() as db:  # bruno's customer, leaked into ana's device
        db.execute(
            "INSERT INTO customers (id, code, legal_name, seller_login, _version, _bucket) "
            "VALUES ('B01', 'B01', 'Ajeno S.L.', 'bruno.diaz', 1, 'portfolio:bruno.diaz')"
        )
    verified = sync_now(ana).verified
    assert [(r.bucket, r.expected, r.removed) for r in verified.repairs] == [("portfolio:bruno.diaz", None, 1)]
    assert wire.buckets == [] and "B01" not in [c[0] for c in _customers(ana)]


def test_a_bucket_fetched_newer_than_the_cursor_converges_on_the_next_round(ana, server, wire):
    # The snapshot is the bucket as it is now, ahead of the device's cursor: the next pull
    # brings the same versions again (no-ops) and the round after compares equal.
    _deleted(ana, server)
    with write_transaction(server.app.state.engine) as conn:
        make_customer(conn, "C20", "ana.garcia")
    verified = verify_checkpoint(ana.store, ana.api, page_size=5)  # against the checkpoint stored earlier
    assert [r.bucket for r in verified.repairs] == [ANA] and "C20" in [c[0] for c in _customers(ana)]
    sync_now(ana)
    wire.buckets.clear()
    assert sync_now(ana).verified.agreed and wire.buckets == []
