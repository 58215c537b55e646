"""Credit chips of the portfolio list, read from the local store's credit rows.

The rule itself (which chip applies when) lives once, in `shared.rules.credit`; this
module only turns the stored row shape (decimal strings, 0/1 flags) into its inputs.
"""

from collections.abc import Sequence
from decimal import Decimal

from shared.rules.credit import CreditChip, chips_from_values, credit_chips


def chips_from_row(row: Sequence[object]) -> tuple[CreditChip, ...]:
    """Chips from stored credit columns (blocked, overdue_amount, overdue_invoices,
    prepayment_required, credit_limit, open_balance, open_orders); () for a missing row."""
    blocked, overdue_amount, overdue_invoices, prepayment, limit, balance, orders = row
    if blocked is None:
        return ()
    return chips_from_values(
        bool(blocked),
        _decimal(overdue_amount),
        int(str(overdue_invoices or 0)),
        bool(prepayment),
        _decimal(limit),
        _decimal(balance),
        _decimal(orders),
    )


def _decimal(value: object) -> Decimal:
    # Stored exactly as the change log sent it: a decimal string.
    return Decimal(str(value)) if value is not None else Decimal(0)


__all__ = ["CreditChip", "chips_from_row", "credit_chips"]
