"""A draft's terms: header discount, payment terms, validity and its three notes."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from client.services.quote_pricing import PricedQuote
from client.services.quoting import price
from client.services.session import Session
from shared.errors import ValidationFailed
from shared.messages import day, percent

NOTE_LIMIT = 4000
"""Characters a quote's note may have (LongText)."""


@dataclass(frozen=True, slots=True)
class QuoteNotes:
    """A quote's three notes: for the customer (on the PDF), for the team, and the informal
    conditions agreed on the spot (on the order export)."""

    customer: str = ""
    internal: str = ""
    conditions: str = ""


def set_terms(
    session: Session,
    priced: PricedQuote,
    *,
    header_discount_percent: Decimal | None = None,
    payment_terms: str | None = None,
    valid_until: date | None = None,
    notes: QuoteNotes | None = None,
) -> PricedQuote:
    """Change the header discount, payment terms, validity or notes (None: unchanged)."""
    draft = priced.draft
    if notes is not None:
        for name, text in (("customer_note", notes.customer), ("internal_note", notes.internal),
                           ("conditions", notes.conditions)):  # fmt: skip
            if len(text.strip()) > NOTE_LIMIT:
                raise ValidationFailed(
                    f"the {name.replace('_', ' ')} has {len(text.strip())} characters; at most {NOTE_LIMIT}",
                    key="problem.quote.note_too_long",
                    params={"length": len(text.strip()), "limit": NOTE_LIMIT},
                )
        draft = replace(
            draft,
            customer_note=notes.customer.strip(),
            internal_note=notes.internal.strip(),
            conditions=notes.conditions.strip(),
        )
    if valid_until is not None and valid_until < draft.issue_date:
        raise ValidationFailed(
            f"a quote cannot expire ({valid_until}) before it is issued ({draft.issue_date})",
            key="problem.quote.expires_before_issue",
            params={"valid_until": day(valid_until), "issue_date": day(draft.issue_date)},
        )
    if header_discount_percent is not None and not Decimal(0) <= header_discount_percent <= 100:
        raise ValidationFailed(
            f"the header discount must be between 0 and 100 %, got {header_discount_percent}",
            key="problem.quote.header_discount_out_of_range",
            params={"discount": percent(header_discount_percent)},
        )
    return price(
        session,
        replace(
            draft,
            header_discount_percent=draft.header_discount_percent
            if header_discount_percent is None
            else header_discount_percent,
            payment_terms=(payment_terms or draft.payment_terms).strip().upper(),
            valid_until=valid_until or draft.valid_until,
        ),
    )


__all__ = ["NOTE_LIMIT", "QuoteNotes", "set_terms"]
