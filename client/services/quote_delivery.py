"""The day the customer wants the goods, for the whole quote or for one line (each line's
promised day and whether it meets the wanted one come with the pricing:
`shared.rules.delivery_dates`)."""

from dataclasses import replace
from datetime import date

from client.services.quote_pricing import PricedQuote
from client.services.quoting import price
from client.services.session import Session
from shared.errors import ValidationFailed
from shared.rules.quote_outcomes import check_acceptance


def set_requested_delivery(
    session: Session, priced: PricedQuote, wanted: date | None, index: int | None = None
) -> PricedQuote:
    """The quote with its wanted day (`index` None) or line `index`'s (None: the quote's day)
    set; a day before the quote's issue date is refused."""
    draft = priced.draft
    if wanted is not None:
        check_acceptance("", wanted, draft.issue_date)
    if index is None:
        return price(session, replace(draft, requested_delivery=wanted))
    if not 0 <= index < len(draft.lines):
        raise ValidationFailed(
            f"the quote has no line {index + 1}", key="problem.quote.no_line", params={"line": index + 1}
        )
    return price(session, draft.with_line_at(index, replace(draft.lines[index], requested_delivery=wanted)))


__all__ = ["set_requested_delivery"]
