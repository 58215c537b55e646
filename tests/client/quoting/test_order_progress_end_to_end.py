"""An accepted quote, followed to the end: the ERP confirms, dispatches, invoices and is paid,
and the seller's device reads it on the customer's timeline and on the quote."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from client.services.customer360 import customer_360
from client.services.quote_answers import mark_accepted
from client.services.quote_reading import quote_trail
from client.services.quote_sending import send_quote
from client.services.quoting import save_quote
from client.services.synchronization import sync_now
from shared.models import Invoice, InvoiceLine, OrderStatus, Payment
from shared.protocol import portfolio_bucket
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from tests.client.quoting.world import CUSTOMER_EMAIL, quote_draft
from tests.sync_server.quotes.helpers import CUSTOMER, SELLER


def _erp_answers(server, order, quote) -> None:
    """What the next ERP export brings for the order, written as the importer writes it."""
    day = datetime.now(UTC).date()
    bucket = portfolio_bucket(SELLER)
    gross = quote.gross_total
    net = quote.net_total
    with write_transaction(server.app.state.engine) as conn:
        for step, after in (("confirmed", 1), ("dispatched", 3), ("delivered", 4)):
            put_record(
                conn,
                OrderStatus(
                    order_id=order.id,
                    erp_order="4500123",
                    customer_code=CUSTOMER,
                    status=step,
                    status_date=day + timedelta(days=after),
                    quantity=Decimal(1) if step == "dispatched" else None,
                ),
                bucket,
            )
        put_record(
            conn,
            Invoice(
                number="F-123",
                customer_code=CUSTOMER,
                issue_date=day + timedelta(days=5),
                due_date=day + timedelta(days=35),
                currency=quote.currency,
                net_amount=net,
                tax_amount=gross - net,
                gross_amount=gross,
            ),
            bucket,
        )
        line = quote.lines[0]
        put_record(
            conn,
            InvoiceLine(
                invoice_number="F-123",
                line_no=1,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
                net_amount=net,
                cost_amount=Decimal(0),
                order_id=order.id,
            ),
            bucket,
        )
        put_record(
            conn,
            Payment(
                id="PAY-1",
                customer_code=CUSTOMER,
                invoice_number="F-123",
                payment_date=day + timedelta(days=20),
                currency=quote.currency,
                amount=gross,
            ),
            bucket,
        )


def test_an_accepted_quote_reads_ordered_confirmed_dispatched_invoiced_paid(server, ana):
    quote = save_quote(ana, quote_draft(ana, ("TAL-18V-BL", 1, 0)))
    send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    order = mark_accepted(ana, quote.id)
    sync_now(ana)
    assert [e.kind for e in quote_trail(ana, quote.id).order_events] == ["ordered"]

    _erp_answers(server, order, quote)
    sync_now(ana)

    trail = quote_trail(ana, quote.id)
    assert [(e.kind, e.invoice) for e in trail.order_events] == [
        ("ordered", ""),
        ("confirmed", ""),
        ("dispatched", ""),
        ("delivered", ""),
        ("invoiced", "F-123"),
        ("paid", "F-123"),
    ]
    timeline = customer_360(ana, CUSTOMER).timeline
    story = [
        (e.kind, e.status if e.kind in ("quote", "order_status") else None, e.order)
        for e in reversed(timeline)
        if e.kind in ("quote", "order", "order_status", "invoice", "payment")
    ]
    assert story == [
        ("quote", "accepted", None),
        ("order", None, None),
        ("order_status", "confirmed", quote.number),
        ("order_status", "dispatched", quote.number),
        ("order_status", "delivered", quote.number),
        ("invoice", None, quote.number),  # invoices the quote's order
        ("payment", None, quote.number),  # collects it
    ]
