"""A quote built offline on the device, approved by a manager, e-mailed by the server.

The server is the real app in-process (SQLite and PostgreSQL); "stopped" is a transport
that refuses every connection, so any step that touched the network would fail. E-mail
goes through a real SMTP server (aiosmtpd on loopback).
"""

import email
import email.policy
import io
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfWriter

from client.services.files import keep_file, read_file
from client.services.quote_reading import get_quote, quote_trail
from client.services.quote_sending import send_quote
from client.services.quoting import add_line, request_approval, save_quote, start_quote
from client.services.sync_issues import discard_sync_issue, list_sync_issues
from client.services.synchronization import sync_now, sync_status
from client.store import record
from shared.errors import ApprovalRequired
from shared.protocol import MutationName
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.email_outbox import deliver_due
from tests.client.quoting.world import (
    CUSTOMER_EMAIL,
    NO_STOCK,
    SUBSTITUTE,
    Wire,
    decide,
    quoting_server,
    seller_session,
)
from tests.sync_server.quotes.helpers import Collector, mail_settings


@pytest.fixture
def server(database_url, tmp_path):
    with quoting_server(database_url, tmp_path) as client:
        yield client


def _server_quote(server, quote_id):
    with server.app.state.engine.connect() as conn:
        return conn.execute(sa.select(ENTITY_TABLES["quote"]).where(ENTITY_TABLES["quote"].c.id == str(quote_id))).one()


def test_a_quote_built_offline_is_approved_sent_and_arrives_byte_identical(server, tmp_path, smtp_server):
    wire = Wire(server)
    ana = seller_session(server, tmp_path, wire)
    wire.down = True  # the server is unreachable from here on, until said otherwise

    priced = start_quote(ana, "C1")
    assert priced.credit.status == "ok"
    priced = add_line(ana, priced, "GUA-NIT-09", Decimal(100), Decimal(15))  # 15 % > the 10 % band
    priced = add_line(ana, priced, "TAL-18V-BL", Decimal(2))
    priced = add_line(ana, priced, NO_STOCK, Decimal(5))
    short = priced.lines[2]
    assert short.promise.is_short and SUBSTITUTE in {o.sku for o in short.promise.substitutes}
    assert short.substitute_names[SUBSTITUTE] == "Broca HSS 10 mm cobalto"  # named on its button
    assert [r.code for r in priced.fired_rules] == ["discount_above_band"]
    # 100 × 2.3750 × 0.85 = 201.88; 2 × 189 = 378; 5 × 12.50 = 62.50 → net 642.38, IVA 21 % 134.90
    assert (priced.totals.net, priced.totals.tax, priced.totals.gross) == (
        Decimal("642.38"),
        Decimal("134.90"),
        Decimal("777.28"),
    )

    quote = save_quote(ana, priced)
    request_approval(ana, quote.id, note="Volume order")
    outcome = send_quote(ana, quote.id, [CUSTOMER_EMAIL], message="Adjuntamos la oferta.", language="es")
    assert outcome.held and read_file(ana, outcome.pdf_sha256).startswith(b"%PDF-")
    assert get_quote(ana, quote.id).status == "pending_approval"
    assert wire.attempts == 0  # nothing above needed the network

    wire.down = False
    sync_now(ana)
    stored = _server_quote(server, quote.id)
    assert stored.status == "pending_approval" and list(stored.fired_rules) == ["discount_above_band"]
    assert get_quote(ana, quote.id).status == "pending_approval"  # still held: not approved yet
    assert quote_trail(ana, quote.id).held_send is not None

    [request] = quote_trail(ana, quote.id).requests
    decide(server, request.id, "approved", "OK for this volume")
    released = sync_now(ana)  # brings the approval, releases the held send, uploads the PDF, pushes the send
    assert released.pushed.acknowledged == 1  # the send, pushed in the same round as the approval arrived
    assert _server_quote(server, quote.id).status == "sent"
    trail = quote_trail(ana, quote.id)
    assert trail.held_send is None
    assert [(d.decision, d.decided_by, d.comment) for d in trail.decisions] == [
        ("approved", "marta.jefa", "OK for this volume")
    ]  # the manager's decision reached the device

    collector = Collector()
    smtp = smtp_server(collector)
    report = deliver_due(server.app.state.engine, mail_settings(server.app.state.settings, smtp.port))
    assert report.delivered == 1
    [envelope] = collector.envelopes
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    [attachment] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert attachment.get_content() == read_file(ana, outcome.pdf_sha256)  # the bytes the seller saw
    assert envelope.rcpt_tos == [CUSTOMER_EMAIL]

    sync_now(ana)
    assert get_quote(ana, quote.id).status == "sent"
    [delivery] = quote_trail(ana, quote.id).deliveries
    assert delivery.status == "delivered"
    assert sync_status(ana).unsynced == 0 and list_sync_issues(ana) == []


def test_the_server_refuses_a_forged_send_of_an_unapproved_quote(server, tmp_path):
    wire = Wire(server)
    ana = seller_session(server, tmp_path, wire)
    quote = save_quote(ana, add_line(ana, start_quote(ana, "C1"), "GUA-NIT-09", Decimal(10), Decimal(30)))
    sync_now(ana)
    with pytest.raises(ApprovalRequired):
        send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    # A tampered device skips the service's check and queues the send anyway.
    sha = keep_file(ana, _blank_pdf(), "application/pdf")
    record(
        ana.store,
        MutationName.SEND_QUOTE,
        {
            "quote_id": str(quote.id),
            "from_status": "draft",
            "delivery": {
                "id": "0190a0a0-0000-7000-8000-000000000001",
                "quote_id": str(quote.id),
                "recipients": [CUSTOMER_EMAIL],
                "subject": "Forged",
                "pdf_sha256": sha,
            },
        },
    )
    assert get_quote(ana, quote.id).status == "sent"  # what the tampered device shows

    sync_now(ana)
    assert _server_quote(server, quote.id).status == "draft"
    [issue] = list_sync_issues(ana)
    assert issue.code == "approval_required"
    assert get_quote(ana, quote.id).status == "sent"  # shown until the seller deals with the issue
    discard_sync_issue(ana, issue.id)
    assert get_quote(ana, quote.id).status == "draft"  # the refused send is taken back
    with server.app.state.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(ENTITY_TABLES["email_delivery"])).scalar() == 0


def _blank_pdf() -> bytes:
    """A real one-page PDF (the server keeps only PDFs that open as one)."""
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.write(out)
    return out.getvalue()
