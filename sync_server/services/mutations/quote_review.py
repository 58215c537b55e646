"""The server's view of a quote: its totals and the approval rules it fires (DESIGN §5).

A device computes both offline with `shared/rules`; on push the server computes them again
from its own data — the reference tables as last imported and the policies in force — so a
tampered total is refused and the fired rules stored on the quote are the server's.

The decision is `shared.rules.quote_review.review_case`, the same the device makes; the
server feeds it the customer, products, price lists, floors, categories, FX rates and credit
as last imported, the policies in force, the lines as sent (each with the tax rate it
carries, which already holds any exemption), credit judged as of `today` and no pending
amount (the ERP's open orders are the server's truth). A quote the decision cannot judge
(a cost or the credit without an exchange rate) is refused, naming what is missing.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from shared.errors import NotFound, ValidationFailed
from shared.models import (
    Category,
    Credit,
    Customer,
    FxRate,
    Invoice,
    Payment,
    PriceFloor,
    PriceList,
    PriceListItem,
    Product,
)
from shared.models.field import Quote
from shared.rules import FiredRule, QuoteTotals, compute_totals
from shared.rules.approval import ApprovalPolicy
from shared.rules.credit import CreditPolicy
from shared.rules.credit_ageing import credit_as_of, open_items, overdue_as_of
from shared.rules.fx import MAX_FX_AGE_DAYS
from shared.rules.prospects import prospect_credit, prospect_customer
from shared.rules.quote_math import line_input
from shared.rules.quote_review import CaseLine, QuoteCase, QuoteReview, review_case
from sync_server.repository.database import Connection
from sync_server.repository.quote_reads import (
    every,
    floors_for,
    fx_rates_between,
    lock_record,
    models_with,
    price_lists_for,
)
from sync_server.services.mutations.base import current_data, load_prospect
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
class ServerFacts:
    """What the server holds that a pushed quote is judged on."""

    customer: Customer
    credit: Credit | None
    products: dict[str, Product]
    price_lists: list[PriceList]
    items: list[PriceListItem]
    floors: list[PriceFloor]
    categories: dict[str, Category]
    fx_rates: list[FxRate]


def _load_facts(conn: Connection, quote: Quote, today: date) -> ServerFacts:
    customers = models_with(conn, Customer, "code", quote.customer_code)
    prospect = None if customers else load_prospect(conn, quote.customer_code)
    if prospect is not None:
        # Not in the ERP yet: no history, no credit, prepayment (shared.rules.prospects).
        customers = [prospect_customer(prospect, approval_policy(conn).prepaid_terms)]
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
    # Overdue read as of today from the open invoices, as the device reads it (credit_ageing).
    invoices = [
        (i.number, i.due_date, i.gross_amount) for i in models_with(conn, Invoice, "customer_code", customer.code)
    ]
    payments = [
        (p.invoice_number, p.amount)
        for p in models_with(conn, Payment, "customer_code", customer.code)
        if p.invoice_number is not None
    ]
    credit = credits[0] if credits else (prospect_credit(prospect) if prospect is not None else None)
    credit = credit_as_of(credit, overdue_as_of(credit, open_items(invoices, payments), today))
    return ServerFacts(customer, credit, products, price_lists, items, floors, categories, fx_rates)


def quote_case(
    quote: Quote, facts: ServerFacts, approval: ApprovalPolicy, credit: CreditPolicy, today: date
) -> QuoteCase:
    """The pushed quote and the server's facts as the shared approval decision reads them."""
    return QuoteCase(
        seller_login=quote.seller_login,
        customer=facts.customer,
        currency=quote.currency,
        issue_date=quote.issue_date,
        payment_terms=quote.payment_terms,
        header_discount_percent=Decimal(quote.header_discount_percent),
        lines=tuple(
            CaseLine(
                line_no=line.line_no,
                sku=line.sku,
                quantity=line.quantity,
                tax_rate_percent=line.tax_rate_percent,
                discount_percent=Decimal(line.discount_percent),
                unit_price=line.unit_price,
            )
            for line in quote.lines
        ),
        products=facts.products,
        price_lists=facts.price_lists,
        items=facts.items,
        floors=facts.floors,
        categories=facts.categories,
        fx_rates=facts.fx_rates,
        credit=facts.credit,
        approval_policy=approval,
        credit_policy=credit,
        today=today,
    )


def review_quote(conn: Connection, quote: Quote, today: date) -> tuple[FiredRule, ...]:
    """The approval rules the quote fires in the server's view (credit as of `today`)."""
    return full_review(conn, quote, today).fired_rules


def full_review(conn: Connection, quote: Quote, today: date) -> QuoteReview:
    """The server's whole review of the quote: lines with their list prices, fired rules."""
    facts = _load_facts(conn, quote, today)
    review = review_case(quote_case(quote, facts, approval_policy(conn), credit_policy(conn), today))
    if review.problems:
        first = review.problems[0]
        raise ValidationFailed(
            f"quote {quote.number} v{quote.version} cannot be judged: " + "; ".join(map(str, review.problems)),
            key=first.key,
            params=first.params,
        )
    return review


__all__ = ["ServerFacts", "check_totals", "full_review", "load_quote", "quote_case", "review_quote"]
