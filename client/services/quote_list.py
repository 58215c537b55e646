"""The seller's saved quotes at a glance: the latest version of each, with its customer,
total, margin, status as of today and age, filtered by what the seller is looking for."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

from client.services.session import Session
from client.store import FIELD_TABLES, record_from_row
from shared.models import QuoteStatus
from shared.models.field import Quote
from shared.rules.quote_lifecycle import expire_if_due
from shared.rules.quote_math import compute_totals, line_input

S = QuoteStatus
_QUOTES = FIELD_TABLES[Quote.ENTITY]
LIMIT = 200
"""Quotes listed at most (newest first); a filter or a search narrows to older ones."""


class QuoteGroup(StrEnum):
    """What the seller filters by."""

    OPEN = "open"  # draft, waiting for approval, approved, sent: still to be won
    WON = "won"
    LOST = "lost"  # lost, expired, withdrawn, rejected
    ALL = "all"


_GROUPS: dict[QuoteGroup, frozenset[QuoteStatus]] = {
    QuoteGroup.OPEN: frozenset({S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SENT}),
    QuoteGroup.WON: frozenset({S.ACCEPTED}),
    QuoteGroup.LOST: frozenset({S.LOST, S.EXPIRED, S.WITHDRAWN, S.REJECTED}),
    QuoteGroup.ALL: frozenset(S),
}


@dataclass(frozen=True, slots=True)
class QuoteListItem:
    """One quote number's latest version as the list shows it."""

    id: str
    number: str
    version: int
    customer_code: str
    customer_name: str
    """'' when the customer is no longer on the device (moved to a colleague)."""
    status: QuoteStatus
    """As of today: a sent quote past its validity reads expired."""
    currency: str
    gross_total: Decimal
    margin: Decimal
    margin_percent: Decimal | None
    issue_date: date
    age_days: int


def list_quotes(
    session: Session, group: QuoteGroup = QuoteGroup.OPEN, text: str = "", today: date | None = None
) -> list[QuoteListItem]:
    """The latest version of each of the seller's quotes in `group`, newest first; `text`
    narrows to a quote number or a customer's code or name containing it."""
    today = today or datetime.now(UTC).date()
    wanted = _GROUPS[QuoteGroup(group)]
    like = f"%{text.strip().casefold()}%"
    with session.store.read() as db:
        rows = list(
            db.query(
                f'SELECT q.*, c.legal_name AS customer_name FROM "{_QUOTES}" AS q '
                "LEFT JOIN customers AS c ON c.code = q.customer_code "
                f'WHERE q.seller_login = ? AND q.version = (SELECT max(version) FROM "{_QUOTES}" WHERE number = q.number) '
                "AND (? = '%%' OR lower(q.number) LIKE ? OR lower(q.customer_code) LIKE ? "
                "OR lower(coalesce(c.legal_name, '')) LIKE ?) "
                "ORDER BY q.issue_date DESC, q.number DESC",
                [session.login, like, like, like, like],
            )
        )
    items = []
    for row in rows:
        quote = record_from_row(Quote, row)
        status = expire_if_due(quote.status, quote.valid_until, today)
        if status not in wanted:
            continue
        totals = compute_totals(
            (line_input(line) for line in quote.lines), quote.currency, quote.header_discount_percent
        )
        items.append(
            QuoteListItem(
                id=str(quote.id),
                number=quote.number,
                version=quote.version,
                customer_code=quote.customer_code,
                customer_name=row.get("customer_name") or "",
                status=status,
                currency=quote.currency,
                gross_total=quote.gross_total,
                margin=totals.margin,
                margin_percent=totals.margin_percent,
                issue_date=quote.issue_date,
                age_days=(today - quote.issue_date).days,
            )
        )
        if len(items) >= LIMIT:
            break
    return items


__all__ = ["LIMIT", "QuoteGroup", "QuoteListItem", "list_quotes"]
