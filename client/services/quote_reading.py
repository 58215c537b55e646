"""Quotes as the device has them: versions, a customer's quotes, what happened to one
(approvals, e-mails, orders, a held send) and what the seller can do with it next."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from sqlite_utils import Database

from client.services.customer360 import created_at
from client.services.order_progress import OrderEvent, order_events
from client.services.people import names_in
from client.services.quote_facts import load_customer
from client.services.session import Session
from client.store import FIELD_TABLES, record_from_row
from shared.errors import NotFound, PermissionDenied
from shared.models import QuoteStatus
from shared.models.field import ApprovalDecision, ApprovalRequest, EmailDelivery, LostSale, Order, Quote
from shared.rules.quote_lifecycle import can_edit_in_place, expire_if_due
from shared.rules.quote_math import compute_totals, line_input

S = QuoteStatus
_QUOTES = FIELD_TABLES[Quote.ENTITY]


def get_quote(session: Session, quote_id: UUID | str) -> Quote:
    """One quote version as the device shows it; NotFound if absent."""
    with session.store.read() as db:
        return load_quote(db, quote_id)


def quote_versions(session: Session, number: str) -> list[Quote]:
    """Every version of a quote number on the device, oldest first."""
    with session.store.read() as db:
        rows = db.query(f'SELECT * FROM "{_QUOTES}" WHERE number = ? ORDER BY version', [number])
        return [record_from_row(Quote, row) for row in rows]


def customer_quotes(session: Session, customer_code: str) -> list[Quote]:
    """The latest version of each of a customer's quotes, newest first."""
    with session.store.read() as db:
        rows = db.query(
            f'SELECT * FROM "{_QUOTES}" AS q WHERE customer_code = ? AND version = '
            f'(SELECT MAX(version) FROM "{_QUOTES}" WHERE number = q.number) ORDER BY issue_date DESC, number DESC',
            [customer_code],
        )
        return [record_from_row(Quote, row) for row in rows]


@dataclass(frozen=True, slots=True)
class QuoteTrail:
    """What happened to one quote version after it was saved."""

    requests: list[ApprovalRequest]
    decisions: list[ApprovalDecision]
    deliveries: list[EmailDelivery]
    orders: list[Order]
    held_send: EmailDelivery | None
    """A send the seller queued that waits for the approval (None: nothing held)."""
    latest_version: int
    """The number's latest version on the device: an older one is only read, never decided."""
    shown_status: QuoteStatus
    """The status as the seller should read it today: a sent quote past its validity shows
    expired before the server's expiry job reaches the device."""
    lost_sales: list[LostSale]
    """Lines dropped from this quote for lack of stock (any of its versions' drafts)."""
    customer_moved: bool = False
    """The customer left this device's portfolio (moved to a colleague): the quote is only read."""
    order_events: tuple[OrderEvent, ...] = ()
    """What became of the quote's order: ordered, the ERP's steps, invoiced, paid (oldest first)."""
    customer_name: str = ""
    """The customer's legal name ('' once she has left the portfolio: the code is all there is)."""
    margin: Decimal = Decimal(0)
    """The version's margin in its currency, after every discount."""
    margin_percent: Decimal | None = None
    """That margin as a share of the net total (None when the net is zero)."""
    names: dict[str, str] = field(default_factory=dict)
    """The names of the managers who decided it, by login (a login not in the directory: none)."""


def quote_trail(session: Session, quote_id: UUID | str, today: date | None = None) -> QuoteTrail:
    """Approval requests and decisions, e-mail deliveries, orders and any held send of a quote,
    the number's latest version and the status shown on `today` (UTC today by default)."""
    key = str(quote_id)
    with session.store.read() as db:
        quote = load_quote(db, key)
        latest = latest_version(db, quote.number) or quote.version
        requests = [
            record_from_row(ApprovalRequest, r)
            for r in db.query("SELECT * FROM approval_requests WHERE quote_id = ? ORDER BY id", [key])
        ]
        ids = [str(r.id) for r in requests]
        decisions = [
            record_from_row(ApprovalDecision, r)
            for r in db.query(
                f"SELECT * FROM approval_decisions WHERE request_id IN ({', '.join('?' for _ in ids) or 'NULL'}) "
                "ORDER BY decided_at",
                ids,
            )
        ]
        deliveries = [
            record_from_row(EmailDelivery, r)
            for r in db.query("SELECT * FROM email_deliveries WHERE quote_id = ? ORDER BY id", [key])
        ]
        orders = [record_from_row(Order, r) for r in db.query("SELECT * FROM orders WHERE quote_id = ?", [key])]
        events = tuple(
            event for order in orders for event in order_events(db, str(order.id), _ordered_on(order, quote.issue_date))
        )
        held = db.execute("SELECT delivery FROM held_sends WHERE quote_id = ?", [key]).fetchone()
        customer = db.execute("SELECT legal_name FROM customers WHERE code = ?", [quote.customer_code]).fetchone()
        names = names_in(db, [d.decided_by for d in decisions] + [d.on_behalf_of for d in decisions])
        lost = [
            record_from_row(LostSale, r)
            for r in db.query(
                f'SELECT * FROM lost_sales WHERE quote_id IN (SELECT id FROM "{_QUOTES}" WHERE number = ?) ORDER BY id',
                [quote.number],
            )
        ]
    totals = compute_totals((line_input(line) for line in quote.lines), quote.currency, quote.header_discount_percent)
    return QuoteTrail(
        requests,
        decisions,
        deliveries,
        orders,
        EmailDelivery.model_validate_json(held[0]) if held else None,
        latest,
        expire_if_due(quote.status, quote.valid_until, today or datetime.now(UTC).date()),
        lost,
        customer is None,
        events,
        customer[0] or "" if customer else "",
        totals.margin,
        totals.margin_percent,
        names,
    )


def _ordered_on(order: Order, fallback: date) -> date:
    """The day the seller recorded the acceptance (the order's UUID v7), else the quote's day."""
    stamp = created_at(order.id)
    return stamp.date() if stamp is not None else fallback


def default_recipient(session: Session, customer_code: str) -> str:
    """Who a quote goes to unless the seller says otherwise: the first contact with an e-mail,
    else the customer's own address ('' when there is none)."""
    with session.store.read() as db:
        contact = db.execute(
            "SELECT email FROM contacts WHERE customer_code = ? AND email != '' ORDER BY name LIMIT 1", [customer_code]
        ).fetchone()
        return contact[0] if contact else load_customer(db, customer_code).email


def available_actions(quote: Quote, trail: QuoteTrail | None = None) -> frozenset[str]:
    """What the seller can do with a saved quote version now: `request_approval`, `send`,
    `accept` and `lose` (the customer's answer to a sent quote), `withdraw` (an offer not
    yet answered), `edit` (a draft, in place) and `new_version` (anything else but an
    accepted quote). A version a later one replaced is not answered or withdrawn."""
    if trail is not None and trail.latest_version > quote.version:
        return frozenset()  # replaced: the later version is the one answered, sent or edited
    if trail is not None and trail.customer_moved:
        return frozenset()  # her new seller quotes her now; nothing here can be priced or sent
    actions: set[str] = set()
    if quote.status == S.SENT:
        # Past its validity a sent quote can still be lost, never accepted (a new version can).
        actions.update(("lose",) if trail is not None and trail.shown_status == S.EXPIRED else ("accept", "lose"))
    if quote.status in (S.PENDING_APPROVAL, S.APPROVED, S.SENT):
        actions.add("withdraw")
    held = trail is not None and trail.held_send is not None
    if quote.status == S.DRAFT and quote.fired_rules:
        actions.add("request_approval")
    if quote.status in (S.DRAFT, S.APPROVED, S.PENDING_APPROVAL) and not held:
        actions.add("send")
    if can_edit_in_place(quote.status):
        actions.add("edit")
    elif quote.status != S.ACCEPTED:
        actions.add("new_version")
    return frozenset(actions)


def find_quote(db: Database, quote_id: UUID | str) -> Quote | None:
    """One quote version in `db`, or None."""
    rows = list(db.query(f'SELECT * FROM "{_QUOTES}" WHERE id = ?', [str(quote_id)]))
    return record_from_row(Quote, rows[0]) if rows else None


def latest_version(db: Database, number: str) -> int | None:
    """The highest version of a quote number on this device (None when it has none)."""
    return db.execute(f'SELECT MAX(version) FROM "{_QUOTES}" WHERE number = ?', [number]).fetchone()[0]


def load_quote(db: Database, quote_id: UUID | str) -> Quote:
    """One quote version in `db`; NotFound if absent."""
    quote = find_quote(db, quote_id)
    if quote is None:
        raise NotFound(f"quote {quote_id} is not on this device", key="problem.quote.not_on_device")
    return quote


def own_quote(db: Database, session: Session, quote_id: UUID | str) -> Quote:
    """One quote version of the signed-in seller; PermissionDenied for another seller's."""
    quote = load_quote(db, quote_id)
    if quote.seller_login != session.login:
        raise PermissionDenied(
            f"quote {quote.number} is {quote.seller_login}'s",
            key="problem.quote.not_yours",
            params={"number": quote.number, "seller": quote.seller_login},
        )
    return quote


__all__ = [
    "QuoteTrail",
    "available_actions",
    "customer_quotes",
    "default_recipient",
    "find_quote",
    "get_quote",
    "latest_version",
    "load_quote",
    "own_quote",
    "quote_trail",
    "quote_versions",
]
