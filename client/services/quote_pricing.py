"""A quote as the seller builds it, priced and checked with `shared/rules` from local facts.

`QuoteDraft` is what the seller edits (products, quantities, discounts, terms); `price_draft`
turns it into a `PricedQuote`: each line's list price, net, margin and availability promise,
the totals per tax rate, the customer's credit readiness with this quote included, and the
approval rules that fire — the same computation the server repeats when the quote arrives,
fed with the same facts (see `sync_server/services/mutations/quote_review.py`).
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from client.i18n import Translator
from client.i18n.messages import describe_promise
from client.services.quote_facts import PricingFacts, StockFacts
from shared.errors import ValidationFailed
from shared.messages import number
from shared.models.field import QuoteLine
from shared.money import round_unit_price
from shared.rules import (
    ApprovalFacts,
    CreditReadiness,
    FiredRule,
    FloorViolation,
    LineInput,
    LineResult,
    Promise,
    QuoteTotals,
    check_credit,
    check_floors,
    compute_totals,
    describe,
    evaluate_approval,
    fired_codes,
    promise_availability,
    resolve_price,
    tax_rate,
    unit_cost_in,
)
from shared.rules.availability import PromiseWording
from shared.rules.errors import MissingFxRate, NoPrice
from shared.rules.fx import convert_amount
from shared.rules.taxes import is_tax_exempt

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class DraftLine:
    """One line the seller asked for; the price comes from the lists unless `unit_price` is set."""

    sku: str
    quantity: Decimal
    discount_percent: Decimal = ZERO
    unit_price: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("quantity", "discount_percent"):
            if not isinstance(getattr(self, name), Decimal):
                raise TypeError(f"DraftLine.{name} must be a Decimal")
        if self.quantity <= 0:
            raise ValidationFailed(
                f"the quantity of {self.sku} must be more than 0, got {self.quantity}",
                key="problem.line.quantity_not_positive",
                params={"sku": self.sku, "quantity": number(self.quantity)},
            )
        if not ZERO <= self.discount_percent <= 100:
            raise ValidationFailed(
                f"the discount on {self.sku} must be between 0 and 100 %, got {self.discount_percent}",
                key="problem.line.discount_out_of_range",
                params={"sku": self.sku, "discount": number(self.discount_percent)},
            )
        if self.unit_price is not None and self.unit_price < 0:
            raise ValidationFailed(
                f"the price of {self.sku} cannot be negative",
                key="problem.line.negative_price",
                params={"sku": self.sku},
            )


@dataclass(frozen=True, slots=True)
class QuoteDraft:
    """The quote being edited: a new version (`id` not saved yet) or a draft being changed."""

    id: UUID
    number: str
    version: int
    customer_code: str
    seller_login: str
    currency: str
    issue_date: date
    valid_until: date
    payment_terms: str
    header_discount_percent: Decimal = ZERO
    lines: tuple[DraftLine, ...] = ()

    def with_line(self, line: DraftLine) -> "QuoteDraft":
        """The draft with a line added at the end."""
        return replace(self, lines=(*self.lines, line))

    def with_line_at(self, index: int, line: DraftLine) -> "QuoteDraft":
        """The draft with line `index` (0-based) replaced."""
        self._check_index(index)
        return replace(self, lines=(*self.lines[:index], line, *self.lines[index + 1 :]))

    def without_line(self, index: int) -> "QuoteDraft":
        """The draft with line `index` (0-based) removed; later lines are renumbered."""
        self._check_index(index)
        return replace(self, lines=(*self.lines[:index], *self.lines[index + 1 :]))

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.lines):
            raise ValidationFailed(
                f"the quote has no line {index + 1}", key="problem.quote.no_line", params={"line": index + 1}
            )


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A line as the seller sees it: price, margin, promise and anything to watch."""

    line_no: int
    sku: str
    description: str
    unit: str
    list_price: Decimal | None
    """The price lists' price (None: no list prices it — the seller must set one)."""
    price_source: str
    """The price list the price comes from, or 'manual'."""
    result: LineResult
    unit_cost: Decimal
    """Replacement cost per unit in the quote currency (the margin's base)."""
    promise: Promise
    warehouse_code: str | None

    @property
    def promise_wording(self) -> PromiseWording:
        """The availability promise as messages, for the reader's language."""
        return describe(self.promise)


@dataclass(frozen=True, slots=True)
class PricingProblem:
    """What stops a quote from being saved: English `text`, and a message for the seller's language."""

    text: str
    key: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class PricedQuote:
    """A draft priced and checked: what the builder shows and what is saved."""

    draft: QuoteDraft
    lines: tuple[PricedLine, ...]
    totals: QuoteTotals
    credit: CreditReadiness
    floor_violations: tuple[FloorViolation, ...]
    fired_rules: tuple[FiredRule, ...]
    problems: tuple[PricingProblem, ...] = field(default=())
    """What stops the quote from being saved (an unknown product, a line without a price)."""

    @property
    def needs_approval(self) -> bool:
        """Whether a manager must approve before the quote can be sent."""
        return bool(self.fired_rules)

    @property
    def short_lines(self) -> tuple[PricedLine, ...]:
        """Lines asking for more than can be delivered now."""
        return tuple(line for line in self.lines if line.promise.is_short)

    def quote_lines(self, language: str) -> tuple[QuoteLine, ...]:
        """The lines as a `Quote` stores them (the promise worded in `language`, the quote's)."""
        t = Translator(language)
        return tuple(
            QuoteLine(
                line_no=line.line_no,
                sku=line.sku,
                description=line.description,
                quantity=line.result.quantity,
                unit_price=line.result.unit_price,
                discount_percent=line.result.discount_percent,
                tax_rate_percent=line.result.tax_rate_percent,
                unit_cost=round_unit_price(line.unit_cost),
                warehouse_code=line.warehouse_code,
                promise=describe_promise(t, line.promise_wording)[:200],
            )
            for line in self.lines
        )


def price_draft(
    draft: QuoteDraft,
    facts: PricingFacts,
    stock: StockFacts,
    *,
    home_warehouse: str,
    company_country: str,
    open_exposure: Decimal = ZERO,
    today: date | None = None,
) -> PricedQuote:
    """Price every line, promise availability, total, and check floors, credit and approval."""
    exempt = is_tax_exempt(facts.customer.country, company_country)
    inputs: list[LineInput] = []
    shown: list[tuple[str, str, Decimal | None, str, Promise]] = []
    problems: list[PricingProblem] = []
    for line_no, line in enumerate(draft.lines, start=1):
        product = facts.products.get(line.sku)
        if product is None:
            problems.append(
                PricingProblem(
                    f"line {line_no}: product {line.sku} is not in the catalogue on this device",
                    "problem.line.unknown_product",
                    {"line": line_no, "sku": line.sku},
                )
            )
            continue
        list_price, source = _list_price(draft, line, facts)
        unit_price = line.unit_price if line.unit_price is not None else list_price
        if unit_price is None:
            problems.append(
                PricingProblem(
                    f"line {line_no}: no price list prices {line.sku} for this customer; enter a price",
                    "problem.line.no_price",
                    {"line": line_no, "sku": line.sku},
                )
            )
            unit_price = ZERO
        try:
            cost = unit_cost_in(product, draft.currency, facts.fx_rates, draft.issue_date)
        except MissingFxRate as exc:
            problems.append(
                PricingProblem(
                    f"line {line_no}: {exc.detail}",
                    "problem.line.cost_not_converted",
                    {"line": line_no, "problem": exc.as_message()},
                )
            )
            cost = ZERO
        inputs.append(
            LineInput(
                line_no=line_no,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=unit_price,
                discount_percent=line.discount_percent,
                tax_rate_percent=tax_rate(product.tax_class, facts.tax_classes, exempt),
                unit_cost=cost,
                list_price=list_price,
            )
        )
        stocks, lots, declared, related = stock.for_line(line.sku)
        promise = promise_availability(
            line.sku, line.quantity, home_warehouse, stocks, lots, today or draft.issue_date, declared, related
        )
        shown.append((product.name, product.unit, list_price, source if line.unit_price is None else "manual", promise))
    totals = compute_totals(inputs, draft.currency, draft.header_discount_percent)
    violations = check_floors(
        totals.lines, facts.products, facts.floors, facts.categories, draft.currency, facts.fx_rates, draft.issue_date
    )
    credit = check_credit(
        facts.credit,
        pending_amount=open_exposure,
        quote_amount=_in_credit_currency(totals.gross, draft, facts, today or draft.issue_date, problems),
        policy=facts.credit_policy,
    )
    fired = evaluate_approval(
        ApprovalFacts(
            seller_login=draft.seller_login,
            payment_terms=draft.payment_terms,
            lines=tuple(inputs),
            header_discount_percent=draft.header_discount_percent,
            customer_payment_terms=facts.customer.payment_terms,
        ),
        facts.approval_policy,
        credit,
        violations,
    )
    lines = tuple(
        PricedLine(
            line_no=result.line_no,
            sku=result.sku,
            description=name,
            unit=unit,
            list_price=list_price,
            price_source=source,
            result=result,
            unit_cost=line_input.unit_cost,
            promise=promise,
            warehouse_code=promise.warehouse,
        )
        for result, line_input, (name, unit, list_price, source, promise) in zip(
            totals.lines, inputs, shown, strict=True
        )
    )
    return PricedQuote(
        draft=draft,
        lines=lines,
        totals=totals,
        credit=credit,
        floor_violations=violations,
        fired_rules=fired,
        problems=tuple(problems),
    )


def short_categories(draft: QuoteDraft, stock: StockFacts, home_warehouse: str, today: date) -> set[str]:
    """Categories of the lines whose promise falls short without same-category substitutes."""
    found = set()
    for line in draft.lines:
        stocks, lots, declared, related = stock.for_line(line.sku)
        promise = promise_availability(line.sku, line.quantity, home_warehouse, stocks, lots, today, declared, ())
        product = stock.products.get(line.sku)
        if promise.is_short and product is not None:
            found.add(product.category_code)
    return found


def _list_price(draft: QuoteDraft, line: DraftLine, facts: PricingFacts) -> tuple[Decimal | None, str]:
    try:
        found = resolve_price(
            line.sku,
            line.quantity,
            facts.customer,
            facts.price_lists,
            facts.items,
            draft.issue_date,
            draft.currency,
            facts.fx_rates,
        )
    except (NoPrice, MissingFxRate):
        return None, ""
    return found.unit_price, found.list_code


def _in_credit_currency(
    amount: Decimal, draft: QuoteDraft, facts: PricingFacts, day: date, problems: list[PricingProblem]
) -> Decimal:
    credit = facts.credit
    if credit is None:
        return amount
    try:
        return convert_amount(amount, draft.currency, credit.currency, facts.fx_rates, day)
    except MissingFxRate as exc:
        # Counting it 1:1 would misjudge the credit: the quote cannot be checked (or saved) yet.
        problems.append(
            PricingProblem(
                f"credit is kept in {credit.currency}: {exc.detail}",
                "problem.quote.credit_not_converted",
                {"currency": credit.currency, "problem": exc.as_message()},
            )
        )
        return amount


__all__ = [
    "DraftLine",
    "PricedLine",
    "PricedQuote",
    "PricingProblem",
    "QuoteDraft",
    "fired_codes",
    "price_draft",
    "short_categories",
]
