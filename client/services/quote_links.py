"""Where a quote came from and what came of a visit or an opportunity: the visit a quote was
started on, the opportunity it answers, and the quotes each of them led to (the latest
version of each number). The rule for a good link is `shared.rules.quote_links`."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlite_utils import Database

from client.services.session import Session
from client.store import FIELD_TABLES, record_from_row
from shared.models import OpportunityStage, QuoteStatus
from shared.models.field import Opportunity, Quote, Visit
from shared.rules.quote_links import check_quote_links

_QUOTES = FIELD_TABLES[Quote.ENTITY]
_CLOSED = (OpportunityStage.WON, OpportunityStage.LOST)


@dataclass(frozen=True, slots=True)
class LinkedQuote:
    """A quote a visit or an opportunity led to: its latest version."""

    id: str
    number: str
    version: int
    status: str
    gross_total: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class QuoteOrigin:
    """The visit and opportunity a saved quote names (None: it names none, or the device
    no longer holds it)."""

    visit_id: UUID | None = None
    visit_day: date | None = None
    opportunity: Opportunity | None = None

    @property
    def suggests_won(self) -> bool:
        """The opportunity is still open: an accepted quote suggests marking it won."""
        return self.opportunity is not None and self.opportunity.stage not in _CLOSED


def check_links(
    db: Database, customer_code: str, seller_login: str, visit_id: UUID | None, opportunity_id: UUID | None
) -> None:
    """Refuse to start a quote on a visit or for an opportunity that is not the seller's own
    record of that customer (the server checks the saved version again)."""
    check_quote_links(
        customer_code,
        seller_login,
        visit_id=visit_id,
        visit=_load(db, Visit, visit_id),
        opportunity_id=opportunity_id,
        opportunity=_load(db, Opportunity, opportunity_id),
    )


def quote_origin(session: Session, quote: Quote) -> QuoteOrigin:
    """The visit (with its day) and the opportunity `quote` came from."""
    with session.store.read() as db:
        visit = _load(db, Visit, quote.visit_id)
        opportunity = _load(db, Opportunity, quote.opportunity_id)
    moment = visit and (visit.checked_in_at or visit.planned_at)
    return QuoteOrigin(visit.id if visit else None, moment.date() if moment else None, opportunity)


def quotes_for_visit(session: Session, visit_id: UUID | str) -> list[LinkedQuote]:
    """The quotes started on a visit (latest version of each), newest number first."""
    with session.store.read() as db:
        return _linked(db, "visit_id", [str(visit_id)]).get(str(visit_id), [])


def quotes_for_opportunities(session: Session, opportunity_ids: list[str]) -> dict[str, list[LinkedQuote]]:
    """Per opportunity id, the quotes made for it (latest version of each), newest first."""
    with session.store.read() as db:
        return _linked(db, "opportunity_id", opportunity_ids)


def has_accepted(quotes: list[LinkedQuote]) -> bool:
    """One of the quotes was accepted by the customer."""
    return any(q.status == QuoteStatus.ACCEPTED for q in quotes)


def _linked(db: Database, column: str, ids: list[str]) -> dict[str, list[LinkedQuote]]:
    if not ids:
        return {}
    found: dict[str, list[LinkedQuote]] = {}
    # The latest version of each number: a quote's history is its own screen.
    rows = db.execute(
        f'SELECT q.{column}, q.id, q.number, q.version, q.status, q.gross_total, q.currency FROM "{_QUOTES}" q '
        f"WHERE q.{column} IN ({', '.join('?' * len(ids))}) AND q.version = "
        f'(SELECT max(v.version) FROM "{_QUOTES}" v WHERE v.number = q.number) '
        "ORDER BY q.number DESC",
        ids,
    ).fetchall()
    for owner, *quote in rows:
        found.setdefault(owner, []).append(
            LinkedQuote(quote[0], quote[1], quote[2], quote[3], Decimal(quote[4] or 0), quote[5])
        )
    return found


def _load(db: Database, model, record_id: UUID | None):
    if record_id is None:
        return None
    rows = list(db.query(f'SELECT * FROM "{FIELD_TABLES[model.ENTITY]}" WHERE id = ?', [str(record_id)]))
    return record_from_row(model, rows[0]) if rows else None


__all__ = [
    "LinkedQuote",
    "QuoteOrigin",
    "check_links",
    "has_accepted",
    "quote_origin",
    "quotes_for_opportunities",
    "quotes_for_visit",
]
