"""Lowering a quote line's quantity, and cutting a short line to what ships now: the part
that stock could not serve is recorded as a lost sale (`shared.rules.lost_sales.cut_for_stock`
decides how much), like a line the customer drops."""

from decimal import Decimal

from client.services.lost_sales import record_lost_sale
from client.services.quote_pricing import PricedQuote
from client.services.quoting import change_line
from client.services.session import Session
from shared.errors import ValidationFailed
from shared.messages import number
from shared.rules.lost_sales import cut_for_stock


def set_quantity(session: Session, priced: PricedQuote, index: int, quantity: Decimal) -> PricedQuote:
    """The quote with line `index` at `quantity`; a cut for stock is recorded as a lost sale."""
    changed = change_line(session, priced, index, quantity=quantity)  # refuses a bad index or quantity first
    line = priced.lines[index]
    lost = cut_for_stock(line.result.quantity, quantity, line.promise.available_now)
    if lost > 0:
        record_lost_sale(session, priced.draft, line, lost)
    return changed


def cut_to_available(session: Session, priced: PricedQuote, index: int) -> PricedQuote:
    """Cut a short line to what ships now; the rest is a lost sale due to stock."""
    line = priced.line_at(index)
    if not line.promise.is_short:
        raise ValidationFailed(
            f"{line.sku} can be delivered as asked; nothing to cut",
            key="problem.line.nothing_to_cut",
            params={"sku": line.sku},
        )
    if line.promise.available_now <= 0:
        raise ValidationFailed(
            f"none of {line.sku} ships now; drop the line instead",
            key="problem.line.nothing_to_cut_to",
            params={"sku": line.sku, "quantity": number(line.result.quantity)},
        )
    return set_quantity(session, priced, index, line.promise.available_now)


__all__ = ["cut_to_available", "set_quantity"]
