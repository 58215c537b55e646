"""Invoice history: 24 months of invoices, lines and payments ending at the reference date.

Invoices are numbered in date order per year (FV25-000001…), as Spanish invoicing requires,
so a whole month is drawn, sorted and then written. Payment behaviour follows each customer's
credit profile; what stays unpaid is summed into a Ledger that credit.csv is built from.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from shared.money import ROUNDING, minor_units
from sync_server.importer.demo.behaviour import HISTORY_MONTHS, PREPAYMENT, Behaviour
from sync_server.importer.demo.catalog import TAX_RATES, Catalog, price_places, typical_quantity
from sync_server.importer.demo.customers import CustomerInfo
from sync_server.importer.demo.writer import ExportWriter

ZERO = Decimal(0)
# Percent of an average month, by calendar month: spring and autumn peaks, August shut-down,
# Christmas slowdown.
SEASON = {1: 85, 2: 100, 3: 115, 4: 110, 5: 120, 6: 105, 7: 90, 8: 45, 9: 105, 10: 120, 11: 110, 12: 70}
_LINES = ((1, 2, 3, 4, 5), (30, 25, 20, 15, 10))
_RECENT_MONTHS = 6
"""Products discontinued since are not sold in the last months any more."""


@dataclass(slots=True)
class Ledger:
    """What one customer owes at the reference date, from the history written."""

    open_balance: Decimal = ZERO
    overdue_amount: Decimal = ZERO
    overdue_invoices: int = 0
    oldest_due: date | None = None
    open_disputes: int = 0
    disputed_amount: Decimal = ZERO
    net_last_year: Decimal = ZERO


def history_months(reference_date: date) -> list[date]:
    """First day of each of the 24 months that end with the reference date's month."""
    months = []
    year, month = reference_date.year, reference_date.month
    for _ in range(HISTORY_MONTHS):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _business_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _money_step(currency: str) -> Decimal:
    """The currency's minor unit as a quantize exponent (Decimal('0.01') for EUR)."""
    return Decimal(1).scaleb(-minor_units(currency))


def _poisson(rng: Random, mean: float) -> int:
    # Knuth's method: fine for the small means (< 10 invoices a month) used here.
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class History:
    """Writes invoices.csv, invoice_lines.csv and payments.csv and keeps a Ledger per customer."""

    def __init__(
        self, writer: ExportWriter, rng: Random, catalog: Catalog, customers: list[CustomerInfo], reference_date: date
    ) -> None:
        self.rng = rng
        self.catalog = catalog
        self.customers = customers
        self.reference_date = reference_date
        self.ledgers = [Ledger() for _ in customers]
        self.months = history_months(reference_date)
        last = len(self.months) - 1
        # Prices and costs rose about 4 % a year: older invoices are cheaper.
        self._drift = [1 - Decimal(4 * (last - m)) / 1200 for m in range(len(self.months))]
        self._usd = [Decimal(rng.randint(10_550, 11_250)).scaleb(-4) for _ in self.months]
        self._invoices = writer.open("invoices.csv")
        self._lines = writer.open("invoice_lines.csv")
        self._payments = writer.open("payments.csv")
        # Babel's precision lookup is slow for millions of lines: look each currency up once.
        self._steps = {c.currency: _money_step(c.currency) for c in customers}
        self._numbers: dict[int, int] = {}
        self._payment_number = 0

    def write(self) -> list[Ledger]:
        """Write the whole history; return each customer's ledger (in customer order)."""
        forced: dict[int, list[tuple[date, int, str]]] = {}
        for c in self.customers:
            for day, kind in c.behaviour.forced:
                forced.setdefault(self._month_of(day), []).append((day, c.index, kind))
        for m, first in enumerate(self.months):
            self._write_month(m, first, forced.get(m, []))
        self._write_advances()
        for f in (self._invoices, self._lines, self._payments):
            f.close()
        return self.ledgers

    def _month_of(self, day: date) -> int:
        return (day.year - self.months[0].year) * 12 + day.month - self.months[0].month

    def _write_month(self, m: int, first: date, forced: list[tuple[date, int, str]]) -> None:
        next_first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        days = _business_days(first, min(next_first - timedelta(days=1), self.reference_date))
        intensity = SEASON[first.month] / 100 * (1 + 0.1 * m / HISTORY_MONTHS)  # slow growth
        drawn = list(forced)
        for c in self.customers:
            b = c.behaviour
            if b.start_month <= m <= b.last_month:
                drawn += [(self.rng.choice(days), c.index, "") for _ in range(_poisson(self.rng, b.rate * intensity))]
        drawn.sort()
        for day, index, kind in drawn:
            self._write_invoice(m, day, self.customers[index], kind)

    def _pick_product(self, b: Behaviour, m: int) -> int:
        rng, products = self.rng, self.catalog.products
        for _ in range(4):
            if b.basket and rng.random() < 0.75:
                p = rng.choice(b.basket)
            else:
                members = self.catalog.products_by_leaf[rng.choice(self.catalog.leaves_by_top[rng.choice(b.tops)])]
                p = members[int(len(members) * rng.random() ** 2)]
            if products[p].active or m < HISTORY_MONTHS - _RECENT_MONTHS:
                return p
        return b.basket[0] if b.basket else p

    def _write_invoice(self, m: int, day: date, c: CustomerInfo, kind: str) -> None:
        rng, b, currency = self.rng, c.behaviour, c.currency
        self._numbers[day.year] = self._numbers.get(day.year, 0) + 1
        number = f"FV{day.year % 100:02d}-{self._numbers[day.year]:06d}"
        fx = self._usd[m] if currency == "USD" else Decimal(1)
        lines: list[dict[str, Any]] = []
        used: set[int] = set()
        net_total, tax_total = ZERO, ZERO
        for _ in range(rng.choices(*_LINES)[0]):
            p = self._pick_product(b, m)
            if p in used:
                continue
            used.add(p)
            info = self.catalog.products[p]
            quantity = typical_quantity(rng, info)
            price = info.price * self._drift[m] * b.price_factor * fx
            if rng.random() < 0.02:
                price *= Decimal("0.62")  # clearance of old stock: sold below cost
            unit_price = price_places(price)
            net = self._round(quantity * unit_price, currency)
            cost = self._round(quantity * info.cost * self._drift[m] * fx, currency)
            rate = ZERO if c.is_foreign else TAX_RATES[info.tax_class]
            net_total += net
            tax_total += self._round(net * rate, currency)  # tax per line, then summed
            lines.append(
                {
                    "invoice_number": number,
                    "line_no": len(lines) + 1,
                    "sku": info.sku,
                    "quantity": quantity,
                    "unit_price": unit_price,
                    "net_amount": net,
                    "cost_amount": cost,
                    "order_id": None,  # ERP history: sold before Terreno, so no Terreno order
                }
            )
        due = day + timedelta(days=b.term_days)
        gross = net_total + tax_total
        self._invoices.write(
            {
                "number": number,
                "customer_code": c.code,
                "issue_date": day,
                "due_date": due,
                "currency": currency,
                "net_amount": net_total,
                "tax_amount": tax_total,
                "gross_amount": gross,
            }
        )
        for line in lines:
            self._lines.write(line)
        self._settle(c, number, day, due, gross, kind)
        if (self.reference_date - day).days < 365:
            self.ledgers[c.index].net_last_year += net_total

    def _settle(self, c: CustomerInfo, number: str, day: date, due: date, gross: Decimal, kind: str) -> None:
        """Write the payments of one invoice and add what stays open to the customer's ledger."""
        rng, b, ref = self.rng, c.behaviour, self.reference_date
        withheld = self._round(gross * rng.randint(10, 40) / 100, c.currency) if kind == "dispute" else ZERO
        paid = ZERO
        if b.terms == "PREPAID":
            paid += self._pay(c, number, day, gross)
        elif kind == "overdue":
            pass  # the invoice that made the customer overdue: never paid
        elif b.stop_due is not None and b.stop_due <= due < ref and rng.random() < b.unpaid_share:
            if rng.random() < 0.25:  # paid on account, the rest still owed
                part = self._round(gross * rng.randint(20, 70) / 100, c.currency)
                paid += self._pay(c, number, min(due + timedelta(days=rng.randint(0, 20)), ref), part)
        elif due >= ref:
            if not withheld and rng.random() < 0.08:  # early payment for the prompt-payment discount
                paid += self._pay(c, number, day + timedelta(days=rng.randint(0, (ref - day).days)), gross)
        else:
            when = due + timedelta(days=rng.randint(-5, 12))
            when = min(max(when, day), ref) if when <= ref else due
            if withheld:
                paid += self._pay(c, number, when, gross - withheld)
            elif rng.random() < 0.04:  # two instalments
                first = self._round(gross * rng.randint(30, 70) / 100, c.currency)
                paid += self._pay(c, number, when, first)
                paid += self._pay(c, number, min(when + timedelta(days=rng.randint(10, 30)), ref), gross - first)
            else:
                paid += self._pay(c, number, when, gross)
        ledger = self.ledgers[c.index]
        still_open = gross - paid
        ledger.open_balance += still_open
        overdue = still_open - withheld if due < ref else ZERO
        if overdue > 0:
            ledger.overdue_amount += overdue
            ledger.overdue_invoices += 1
            ledger.oldest_due = due if ledger.oldest_due is None else min(ledger.oldest_due, due)
        if kind == "dispute":
            ledger.open_disputes += 1
            ledger.disputed_amount += withheld

    def _round(self, amount: Decimal, currency: str) -> Decimal:
        """shared.money.round_money, with the currency's minor unit looked up once."""
        return amount.quantize(self._steps[currency], rounding=ROUNDING)

    def _pay(self, c: CustomerInfo, number: str | None, day: date, amount: Decimal) -> Decimal:
        self._payment_number += 1
        self._payments.write(
            {
                "id": f"PG{self._payment_number:07d}",
                "customer_code": c.code,
                "invoice_number": number,
                "payment_date": day,
                "currency": c.currency,
                "amount": amount,
            }
        )
        return amount

    def _write_advances(self) -> None:
        # Some prepayment customers have paid ahead for an order not yet invoiced: a credit
        # balance (negative open_balance) the seller should see.
        for c in self.customers:
            if c.behaviour.profile == PREPAYMENT and not c.behaviour.is_dormant and self.rng.random() < 0.3:
                amount = self._round(Decimal(self.rng.randint(300, 3000)), c.currency)
                day = self.reference_date - timedelta(days=self.rng.randint(1, 20))
                self.ledgers[c.index].open_balance -= self._pay(c, None, day, amount)


def write_history(
    writer: ExportWriter, rng: Random, catalog: Catalog, customers: list[CustomerInfo], reference_date: date
) -> list[Ledger]:
    """invoices.csv, invoice_lines.csv, payments.csv; returns each customer's ledger."""
    return History(writer, rng, catalog, customers, reference_date).write()


__all__ = ["SEASON", "History", "Ledger", "history_months", "write_history"]
