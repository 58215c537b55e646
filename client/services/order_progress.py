"""What became of an order after the seller's acceptance: the ERP's steps, its invoices, their payments.

    ordered (the device's order request) → confirmed | rejected → reserved → dispatched
    → delivered → invoiced (an invoice line naming the order) → paid (a payment of that invoice)

Read from the device only: order statuses and invoice lines come from the ERP export
(docs/import-format.md), in the customer's portfolio bucket.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlite_utils import Database

from client.services.today import has_table
from shared.models import OrderStep

STEP_ORDER: tuple[str, ...] = tuple(s.value for s in OrderStep)
"""The ERP's steps in the order they happen (a rejection comes in place of a confirmation)."""


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """One step of an order: `kind` is `ordered`, an OrderStep value, `invoiced` or `paid`."""

    kind: str
    day: date
    erp_order: str = ""
    quantity: Decimal | None = None
    reason: str = ""
    invoice: str = ""
    """The invoice number of `invoiced` and `paid`."""


def step_time(day: date, kind: str) -> datetime:
    """A moment for a dated step that keeps one day's steps in their order on a timeline.

    The ERP gives days, not times: steps sit in the morning, one minute apart in their
    order, so an invoice or a payment of the same day (noon) follows them."""
    rank = STEP_ORDER.index(kind) if kind in STEP_ORDER else 0
    return datetime.combine(day, time(9), UTC) + timedelta(minutes=rank)


def order_events(db: Database, order_id: str, ordered_on: date | None = None) -> tuple[OrderEvent, ...]:
    """The order's steps, oldest first; `ordered_on` puts the order request itself first."""
    events: list[OrderEvent] = []
    if ordered_on is not None:
        events.append(OrderEvent("ordered", ordered_on))
    if has_table(db, "order_statuses"):
        rows = db.execute(
            "SELECT status, status_date, erp_order, quantity, reason FROM order_statuses WHERE order_id = ?",
            [order_id],
        ).fetchall()
        steps = [
            OrderEvent(r[0], date.fromisoformat(r[1]), r[2] or "", Decimal(r[3]) if r[3] else None, r[4] or "")
            for r in rows
        ]
        events += sorted(steps, key=lambda e: (e.day, STEP_ORDER.index(e.kind) if e.kind in STEP_ORDER else 99))
    invoices = db.execute(
        "SELECT DISTINCT i.number, i.issue_date FROM invoice_lines l JOIN invoices i ON i.number = l.invoice_number "
        "WHERE l.order_id = ? ORDER BY i.issue_date, i.number",
        [order_id],
    ).fetchall()
    for number, issued in invoices:
        events.append(OrderEvent("invoiced", date.fromisoformat(issued), invoice=number))
    numbers = [number for number, _ in invoices]
    if numbers:
        marks = ", ".join("?" for _ in numbers)
        for number, paid in db.execute(
            f"SELECT invoice_number, max(payment_date) FROM payments WHERE invoice_number IN ({marks}) "
            "GROUP BY invoice_number ORDER BY 2",
            numbers,
        ).fetchall():
            events.append(OrderEvent("paid", date.fromisoformat(paid), invoice=number))
    return tuple(events)


def ordered_invoices(db: Database, customer_code: str) -> dict[str, str]:
    """The customer's invoices that invoice a Terreno order: invoice number → order id."""
    rows = db.execute(
        "SELECT DISTINCT l.invoice_number, l.order_id FROM invoice_lines l JOIN invoices i ON i.number = l.invoice_number "
        "WHERE i.customer_code = ? AND l.order_id IS NOT NULL",
        [customer_code],
    ).fetchall()
    return {number: order_id for number, order_id in rows}


__all__ = ["STEP_ORDER", "OrderEvent", "order_events", "ordered_invoices", "step_time"]
