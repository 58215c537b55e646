"""Lost sales due to stock on the device: recording a line dropped or cut for stock, and
reading a quote's (`shared.rules.lost_sales` says what they are worth and what a cut loses)."""

from decimal import Decimal
from uuid import UUID

from client.services.ids import new_record_id
from client.services.quote_pricing import PricedLine, QuoteDraft
from client.services.session import Session
from client.store import record, record_from_row
from shared.models.field import LostSale
from shared.protocol import MutationName


def record_lost_sale(session: Session, draft: QuoteDraft, line: PricedLine, quantity: Decimal) -> LostSale:
    """Record `quantity` of a draft's line as lost to stock, at the line's net unit price."""
    lost = LostSale(
        id=new_record_id(),
        customer_code=draft.customer_code,
        seller_login=session.login,
        quote_id=draft.id,  # the quote's id once the draft is saved (a draft never saved keeps it too)
        sku=line.sku,
        quantity=quantity,
        sellable=line.promise.available_now,
        currency=draft.currency,
        unit_price=line.result.net_unit_price,
    )
    record(session.store, MutationName.RECORD_LOST_SALE, {"lost_sale": lost.to_data()})
    session.notify_local_write()
    return lost


def quote_lost_sales(session: Session, quote_id: UUID, number: str) -> list[LostSale]:
    """Lost sales of a quote being built: its own and its earlier versions' (oldest first)."""
    with session.store.read() as db:
        return [
            record_from_row(LostSale, r)
            for r in db.query(
                "SELECT * FROM lost_sales WHERE quote_id = ? OR quote_id IN (SELECT id FROM quotes WHERE number = ?) "
                "ORDER BY id",
                [str(quote_id), number],
            )
        ]


__all__ = ["quote_lost_sales", "record_lost_sale"]
