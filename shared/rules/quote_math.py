"""Quote arithmetic: line nets, costs, margins and totals (DESIGN §5), Decimal only.

Discounts combine multiplicatively and both apply to every line: the header discount is
taken off what is left after the line discount, so 10 % on the line and 5 % on the header
is 1 − 0.90 × 0.95 = 14.5 % off, not 15 %. Applying the header per line (rather than as one
amount off the subtotal) keeps every line's net, margin, floor check and tax base true.

Rounding happens once per amount, never on a sum of rounded values:
- line net  = round_money(quantity × unit price × (1 − line %)(1 − header %))
- line cost = round_money(quantity × unit cost), unit cost in the quote currency
- net unit price (for floors and the document) = round_unit_price(unit price × both factors)
- quote net = Σ line nets; tax per rate on the sum of that rate's line nets (see `taxes`);
  gross = net + tax; cost = Σ line costs; margin = net − cost.
Margin % = margin / net × 100, quantized to 2 decimals (half up); None when net is 0 —
a free line has no meaningful margin percentage. Comparisons with minimum margins use that
2-decimal figure, which is the one the seller sees.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from shared.models import FxRate, Product, QuoteLine
from shared.money import round_money, round_unit_price
from shared.rules.fx import MAX_FX_AGE_DAYS, convert_unit_price
from shared.rules.taxes import TaxGroup, tax_groups

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_PERCENT_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class LineInput:
    """What a quote line says before arithmetic. Prices and cost are in the quote currency."""

    line_no: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = ZERO
    tax_rate_percent: Decimal = ZERO
    unit_cost: Decimal = ZERO
    list_price: Decimal | None = None
    """The resolved list price, when known; discounts for approval are measured from it."""


@dataclass(frozen=True, slots=True)
class LineResult:
    """A priced line: net after both discounts, cost, margin, and the tax rate it carries."""

    line_no: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    combined_discount_percent: Decimal
    net_unit_price: Decimal
    net: Decimal
    tax_rate_percent: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None


@dataclass(frozen=True, slots=True)
class QuoteTotals:
    """Every figure of a quote: lines, net, tax per rate, gross, cost and margin."""

    currency: str
    header_discount_percent: Decimal
    tax_exempt: bool
    lines: tuple[LineResult, ...]
    net: Decimal
    taxes: tuple[TaxGroup, ...]
    tax: Decimal
    gross: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None


def discount_factor(line_percent: Decimal, header_percent: Decimal = ZERO) -> Decimal:
    """What is left of a price after both discounts: (1 − line %)(1 − header %)."""
    for percent in (line_percent, header_percent):
        if not ZERO <= percent <= HUNDRED:
            raise ValueError(f"a discount must be between 0 and 100 %, got {percent}")
    return (1 - line_percent / HUNDRED) * (1 - header_percent / HUNDRED)


def combined_discount_percent(line_percent: Decimal, header_percent: Decimal = ZERO) -> Decimal:
    """The single discount equal to both applied in turn: 10 % and 5 % → 14.5 %."""
    return (1 - discount_factor(line_percent, header_percent)) * HUNDRED


def margin_percent(margin: Decimal, net: Decimal) -> Decimal | None:
    """Margin over net in percent, 2 decimals half up; None when net is 0."""
    if net == 0:
        return None
    return (margin / net * HUNDRED).quantize(_PERCENT_PLACES, rounding=ROUND_HALF_UP)


def price_line(
    line: LineInput, currency: str, header_discount_percent: Decimal = ZERO, tax_exempt: bool = False
) -> LineResult:
    """Net, cost and margin of one line with the line and header discounts applied."""
    if line.quantity <= 0:
        raise ValueError(f"line {line.line_no}: quantity must be positive, got {line.quantity}")
    factor = discount_factor(line.discount_percent, header_discount_percent)
    net = round_money(line.quantity * line.unit_price * factor, currency)
    cost = round_money(line.quantity * line.unit_cost, currency)
    margin = net - cost
    return LineResult(
        line_no=line.line_no,
        sku=line.sku,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount_percent=line.discount_percent,
        combined_discount_percent=(1 - factor) * HUNDRED,
        net_unit_price=round_unit_price(line.unit_price * factor),
        net=net,
        tax_rate_percent=ZERO if tax_exempt else line.tax_rate_percent,
        cost=cost,
        margin=margin,
        margin_percent=margin_percent(margin, net),
    )


def compute_totals(
    lines: Iterable[LineInput], currency: str, header_discount_percent: Decimal = ZERO, tax_exempt: bool = False
) -> QuoteTotals:
    """Price every line and add them up: net, tax per rate, gross, cost, margin."""
    priced = tuple(price_line(line, currency, header_discount_percent, tax_exempt) for line in lines)
    net = sum((p.net for p in priced), ZERO)
    cost = sum((p.cost for p in priced), ZERO)
    groups = tax_groups(((p.tax_rate_percent, p.net) for p in priced), currency)
    tax = sum((g.tax for g in groups), ZERO)
    margin = net - cost
    return QuoteTotals(
        currency=currency,
        header_discount_percent=header_discount_percent,
        tax_exempt=tax_exempt,
        lines=priced,
        net=net,
        taxes=groups,
        tax=tax,
        gross=net + tax,
        cost=cost,
        margin=margin,
        margin_percent=margin_percent(margin, net),
    )


def unit_cost_in(
    product: Product,
    currency: str,
    fx_rates: Sequence[FxRate] = (),
    today: date | None = None,
    max_fx_age_days: int = MAX_FX_AGE_DAYS,
) -> Decimal:
    """The product's replacement cost per unit in `currency` (FX of `today`, 4 decimals)."""
    if product.currency == currency:
        return product.replacement_cost
    if today is None:
        raise ValueError("converting a cost needs the quote date")
    cost, _ = convert_unit_price(product.replacement_cost, product.currency, currency, fx_rates, today, max_fx_age_days)
    return cost


def line_input(line: QuoteLine, list_price: Decimal | None = None) -> LineInput:
    """The arithmetic view of a stored quote line."""
    return LineInput(
        line_no=line.line_no,
        sku=line.sku,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount_percent=Decimal(line.discount_percent),
        tax_rate_percent=line.tax_rate_percent,
        unit_cost=line.unit_cost,
        list_price=list_price,
    )


__all__ = [
    "LineInput",
    "LineResult",
    "QuoteTotals",
    "combined_discount_percent",
    "compute_totals",
    "discount_factor",
    "line_input",
    "margin_percent",
    "price_line",
    "unit_cost_in",
]
