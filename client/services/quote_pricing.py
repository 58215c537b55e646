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
from uuid import UUID

from client.i18n import Translator
from client.i18n.messages import describe_promise
from client.services.quote_facts import PricingFacts, StockFacts
from shared.errors import ValidationFailed
from shared.messages import number
from shared.models import Product
from shared.models.field import QuoteLine
from shared.money import round_unit_price
from shared.rules import (
    CreditReadiness,
    FiredRule,
    FloorViolation,
    LineResult,
    Promise,
    QuoteTotals,
    describe,
    fired_codes,
    promise_availability,
    tax_rate,
)
from shared.rules.availability import PromiseWording, describe_for_customer
from shared.rules.delivery_dates import (
    DEFAULT_DELIVERY_DAYS,
    DeliveryFit,
    delivery_fit,
    promised_delivery,
    requested_delivery,
)
from shared.rules.quote_review import CaseLine, CaseProblem, QuoteCase, review_case
from shared.rules.taxes import customer_regime, is_taxed

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class DraftLine:
    """One line the seller asked for; the price comes from the lists unless `unit_price` is set."""

    sku: str
    quantity: Decimal
    discount_percent: Decimal = ZERO
    unit_price: Decimal | None = None
    requested_delivery: date | None = None
    """The day the customer wants this line by, when it differs from the quote's day."""

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
    customer_note: str = ""
    internal_note: str = ""
    conditions: str = ""
    requested_delivery: date | None = None
    """The day the customer wants the goods: every line's unless a line has its own."""
    visit_id: UUID | None = None
    """The visit the quote was started on (every version keeps it)."""
    opportunity_id: UUID | None = None
    """The opportunity the quote answers (every version keeps it)."""

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
    requested_delivery: date | None = None
    """The line's own requested day, else the quote's (`shared.rules.delivery_dates`)."""
    promised_delivery: date | None = None
    """The day it can be delivered by; None: to be confirmed."""
    has_own_request: bool = False
    """Whether the requested day was set on this line (not taken from the quote)."""
    substitute_names: dict[str, str] = field(default_factory=dict)
    """The names of the products the promise offers instead, by SKU (for the buttons)."""

    @property
    def own_requested_delivery(self) -> date | None:
        """The day set on this line itself (None: it follows the quote's day)."""
        return self.requested_delivery if self.has_own_request else None

    @property
    def delivery_fit(self) -> DeliveryFit:
        """Whether the promised day meets the requested one (late lines warn)."""
        return delivery_fit(self.requested_delivery, self.promised_delivery)

    @property
    def promise_wording(self) -> PromiseWording:
        """The availability promise as messages, for the reader's language."""
        return describe(self.promise)


PricingProblem = CaseProblem
"""What stops a quote from being saved (an unknown product, a line without a price, a missing rate)."""


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
    customer_name: str = ""
    """The customer's legal name, for the screen (the draft holds her code)."""

    def line_at(self, index: int) -> PricedLine:
        """Line `index` (0-based) as priced; ValidationFailed naming the line when there is none."""
        self.draft._check_index(index)
        return self.lines[index]

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
                promise_words=line.promise_wording.to_data(),
                customer_words=describe_for_customer(line.promise).to_data(),
                requested_delivery=line.own_requested_delivery,
                promised_delivery=line.promised_delivery,
            )
            for line in self.lines
        )


def price_draft(
    draft: QuoteDraft,
    facts: PricingFacts,
    stock: StockFacts,
    *,
    home_warehouse: str,
    company_country: str | None,
    open_exposure: Decimal = ZERO,
    today: date | None = None,
    delivery_days: int = DEFAULT_DELIVERY_DAYS,
) -> PricedQuote:
    """Price every line, promise availability and a delivery date (`delivery_days` working
    days once in stock), total, and check floors, credit and approval."""
    review = review_case(quote_case(draft, facts, company_country, open_exposure, today or draft.issue_date))
    lines = []
    for result, line_input, source in zip(review.totals.lines, review.lines, review.price_sources, strict=True):
        asked = draft.lines[result.line_no - 1]  # a line of an unknown product has no result
        product = facts.products[line_input.sku]
        stocks, lots, declared, related = stock.for_line(line_input.sku)
        promise = promise_availability(
            line_input.sku,
            line_input.quantity,
            home_warehouse,
            stocks,
            lots,
            today or draft.issue_date,
            declared,
            related,
            discontinued=not product.active,
        )
        lines.append(
            PricedLine(
                line_no=result.line_no,
                sku=result.sku,
                description=product.name,
                unit=product.unit,
                list_price=line_input.list_price,
                price_source=source,
                result=result,
                unit_cost=line_input.unit_cost,
                promise=promise,
                warehouse_code=promise.warehouse,
                requested_delivery=requested_delivery(asked.requested_delivery, draft.requested_delivery),
                promised_delivery=promised_delivery(promise, draft.issue_date, delivery_days),
                has_own_request=asked.requested_delivery is not None,
                substitute_names=_names(promise, related, stock),
            )
        )
    return PricedQuote(
        draft=draft,
        lines=tuple(lines),
        totals=review.totals,
        credit=review.credit,
        floor_violations=review.floor_violations,
        fired_rules=review.fired_rules,
        problems=review.problems,
        customer_name=facts.customer.legal_name,
    )


def _names(promise: Promise, related: list[Product], stock: StockFacts) -> dict[str, str]:
    """The names of the substitutes `promise` offers: same-category ones are among `related`,
    declared ones among the stock facts' products (a SKU in neither keeps no name)."""
    known = {product.sku: product.name for product in related}
    names = {}
    for option in promise.substitutes:
        product = stock.products.get(option.sku)
        name = known.get(option.sku) or (product.name if product else "")
        if name:
            names[option.sku] = name
    return names


def quote_case(
    draft: QuoteDraft, facts: PricingFacts, company_country: str | None, open_exposure: Decimal, today: date
) -> QuoteCase:
    """The draft and the device's facts as the shared approval decision reads them."""
    # An unknown issuer (no profile synced yet) quotes with tax: never tax-free by guess.
    customer = facts.customer
    exempt = not is_taxed(customer_regime(customer.country, customer.tax_id, company_country, customer.tax_regime))
    return QuoteCase(
        seller_login=draft.seller_login,
        customer=facts.customer,
        currency=draft.currency,
        issue_date=draft.issue_date,
        payment_terms=draft.payment_terms,
        header_discount_percent=draft.header_discount_percent,
        lines=tuple(
            CaseLine(
                line_no=line_no,
                sku=line.sku,
                quantity=line.quantity,
                tax_rate_percent=_tax_rate(line.sku, facts, exempt),
                discount_percent=line.discount_percent,
                unit_price=line.unit_price,
            )
            for line_no, line in enumerate(draft.lines, start=1)
        ),
        products=facts.products,
        price_lists=facts.price_lists,
        items=facts.items,
        floors=facts.floors,
        categories=facts.categories,
        fx_rates=facts.fx_rates,
        credit=facts.credit,
        approval_policy=facts.approval_policy,
        credit_policy=facts.credit_policy,
        today=today,
        pending_amount=open_exposure,
    )


def _tax_rate(sku: str, facts: PricingFacts, exempt: bool) -> Decimal:
    product = facts.products.get(sku)
    return ZERO if product is None else tax_rate(product.tax_class, facts.tax_classes, exempt)


__all__ = [
    "DraftLine",
    "PricedLine",
    "PricedQuote",
    "PricingProblem",
    "QuoteDraft",
    "fired_codes",
    "price_draft",
    "quote_case",
]
