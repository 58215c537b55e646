"""Credit chips of the portfolio list, read from the local store's credit rows.

The rule itself (which chip applies when) lives once, in `shared.rules.credit`; this
module only turns the stored row shape (decimal strings, 0/1 flags) into its inputs, with
the overdue figures read as of the day as Customer 360's credit panel reads them
(`shared.rules.credit_ageing`): an open invoice that fell due after the ERP exported the row
makes the customer overdue on the list too, so list and panel show the same badge.
"""

from collections.abc import Sequence
from decimal import Decimal

from shared.rules.credit import CreditChip, chips_from_values, credit_chips


def chips_from_row(row: Sequence[object], *, has_late_invoice: bool = False) -> tuple[CreditChip, ...]:
    """Chips from stored credit columns (blocked, overdue_amount, overdue_invoices,
    prepayment_required, credit_limit, open_balance, open_orders) and whether an open invoice
    is past due as of the day (`overdue_as_of` counts it); () for a missing row."""
    blocked, overdue_amount, overdue_invoices, prepayment, limit, balance, orders = row
    if blocked is None:
        return ()
    # overdue_as_of: the larger of the ERP's count and the invoices past due (at least this one).
    late_invoices = max(int(str(overdue_invoices or 0)), 1 if has_late_invoice else 0)
    return chips_from_values(
        bool(blocked),
        _decimal(overdue_amount),
        late_invoices,
        bool(prepayment),
        _decimal(limit),
        _decimal(balance),
        _decimal(orders),
    )


def is_unpaid(gross_amount: object, payments: object) -> bool:
    """Whether an invoice still has money owed: its gross less the payments made on it
    (`payments`: their amounts joined by spaces, or None), exactly, in decimals."""
    paid = sum((Decimal(x) for x in str(payments).split()), Decimal(0)) if payments else Decimal(0)
    return _decimal(gross_amount) - paid > 0


def _decimal(value: object) -> Decimal:
    # Stored exactly as the change log sent it: a decimal string.
    return Decimal(str(value)) if value is not None else Decimal(0)


__all__ = ["CreditChip", "chips_from_row", "credit_chips", "is_unpaid"]
