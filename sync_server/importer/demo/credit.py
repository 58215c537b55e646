"""credit.csv: each customer's credit position, derived from the history written and the
customer's profile, so the figures agree with the invoices and payments in the export."""

from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from random import Random

from shared.money import round_money
from sync_server.importer.demo.behaviour import BLOCKED, NEAR_LIMIT, PREPAYMENT
from sync_server.importer.demo.customers import CustomerInfo
from sync_server.importer.demo.history import ZERO, Ledger
from sync_server.importer.demo.writer import ExportWriter

NEAR_LIMIT_RATIO = Decimal("0.9")
"""(open balance + open orders) / limit from which a customer counts as near its limit."""


def _to_multiple(amount: Decimal, step: int, rounding: str) -> Decimal:
    return (amount / step).quantize(Decimal(1), rounding=rounding) * step


def _open_orders(rng: Random, c: CustomerInfo, ledger: Ledger) -> Decimal:
    """Orders accepted but not yet invoiced, sized by what the customer buys in a month."""
    profile = c.behaviour.profile
    if profile in (PREPAYMENT, BLOCKED) or c.behaviour.is_dormant:
        return ZERO
    monthly = ledger.net_last_year / 12
    if profile == NEAR_LIMIT:
        return round_money(max(monthly, Decimal(400)) * rng.randint(40, 160) / 100, c.currency)
    if rng.random() < 0.4:
        return round_money(max(monthly, Decimal(150)) * rng.randint(10, 80) / 100, c.currency)
    return ZERO


def _credit_limit(rng: Random, c: CustomerInfo, ledger: Ledger, exposure: Decimal) -> Decimal:
    profile = c.behaviour.profile
    if profile == PREPAYMENT:
        return ZERO  # nothing on credit: every order is paid before it ships
    if profile == NEAR_LIMIT:
        # Flooring the limit only raises the ratio: it stays ≥ 0.92 ≥ NEAR_LIMIT_RATIO.
        return max(_to_multiple(exposure * 100 / rng.randint(92, 108), 100, ROUND_FLOOR), Decimal(100))
    # Room to spare: the limit is at least 1.3 × exposure, rounded up to 500.
    base = max(exposure, ledger.net_last_year / 6, Decimal(1500))
    return _to_multiple(base * rng.randint(130, 260) / 100, 500, ROUND_CEILING)


def write_credit(
    writer: ExportWriter, rng: Random, customers: list[CustomerInfo], ledgers: list[Ledger], reference_date: date
) -> None:
    """credit.csv: one row per customer, consistent with its open invoices."""
    out = writer.open("credit.csv")
    for c, ledger in zip(customers, ledgers, strict=True):
        b = c.behaviour
        open_orders = _open_orders(rng, c, ledger)
        exposure = ledger.open_balance + open_orders
        if b.profile == NEAR_LIMIT and exposure <= 0:
            open_orders += round_money(Decimal(rng.randint(500, 3000)), c.currency)
            exposure = ledger.open_balance + open_orders
        oldest = (reference_date - ledger.oldest_due).days if ledger.oldest_due else 0
        # Every amount in the currency's minor unit ("0.00", "3500.00"), as an ERP prints them.
        cur = c.currency
        out.write(
            {
                "customer_code": c.code,
                "currency": cur,
                "credit_limit": round_money(_credit_limit(rng, c, ledger, exposure), cur),
                "open_balance": round_money(ledger.open_balance, cur),
                "open_orders": round_money(open_orders, cur),
                "overdue_amount": round_money(ledger.overdue_amount, cur),
                "overdue_invoices": ledger.overdue_invoices,
                "oldest_overdue_days": oldest,
                "open_disputes": ledger.open_disputes,
                "disputed_amount": round_money(ledger.disputed_amount, cur),
                "blocked": b.profile == BLOCKED,
                "block_reason": b.block_reason,
                "prepayment_required": b.profile == PREPAYMENT,
            }
        )
    out.close()


__all__ = ["NEAR_LIMIT_RATIO", "write_credit"]
