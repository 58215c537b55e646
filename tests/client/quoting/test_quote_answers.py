"""The customer's answer recorded on the device: accepted with a PO number and a wanted
delivery day (an order request), lost with a reason, withdrawn, expired; synced to the server."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from client.services.customer360 import customer_360
from client.services.quote_answers import mark_accepted, mark_expired, mark_lost, mark_withdrawn
from client.services.quote_document import render_quote
from client.services.quote_list import QuoteGroup, list_quotes
from client.services.quote_reading import available_actions, get_quote, quote_trail
from client.services.quote_sending import send_quote
from client.services.quote_terms import QuoteNotes, set_terms
from client.services.quoting import edit_quote, request_approval, save_quote
from client.services.synchronization import sync_now
from shared.errors import InvalidTransition, ValidationFailed
from shared.models import Customer
from shared.protocol import portfolio_bucket
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.mutations.base import current_data
from sync_server.services.orders import collect_orders
from tests.client.quoting.world import CUSTOMER_EMAIL, decide, quote_draft

D = Decimal


def _sent(session, *lines):
    quote = save_quote(session, quote_draft(session, *lines))
    send_quote(session, quote.id, [CUSTOMER_EMAIL])
    return get_quote(session, quote.id)


def _pending(session):
    with session.store.read() as db:
        return db.execute("SELECT count(*) FROM outbox").fetchone()[0]


def test_lost_with_reason_and_competitor_and_accepted_makes_an_order(server, ana):
    lost = save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 10, 0)))
    send_quote(ana, lost.id, [CUSTOMER_EMAIL])
    with pytest.raises(ValidationFailed, match="lost reason"):
        mark_lost(ana, lost.id, "cheaper")
    marked = mark_lost(ana, lost.id, "price", competitor="Würth", competitor_price=D("2.10"))
    assert (marked.status, marked.lost_reason, marked.competitor) == ("lost", "price", "Würth")
    won = save_quote(ana, quote_draft(ana, ("TAL-18V-BL", 1, 0)))
    send_quote(ana, won.id, [CUSTOMER_EMAIL])
    order = mark_accepted(ana, won.id)
    assert quote_trail(ana, won.id).orders[0].id == order.id
    sync_now(ana)
    with server.app.state.engine.connect() as conn:
        orders = list(conn.execute(sa.select(ENTITY_TABLES["order"])))
        stored_lost = conn.execute(
            sa.select(ENTITY_TABLES["quote"]).where(ENTITY_TABLES["quote"].c.id == str(lost.id))
        ).one()
    assert [str(o.id) for o in orders] == [str(order.id)] and orders[0].gross_total == won.gross_total
    assert (stored_lost.status, stored_lost.competitor, stored_lost.competitor_price) == ("lost", "Würth", D("2.1"))
    # The customer's page says why, to whom and at what price; the won one has no reason.
    timeline = {e.reference: e for e in customer_360(ana, "C1").timeline if e.kind == "quote"}
    said = timeline[str(lost.id)]
    assert (said.status, said.lost_reason, said.competitor, said.competitor_price) == (
        "lost",
        "price",
        "Würth",
        D("2.10"),
    )
    assert (timeline[str(won.id)].status, timeline[str(won.id)].lost_reason) == ("accepted", None)


def test_a_withdrawn_offer_is_closed_and_its_held_send_dropped(server, ana):
    sent = save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 10, 0)))
    send_quote(ana, sent.id, [CUSTOMER_EMAIL])
    assert mark_withdrawn(ana, sent.id).status == "withdrawn"
    with pytest.raises(InvalidTransition, match="withdrawn quote cannot become accepted"):
        mark_accepted(ana, sent.id)
    waiting = save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 10, 25)))
    request_approval(ana, waiting.id)
    assert send_quote(ana, waiting.id, [CUSTOMER_EMAIL]).held
    mark_withdrawn(ana, waiting.id)
    assert quote_trail(ana, waiting.id).held_send is None
    with pytest.raises(InvalidTransition, match="draft quote cannot become withdrawn"):
        mark_withdrawn(ana, save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 1, 0))).id)
    sync_now(ana)
    quotes = ENTITY_TABLES["quote"]
    with server.app.state.engine.connect() as conn:
        stored = dict(conn.execute(sa.select(quotes.c.id, quotes.c.status).where(quotes.c.status == "withdrawn")).all())
    assert stored == {str(sent.id): "withdrawn", str(waiting.id): "withdrawn"}


def test_a_sent_quote_expires_only_after_its_validity(ana, monkeypatch):
    quote = save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 10, 0)))
    send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    with pytest.raises(InvalidTransition, match="expires only after"):
        mark_expired(ana, quote.id)
    # A month and a day later (the only way to get there in a test is to move the date).
    later = quote.valid_until + timedelta(days=1)
    monkeypatch.setattr("client.services.quoting.today", lambda: later)
    assert mark_expired(ana, quote.id).status == "expired"


def test_an_acceptance_carries_the_customers_po_and_wanted_day_to_the_erp_export(server, ana, monkeypatch):
    quote = _sent(ana, ("GUA-NIT-09", 10, 0))
    wanted = quote.issue_date + timedelta(days=9)
    order = mark_accepted(ana, quote.id, customer_po="  PO-4500123 ", requested_delivery=wanted)
    assert (order.customer_po, order.requested_delivery) == ("PO-4500123", wanted)
    assert quote_trail(ana, quote.id).orders[0].customer_po == "PO-4500123"
    sync_now(ana)
    with server.app.state.engine.connect() as conn:
        [exported] = collect_orders(conn)
    assert exported.header()["customer_po"] == "PO-4500123"
    assert exported.header()["requested_delivery"] == wanted.isoformat()
    assert (exported.quote.customer_po, exported.order.id) == ("PO-4500123", order.id)


def test_a_bad_acceptance_or_loss_is_refused_and_records_nothing(ana):
    quote = _sent(ana, ("GUA-NIT-09", 10, 0))
    queued = _pending(ana)
    with pytest.raises(ValidationFailed) as late:
        mark_accepted(ana, quote.id, requested_delivery=quote.issue_date - timedelta(days=1))
    assert late.value.key == "problem.quote.delivery_before"
    with pytest.raises(ValidationFailed) as long_po:
        mark_accepted(ana, quote.id, customer_po="X" * 36)
    assert long_po.value.key == "problem.quote.po_too_long"
    with pytest.raises(ValidationFailed) as bare:
        mark_lost(ana, quote.id, "other", note=" ")
    assert bare.value.key == "problem.quote.lost_other_note"
    assert _pending(ana) == queued and quote_trail(ana, quote.id).orders == []
    marked = mark_lost(ana, quote.id, "other", note="The works were postponed to spring")
    assert (marked.status, marked.lost_note) == ("lost", "The works were postponed to spring")


def test_no_longer_needed_is_a_reason_and_its_note_reaches_the_server(server, ana):
    quote = _sent(ana, ("GUA-NIT-09", 10, 0))
    mark_lost(ana, quote.id, "no_longer_needed", note="Project cancelled")
    sync_now(ana)
    quotes = ENTITY_TABLES["quote"]
    with server.app.state.engine.connect() as conn:
        stored = conn.execute(sa.select(quotes).where(quotes.c.id == str(quote.id))).one()
    assert (stored.status, stored.lost_reason, stored.lost_note) == ("lost", "no_longer_needed", "Project cancelled")


def test_only_the_latest_version_is_answered(ana):
    first = _sent(ana, ("GUA-NIT-09", 10, 0))
    second = save_quote(ana, edit_quote(ana, first.id))  # the customer asked for a change: v2
    assert second.version == 2
    with pytest.raises(InvalidTransition) as caught:
        mark_accepted(ana, first.id)
    assert caught.value.key == "problem.quote.answer_on_latest"
    with pytest.raises(InvalidTransition):
        mark_lost(ana, first.id, "price")
    trail = quote_trail(ana, first.id)
    assert trail.latest_version == 2 and available_actions(first, trail) == frozenset()


def test_an_approved_version_replaced_by_a_newer_one_is_not_sent(server, ana):
    first = save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 10, 30)))  # fires the discount rule
    request = request_approval(ana, first.id)
    sync_now(ana)
    decide(server, request.id, "approved")
    sync_now(ana)
    second = save_quote(ana, edit_quote(ana, first.id))  # changed after the approval: v2
    assert second.version == 2
    with pytest.raises(InvalidTransition) as caught:
        send_quote(ana, first.id, [CUSTOMER_EMAIL])
    assert (caught.value.key, caught.value.params["newer"]) == ("problem.quote.replaced", 2)
    assert get_quote(ana, first.id).status == "approved" and quote_trail(ana, first.id).deliveries == []


def test_a_sent_quote_past_its_validity_shows_expired_and_cannot_be_accepted(ana):
    quote = _sent(ana, ("GUA-NIT-09", 10, 0))
    assert quote_trail(ana, quote.id, today=quote.valid_until).shown_status == "sent"  # its last valid day
    trail = quote_trail(ana, quote.id, today=quote.valid_until + timedelta(days=1))
    assert trail.shown_status == "expired"
    assert available_actions(quote, trail) == {"lose", "withdraw", "new_version"}


def test_a_draft_for_a_customer_moved_to_a_colleague_stays_readable(server, ana):
    draft = save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 10, 0)))
    with write_transaction(server.app.state.engine) as conn:
        _version, data = current_data(conn, "customer", "C1")
        put_record(conn, Customer.model_validate({**data, "seller_login": "carla.sur"}), portfolio_bucket("carla.sur"))
    sync_now(ana)
    trail = quote_trail(ana, draft.id)
    assert trail.customer_moved and available_actions(get_quote(ana, draft.id), trail) == frozenset()
    assert trail.customer_name == ""  # her name left with her; the code is what the screen shows
    assert get_quote(ana, draft.id).lines[0].sku == "GUA-NIT-09"  # still there to read


def test_the_three_notes_go_where_they_belong(server, ana):
    notes = QuoteNotes("Precios solo para el pedido completo", "Compara con Würth cada mes", "Entregar por el muelle 2")
    quote = save_quote(ana, set_terms(ana, quote_draft(ana, ("GUA-NIT-09", 10, 0)), notes=notes))
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_quote(ana, quote))).pages).split())
    assert notes.customer in pdf and notes.internal not in pdf and notes.conditions not in pdf
    send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    assert edit_quote(ana, quote.id).draft.internal_note == notes.internal  # v2 starts with them
    mark_accepted(ana, quote.id)
    sync_now(ana)
    with server.app.state.engine.connect() as conn:
        [exported] = collect_orders(conn)
    assert exported.header()["conditions"] == notes.conditions
    assert (exported.quote.customer_note, exported.quote.internal_note) == (notes.customer, notes.internal)
    with pytest.raises(ValidationFailed) as long_note:
        set_terms(ana, quote_draft(ana, ("GUA-NIT-09", 1, 0)), notes=QuoteNotes(internal="x" * 4001))
    assert long_note.value.key == "problem.quote.note_too_long"


def test_the_quotes_list_shows_the_latest_versions_by_group_with_margin_and_age(ana):
    priced = quote_draft(ana, ("GUA-NIT-09", 10, 5))
    open_one = save_quote(ana, priced)
    won = _sent(ana, ("TAL-18V-BL", 1, 0))
    mark_accepted(ana, won.id)
    lost = _sent(ana, ("GUA-NIT-09", 2, 0))
    mark_lost(ana, lost.id, "price")
    replaced = _sent(ana, ("GUA-NIT-09", 3, 0))
    newer = save_quote(ana, edit_quote(ana, replaced.id))  # v2, a draft: the list shows v2 only
    later = open_one.issue_date + timedelta(days=4)

    def listed(group, text=""):
        return [(i.number, i.version, str(i.status)) for i in list_quotes(ana, group, text, today=later)]

    assert listed(QuoteGroup.OPEN) == [(newer.number, 2, "draft"), (open_one.number, 1, "draft")]
    assert listed(QuoteGroup.WON) == [(won.number, 1, "accepted")]
    assert listed(QuoteGroup.LOST) == [(lost.number, 1, "lost")]
    assert len(listed(QuoteGroup.ALL)) == 4
    assert listed(QuoteGroup.ALL, open_one.number.lower()) == [(open_one.number, 1, "draft")]
    assert len(listed(QuoteGroup.ALL, "peñalara c1")) == 4  # the customer's name
    assert listed(QuoteGroup.ALL, "nobody") == []
    [item] = [i for i in list_quotes(ana, QuoteGroup.OPEN, today=later) if i.number == open_one.number]
    assert (item.margin, item.margin_percent, item.age_days) == (priced.totals.margin, priced.totals.margin_percent, 4)
    assert item.customer_name.startswith("Suministros Peñalara")
    past = won.valid_until + timedelta(days=1)  # a sent quote past its validity lists as expired
    expired = _sent(ana, ("GUA-NIT-09", 1, 0))
    assert [str(i.status) for i in list_quotes(ana, QuoteGroup.LOST, expired.number, today=past)] == ["expired"]
