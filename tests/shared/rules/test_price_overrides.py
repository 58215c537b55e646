"""Which lines carry a price the seller set instead of the list price."""

from decimal import Decimal

import pytest

from shared.rules.price_overrides import PriceOverride, price_overrides
from shared.rules.quote_math import LineInput

D = Decimal


@pytest.mark.parametrize(
    ("unit_price", "list_price", "expected"),
    [
        ("2.3750", "2.3750", None),  # the list price: nothing set by hand
        ("2.3750", "2.375", None),  # the same price written with fewer places
        ("2.0000", "2.3750", True),  # below list: margin given away
        ("2.5000", "2.3750", False),  # above list: still a hand-set price
        ("0.0000", "2.3750", True),  # given away
        ("2.0000", None, None),  # nothing lists it: the seller's price by necessity
    ],
)
def test_a_line_is_an_override_when_its_price_is_not_its_list_price(unit_price, list_price, expected):
    line = LineInput(
        line_no=3,
        sku="GUA-NIT-09",
        quantity=D(10),
        unit_price=D(unit_price),
        list_price=None if list_price is None else D(list_price),
    )
    found = price_overrides([line])
    if expected is None:
        assert found == ()
    else:
        assert found == (PriceOverride(3, "GUA-NIT-09", D(list_price), D(unit_price)),)
        assert found[0].is_below_list is expected


def test_only_the_overridden_lines_of_a_quote_are_named():
    lines = [
        LineInput(line_no=1, sku="A", quantity=D(1), unit_price=D(5), list_price=D(5)),
        LineInput(line_no=2, sku="B", quantity=D(1), unit_price=D(4), list_price=D(5)),
        LineInput(line_no=3, sku="C", quantity=D(1), unit_price=D(9)),
    ]
    assert [o.line_no for o in price_overrides(lines)] == [2]
