"""What lost sales due to stock are worth, line by line and per currency."""

import uuid
from decimal import Decimal as D

import pytest

from shared.models.field import LostSale
from shared.rules.lost_sales import LostTotal, cut_for_stock, lost_totals, lost_value


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


@pytest.mark.parametrize(
    ("asked", "kept", "available_now", "lost"),
    [
        ("100", "40", "40", D(60)),  # cut to what ships now: the rest is lost to stock
        ("100", "70", "40", D(30)),  # cut, still waiting for some: the cut part is lost
        ("100", "40", "0", D(60)),  # nothing on hand: any cut is for stock
        ("100", "10", "40", D(0)),  # below what ships now: the customer wants fewer
        ("100", "39.5", "40", D(0)),
        ("2.5", "1.25", "1.25", D("1.25")),  # metres: fractions too
        ("30", "20", "40", D(0)),  # it could ship as asked: not stock
        ("40", "30", "40", D(0)),  # exactly covered: not short
        ("100", "100", "40", D(0)),  # not cut
        ("100", "120", "40", D(0)),  # raised
    ],
)
def test_a_line_cut_for_stock_loses_the_cut_that_stock_could_not_serve(asked, kept, available_now, lost):
    assert cut_for_stock(D(asked), D(kept), D(available_now)) == lost
