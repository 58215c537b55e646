"""A manager's approvals inbox on her device: the team's requests with their context, decided
offline (one by one or in bulk), applied at sync, refused as "changed since you decided" when
the seller made a new version meanwhile; her Today counts what waits and shows no seller's visit."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from client.i18n import Translator
from client.services.approvals import approval_inbox, decide_request, decide_requests, request_context, waiting_summary
from client.services.quote_answers import mark_withdrawn
from client.services.quote_reading import get_quote, quote_trail
from client.services.quote_terms import set_terms
from client.services.quoting import request_approval, save_quote
from client.services.sync_fixes import fix_form, refused_change
from client.services.sync_issues import list_sync_issues
from client.services.synchronization import sync_now
from client.services.today import today_agenda
from client.services.visits import plan_visit
from client.ui.approvals_view import reason_words
from shared.errors import ValidationFailed
from tests.client.quoting.world import Wire, quote_draft, seller_session
from tests.sync_server.quotes.helpers import MANAGER


def _asked(ana, *lines, note="Pedido por volumen"):
    quote = save_quote(ana, quote_draft(ana, *lines))
    request_approval(ana, quote.id, note=note)
    return quote


def test_a_manager_decides_offline_and_the_seller_sees_both_decisions(server, tmp_path):
    ana = seller_session(server, tmp_path, Wire(server))
    first = _asked(ana, ("GUA-NIT-09", "100", "15"))  # 15 % > the 10 % band
    second = _asked(ana, ("GUA-NIT-09", "50", "20"))
    sync_now(ana)
    wire = Wire(server)
    marta = seller_session(server, tmp_path, wire, login=MANAGER)

    inbox = approval_inbox(marta)
    assert [r.quote.number for r in inbox.waiting] == [first.number, second.number]
    request = inbox.waiting[0]
    assert (request.customer_name, request.note, request.rules) == (
        "Suministros Peñalara C1 S.L.",
        "Pedido por volumen",
        ("discount_above_band",),
    )
    assert request.requested_at is not None and request.reasons[0].startswith("Line 1 (GUA-NIT-09)")
    [line] = request.lines
    # 100 × 2.3750 at 15 % off: net 201.88 against a cost of 120 → margin (201.88 − 120) / 201.88 = 40.56 %
    assert (line.discount_percent, line.net, line.margin_percent) == (
        Decimal("15"),
        Decimal("201.88"),
        Decimal("40.56"),
    )
    assert inbox.bulk == {("discount_above_band",): [request.request_id, inbox.waiting[1].request_id]}
    context = request_context(marta, "C1")
    assert context.detail.credit is not None and context.detail.credit.credit_limit == Decimal(50000)
    summary = waiting_summary(marta, now=datetime.now(UTC) + timedelta(hours=3))
    assert (summary.count, summary.refused) == (2, 0) and summary.oldest_age >= timedelta(hours=3)

    wire.down = True  # decided offline
    with pytest.raises(ValidationFailed) as no_note:
        decide_request(marta, inbox.waiting[1].request_id, "rejected", "  ")
    assert no_note.value.key == "problem.approval.note_required"
    decide_request(marta, request.request_id, "approved", "OK por volumen")
    decide_request(marta, inbox.waiting[1].request_id, "rejected", "Demasiado descuento")
    after = approval_inbox(marta)
    assert after.waiting == () and len(after.decided_here) == 2
    assert waiting_summary(marta).count == 0

    wire.down = False
    sync_now(marta)
    assert approval_inbox(marta).decided_here == ()
    sync_now(ana)
    assert get_quote(ana, first.id).status == "approved"
    assert get_quote(ana, second.id).status == "rejected"
    [decision] = quote_trail(ana, second.id).decisions
    assert (decision.decided_by, decision.comment) == (MANAGER, "Demasiado descuento")


def test_a_decision_on_a_version_replaced_meanwhile_comes_back_as_changed(server, tmp_path):
    ana = seller_session(server, tmp_path, Wire(server))
    quote = _asked(ana, ("GUA-NIT-09", "100", "15"))
    sync_now(ana)
    wire = Wire(server)
    marta = seller_session(server, tmp_path, wire, login=MANAGER)
    [request] = approval_inbox(marta).waiting
    wire.down = True
    decide_request(marta, request.request_id, "approved", "")
    mark_withdrawn(ana, quote.id)  # meanwhile Ana withdraws it
    sync_now(ana)
    wire.down = False
    sync_now(marta)
    inbox = approval_inbox(marta)
    assert inbox.waiting == () and inbox.decided_here == ()
    [refused] = inbox.refused
    assert (refused.number, refused.key) == (quote.number, "problem.approval.changed_since_decided")
    assert refused.params["changes"][0]["$message"] == "problem.approval.change.not_waiting"
    [issue] = [i for i in list_sync_issues(marta) if i.name == "decide_approval"]
    assert fix_form(issue) == "approval" and refused_change(marta, issue.id).quote_id == quote.id
    assert waiting_summary(marta).refused == 1


def test_bulk_only_across_requests_that_fired_the_same_rules(server, tmp_path):
    ana = seller_session(server, tmp_path, Wire(server))
    _asked(ana, ("GUA-NIT-09", "100", "15"))
    other = set_terms(ana, quote_draft(ana, ("GUA-NIT-09", "100", "15")), payment_terms="NET90")  # not standard
    request_approval(ana, save_quote(ana, other).id, note="")
    sync_now(ana)
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)
    inbox = approval_inbox(marta)
    assert inbox.waiting[0].rules != inbox.waiting[1].rules and inbox.bulk == {}
    with pytest.raises(ValidationFailed) as mixed:
        decide_requests(marta, [r.request_id for r in inbox.waiting], "approved", "")
    assert mixed.value.key == "problem.approval.bulk_different_rules"
    assert len(approval_inbox(marta).waiting) == 2  # nothing half-decided


def test_a_managers_today_shows_only_her_own_visits(server, tmp_path):
    ana = seller_session(server, tmp_path, Wire(server))
    plan_visit(ana, "C1", datetime.now(UTC) - timedelta(hours=1), purpose="Revisar pedido")
    sync_now(ana)
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)
    # Marta's device holds Ana's visit (her team's activity), and it is not Marta's day.
    assert marta.store.read().__enter__().execute("SELECT count(*) FROM visits").fetchone()[0] == 1
    assert today_agenda(ana).visits and today_agenda(marta).visits == ()


def test_a_spanish_manager_reads_the_reasons_in_spanish(server, tmp_path):
    """The server keeps each reason as a message too: the inbox says it in the manager's
    language (the English sentence stays for the API and the logs)."""
    ana = seller_session(server, tmp_path, Wire(server))
    _asked(ana, ("GUA-NIT-09", "100", "15"))
    sync_now(ana)
    marta = seller_session(server, tmp_path, Wire(server), login=MANAGER)

    [request] = approval_inbox(marta).waiting
    assert request.reasons[0].startswith("Line 1 (GUA-NIT-09): discount 15")
    [spanish] = reason_words(Translator("es"), request)
    assert spanish.startswith("Línea 1 (GUA-NIT-09): descuento del 15 %"), spanish
    [english] = reason_words(Translator("en"), request)
    assert english.startswith("Line 1 (GUA-NIT-09): discount 15%, more than the"), english
