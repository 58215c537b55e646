"""The server's view of a quote: its totals and the approval rules it fires (DESIGN §5).

A device computes both offline with `shared/rules`; on push the server computes them again
from its own data — the reference tables as last imported and the policies in force — so a
tampered total is refused and the fired rules stored on the quote are the server's.

What the server feeds the rules (a device that feeds the same gets the same answer):
- totals: `compute_totals` over the lines as sent (quantity, unit price, line and header
  discount, tax rate, unit cost) in the quote currency; the lines' tax rates already carry
  any exemption, so no `tax_exempt` flag is applied on top.
- list price of each line: `resolve_price` for the customer on the quote's issue date in the
  quote currency; a line the price lists cannot price (or convert) is measured from its
  own unit price, as `effective_discount_percent` does without a list price.
- cost of each line: the product's replacement cost in the quote currency (`unit_cost_in`,
  FX of the issue date), not the cost the device sent, so a forged cost cannot hide a
  margin below its floor; the line keeps the device's cost as the seller saw it.
- floors: `check_floors` with the products, floors and category tree (FX of the issue date).
- credit: `check_credit` on the customer's credit row with the quote's gross as
  `quote_amount` (converted to the credit currency at the rate of `today`), no
  `pending_amount` (the ERP's open orders are the server's truth), and the credit policy.
- payment terms against the customer's own terms, with the approval policy.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from shared.errors import MissingFxRate, NoPrice, NotFound, ValidationFailed
from shared.models import Category, Credit, Customer, FxRate, PriceFloor, PriceList, PriceListItem, Product
from shared.models.field import Quote
from shared.rules import (
    ApprovalFacts,
    FiredRule,
    QuoteTotals,
    check_credit,
    check_floors,
    compute_totals,
    evaluate_approval,
    resolve_price,
    unit_cost_in,
)
from shared.rules.fx import MAX_FX_AGE_DAYS, convert_amount
from shared.rules.quote_math import line_input
from sync_server.repository.database import Connection
from sync_server.repository.quote_reads import (
    every,
    floors_for,
    fx_rates_between,
    lock_record,
    models_with,
    price_lists_for,
)
from sync_server.services.mutations.base import current_data
from sync_server.services.policies import approval_policy, credit_policy

_TOTALS = (("net_total", "net"), ("tax_total", "tax"), ("gross_total", "gross"))


def load_quote(conn: Connection, quote_id: UUID | str, *, lock: bool = False) -> Quote | None:
    """The quote as last written (exact JSON), or None; `lock` serialises writers of this quote."""
    if lock:
        # PostgreSQL: a manager's decision and a seller's push on the same quote take turns.
        lock_record(conn, Quote.ENTITY, str(quote_id))
    found = current_data(conn, Quote.ENTITY, str(quote_id))
    return None if found is None else Quote.model_validate(found[1])


def check_totals(quote: Quote) -> QuoteTotals:
    """The totals recomputed from the lines; `ValidationFailed` naming every total that differs."""
    numbers = [line.line_no for line in quote.lines]
    if len(numbers) != len(set(numbers)):
        raise ValidationFailed(
            f"quote {quote.number} v{quote.version} repeats a line number: {numbers}",
            key="problem.quote.repeated_line",
            params={"number": quote.number, "version": quote.version},
        )
    totals = compute_totals(
        [line_input(line) for line in quote.lines], quote.currency, Decimal(quote.header_discount_percent)
    )
    wrong = [
        (name, getattr(quote, name), getattr(totals, attr))
        for name, attr in _TOTALS
        if getattr(quote, name) != getattr(totals, attr)
    ]
    if wrong:
        said = ", ".join(f"{name} {sent} (the lines give {server})" for name, sent, server in wrong)
        raise ValidationFailed(
            f"quote {quote.number} v{quote.version}: totals do not match its lines: {said}",
            totals={name: str(server) for name, _, server in wrong},
            key="problem.quote.totals_mismatch",
            params={"number": quote.number, "version": quote.version},
        )
    return totals


@dataclass(frozen=True, slots=True)
class _Facts:
    customer: Customer
    credit: Credit | None
    products: dict[str, Product]
    price_lists: list[PriceList]
    items: list[PriceListItem]
    floors: list[PriceFloor]
    categories: dict[str, Category]
    fx_rates: list[FxRate]


def _load_facts(conn: Connection, quote: Quote, today: date) -> _Facts:
    customers = models_with(conn, Customer, "code", quote.customer_code)
    if not customers:
        raise NotFound(
            f"customer {quote.customer_code} does not exist",
            key="problem.customer.unknown",
            params={"customer": quote.customer_code},
        )
    customer = customers[0]
    skus = sorted({line.sku for line in quote.lines})
    products = {p.sku: p for p in models_with(conn, Product, "sku", skus)}
    unknown = [sku for sku in skus if sku not in products]
    if unknown:
        raise ValidationFailed(
            f"quote {quote.number} v{quote.version} has unknown products: {', '.join(unknown)}",
            key="problem.quote.unknown_products",
            params={"number": quote.number, "version": quote.version, "skus": unknown},
        )
    price_lists = price_lists_for(conn, PriceList, customer.segment, customer.code)
    items = models_with(conn, PriceListItem, "sku", skus)
    floors = floors_for(conn, PriceFloor, skus)
    categories = {c.code: c for c in every(conn, Category)}
    first = min(quote.issue_date, today) - timedelta(days=MAX_FX_AGE_DAYS)
    fx_rates = fx_rates_between(conn, FxRate, first, max(quote.issue_date, today))
    credits = models_with(conn, Credit, "customer_code", customer.code)
    return _Facts(customer, credits[0] if credits else None, products, price_lists, items, floors, categories, fx_rates)


def _list_price(quote: Quote, sku: str, quantity: Decimal, facts: _Facts) -> Decimal | None:
    try:
        return resolve_price(
            sku,
            quantity,
            facts.customer,
            facts.price_lists,
            facts.items,
            quote.issue_date,
            quote.currency,
            facts.fx_rates,
        ).unit_price
    except (NoPrice, MissingFxRate):
        return None


def _unit_cost(quote: Quote, product: Product, sent: Decimal, fx_rates: list[FxRate]) -> Decimal:
    try:
        return unit_cost_in(product, quote.currency, fx_rates, quote.issue_date)
    except MissingFxRate:
        return sent  # no rate to convert the cost: the device's figure is the best there is


def _in_credit_currency(
    amount: Decimal, quote: Quote, credit: Credit | None, fx_rates: Iterable[FxRate], today: date
) -> Decimal:
    return amount if credit is None else convert_amount(amount, quote.currency, credit.currency, fx_rates, today)


def review_quote(conn: Connection, quote: Quote, today: date) -> tuple[FiredRule, ...]:
    """The approval rules the quote fires in the server's view (credit as of `today`)."""
    facts = _load_facts(conn, quote, today)
    header = Decimal(quote.header_discount_percent)
    inputs = tuple(
        replace(
            line_input(line, _list_price(quote, line.sku, line.quantity, facts)),
            unit_cost=_unit_cost(quote, facts.products[line.sku], line.unit_cost, facts.fx_rates),
        )
        for line in quote.lines
    )
    totals = compute_totals(inputs, quote.currency, header)
    violations = check_floors(
        totals.lines, facts.products, facts.floors, facts.categories, quote.currency, facts.fx_rates, quote.issue_date
    )
    readiness = check_credit(
        facts.credit,
        quote_amount=_in_credit_currency(totals.gross, quote, facts.credit, facts.fx_rates, today),
        policy=credit_policy(conn),
    )
    approval_facts = ApprovalFacts(
        seller_login=quote.seller_login,
        payment_terms=quote.payment_terms,
        lines=inputs,
        header_discount_percent=header,
        customer_payment_terms=facts.customer.payment_terms,
    )
    return evaluate_approval(approval_facts, approval_policy(conn), readiness, violations)


__all__ = ["check_totals", "load_quote", "review_quote"]
