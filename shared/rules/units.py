"""What quantity of a product can go on a quote line (a product's unit rules).

- divisible: a fraction of a unit is sold only for a divisible product. Unless the ERP says
  otherwise (`Product.divisible`), weights, volumes and lengths are (KG, L, M) and pieces,
  boxes and packs are not: 2.5 boxes is a typing error, 2.5 kg is an order.
- minimum: the line's quantity is at least `order_minimum` when the product has one.
- multiple: the quantity is a whole number of `order_multiple` when the product has one
  (boxes of 10: 10, 20, 30 — not 25). Checked exactly, in decimals.

Each failure is a message (key and values) the builder shows on the line and the server
repeats when it refuses the quote.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shared.messages import number
from shared.messages import unit as unit_name

DIVISIBLE_UNITS = frozenset({"KG", "L", "M"})
"""Units sold in fractions when the product does not say."""


@dataclass(frozen=True, slots=True)
class QuantityProblem:
    """Why a quantity cannot be ordered: English text, and a message for the reader's language."""

    text: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def is_divisible(unit: str, divisible: bool | None) -> bool:
    """Whether a fraction of the product's unit can be sold."""
    return divisible if divisible is not None else unit.upper() in DIVISIBLE_UNITS


def check_quantity(
    sku: str,
    quantity: Decimal,
    unit: str,
    divisible: bool | None = None,
    minimum: Decimal | None = None,
    multiple: Decimal | None = None,
) -> QuantityProblem | None:
    """The first unit rule `quantity` breaks, or None."""
    if quantity != quantity.to_integral_value() and not is_divisible(unit, divisible):
        return QuantityProblem(
            f"{sku} is sold in whole {unit}: {quantity} is not a whole number",
            "problem.line.not_divisible",
            {"sku": sku, "quantity": number(quantity), "unit": unit_name(unit)},
        )
    if minimum is not None and quantity < minimum:
        return QuantityProblem(
            f"{sku} is sold from {minimum} {unit}; the line asks {quantity}",
            "problem.line.below_minimum",
            {"sku": sku, "quantity": number(quantity), "minimum": number(minimum), "unit": unit_name(unit)},
        )
    if multiple is not None and quantity % multiple != 0:
        lower = (quantity // multiple) * multiple
        return QuantityProblem(
            f"{sku} is sold in multiples of {multiple} {unit}; {quantity} is not one (say {lower + multiple})",
            "problem.line.not_multiple",
            {"sku": sku, "quantity": number(quantity), "multiple": number(multiple), "unit": unit_name(unit),
             "next": number(lower + multiple)},
        )  # fmt: skip
    return None


__all__ = ["DIVISIBLE_UNITS", "QuantityProblem", "check_quantity", "is_divisible"]
