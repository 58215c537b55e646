"""How recent a customer's buying is: when a customer counts as dormant.

A customer invoiced before, but not within `DORMANT_AFTER_DAYS`, is dormant: worth a visit
before a competitor takes them. One never invoiced is a prospect, not dormant.
"""

from datetime import date, timedelta

DORMANT_AFTER_DAYS = 180
"""Days without an invoice after which a customer is dormant (about six months)."""


def dormant_before(as_of: date) -> date:
    """The day a customer's last invoice must precede for them to be dormant on `as_of`."""
    return as_of - timedelta(days=DORMANT_AFTER_DAYS)


def is_dormant(last_invoice: date | None, as_of: date) -> bool:
    """Whether a customer whose last invoice is `last_invoice` is dormant on `as_of`."""
    return last_invoice is not None and last_invoice < dormant_before(as_of)


__all__ = ["DORMANT_AFTER_DAYS", "dormant_before", "is_dormant"]
