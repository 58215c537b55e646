"""Overdue money as of a day, from the customer's open invoices: one figure for the credit
panel, its age buckets, the badge and the credit check, on the device and the server alike.

The ERP's credit row says what was overdue when it was exported; the invoices and payments
of the same export say which invoice is open and when it falls due. A day later an open
invoice may be overdue that the row does not count yet (a device offline for a week sees
more of them). So the overdue figures are the larger of the two readings:

- itemised : open invoices (gross − payments on them) whose due date is before `today`,
  aged into buckets of days past due (1–30, 31–60, 61–90, over 90);
- the ERP's: `overdue_amount`, `overdue_invoices`, `oldest_overdue_days` of the row.

When the ERP's amount is the larger (invoices older than the export's history, disputed
amounts it counts apart), the difference is shown as its own line, "not itemised", so the
buckets always add up to the overdue figure, and the badge and the check read that figure.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.models import Credit

ZERO = Decimal(0)
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 30), (31, 60), (61, 90), (91, None))
"""Days past due, inclusive; the last bucket is open-ended."""


@dataclass(frozen=True, slots=True)
class AgeBucket:
    """Overdue money whose due date passed between `low` and `high` days ago."""

    low: int
    high: int | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Overdue:
    """What is overdue as of a day: the figure, its buckets, and the part not itemised."""

    amount: Decimal
    invoices: int
    oldest_days: int
    buckets: tuple[AgeBucket, ...]
    not_itemised: Decimal
    """The ERP's overdue amount beyond the itemised one (0 when the invoices cover it)."""


def open_items(
    invoices: Iterable[tuple[str, date, Decimal]], payments: Iterable[tuple[str, Decimal]]
) -> list[tuple[date, Decimal]]:
    """(due date, unpaid) of each invoice with money still owed, from (number, due, gross)
    and the payments (invoice number, amount) made against invoices."""
    paid: dict[str, Decimal] = {}
    for number, amount in payments:
        paid[number] = paid.get(number, ZERO) + amount
    items = []
    for number, due, gross in invoices:
        unpaid = gross - paid.get(number, ZERO)
        if unpaid > 0:
            items.append((due, unpaid))
    return items


def age_buckets(items: Iterable[tuple[date, Decimal]], today: date) -> tuple[AgeBucket, ...]:
    """Split unpaid (due date, amount) items into overdue age buckets; not-yet-due items count nowhere."""
    totals = [ZERO] * len(AGE_BUCKETS)
    for due, amount in items:
        days = (today - due).days
        for index, (low, high) in enumerate(AGE_BUCKETS):
            if days >= low and (high is None or days <= high):
                totals[index] += amount
    return tuple(AgeBucket(low, high, total) for (low, high), total in zip(AGE_BUCKETS, totals, strict=True))


def overdue_as_of(credit: Credit | None, items: Iterable[tuple[date, Decimal]], today: date) -> Overdue:
    """The overdue figures as of `today`: the larger of the itemised reading and the ERP's."""
    items = list(items)
    late = [(due, amount) for due, amount in items if due < today]
    itemised = sum((amount for _due, amount in late), ZERO)
    oldest = max(((today - due).days for due, _amount in late), default=0)
    erp_amount = credit.overdue_amount if credit else ZERO
    return Overdue(
        amount=max(itemised, erp_amount),
        invoices=max(len(late), credit.overdue_invoices if credit else 0),
        oldest_days=max(oldest, credit.oldest_overdue_days if credit else 0),
        buckets=age_buckets(late, today),
        not_itemised=max(erp_amount - itemised, ZERO),
    )


def credit_as_of(credit: Credit | None, overdue: Overdue) -> Credit | None:
    """The ERP's credit row with its overdue figures read as of the day (`overdue_as_of`)."""
    if credit is None:
        return None
    return credit.model_copy(
        update={
            "overdue_amount": overdue.amount,
            "overdue_invoices": overdue.invoices,
            "oldest_overdue_days": overdue.oldest_days,
        }
    )


__all__ = ["AGE_BUCKETS", "AgeBucket", "Overdue", "age_buckets", "credit_as_of", "open_items", "overdue_as_of"]
