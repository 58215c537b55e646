"""What lost sales due to stock are worth, line by line and per currency."""

import uuid
from decimal import Decimal as D

import pytest

from shared.models.field import LostSale
from shared.rules.lost_sales import LostTotal, lost_totals, lost_value


def _lost(quantity: str, price: str, currency: str = "EUR") -> LostSale:
    return LostSale(
        id=uuid.uuid4(),
        customer_code="C1",
        seller_login="ana.garcia",
        sku="GUA-NIT-09",
        quantity=D(quantity),
        currency=currency,
        unit_price=D(price),
    )


@pytest.mark.parametrize(
    ("quantity", "price", "currency", "value"),
    [
        ("10", "2.375", "EUR", D("23.75")),
        ("3", "0.335", "EUR", D("1.01")),  # 1.005 rounds half up to the cent
        ("2.5", "4.10", "EUR", D("10.25")),  # metres of cable: a fraction is lost too
        ("7", "150", "JPY", D("1050")),  # no minor unit
    ],
)
def test_a_lost_line_is_worth_its_quantity_at_the_quoted_net_price(quantity, price, currency, value):
    assert lost_value(_lost(quantity, price, currency)) == value


def test_totals_are_kept_per_currency_with_their_line_counts():
    lost = [_lost("10", "2.375"), _lost("1", "100", "USD"), _lost("3", "0.335"), _lost("2", "50", "USD")]
    assert lost_totals(lost) == (LostTotal("EUR", 2, D("24.76")), LostTotal("USD", 2, D("200.00")))
    assert lost_totals([]) == ()
