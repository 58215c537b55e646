"""The customer's answer to a quote, recorded on the device: lost (why, to whom, at what
price), accepted (PO number and wanted delivery day: an order request for the ERP) or
expired; or the seller's withdrawal. Each is a status change the server checks again when
the mutation arrives (`shared.rules.transition`, `shared.rules.quote_outcomes`)."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from client.services import quoting
from client.services.ids import new_record_id
from client.services.quote_reading import latest_version, load_quote, own_quote
from client.services.session import Session
from client.store import record
from shared.models import LostReason, QuoteStatus
from shared.models.field import Order, Quote
from shared.protocol import MutationName
from shared.rules import transition
from shared.rules.quote_outcomes import check_acceptance, check_latest, check_loss


def mark_lost(
    session: Session,
    quote_id: UUID | str,
    reason: LostReason | str,
    *,
    note: str = "",
    competitor: str = "",
    competitor_price: Decimal | None = None,
    line_prices: Mapping[int, Decimal] | None = None,
) -> Quote:
    """Record that the customer said no, why, and (when known) to whom and at what price: in
    total, and per line (`line_prices`: line number → the competitor's unit price)."""
    with session.store.read() as db:
        lines = load_quote(db, quote_id).lines
    products = {line.line_no: line.sku for line in lines}
    given = [(no, products.get(no, ""), price) for no, price in (line_prices or {}).items()]
    loss = check_loss(reason, note, competitor, competitor_price, line_prices=given, lines=lines)
    args: dict[str, Any] = {"status": QuoteStatus.LOST.value, "lost_reason": loss.reason.value}
    if loss.note:
        args["lost_note"] = loss.note
    if loss.competitor:
        args["competitor"] = loss.competitor
    if loss.competitor_price is not None:
        args["competitor_price"] = str(loss.competitor_price)
    if loss.line_prices:
        args["competitor_lines"] = [p.to_data() for p in loss.line_prices]
    return _mark(session, quote_id, QuoteStatus.LOST, args)


def mark_accepted(
    session: Session, quote_id: UUID | str, *, customer_po: str = "", requested_delivery: date | None = None
) -> Order:
    """Record that the customer accepted: the quote is final and an order request goes to the ERP."""
    accepted = check_acceptance(customer_po, requested_delivery, quoting.today())
    order_id = new_record_id()
    args: dict[str, Any] = {"status": QuoteStatus.ACCEPTED.value, "order_id": str(order_id)}
    if accepted.customer_po:
        args["customer_po"] = accepted.customer_po
    if accepted.requested_delivery is not None:
        args["requested_delivery"] = accepted.requested_delivery.isoformat()
    quote = _mark(session, quote_id, QuoteStatus.ACCEPTED, args)
    return Order.for_quote(order_id, quote)


def mark_expired(session: Session, quote_id: UUID | str) -> Quote:
    """Record that a sent quote's validity ran out without an answer (only after `valid_until`)."""
    return _mark(session, quote_id, QuoteStatus.EXPIRED, {"status": QuoteStatus.EXPIRED.value})


def mark_withdrawn(session: Session, quote_id: UUID | str) -> Quote:
    """The seller takes an offer back before the customer answers (waiting for approval,
    approved or sent); a send held for its approval is dropped with it."""
    return _mark(session, quote_id, QuoteStatus.WITHDRAWN, {"status": QuoteStatus.WITHDRAWN.value})


def _mark(session: Session, quote_id: UUID | str, target: QuoteStatus, args: dict[str, Any]) -> Quote:
    with session.store.write() as db:
        quote = own_quote(db, session, quote_id)
        check_latest(quote.number, quote.version, latest_version(db, quote.number), target.value)
        # quoting.today: one clock for the quote services, which tests move.
        transition(quote.status, target, valid_until=quote.valid_until, today=quoting.today())
        record(
            session.store,
            MutationName.MARK_QUOTE,
            {"quote_id": str(quote.id), **args, "from_status": str(quote.status)},
        )
        if target == QuoteStatus.WITHDRAWN:
            db.execute("DELETE FROM held_sends WHERE quote_id = ?", [str(quote.id)])
        marked = load_quote(db, quote.id)
    session.notify_local_write()
    return marked


__all__ = ["mark_accepted", "mark_expired", "mark_lost", "mark_withdrawn"]
