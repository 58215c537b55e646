"""The client against the real sync server in-process: sign in, pull, see own scope only.

Runs on both server backends (the shared `database_url` fixture: SQLite and PostgreSQL).
"""

from collections.abc import Iterator
from datetime import date

import pytest
from starlette.testclient import TestClient

from client.services.credit_chip import CreditChip
from client.services.portfolio import CustomerFilters, count_customers, get_customer, search_customers
from client.services.session import resume_session, sign_in, sign_out
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from client.store import read_state
from client.sync import SyncApi
from shared.errors import AuthError
from shared.models import Role
from shared.protocol import CATALOG_BUCKET, portfolio_bucket
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from tests.client.factories import make_contact, make_credit, make_invoice, make_product
from tests.client.servers import serve_in_process
from tests.sync_server.factories import make_customer, make_user

AS_OF = date(2026, 6, 30)


def _seed(conn) -> None:
    make_user(conn, "ana.garcia", team="NORTE")
    make_user(conn, "bruno.diaz", team="NORTE")
    make_user(conn, "carla.sur", team="SUR")
    make_user(conn, "marta.jefa", role=Role.MANAGER, team="NORTE")
    for code, seller in [
        ("C1", "ana.garcia"),
        ("C2", "ana.garcia"),
        ("C3", "bruno.diaz"),
        ("C4", "carla.sur"),
        ("C5", None),
    ]:
        make_customer(conn, code, seller)
    ana = portfolio_bucket("ana.garcia")
    put_record(conn, make_credit("C1", blocked=True, block_reason="impago"), ana)
    put_record(conn, make_contact("K1", "C1", name="Lucía Peña"), ana)
    put_record(conn, make_invoice("F-1", "C2", issued=date(2025, 11, 2)), ana)
    put_record(conn, make_credit("C3", overdue_amount="50.00"), portfolio_bucket("bruno.diaz"))
    for sku in ("P1", "P2", "P3"):
        put_record(conn, make_product(sku), CATALOG_BUCKET)


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[TestClient]:
    """The real server app on its own database, seeded, served in-process."""
    with serve_in_process(database_url, tmp_path, _seed) as client:
        yield client


@pytest.fixture
def settings(tmp_path) -> ClientSettings:
    return ClientSettings(data_dir=tmp_path / "device", pull_page_size=3)


def test_a_seller_signs_in_pulls_and_sees_only_their_portfolio(server, settings):
    progress = []
    session = sign_in(settings, "ana.garcia", "secret-pass-1", "Tablet 7", api=SyncApi("", http_client=server))
    result = sync_now(session, progress.append).pulled

    assert result.pages > 1 and progress[-1].percent == 100 and progress[0].total == result.changes
    assert [r.code for r in search_customers(session.store, as_of=AS_OF)] == ["C1", "C2"]
    assert count_customers(session.store, "peñalara") == 2
    assert search_customers(session.store, "penalara c2", as_of=AS_OF)[0].is_dormant is True
    blocked = search_customers(session.store, filters=CustomerFilters(credit_chip=CreditChip.BLOCKED), as_of=AS_OF)
    assert [r.code for r in blocked] == ["C1"]
    detail = get_customer(session.store, "C1", as_of=AS_OF)
    assert detail.credit is not None and detail.credit.blocked and [c.name for c in detail.contacts] == ["Lucía Peña"]
    with session.store.read() as db:
        skus = [r[0] for r in db.execute("SELECT sku FROM products ORDER BY sku")]
        state = read_state(db)
    assert skus == ["P1", "P2", "P3"]
    assert state.cursor == result.cursor and state.epoch

    # A second round brings only what changed since.
    with write_transaction(server.app.state.engine) as conn:
        make_customer(conn, "C6", "ana.garcia", legal_name="Hidráulica Guadarrama")
        make_customer(conn, "C2", "bruno.diaz")  # moved away: must disappear from Ana's tablet
    again = sync_now(session).pulled
    assert again.changes == 2
    assert [r.code for r in search_customers(session.store, as_of=AS_OF)] == ["C6", "C1"]  # by name
    assert [r.code for r in search_customers(session.store, "guadarrama", as_of=AS_OF)] == ["C6"]
    sign_out(session)


def test_a_manager_sees_the_team_portfolios(server, settings):
    session = sign_in(settings, "marta.jefa", "secret-pass-1", api=SyncApi("", http_client=server))
    sync_now(session)
    rows = search_customers(session.store, as_of=AS_OF)
    assert [r.code for r in rows] == ["C1", "C2", "C3"]
    assert session.is_manager and {r.seller_login for r in rows} == {"ana.garcia", "bruno.diaz"}
    assert [
        r.code
        for r in search_customers(session.store, filters=CustomerFilters(credit_chip=CreditChip.OVERDUE), as_of=AS_OF)
    ] == ["C3"]
    sign_out(session)


def test_the_device_keeps_its_client_id_and_resumes_without_signing_in(server, settings):
    first = sign_in(settings, "ana.garcia", "secret-pass-1", api=SyncApi("", http_client=server))
    first.store.close()
    resumed = resume_session(settings, api=SyncApi("", http_client=server))
    assert resumed is not None and resumed.client_id == first.client_id
    sync_now(resumed)  # the stored token works against the real server
    sign_out(resumed)
    again = sign_in(settings, "ana.garcia", "secret-pass-1", api=SyncApi("", http_client=server))
    assert again.client_id == first.client_id
    sign_out(again)


def test_wrong_credentials_are_an_auth_error(server, settings):
    with pytest.raises(AuthError):
        sign_in(settings, "ana.garcia", "not-the-password", api=SyncApi("", http_client=server))
