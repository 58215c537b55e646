"""Taking over a colleague's draft for a customer moved to this seller (online).

The old seller's drafts are hers and stay on her device, read-only, saying the customer
moved. The new seller asks the server for them (`colleague_drafts`: it needs a connection)
and takes one over: a new quote of her own, numbered by this device, with the same
products, quantities, discounts, notes and wanted day, priced again from her price lists
today. It is saved as a draft she can change and send; the server checks and notes the
takeover (sync_server/services/mutations/draft_takeover.py).
"""

from dataclasses import replace

from client.services.quote_pricing import DraftLine
from client.services.quoting import price, save_quote, start_quote
from client.services.session import Session
from shared.models.field import Quote


def colleague_drafts(session: Session, customer_code: str) -> list[Quote]:
    """Drafts other sellers left for the customer; `Offline` without a connection."""
    return session.api.colleague_drafts(customer_code)


def take_over_draft(session: Session, source: Quote) -> Quote:
    """Save this seller's own copy of `source` as a new draft; returns it as stored."""
    started = start_quote(session, source.customer_code)
    draft = replace(
        started.draft,
        header_discount_percent=source.header_discount_percent,
        lines=tuple(
            DraftLine(line.sku, line.quantity, line.discount_percent, None, line.requested_delivery)
            for line in source.lines
        ),
        customer_note=source.customer_note,
        conditions=source.conditions,
        requested_delivery=source.requested_delivery,
    )
    return save_quote(session, price(session, draft), taken_over_from=source.id)


__all__ = ["colleague_drafts", "take_over_draft"]
