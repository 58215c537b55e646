"""Nested teams on the devices: the regional director's inbox holds both teams' requests, a
team's manager only hers; a request waiting past the policy shows as escalated to the
director — with how long it waited — and either of them decides it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from client.services.approvals import approval_inbox, decide_request
from client.services.quoting import add_line, request_approval, save_quote, start_quote
from client.services.synchronization import sync_now
from shared.models import Role, Team
from shared.protocol import DIRECTORY_BUCKET
from sync_server.repository.records import put_record
from tests.client.quoting.world import Wire, seed_quoting_with_stock, seller_session
from tests.client.servers import serve_in_process
from tests.sync_server.factories import make_user
from tests.sync_server.quotes.helpers import MANAGER, OTHER_CUSTOMER, OTHER_SELLER

DIRECTOR = "elena.region"


def _seed(conn) -> None:
    seed_quoting_with_stock(conn)
    make_user(conn, DIRECTOR, role=Role.MANAGER, team="IBERIA")
    put_record(conn, Team(code="IBERIA", name="Región Iberia"), DIRECTORY_BUCKET)
    for code in ("NORTE", "SUR"):
        put_record(conn, Team(code=code, name=f"Equipo {code}", parent_code="IBERIA"), DIRECTORY_BUCKET)


@pytest.fixture
def server(tmp_path):
    with serve_in_process(f"sqlite:///{(tmp_path / 'server.db').as_posix()}", tmp_path, _seed) as client:
        yield client


def _asked(session, customer: str = "C1"):
    draft = add_line(session, start_quote(session, customer), "GUA-NIT-09", Decimal(100), Decimal(15))
    quote = save_quote(session, draft)
    request_approval(session, quote.id, note="Volumen")
    sync_now(session)
    return quote


def test_the_director_holds_both_teams_and_sees_what_escalated_to_her(server, tmp_path):
    ana = seller_session(server, tmp_path, Wire(server))
    carla = seller_session(server, tmp_path, Wire(server), login=OTHER_SELLER)
    north, south = _asked(ana), _asked(carla, OTHER_CUSTOMER)
    elena = seller_session(server, tmp_path, Wire(server), login=DIRECTOR)
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)

    assert {r.quote.number for r in approval_inbox(elena).waiting} == {north.number, south.number}
    assert [r.quote.number for r in approval_inbox(marta).waiting] == [north.number]
    assert all(r.escalation is None for r in approval_inbox(elena).waiting)

    later = datetime.now(UTC) + timedelta(hours=30)
    hers = approval_inbox(elena, now=later).waiting
    assert all(r.escalation is not None and r.escalation.is_to_me for r in hers)
    assert {r.escalation.hours_pending for r in hers if r.escalation} == {30}
    [at_marta] = approval_inbox(marta, now=later).waiting
    assert at_marta.escalation is not None and not at_marta.escalation.is_to_me
    assert at_marta.escalation.to_names == ("Elena Region",) and at_marta.escalation.after_hours == 24

    decide_request(elena, hers[0].request_id, "approved", "")
    decide_request(elena, hers[1].request_id, "rejected", "Demasiado descuento")
    sync_now(elena)
    sync_now(ana)
    sync_now(carla)
    assert approval_inbox(elena).waiting == ()
