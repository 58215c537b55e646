"""The credit chips a seller sees next to a customer before quoting (DESIGN §1, §3).

Chips, most severe first: blocked, overdue, prepayment, near limit; `ok` when none applies.
Computed with Decimals from the ERP's credit row, never floats. The full credit readiness
(ok | warning | blocked with reasons) for quoting belongs in shared/rules; these chips are
the portfolio's at-a-glance view of the same facts.
"""

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from shared.models import Credit

NEAR_LIMIT_SHARE = Decimal("0.90")
"""Exposure (open balance + open orders) from this share of the limit up is 'near limit'."""


class CreditChip(StrEnum):
    """A credit state shown as a chip; values are stable (UI styles and filters use them)."""

    BLOCKED = "blocked"
    OVERDUE = "overdue"
    PREPAYMENT = "prepayment"
    NEAR_LIMIT = "near_limit"
    OK = "ok"


def chips_from_values(
    blocked: bool, overdue_amount: Decimal, overdue_invoices: int, prepayment_required: bool,
    credit_limit: Decimal, open_balance: Decimal, open_orders: Decimal,
) -> tuple[CreditChip, ...]:
    """Every chip that applies, most severe first; (OK,) when none does."""
    chips = []
    if blocked:
        chips.append(CreditChip.BLOCKED)
    if overdue_amount > 0 or overdue_invoices > 0:
        chips.append(CreditChip.OVERDUE)
    if prepayment_required:
        chips.append(CreditChip.PREPAYMENT)
    exposure = open_balance + open_orders
    if exposure > 0 and exposure >= credit_limit * NEAR_LIMIT_SHARE:
        chips.append(CreditChip.NEAR_LIMIT)
    return tuple(chips) or (CreditChip.OK,)


def credit_chips(credit: Credit | None) -> tuple[CreditChip, ...]:
    """Chips of a customer's credit; empty when the ERP sent no credit for the customer."""
    if credit is None:
        return ()
    return chips_from_values(
        credit.blocked, credit.overdue_amount, credit.overdue_invoices, credit.prepayment_required,
        credit.credit_limit, credit.open_balance, credit.open_orders,
    )


def chips_from_row(row: Sequence[object]) -> tuple[CreditChip, ...]:
    """Chips from stored credit columns (blocked, overdue_amount, overdue_invoices,
    prepayment_required, credit_limit, open_balance, open_orders); () for a missing row."""
    blocked, overdue_amount, overdue_invoices, prepayment, limit, balance, orders = row
    if blocked is None:
        return ()
    return chips_from_values(
        bool(blocked), _decimal(overdue_amount), int(overdue_invoices or 0), bool(prepayment),
        _decimal(limit), _decimal(balance), _decimal(orders),
    )


def _decimal(value: object) -> Decimal:
    # Stored exactly as the change log sent it: a decimal string.
    return Decimal(str(value)) if value is not None else Decimal(0)


__all__ = ["NEAR_LIMIT_SHARE", "CreditChip", "chips_from_row", "chips_from_values", "credit_chips"]
