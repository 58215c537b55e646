"""Price floors and minimum margins: the lowest a seller may quote without approval.

Where a limit comes from: the product's own floor, else its category's, else each parent
category's up to the top of the tree. The two limits are resolved separately — the nearest
level that sets a floor price gives the floor price, the nearest level that sets a minimum
margin gives the minimum margin — so a product floor price does not switch off the margin
its category demands, and a product-level minimum margin overrides the category's.

What is compared: the net unit price after line and header discounts (4 decimals) against
the floor price converted to the quote currency; the line's margin % (2 decimals, what the
seller sees) against the minimum margin. A line with no net amount cannot meet a minimum
margin and is reported as such. Equal to the limit is allowed; only below fires.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from shared.messages import label, percent, unit_price
from shared.models import Category, FloorScope, FxRate, PriceFloor, Product
from shared.rules.formats import format_percent, format_price
from shared.rules.fx import MAX_FX_AGE_DAYS, convert_unit_price
from shared.rules.quote_math import LineResult

PRICE_BELOW_FLOOR = "price_below_floor"
MARGIN_BELOW_FLOOR = "margin_below_floor"


@dataclass(frozen=True, slots=True)
class FloorLimits:
    """The limits that apply to one product and the level each came from ('product X', 'category Y')."""

    sku: str
    floor_price: Decimal | None = None
    floor_currency: str | None = None
    floor_source: str = ""
    min_margin_percent: Decimal | None = None
    margin_source: str = ""
    floor_level: tuple[str, str] = ("", "")
    """(scope, code) of the level the floor price came from, for the seller's words."""
    margin_level: tuple[str, str] = ("", "")


@dataclass(frozen=True, slots=True)
class FloorViolation:
    """One limit a line breaks, with the sentence a seller can say (English `reason`; `key` and
    `params` for the seller's language, given the line number as `line` by the approval rule)."""

    code: str
    line_no: int
    sku: str
    actual: Decimal | None
    limit: Decimal
    source: str
    reason: str
    key: str | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False)


def category_path(category_code: str, categories: Mapping[str, Category]) -> tuple[str, ...]:
    """The category and its parents, nearest first; stops at an unknown code or a loop."""
    path: list[str] = []
    code: str | None = category_code
    while code is not None and code not in path:
        path.append(code)
        parent = categories.get(code)
        code = parent.parent_code if parent is not None else None
    return tuple(path)


def resolve_floor(product: Product, floors: Iterable[PriceFloor], categories: Mapping[str, Category]) -> FloorLimits:
    """The floor price and minimum margin of a product: product, then category, then parents."""
    by_key = {(FloorScope(f.scope), f.code): f for f in floors}
    levels = [(FloorScope.PRODUCT, product.sku)]
    levels += [(FloorScope.CATEGORY, code) for code in category_path(product.category_code, categories)]
    price: PriceFloor | None = None
    margin: PriceFloor | None = None
    for level in levels:
        floor = by_key.get(level)
        if floor is None:
            continue
        if price is None and floor.floor_price is not None:
            price = floor
        if margin is None and floor.min_margin_percent is not None:
            margin = floor
    return FloorLimits(
        sku=product.sku,
        floor_price=price.floor_price if price else None,
        floor_currency=price.currency if price else None,
        floor_source=_source(price) if price else "",
        min_margin_percent=margin.min_margin_percent if margin else None,
        margin_source=_source(margin) if margin else "",
        floor_level=(str(FloorScope(price.scope).value), price.code) if price else ("", ""),
        margin_level=(str(FloorScope(margin.scope).value), margin.code) if margin else ("", ""),
    )


def check_floor(
    line: LineResult,
    limits: FloorLimits,
    currency: str,
    fx_rates: Sequence[FxRate] = (),
    today: date | None = None,
    max_fx_age_days: int = MAX_FX_AGE_DAYS,
) -> tuple[FloorViolation, ...]:
    """Every limit the priced line breaks: 'price 4.10 below floor 4.50', 'margin 8.2% below minimum 12%'."""
    found: list[FloorViolation] = []
    if limits.floor_price is not None:
        floor = limits.floor_price
        if limits.floor_currency and limits.floor_currency != currency:
            if today is None:
                raise ValueError("converting a floor price needs the quote date")
            floor, _ = convert_unit_price(floor, limits.floor_currency, currency, fx_rates, today, max_fx_age_days)
        if line.net_unit_price < floor:
            found.append(
                FloorViolation(
                    PRICE_BELOW_FLOOR,
                    line.line_no,
                    line.sku,
                    line.net_unit_price,
                    floor,
                    limits.floor_source,
                    f"{line.sku}: price {format_price(line.net_unit_price)} below floor {format_price(floor)} "
                    f"{currency} ({limits.floor_source})",
                    key="rule.price_below_floor",
                    params={
                        "sku": line.sku,
                        "price": unit_price(line.net_unit_price, currency),
                        "floor": unit_price(floor, currency),
                        **_level(limits.floor_level),
                    },
                )
            )
    if limits.min_margin_percent is not None:
        minimum = limits.min_margin_percent
        actual = line.margin_percent
        if actual is None:
            found.append(
                FloorViolation(
                    MARGIN_BELOW_FLOOR,
                    line.line_no,
                    line.sku,
                    None,
                    minimum,
                    limits.margin_source,
                    f"{line.sku}: no net amount, so no margin; minimum {format_percent(minimum)}% "
                    f"({limits.margin_source})",
                    key="rule.no_margin",
                    params={"sku": line.sku, "minimum": percent(minimum), **_level(limits.margin_level)},
                )
            )
        elif actual < minimum:
            found.append(
                FloorViolation(
                    MARGIN_BELOW_FLOOR,
                    line.line_no,
                    line.sku,
                    actual,
                    minimum,
                    limits.margin_source,
                    f"{line.sku}: margin {format_percent(actual)}% below minimum {format_percent(minimum)}% "
                    f"({limits.margin_source})",
                    key="rule.margin_below_floor",
                    params={
                        "sku": line.sku,
                        "margin": percent(actual),
                        "minimum": percent(minimum),
                        **_level(limits.margin_level),
                    },
                )
            )
    return tuple(found)


def check_floors(
    lines: Iterable[LineResult],
    products: Mapping[str, Product],
    floors: Sequence[PriceFloor],
    categories: Mapping[str, Category],
    currency: str,
    fx_rates: Sequence[FxRate] = (),
    today: date | None = None,
) -> tuple[FloorViolation, ...]:
    """Floor violations of every priced line of a quote, in line order."""
    found: list[FloorViolation] = []
    for line in lines:
        limits = resolve_floor(products[line.sku], floors, categories)
        found.extend(check_floor(line, limits, currency, fx_rates, today))
    return tuple(found)


def _source(floor: PriceFloor) -> str:
    return f"{FloorScope(floor.scope).value} {floor.code}"


def _level(level: tuple[str, str]) -> dict[str, Any]:
    """Where a limit came from, as message params: the level's kind in words, and its code."""
    scope, code = level
    return {"level": label("FloorScope", scope), "code": code}


__all__ = [
    "MARGIN_BELOW_FLOOR",
    "PRICE_BELOW_FLOOR",
    "FloorLimits",
    "FloorViolation",
    "category_path",
    "check_floor",
    "check_floors",
    "resolve_floor",
]
