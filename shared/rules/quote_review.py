"""Whether a quote needs approval, and why: one decision for the device and the server (DESIGN §5).

Each side builds a `QuoteCase` from the data it holds — the device from its local store
while the seller edits, the server from its tables when the quote is pushed — and calls
`review_case`. Everything from the lines to the fired rules happens here, once:
- each line's list price: `resolve_price` for the customer on the issue date, in the quote
  currency; a line no list prices (or converts) has none, and its discount is measured
  from its own unit price. A line without a unit price takes the list price, or is a
  problem when there is none.
- each line's cost: the product's replacement cost in the quote currency at the issue
  date's rate — never a cost the device sent, so a forged cost cannot hide a margin below
  its floor. No rate is a problem: the margin cannot be judged.
- totals, floors (`check_floor` per line; a floor in another currency with no rate is a
  problem), credit (`check_credit` with the gross converted to the
  credit's currency at the rate of `today`; no rate is a problem, never a 1:1 guess), and
  the approval rules (`evaluate_approval`) with the payment terms against the customer's.

What the sides may feed differently is named in the case: the device counts its own open
quotes the ERP does not know yet (`pending_amount`); the server counts none, because the
ERP's open orders are already in the credit row. The device derives each line's tax rate
from the product's tax class; the server takes the rate the line carries.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from shared.models import Category, Credit, Customer, FxRate, PriceFloor, PriceList, PriceListItem, Product
from shared.rules.approval import ApprovalFacts, ApprovalPolicy, FiredRule, evaluate_approval
from shared.rules.credit import CreditPolicy, CreditReadiness, check_credit
from shared.rules.errors import MissingFxRate, NoPrice
from shared.rules.floors import FloorViolation, check_floor, resolve_floor
from shared.rules.fx import convert_amount
from shared.rules.pricing import resolve_price
from shared.rules.quote_math import LineInput, QuoteTotals, compute_totals, unit_cost_in
from shared.rules.units import check_quantity

ZERO = Decimal(0)
MANUAL = "manual"
"""The price source of a line whose unit price the seller set."""


@dataclass(frozen=True, slots=True)
class CaseLine:
    """One line as asked for: the product, how many, at what discount and tax rate."""

    line_no: int
    sku: str
    quantity: Decimal
    tax_rate_percent: Decimal
    discount_percent: Decimal = ZERO
    unit_price: Decimal | None = None
    """A price the seller set; None takes the price lists' price."""


@dataclass(frozen=True, slots=True)
class QuoteCase:
    """Everything the decision reads about one quote."""

    seller_login: str
    customer: Customer
    currency: str
    issue_date: date
    payment_terms: str
    header_discount_percent: Decimal
    lines: tuple[CaseLine, ...]
    products: Mapping[str, Product]
    price_lists: Sequence[PriceList]
    items: Sequence[PriceListItem]
    floors: Sequence[PriceFloor]
    categories: Mapping[str, Category]
    fx_rates: Sequence[FxRate]
    credit: Credit | None
    approval_policy: ApprovalPolicy
    credit_policy: CreditPolicy
    today: date
    """The day credit is judged on (and the gross converted at)."""
    pending_amount: Decimal = ZERO
    """Open quotes and orders not yet in the credit row, in the credit's currency."""


@dataclass(frozen=True, slots=True)
class CaseProblem:
    """What keeps a quote from being judged: English `text`, and a message for the reader's language."""

    text: str
    key: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    line_no: int | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class QuoteReview:
    """The decision and what it rests on."""

    lines: tuple[LineInput, ...]
    """The lines whose product is known, with list price and cost as judged."""
    price_sources: tuple[str, ...]
    """Per line of `lines`: the price list its price comes from, `MANUAL`, or '' (none)."""
    totals: QuoteTotals
    floor_violations: tuple[FloorViolation, ...]
    credit: CreditReadiness
    fired_rules: tuple[FiredRule, ...]
    problems: tuple[CaseProblem, ...]
    """What makes the decision unsound (unknown product, no price, a missing rate)."""

    @property
    def needs_approval(self) -> bool:
        """Whether a manager must approve before the quote can be sent."""
        return bool(self.fired_rules)


def review_case(case: QuoteCase) -> QuoteReview:
    """Price, total and check the quote, and list the approval rules it fires."""
    problems: list[CaseProblem] = []
    lines: list[LineInput] = []
    sources: list[str] = []
    for line in case.lines:
        priced = _line(case, line, problems)
        if priced is not None:
            lines.append(priced[0])
            sources.append(priced[1])
    totals = compute_totals(lines, case.currency, case.header_discount_percent)
    violations = _floor_violations(case, totals, problems)
    credit = check_credit(
        case.credit,
        pending_amount=case.pending_amount,
        quote_amount=_in_credit_currency(case, totals.gross, problems),
        policy=case.credit_policy,
    )
    fired = evaluate_approval(
        ApprovalFacts(
            seller_login=case.seller_login,
            payment_terms=case.payment_terms,
            lines=tuple(lines),
            header_discount_percent=case.header_discount_percent,
            customer_payment_terms=case.customer.payment_terms,
        ),
        case.approval_policy,
        credit,
        violations,
    )
    return QuoteReview(tuple(lines), tuple(sources), totals, tuple(violations), credit, fired, tuple(problems))


def _line(case: QuoteCase, line: CaseLine, problems: list[CaseProblem]) -> tuple[LineInput, str] | None:
    product = case.products.get(line.sku)
    if product is None:
        problems.append(
            CaseProblem(
                f"line {line.line_no}: product {line.sku} is not in the catalogue",
                "problem.line.unknown_product",
                {"line": line.line_no, "sku": line.sku},
                line.line_no,
            )
        )
        return None
    if not product.active:
        # The ERP no longer sells it: an order for it would be refused there. The line stays
        # visible so the seller can swap it for a substitute (its availability offers them).
        problems.append(
            CaseProblem(
                f"line {line.line_no}: product {line.sku} is discontinued; remove it or use a substitute",
                "problem.line.discontinued",
                {"line": line.line_no, "sku": line.sku},
                line.line_no,
            )
        )
    unit_problem = check_quantity(
        line.sku, line.quantity, product.unit, product.divisible, product.order_minimum, product.order_multiple
    )
    if unit_problem is not None:
        problems.append(
            CaseProblem(
                f"line {line.line_no}: {unit_problem.text}",
                unit_problem.key,
                {"line": line.line_no, **unit_problem.params},
                line.line_no,
            )
        )
    list_price, list_code = _list_price(case, line)
    unit_price, source = (line.unit_price, MANUAL) if line.unit_price is not None else (list_price, list_code)
    if unit_price is None:
        problems.append(
            CaseProblem(
                f"line {line.line_no}: no price list prices {line.sku} for this customer; enter a price",
                "problem.line.no_price",
                {"line": line.line_no, "sku": line.sku},
                line.line_no,
            )
        )
        unit_price = ZERO
    try:
        cost = unit_cost_in(product, case.currency, case.fx_rates, case.issue_date)
    except MissingFxRate as exc:
        problems.append(
            CaseProblem(
                f"line {line.line_no}: {exc.detail}",
                "problem.line.cost_not_converted",
                {"line": line.line_no, "problem": exc.as_message()},
                line.line_no,
            )
        )
        cost = ZERO
    return (
        LineInput(
            line_no=line.line_no,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=unit_price,
            discount_percent=line.discount_percent,
            tax_rate_percent=line.tax_rate_percent,
            unit_cost=cost,
            list_price=list_price,
        ),
        source,
    )


def _floor_violations(case: QuoteCase, totals: QuoteTotals, problems: list[CaseProblem]) -> list[FloorViolation]:
    found: list[FloorViolation] = []
    for line in totals.lines:
        limits = resolve_floor(case.products[line.sku], case.floors, case.categories)
        try:
            found.extend(check_floor(line, limits, case.currency, case.fx_rates, case.issue_date))
        except MissingFxRate as exc:
            # A floor in another currency with no rate: the line cannot be said to respect it.
            problems.append(
                CaseProblem(
                    f"line {line.line_no}: the floor price cannot be converted: {exc.detail}",
                    "problem.line.floor_not_converted",
                    {"line": line.line_no, "problem": exc.as_message()},
                    line.line_no,
                )
            )
    return found


def _list_price(case: QuoteCase, line: CaseLine) -> tuple[Decimal | None, str]:
    try:
        found = resolve_price(
            line.sku,
            line.quantity,
            case.customer,
            case.price_lists,
            case.items,
            case.issue_date,
            case.currency,
            case.fx_rates,
        )
    except (NoPrice, MissingFxRate):
        return None, ""
    return found.unit_price, found.list_code


def _in_credit_currency(case: QuoteCase, amount: Decimal, problems: list[CaseProblem]) -> Decimal:
    credit = case.credit
    if credit is None:
        return amount
    try:
        return convert_amount(amount, case.currency, credit.currency, case.fx_rates, case.today)
    except MissingFxRate as exc:
        # Counting it 1:1 would misjudge the credit: the quote cannot be judged yet.
        problems.append(
            CaseProblem(
                f"credit is kept in {credit.currency}: {exc.detail}",
                "problem.quote.credit_not_converted",
                {"currency": credit.currency, "problem": exc.as_message()},
            )
        )
        return amount


__all__ = ["MANUAL", "CaseLine", "CaseProblem", "QuoteCase", "QuoteReview", "review_case"]
