"""Field work recorded offline, pushed to the real server in-process and pulled back.

Runs on both server backends (the shared `database_url` fixture: SQLite and PostgreSQL).
"""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from client.services.field_work import get_opportunity, record_visit, save_opportunity
from client.services.session import Session, sign_in, sign_out
from client.services.sync_issues import discard_sync_issue, list_sync_issues
from client.services.synchronization import sync_now, sync_status
from client.settings import ClientSettings
from client.sync import Offline, SyncApi, pull_until_caught_up
from sync_server.repository.tables import ENTITY_TABLES, changes, mutations
from tests.client.factories import make_opportunity, make_visit, table_rows
from tests.client.servers import seed_north_team, serve_in_process


class DroppingTransport(httpx.BaseTransport):
    """Forwards to the server, then loses its answer to the next push (a cut connection)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.drop_next_push = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if self.drop_next_push and request.url.path == "/v1/sync/push":
            self.drop_next_push = False
            response.read()
            response.close()
            raise httpx.ReadError("connection reset after the server answered", request=request)
        return response


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[TestClient]:
    """The real server app on its own database, seeded, served in-process."""
    with serve_in_process(database_url, tmp_path, seed_north_team) as client:
        yield client


@pytest.fixture
def wire(server) -> DroppingTransport:
    return DroppingTransport(server._transport)


def _session(server: TestClient, tmp_path: Path, login: str, transport: httpx.BaseTransport | None = None) -> Session:
    http = httpx.Client(base_url="http://testserver", transport=transport or server._transport)
    settings = ClientSettings(data_dir=tmp_path / login, pull_page_size=50)
    session = sign_in(settings, login, "secret-pass-1", api=SyncApi("", http_client=http))
    sync_now(session)
    return session


def _server_rows(server: TestClient, entity: str) -> list:
    with server.app.state.engine.connect() as conn:
        return list(conn.execute(sa.select(ENTITY_TABLES[entity])))


def _count(server: TestClient, query) -> int:
    with server.app.state.engine.connect() as conn:
        return conn.execute(query).scalar()


def test_a_visit_recorded_offline_reaches_the_server_and_comes_back_unchanged(server, tmp_path):
    ana = _session(server, tmp_path, "ana.garcia")
    visit = record_visit(ana, make_visit("C1", location={"latitude": 40.41, "longitude": -3.70}))
    [local] = table_rows(ana.store, "visits")
    assert sync_status(ana).unsynced == 1 and local["_version"] == 0

    result = sync_now(ana)
    [stored] = _server_rows(server, "visit")
    assert (str(stored.id), stored.customer_code, stored.notes) == (str(visit.id), "C1", visit.notes)
    assert result.pushed.acknowledged == 1 and result.pulled.applied >= 1  # the visit came back
    [pulled] = table_rows(ana.store, "visits")
    assert {**pulled, "_version": 0, "_bucket": None} == local
    assert (pulled["_version"], pulled["_bucket"]) == (1, "activity:ana.garcia")
    assert sync_status(ana).unsynced == 0
    sign_out(ana)


def test_a_lost_answer_is_pushed_again_without_a_duplicate(server, tmp_path, wire):
    ana = _session(server, tmp_path, "ana.garcia", wire)
    record_visit(ana, make_visit("C1"))
    wire.drop_next_push = True
    with pytest.raises(Offline):
        sync_now(ana)
    assert len(_server_rows(server, "visit")) == 1  # applied; the device did not hear it
    assert sync_status(ana).unsynced == 1

    again = sync_now(ana)
    assert again.pushed.acknowledged == 1 and sync_status(ana).unsynced == 0
    assert len(_server_rows(server, "visit")) == 1
    assert _count(server, sa.select(sa.func.count()).select_from(mutations)) == 1
    assert _count(server, sa.select(sa.func.count()).select_from(changes).where(changes.c.entity == "visit")) == 1
    assert len(table_rows(ana.store, "visits")) == 1
    sign_out(ana)


def test_a_rejected_visit_becomes_an_issue_and_later_ones_still_go_through(server, tmp_path):
    ana = _session(server, tmp_path, "ana.garcia")
    refused = record_visit(ana, make_visit("C2"))  # Bruno's customer: out of Ana's scope
    accepted = record_visit(ana, make_visit("C1"))
    result = sync_now(ana)

    assert (result.pushed.acknowledged, result.pushed.rejected) == (2, 1)
    assert [str(r.id) for r in _server_rows(server, "visit")] == [str(accepted.id)]
    [issue] = list_sync_issues(ana)
    assert (issue.kind, issue.code, issue.entity_id) == ("rejected", "out_of_scope", str(refused.id))
    assert issue.args["visit"]["customer_code"] == "C2"
    assert sync_status(ana).issues == 1 and sync_status(ana).unsynced == 0

    assert discard_sync_issue(ana, issue.id)
    assert [r["id"] for r in table_rows(ana.store, "visits")] == [str(accepted.id)]
    sign_out(ana)


def test_an_opportunity_conflict_names_the_fields_where_the_server_won(server, tmp_path):
    ana = _session(server, tmp_path, "ana.garcia")
    created = save_opportunity(ana, make_opportunity("C1"))
    sync_now(ana)
    original = get_opportunity(ana, created.id)  # what Ana's edit screen opens with

    phone = _session(server, tmp_path / "phone", "ana.garcia")  # Ana raises the value on her phone
    save_opportunity(phone, original.model_copy(update={"value": "15000.00"}))
    sync_now(phone)

    # Offline, Ana changes the stage and lowers the value from the same version 1.
    save_opportunity(ana, original.model_copy(update={"stage": "proposal", "value": "11000.00"}), original)
    sync_now(ana)

    [issue] = list_sync_issues(ana)
    assert (issue.kind, issue.fields, issue.entity_id) == ("conflict", ("value",), str(created.id))
    assert "value" in issue.detail
    mine = get_opportunity(ana, created.id)
    assert (mine.stage, str(mine.value), mine.version) == ("proposal", "15000.00", 3)
    [stored] = _server_rows(server, "opportunity")
    assert (stored.stage, stored.value) == ("proposal", Decimal("15000"))
    sign_out(ana)
    sign_out(phone)


def test_a_pending_edit_is_not_clobbered_by_a_pull(server, tmp_path):
    ana = _session(server, tmp_path, "ana.garcia")
    created = save_opportunity(ana, make_opportunity("C1"))
    sync_now(ana)
    phone = _session(server, tmp_path / "phone", "ana.garcia")
    save_opportunity(phone, get_opportunity(phone, created.id).model_copy(update={"title": "EPIs y guantes"}))
    sync_now(phone)

    save_opportunity(ana, get_opportunity(ana, created.id).model_copy(update={"stage": "negotiation"}))
    pull_until_caught_up(ana.store, ana.api)  # a pull only: Ana's edit is still pending
    pending = get_opportunity(ana, created.id)
    assert (pending.stage, pending.title) == ("negotiation", "EPIs y guantes")

    sync_now(ana)  # pushed and pulled back: the server's merged state
    merged = get_opportunity(ana, created.id)
    assert (merged.stage, merged.title, merged.version) == ("negotiation", "EPIs y guantes", 3)
    assert list_sync_issues(ana) == []
    sign_out(ana)
    sign_out(phone)
