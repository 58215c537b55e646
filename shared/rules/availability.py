"""Availability promise per quote line: sellable, not on hand (DESIGN §1, §5).

Sellable = on hand − reserved − damaged, never below 0 (the ERP does send reserved > on hand).
The promise, first that fits:
- now_home   the seller's home warehouse can ship all of it now;
- now_other  another warehouse can ship all of it now (the one with most sellable, then code);
- partial    some can ship now from one warehouse (the most sellable, home winning ties),
             the rest from incoming lots and/or short;
- incoming   nothing sellable now; incoming lots cover some or all of it, with a date;
- substitute nothing now or incoming, but substitutes have stock;
- none       nothing at all.
A line ships from one warehouse (a quote line has one `warehouse_code`), so stock is never
added up across warehouses: to use two, the seller splits the line. Incoming lots count wherever they land (transfers are the ERP's job), earliest first; a lot
whose expected date has already passed is late and is not promised. `incoming_date` is the
date of the lot that completes the quantity (or of the last lot when they do not cover it).

`is_short` flags a quantity above what can ship now: if the customer declines, it is a sale
lost to stock. Substitutes are offered whenever the line is short: declared substitutes by
rank first, then active products of the same category by sellable stock (most first, then
SKU), only those with sellable stock, at most `max_substitutes`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from shared.messages import Params, day, message, number, phrase, plural_message
from shared.models import IncomingLot, Product, Stock, Substitute

ZERO = Decimal(0)
MAX_SUBSTITUTES = 3


class PromiseKind(StrEnum):
    NOW_HOME = "now_home"
    NOW_OTHER = "now_other"
    PARTIAL = "partial"
    INCOMING = "incoming"
    SUBSTITUTE = "substitute"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class SubstituteOption:
    """A product the seller can offer instead, and where its stock is."""

    sku: str
    sellable: Decimal
    warehouse: str
    is_declared: bool
    rank: int | None = None


@dataclass(frozen=True, slots=True)
class Promise:
    """What can be promised for a line, as data; `describe` turns it into words."""

    kind: PromiseKind
    sku: str
    quantity: Decimal
    warehouse: str | None = None
    """Where the quantity now ships from (None when nothing ships now)."""
    quantity_now: Decimal = ZERO
    available_now: Decimal = ZERO
    """Sellable in `warehouse`, may exceed the quantity asked."""
    incoming_quantity: Decimal = ZERO
    incoming_date: date | None = None
    substitutes: tuple[SubstituteOption, ...] = ()
    is_short: bool = False
    uncovered_quantity: Decimal = ZERO
    """Neither now nor incoming: what is truly missing."""


def sellable(stock: Stock) -> Decimal:
    """On hand − reserved − damaged, never below 0."""
    return max(ZERO, stock.on_hand - stock.reserved - stock.damaged)


def sellable_by_warehouse(sku: str, stocks: Iterable[Stock]) -> dict[str, Decimal]:
    """Sellable quantity of `sku` per warehouse code."""
    found: dict[str, Decimal] = {}
    for stock in stocks:
        if stock.sku == sku:
            found[stock.warehouse_code] = found.get(stock.warehouse_code, ZERO) + sellable(stock)
    return found


def promise_availability(
    sku: str,
    quantity: Decimal,
    home_warehouse: str,
    stocks: Sequence[Stock],
    incoming_lots: Sequence[IncomingLot],
    today: date,
    substitutes: Sequence[Substitute] = (),
    products: Sequence[Product] = (),
    max_substitutes: int = MAX_SUBSTITUTES,
    discontinued: bool = False,
) -> Promise:
    """The availability promise for `quantity` × `sku` sold by a seller based in `home_warehouse`.
    A `discontinued` product promises nothing (what is left in stock is not sold on new
    quotes): its substitutes are offered instead."""
    by_warehouse = {} if discontinued else sellable_by_warehouse(sku, stocks)
    if discontinued:
        incoming_lots = ()
    home = by_warehouse.get(home_warehouse, ZERO)
    if home >= quantity:
        return Promise(PromiseKind.NOW_HOME, sku, quantity, home_warehouse, quantity, home)
    # Most sellable first; the home warehouse wins a tie, then the code decides.
    ranked = sorted(by_warehouse.items(), key=lambda kv: (-kv[1], kv[0] != home_warehouse, kv[0]))
    best_code, best = ranked[0] if ranked else (None, ZERO)
    if best >= quantity:
        return Promise(PromiseKind.NOW_OTHER, sku, quantity, best_code, quantity, best)

    now = best
    incoming, incoming_date = _incoming(sku, quantity - now, incoming_lots, today)
    uncovered = quantity - now - incoming
    options = _substitutes(sku, quantity, home_warehouse, stocks, substitutes, products, max_substitutes)
    if now > 0:
        kind = PromiseKind.PARTIAL
    elif incoming > 0:
        kind = PromiseKind.INCOMING
    elif options:
        kind = PromiseKind.SUBSTITUTE
    else:
        kind = PromiseKind.NONE
    return Promise(
        kind,
        sku,
        quantity,
        warehouse=best_code if now > 0 else None,
        quantity_now=now,
        available_now=now,
        incoming_quantity=incoming,
        incoming_date=incoming_date,
        substitutes=options,
        is_short=True,
        uncovered_quantity=uncovered,
    )


def _incoming(sku: str, wanted: Decimal, lots: Iterable[IncomingLot], today: date) -> tuple[Decimal, date | None]:
    got, when = ZERO, None
    for lot in sorted(
        (x for x in lots if x.sku == sku and x.expected_date >= today), key=lambda x: (x.expected_date, x.lot)
    ):
        if got >= wanted:
            break
        got += lot.quantity
        when = lot.expected_date
    return min(got, wanted), when


def _best_source(by_warehouse: dict[str, Decimal], home: str, quantity: Decimal) -> tuple[str, Decimal]:
    if by_warehouse.get(home, ZERO) >= quantity:
        return home, by_warehouse[home]
    return min(by_warehouse.items(), key=lambda kv: (-kv[1], kv[0] != home, kv[0]))


def _substitutes(
    sku: str,
    quantity: Decimal,
    home: str,
    stocks: Sequence[Stock],
    declared: Sequence[Substitute],
    products: Sequence[Product],
    limit: int,
) -> tuple[SubstituteOption, ...]:
    if limit <= 0:
        return ()
    by_sku: dict[str, dict[str, Decimal]] = {}
    for stock in stocks:
        if stock.sku != sku:
            per = by_sku.setdefault(stock.sku, {})
            per[stock.warehouse_code] = per.get(stock.warehouse_code, ZERO) + sellable(stock)
    own = next((p for p in products if p.sku == sku), None)
    inactive = {p.sku for p in products if not p.active}
    options: list[SubstituteOption] = []
    seen = {sku}
    for sub in sorted((s for s in declared if s.sku == sku), key=lambda s: (s.rank, s.substitute_sku)):
        per = by_sku.get(sub.substitute_sku, {})
        if sub.substitute_sku in seen or sub.substitute_sku in inactive or not any(per.values()):
            continue
        seen.add(sub.substitute_sku)
        code, qty = _best_source(per, home, quantity)
        options.append(SubstituteOption(sub.substitute_sku, qty, code, True, sub.rank))
    if own is not None:
        same: list[tuple[Decimal, str, str]] = []
        for other in products:
            per = by_sku.get(other.sku, {})
            if (
                other.sku in seen
                or not other.active
                or other.category_code != own.category_code
                or not any(per.values())
            ):
                continue
            code, qty = _best_source(per, home, quantity)
            same.append((qty, other.sku, code))
        for qty, other_sku, code in sorted(same, key=lambda t: (-t[0], t[1])):
            options.append(SubstituteOption(other_sku, qty, code, False))
    return tuple(options[:limit])


@dataclass(frozen=True, slots=True)
class PromiseWording:
    """What a promise says, as messages the app words in the reader's language (shared.messages):
    the parts (joined with commas), and what is short, if anything (after a semicolon)."""

    parts: tuple[Params, ...]
    short: Params | None = None

    def to_data(self) -> dict[str, Any]:
        """As a quote line keeps it (`QuoteLine.promise_words`, `customer_words`)."""
        return {"parts": list(self.parts), "short": self.short}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "PromiseWording":
        """Back from `to_data`."""
        return cls(tuple(data.get("parts") or ()), data.get("short"))


def describe(promise: Promise) -> PromiseWording:
    """The promise as messages (`availability.*`) for the UI and the quote PDF, in any language."""
    kind = promise.kind
    if kind == PromiseKind.NOW_HOME:
        return PromiseWording((message("availability.now_home", wh=promise.warehouse),))
    if kind == PromiseKind.NOW_OTHER:
        return PromiseWording(
            (message("availability.now_other", wh=promise.warehouse, avail=number(promise.available_now)),)
        )
    if kind == PromiseKind.SUBSTITUTE:
        subs = [
            phrase("availability.sub", sku=s.sku, qty=number(s.sellable), wh=s.warehouse) for s in promise.substitutes
        ]
        return PromiseWording((message("availability.substitute", subs=subs),))
    if kind == PromiseKind.NONE:
        return PromiseWording((message("availability.none"),))
    parts = []
    if promise.quantity_now > 0:
        parts.append(message("availability.partial", now=number(promise.quantity_now), wh=promise.warehouse))
    if promise.incoming_quantity > 0 and promise.incoming_date is not None:
        if kind == PromiseKind.INCOMING and promise.incoming_quantity == promise.quantity:
            parts.append(message("availability.incoming_all", date=day(promise.incoming_date)))
        else:
            parts.append(
                message("availability.incoming", qty=number(promise.incoming_quantity), date=day(promise.incoming_date))
            )
    short = None
    if promise.uncovered_quantity > 0:
        short = plural_message("availability.short", promise.uncovered_quantity)
    return PromiseWording(tuple(parts), short)


def describe_for_customer(promise: Promise) -> PromiseWording:
    """The promise as the customer reads it on the quote: when the goods come, never from
    which warehouse, how much stock there is, or which other product the seller could offer
    (`availability.customer.*`). What neither stock nor a lot covers is "to be confirmed"."""
    kind = promise.kind
    if kind in (PromiseKind.NOW_HOME, PromiseKind.NOW_OTHER):
        return PromiseWording((message("availability.customer.in_stock"),))
    parts = []
    if promise.quantity_now > 0:
        parts.append(message("availability.customer.now", now=number(promise.quantity_now)))
    if promise.incoming_quantity > 0 and promise.incoming_date is not None:
        if promise.incoming_quantity == promise.quantity:
            parts.append(message("availability.customer.from", date=day(promise.incoming_date)))
        else:
            parts.append(
                message(
                    "availability.customer.incoming",
                    qty=number(promise.incoming_quantity),
                    date=day(promise.incoming_date),
                )
            )
    if not parts:
        return PromiseWording((message("availability.customer.to_confirm"),))
    short = None
    if promise.uncovered_quantity > 0:
        short = plural_message("availability.customer.short", promise.uncovered_quantity)
    return PromiseWording(tuple(parts), short)


__all__ = [
    "MAX_SUBSTITUTES",
    "Promise",
    "PromiseKind",
    "PromiseWording",
    "SubstituteOption",
    "describe",
    "describe_for_customer",
    "promise_availability",
    "sellable",
    "sellable_by_warehouse",
]
