"""What the audit log notes about saved quotes: lines priced by hand (DESIGN §5, issue 17)."""

from collections.abc import Iterable

from shared.models.field import Quote
from shared.money import UNIT_PRICE_PLACES
from shared.rules.price_overrides import PriceOverride
from sync_server.repository.database import Connection
from sync_server.services.audit import AuditKind, audit
from sync_server.services.auth import Principal


def audit_price_overrides(
    conn: Connection, principal: Principal, quote: Quote, before: Quote | None, overrides: Iterable[PriceOverride]
) -> None:
    """Note each line priced by hand; an edit of a draft notes only the prices it changed."""
    earlier = {(line.line_no, line.sku): line.unit_price for line in before.lines} if before else {}
    for found in overrides:
        if earlier.get((found.line_no, found.sku)) == found.unit_price:
            continue
        side = "below list" if found.is_below_list else "above list"
        audit(
            conn,
            AuditKind.PRICE_OVERRIDE,
            login=principal.login,
            client_id=principal.client_id,
            subject=f"{quote.number} v{quote.version}",
            detail=f"line {found.line_no} {found.sku}: list {found.list_price:.{UNIT_PRICE_PLACES}f} → "
            f"{found.unit_price:.{UNIT_PRICE_PLACES}f} {quote.currency} ({side})",
        )


__all__ = ["audit_price_overrides"]
