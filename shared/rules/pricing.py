"""Price resolution: which list, which quantity break, which currency (DESIGN §5).

The rule, in the order a seller would explain it:

1. A price list is a candidate when it is valid on the quote date (`valid_from` and
   `valid_to` both inclusive; no `valid_to` means open-ended), it targets this customer (a
   customer list for its code, a segment list for its segment, or a base list), and it has
   a price for the product at this quantity (some row with `min_quantity` ≤ quantity).
2. Among candidates, the customer list beats the segment list beats the base list.
3. Within one kind: a list already in the quote currency beats one that needs converting
   (so a USD quote takes BASE-USD over BASE); then the latest `valid_from` wins (a newer
   tariff replaces an overlapping older one); then the lowest code, so the choice never
   depends on the order rows arrived in.
4. In the chosen list, the row with the highest `min_quantity` ≤ quantity applies.
5. A list in another currency is converted with the rate of the day (see `fx`), and the
   converted unit price is rounded once to 4 decimals. A missing rate is an error, never
   a silent fall-through to a cheaper or dearer list.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.errors import ValidationFailed
from shared.messages import day, number
from shared.models import Customer, FxRate, PriceList, PriceListItem, PriceListKind
from shared.rules.errors import NO_PRICE, NoPrice
from shared.rules.formats import format_price, format_quantity
from shared.rules.fx import MAX_FX_AGE_DAYS, convert_unit_price

KIND_PRECEDENCE: tuple[PriceListKind, ...] = (PriceListKind.CUSTOMER, PriceListKind.SEGMENT, PriceListKind.BASE)
_RATE_SHOWN = Decimal("0.000001")
_KIND_LABEL = {
    PriceListKind.CUSTOMER: "Customer list",
    PriceListKind.SEGMENT: "Segment list",
    PriceListKind.BASE: "Base list",
}


@dataclass(frozen=True, slots=True)
class PriceResolution:
    """The unit price to quote and where it came from, in words a seller can repeat."""

    sku: str
    quantity: Decimal
    unit_price: Decimal
    """In the quote currency, 4 decimals."""
    currency: str
    list_code: str
    list_kind: PriceListKind
    break_min_quantity: Decimal
    list_price: Decimal
    """The price as the list states it, in `source_currency`."""
    source_currency: str
    fx_rate_used: Decimal | None = None
    fx_rate_date: date | None = None

    @property
    def reason(self) -> str:
        """'Customer list CLI-C001 from 10 units, converted from EUR at 1.085 (2026-06-05)'."""
        text = f"{_KIND_LABEL[PriceListKind(self.list_kind)]} {self.list_code}"
        if self.break_min_quantity > 0:
            text += f" from {format_quantity(self.break_min_quantity)} units"
        if self.fx_rate_used is not None and self.fx_rate_date is not None:
            text += (
                f", {format_price(self.list_price)} {self.source_currency} converted at "
                f"{format_quantity(self.fx_rate_used.quantize(_RATE_SHOWN))} ({self.fx_rate_date.isoformat()})"
            )
        return text


def is_valid_on(price_list: PriceList, day: date) -> bool:
    """Whether the list is in force on `day` (both ends inclusive, no end = open)."""
    return price_list.valid_from <= day and (price_list.valid_to is None or day <= price_list.valid_to)


def targets_customer(price_list: PriceList, customer: Customer) -> bool:
    """Whether the list is meant for this customer: its own, its segment's, or a base list."""
    if price_list.kind == PriceListKind.CUSTOMER:
        return price_list.customer_code == customer.code
    if price_list.kind == PriceListKind.SEGMENT:
        return price_list.segment == customer.segment
    return True


def select_break(rows: Iterable[PriceListItem], quantity: Decimal) -> PriceListItem | None:
    """The row with the highest `min_quantity` ≤ quantity, or None below the first break."""
    applicable = [row for row in rows if row.min_quantity <= quantity]
    return max(applicable, key=lambda row: row.min_quantity, default=None)


def resolve_price(
    sku: str,
    quantity: Decimal,
    customer: Customer,
    price_lists: Iterable[PriceList],
    items: Iterable[PriceListItem],
    today: date,
    quote_currency: str,
    fx_rates: Iterable[FxRate] = (),
    max_fx_age_days: int = MAX_FX_AGE_DAYS,
) -> PriceResolution:
    """Resolve the unit price of `quantity` × `sku` for `customer` on `today` in `quote_currency`."""
    if quantity <= 0:
        raise ValidationFailed(
            f"Quantity must be positive, got {quantity}",
            field="quantity",
            key="problem.line.quantity_not_positive",
            params={"sku": sku, "quantity": number(quantity)},
        )
    rows_by_list: dict[str, list[PriceListItem]] = {}
    for row in items:
        if row.sku == sku:
            rows_by_list.setdefault(row.price_list_code, []).append(row)

    candidates: list[tuple[tuple[int, bool, int, str], PriceList, PriceListItem]] = []
    for price_list in price_lists:
        if not (is_valid_on(price_list, today) and targets_customer(price_list, customer)):
            continue
        found = select_break(rows_by_list.get(price_list.code, ()), quantity)
        if found is None:
            continue
        row = found
        rank = (
            KIND_PRECEDENCE.index(PriceListKind(price_list.kind)),
            price_list.currency != quote_currency,
            -price_list.valid_from.toordinal(),
            price_list.code,
        )
        candidates.append((rank, price_list, row))

    if not candidates:
        raise NoPrice(
            f"No price for {sku} × {format_quantity(quantity)} for customer {customer.code} on "
            f"{today.isoformat()}: no valid price list has it at this quantity.",
            rule=NO_PRICE,
            sku=sku,
            quantity=str(quantity),
            customer_code=customer.code,
            key="problem.no_price",
            params={"sku": sku, "quantity": number(quantity), "customer": customer.code, "day": day(today)},
        )
    _, chosen, row = min(candidates, key=lambda c: c[0])
    unit_price, conversion = convert_unit_price(
        row.unit_price,
        chosen.currency,
        quote_currency,
        fx_rates,
        today,
        max_fx_age_days,
    )
    return PriceResolution(
        sku=sku,
        quantity=quantity,
        unit_price=unit_price,
        currency=quote_currency,
        list_code=chosen.code,
        list_kind=PriceListKind(chosen.kind),
        break_min_quantity=row.min_quantity,
        list_price=row.unit_price,
        source_currency=chosen.currency,
        fx_rate_used=conversion.rate if conversion else None,
        fx_rate_date=conversion.rate_date if conversion else None,
    )


__all__ = ["KIND_PRECEDENCE", "PriceResolution", "is_valid_on", "resolve_price", "select_break", "targets_customer"]
