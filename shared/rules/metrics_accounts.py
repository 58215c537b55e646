"""Pre-invoice metrics about demand and accounts: leads, pipeline, margin, lost stock, dormant
customers and unpenetrated categories.

Portfolio readings (pipeline, dormancy, penetration) count a customer with the seller who
holds it *now*: a customer moved mid-period is the new seller's to follow up. Activity
readings (leads, lost sales, margin) count with the seller who did the work. docs/metrics.md
defines each figure.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date
from decimal import Decimal
from uuid import UUID

from shared.models import (
    Customer,
    InvoiceLine,
    Lead,
    LeadChannel,
    LeadStatus,
    LostReason,
    LostSale,
    Opportunity,
    Order,
    QuoteStatus,
)
from shared.rules.account_intelligence import cross_sells
from shared.rules.activity import is_dormant
from shared.rules.lost_sales import LostTotal, lost_totals, lost_with_quote
from shared.rules.metrics import ZERO, Converted, Period, QuoteThread, add_to, convert, percent
from shared.rules.opportunities import CLOSED, pipeline_totals
from shared.rules.quote_math import compute_totals, line_input, margin_percent


@dataclass(frozen=True, slots=True)
class ChannelLeads:
    """Leads of one channel created in a period, and how many someone worked."""

    channel: str
    leads: int
    managed: int
    """Moved out of new: contacted, qualified, converted or discarded."""
    converted: int
    discarded: int

    @property
    def management_rate(self) -> Decimal | None:
        """Managed leads over leads, in percent."""
        return percent(self.managed, self.leads)


def leads_by_channel(leads: Iterable[Lead], period: Period) -> tuple[ChannelLeads, ...]:
    """Per channel (in `LeadChannel` order, only channels with leads), the leads created in `period`."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for lead in leads:
        if not period.contains(lead.created_at.astimezone(UTC).date()):
            continue
        row = rows[lead.channel]
        row[0] += 1
        row[1] += lead.status != LeadStatus.NEW
        row[2] += lead.status == LeadStatus.CONVERTED
        row[3] += lead.status == LeadStatus.DISCARDED
    return tuple(ChannelLeads(c.value, *rows[c.value]) for c in LeadChannel if c.value in rows)


@dataclass(frozen=True, slots=True)
class PortfolioPipeline:
    """One seller's portfolio: open opportunities and what they are worth (company currency),
    and how many of her customers have none open."""

    seller: str
    customers: int
    customers_with_open: int
    open: int
    open_value: Decimal
    weighted: Decimal
    unconverted: tuple[tuple[str, Decimal], ...]

    @property
    def without_open(self) -> int:
        """Customers of the portfolio with no open opportunity."""
        return self.customers - self.customers_with_open


def opportunities_by_portfolio(
    opportunities: Iterable[Opportunity],
    customers: Iterable[Customer],
    currency: str,
    rates: Mapping[str, Decimal],
) -> tuple[PortfolioPipeline, ...]:
    """Per seller holding customers now, the open pipeline of her customers (whoever opened
    each opportunity), converted with `rates` (`metrics.rates_to`), by seller."""
    owner: dict[str, str] = {c.code: c.seller_login for c in customers if c.seller_login}
    held: dict[str, int] = defaultdict(int)
    for seller in owner.values():
        held[seller] += 1
    open_by_seller: dict[str, list[Opportunity]] = defaultdict(list)
    for opportunity in opportunities:
        holder = owner.get(opportunity.customer_code)
        if holder is not None and opportunity.stage not in CLOSED:
            open_by_seller[holder].append(opportunity)
    rows = []
    for seller in sorted(held):
        mine = open_by_seller.get(seller, [])
        pipeline = pipeline_totals(mine, currency, rates)
        rows.append(
            PortfolioPipeline(
                seller,
                held[seller],
                len({o.customer_code for o in mine}),
                len(mine),
                pipeline.open_value,
                pipeline.open_weighted,
                pipeline.unconverted,
            )
        )
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class MarginLeak:
    """Quoted against invoiced margin of the orders invoiced so far, in one currency."""

    currency: str
    orders: int
    quoted_net: Decimal
    quoted_margin: Decimal
    invoiced_net: Decimal
    invoiced_margin: Decimal

    @property
    def quoted_percent(self) -> Decimal | None:
        """Quoted margin over quoted net, in percent (2 decimals)."""
        return margin_percent(self.quoted_margin, self.quoted_net)

    @property
    def invoiced_percent(self) -> Decimal | None:
        """Invoiced margin over invoiced net, in percent (2 decimals)."""
        return margin_percent(self.invoiced_margin, self.invoiced_net)

    @property
    def leak_points(self) -> Decimal | None:
        """Percentage points of margin lost between promise and invoice (negative: gained)."""
        if self.quoted_percent is None or self.invoiced_percent is None:
            return None
        return self.quoted_percent - self.invoiced_percent


def invoiced_cost(line: InvoiceLine) -> Decimal:
    """A line's cost with its sign: a credit-note line (negative net) takes back the cost of
    what it returns (the ERP reports 0 for a credit note that only lowers the price)."""
    return -line.cost_amount if line.net_amount < 0 else line.cost_amount


def order_margins(
    threads: Iterable[QuoteThread],
    orders: Iterable[Order],
    invoice_lines: Iterable[InvoiceLine],
    invoice_currency: Mapping[str, str],
) -> dict[str, MarginLeak]:
    """Per quote number of `threads` accepted and invoiced (some invoice line names its
    order): the accepted version's net and margin against the invoiced net and margin
    (credit notes included). An order invoiced in another currency than it was quoted in
    cannot be compared and is left out."""
    accepted = {t.latest.id: t for t in threads if t.status == QuoteStatus.ACCEPTED}
    by_order: dict[UUID, list[InvoiceLine]] = defaultdict(list)
    for line in invoice_lines:
        if line.order_id is not None:
            by_order[line.order_id].append(line)
    found = {}
    for order in orders:
        thread = accepted.get(order.quote_id)
        lines = by_order.get(order.id)
        if thread is None or not lines:
            continue
        quote = thread.latest
        if any(invoice_currency.get(line.invoice_number, quote.currency) != quote.currency for line in lines):
            continue
        totals = compute_totals((line_input(q) for q in quote.lines), quote.currency, quote.header_discount_percent)
        invoiced_net = sum((line.net_amount for line in lines), ZERO)
        invoiced_costs = sum((invoiced_cost(line) for line in lines), ZERO)
        found[thread.number] = MarginLeak(
            quote.currency, 1, totals.net, totals.margin, invoiced_net, invoiced_net - invoiced_costs
        )
    return found


def margin_leak(
    threads: Iterable[QuoteThread],
    orders: Iterable[Order],
    invoice_lines: Iterable[InvoiceLine],
    invoice_currency: Mapping[str, str],
) -> tuple[MarginLeak, ...]:
    """Quoted against invoiced margin per currency, over the orders of `order_margins`."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO, ZERO])
    for m in order_margins(threads, orders, invoice_lines, invoice_currency).values():
        row = sums[m.currency]
        values = (Decimal(m.orders), m.quoted_net, m.quoted_margin, m.invoiced_net, m.invoiced_margin)
        for i, value in enumerate(values):
            row[i] += value
    return tuple(MarginLeak(c, int(r[0]), r[1], r[2], r[3], r[4]) for c, r in sorted(sums.items()))


@dataclass(frozen=True, slots=True)
class LostToStock:
    """Demand lost for lack of stock in a period: lines and value per currency, products hit."""

    totals: tuple[LostTotal, ...]
    products: int
    skus: frozenset[str] = field(default=frozenset(), compare=False)
    """The products counted in `products`."""

    def converted(self, currency: str, rates: Mapping[str, Decimal]) -> Converted:
        """The lost value in `currency`."""
        return convert({t.currency: t.value for t in self.totals}, currency, rates)


def stock_losses(
    recorded: Iterable[tuple[LostSale, date]],
    threads: Iterable[QuoteThread],
    products: Collection[str] | None = None,
) -> list[tuple[LostSale, date]]:
    """Every sale lost for stock, each with its day: the lines dropped or cut for stock as
    recorded, and the lines of the quotes lost for stock among `threads` (those of `products`
    only, when given: a filter narrows them by product as it narrows recorded ones), on the day
    each quote was first offered (a quote's figures count in the period it was offered in)."""
    derived = (
        (lost, t.offered_on)
        for t in threads
        for lost in lost_with_quote(t.latest)
        if products is None or lost.sku in products
    )
    return [*recorded, *derived]


def lost_to_stock(lost_sales: Iterable[tuple[LostSale, date]], period: Period) -> LostToStock:
    """Lost sales due to stock recorded in `period` (each given with the day it was recorded)."""
    chosen = [lost for lost, day in lost_sales if lost.reason == LostReason.STOCK and period.contains(day)]
    skus = frozenset(lost.sku for lost in chosen)
    return LostToStock(lost_totals(chosen), len(skus), skus)


@dataclass(frozen=True, slots=True)
class DormantCustomer:
    """A customer invoiced before but not recently, and whether anyone went back."""

    customer: str
    seller: str
    last_invoice: date
    last_touch: date | None
    """The latest visit or quote for the customer, if any."""
    followed_up: bool
    """A visit or a quote since the customer went dormant."""


def dormant_customers(
    customers: Iterable[Customer],
    last_invoice: Mapping[str, date],
    last_touch: Mapping[str, date],
    as_of: date,
) -> tuple[DormantCustomer, ...]:
    """Customers held by a seller and dormant on `as_of` (`shared.rules.activity`), the longest
    dormant first; `last_touch` is each customer's latest visit or quote."""
    found = []
    for customer in customers:
        invoiced = last_invoice.get(customer.code)
        if customer.seller_login is None or invoiced is None or not is_dormant(invoiced, as_of):
            continue
        touch = last_touch.get(customer.code)
        found.append(
            DormantCustomer(
                customer.code, customer.seller_login, invoiced, touch, touch is not None and touch > invoiced
            )
        )
    return tuple(sorted(found, key=lambda d: (d.last_invoice, d.customer)))


@dataclass(frozen=True, slots=True)
class Unpenetrated:
    """A root category most of a customer's segment buys and the customer does not."""

    customer: str
    seller: str
    category: str
    percent: int
    """Share of the segment's other customers buying it."""


def unpenetrated_categories(
    customers: Iterable[Customer], bought: Mapping[str, Collection[str]]
) -> tuple[Unpenetrated, ...]:
    """Per customer held by a seller, the cross-sell categories of `shared.rules.account_intelligence`
    (`bought`: the root categories each customer bought in the last 12 months)."""
    chosen = list(customers)
    segment_size: dict[str, int] = defaultdict(int)
    buyers: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for customer in chosen:
        segment_size[customer.segment] += 1
        for category in set(bought.get(customer.code, ())):
            buyers[customer.segment][category] += 1
    found = []
    for customer in chosen:
        if customer.seller_login is None:
            continue
        own = set(bought.get(customer.code, ()))
        others = {c: n - (c in own) for c, n in buyers[customer.segment].items()}
        for suggestion in cross_sells(others, segment_size[customer.segment] - 1, own):
            found.append(Unpenetrated(customer.code, customer.seller_login, suggestion.category, suggestion.percent))
    return tuple(sorted(found, key=lambda u: (u.customer, -u.percent, u.category)))


def category_gaps(found: Iterable[Unpenetrated]) -> tuple[tuple[str, int], ...]:
    """Per category, how many customers leave it unpenetrated, the most first."""
    counts: dict[str, int] = defaultdict(int)
    for gap in found:
        counts[gap.category] += 1
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def add_amounts(values: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Per-currency pairs added up per currency."""
    totals: dict[str, Decimal] = {}
    for currency, amount in values:
        add_to(totals, currency, amount)
    return totals


__all__ = [
    "ChannelLeads",
    "DormantCustomer",
    "LostToStock",
    "MarginLeak",
    "PortfolioPipeline",
    "Unpenetrated",
    "add_amounts",
    "category_gaps",
    "dormant_customers",
    "invoiced_cost",
    "leads_by_channel",
    "lost_to_stock",
    "stock_losses",
    "margin_leak",
    "order_margins",
    "opportunities_by_portfolio",
    "unpenetrated_categories",
]
