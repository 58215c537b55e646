"""The ERP's steps for an order, pulled like any reference row, read back on Customer 360 and the quote."""

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from client.i18n import Translator
from client.services.customer360 import customer_360
from client.services.order_progress import OrderEvent, order_events
from client.store import apply_pull_page
from client.store.bucket_totals import read_bucket_totals, rebuild_bucket_totals
from client.store.bulk_load import BULK_PAGE_MIN
from client.ui.quote_panels import order_step_words, order_trail_words
from shared.models import InvoiceLine, OrderStatus, Payment
from tests.client.factories import delete, make_customer, make_invoice, page, put, seq_changes, table_rows

ORDER = UUID("0195f3a0-7c1e-7d2a-9b4e-1a2b3c4d5e6f")
OTHER = UUID("0195f3a0-7c1e-7d2a-9b4e-000000000002")


def _status(step: str, day: date, order: UUID = ORDER, **kw) -> OrderStatus:
    return OrderStatus(order_id=order, customer_code="C1", status=step, status_date=day, **kw)


def _erp_answer() -> list:
    """Delivered and invoiced in one day; the rows arrive in no particular order."""
    return [
        make_customer("C1"),
        _status("delivered", date(2026, 3, 14)),
        _status("dispatched", date(2026, 3, 14), quantity=Decimal(12)),
        _status("confirmed", date(2026, 3, 12), erp_order="4500123"),
        _status("rejected", date(2026, 3, 13), order=OTHER, reason="Sin stock"),
        make_invoice("F-123", issued=date(2026, 3, 14)),
        InvoiceLine(
            invoice_number="F-123",
            line_no=1,
            sku="P1",
            quantity=Decimal(12),
            unit_price=Decimal(10),
            net_amount=Decimal(120),
            cost_amount=Decimal(90),
            order_id=ORDER,
        ),
        make_invoice("F-124", issued=date(2026, 3, 15)),
        Payment(
            id="PAY-1",
            customer_code="C1",
            invoice_number="F-123",
            payment_date=date(2026, 4, 2),
            currency="EUR",
            amount=Decimal("145.20"),
        ),
    ]


def test_pulled_order_steps_reach_the_timeline_in_the_order_they_happened(seller_session):
    apply_pull_page(seller_session.store, page(seq_changes(_erp_answer())))

    timeline = customer_360(seller_session, "C1", as_of=date(2026, 4, 30)).timeline
    oldest_first = [(e.kind, e.status if e.kind == "order_status" else e.title, e.order) for e in reversed(timeline)]
    assert oldest_first == [
        ("order_status", "confirmed", "4500123"),
        ("order_status", "rejected", ""),
        ("order_status", "dispatched", "4500123"),
        ("order_status", "delivered", "4500123"),
        ("invoice", "F-123", "4500123"),  # invoices the order (named by the ERP: no quote here)
        ("invoice", "F-124", None),  # an ERP sale of its own
        ("payment", "F-123", "4500123"),  # collects it
    ]
    rejected = next(e for e in timeline if e.status == "rejected")
    dispatched = next(e for e in timeline if e.status == "dispatched")
    assert (rejected.detail, rejected.reference) == ("Sin stock", str(OTHER))
    assert (dispatched.title, dispatched.quantity) == ("", Decimal(12))  # the ERP number came with the confirmation


def test_the_orders_trail_goes_from_ordered_to_paid(seller_session):
    apply_pull_page(seller_session.store, page(seq_changes(_erp_answer())))

    with seller_session.store.read() as db:
        events = order_events(db, str(ORDER), date(2026, 3, 10))
        other = order_events(db, str(OTHER))

    assert [(e.kind, e.day, e.invoice) for e in events] == [
        ("ordered", date(2026, 3, 10), ""),
        ("confirmed", date(2026, 3, 12), ""),
        ("dispatched", date(2026, 3, 14), ""),
        ("delivered", date(2026, 3, 14), ""),
        ("invoiced", date(2026, 3, 14), "F-123"),
        ("paid", date(2026, 4, 2), "F-123"),
    ]
    assert [(e.kind, e.reason) for e in other] == [("rejected", "Sin stock")]


def test_order_statuses_arrive_through_a_bulk_first_sync_with_their_bucket_totals(store):
    customers = [make_customer(f"K{n:05d}") for n in range(BULK_PAGE_MIN)]
    first = seq_changes(customers)
    second = seq_changes(
        [make_customer("C1"), _status("confirmed", date(2026, 3, 12)), _status("dispatched", date(2026, 3, 14))],
        start=len(first) + 1,
    )
    apply_pull_page(store, page(first, has_more=True))
    apply_pull_page(store, page(second))

    rows = table_rows(store, "order_statuses")
    assert [(r["status"], r["_bucket"]) for r in rows] == [
        ("confirmed", "portfolio:ana.garcia"),
        ("dispatched", "portfolio:ana.garcia"),
    ]
    with store.read() as db:
        kept = read_bucket_totals(db)
    with store.write() as db:
        rebuild_bucket_totals(db)
    with store.read() as db:
        assert read_bucket_totals(db) == kept
    assert kept["portfolio:ana.garcia"][0] == BULK_PAGE_MIN + 3


def test_a_deleted_status_leaves_the_device(store):
    status = _status("reserved", date(2026, 3, 13))
    apply_pull_page(store, page([put(make_customer("C1"), 1), put(status, 2)]))
    apply_pull_page(store, page([delete(status, 3)]))

    assert table_rows(store, "order_statuses") == []


@pytest.mark.parametrize(
    ("language", "step", "erp", "quantity", "reason", "expected"),
    [
        ("en", "confirmed", "4500123", None, "", "Confirmed (ERP 4500123)"),
        ("en", "confirmed", "", None, "", "Confirmed"),
        ("en", "dispatched", "", Decimal(12), "", "Dispatched 12 units"),
        ("en", "dispatched", "", None, "", "Dispatched"),
        ("en", "rejected", "", None, "Sin stock", "Rejected: Sin stock"),
        ("en", "delivered", "", Decimal(1), "", "Delivered · 1 unit"),
        ("en", "reserved", "", None, "", "Stock reserved"),
        ("es", "dispatched", "", Decimal(12), "", "Enviadas 12 unidades"),
        ("es", "delivered", "", Decimal("2.5"), "", "Entregado · 2,5 unidades"),
    ],
)
def test_each_step_has_its_own_words(language, step, erp, quantity, reason, expected):
    # The catalogs do not have these words yet: the key itself shows which message was chosen.
    assert order_step_words(Translator(language), step, erp, quantity, reason) == expected


def test_the_quote_lists_its_orders_steps_in_one_line():
    events = [
        OrderEvent("ordered", date(2026, 3, 10)),
        OrderEvent("confirmed", date(2026, 3, 12)),
        OrderEvent("dispatched", date(2026, 3, 14)),
        OrderEvent("invoiced", date(2026, 3, 14), invoice="F-123"),
        OrderEvent("paid", date(2026, 4, 2), invoice="F-123"),
    ]
    assert order_trail_words(Translator("en"), events) == (
        "Ordered · Confirmed 12 Mar 2026 · Dispatched 14 Mar 2026 · Invoiced F-123 · Paid"
    )
    assert order_trail_words(Translator("es"), events[:2]) == "Pedido · Confirmado el 12 mar 2026"
