"""Nested teams on the devices: the regional director's inbox holds both teams' requests, a
team's manager only hers; a request waiting past the policy shows as escalated to the
director — with how long it waited — and either of them decides it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from client.services.approvals import approval_inbox, decide_request
from client.services.delegations import delegate_approvals, delegate_candidates, my_delegations
from client.services.quote_reading import quote_trail
from client.services.quoting import add_line, request_approval, save_quote, start_quote
from client.services.synchronization import sync_now
from shared.errors import ValidationFailed
from shared.models import Role, Team
from shared.protocol import DIRECTORY_BUCKET
from sync_server.repository.records import put_record
from tests.client.quoting.world import Wire, seed_quoting_with_stock, seller_session
from tests.client.servers import serve_in_process
from tests.sync_server.factories import make_user
from tests.sync_server.quotes.helpers import MANAGER, OTHER_CUSTOMER, OTHER_MANAGER, OTHER_SELLER, SELLER

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


def test_a_delegate_decides_on_the_delegators_behalf_from_her_device(server, tmp_path):
    ana = seller_session(server, tmp_path, Wire(server))
    quote = _asked(ana)
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)
    sergio = seller_session(server, tmp_path, Wire(server), login=OTHER_MANAGER)
    assert approval_inbox(sergio).waiting == ()

    today = datetime.now(UTC).date()
    with pytest.raises(ValidationFailed) as to_self:
        delegate_approvals(marta, MANAGER, today, today)
    assert to_self.value.key == "problem.delegation.to_self"
    with pytest.raises(ValidationFailed) as seller:
        delegate_approvals(marta, SELLER, today, today)
    assert seller.value.key == "problem.delegation.delegate_not_manager"
    with pytest.raises(ValidationFailed) as past:
        delegate_approvals(marta, OTHER_MANAGER, today - timedelta(days=3), today - timedelta(days=1))
    assert past.value.key == "problem.delegation.in_the_past"
    assert (OTHER_MANAGER, "Sergio Jefe") in delegate_candidates(marta)

    made = delegate_approvals(marta, OTHER_MANAGER, today, today + timedelta(days=2))
    assert [d.id for d in my_delegations(sergio)] == [made.id]
    sync_now(sergio)
    [held] = approval_inbox(sergio).waiting
    assert held.quote.number == quote.number and held.on_behalf_of == ("Marta Jefa",)
    decide_request(sergio, held.request_id, "approved", "Aprobado en ausencia de Marta")
    sync_now(sergio)
    sync_now(ana)
    [decision] = quote_trail(ana, quote.id).decisions
    assert (decision.decided_by, decision.on_behalf_of) == (OTHER_MANAGER, MANAGER)
