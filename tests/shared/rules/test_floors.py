"""Floor prices and minimum margins: product, then category, then parent categories."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from shared.models import Category, FxRate, PriceFloor, Product
from shared.rules.floors import category_path, check_floor, check_floors, resolve_floor
from shared.rules.quote_math import LineInput, price_line

D = Decimal
CATEGORIES = {
    c.code: c
    for c in [
        Category(code="TOR", name="Tornillería"),
        Category(code="TOR-01", name="Tornillos", parent_code="TOR"),
        Category(code="TOR-01-03", name="Tornillos de madera", parent_code="TOR-01"),
        Category(code="HID", name="Hidráulica"),
        Category(code="HID-02", name="Racores", parent_code="HID"),
    ]
}
FLOORS = [
    PriceFloor(scope="category", code="TOR", currency="EUR", min_margin_percent="12"),
    PriceFloor(scope="category", code="TOR-01", currency="EUR", floor_price="3.00"),
    PriceFloor(scope="product", code="P-FLOOR", currency="EUR", floor_price="4.50"),
    PriceFloor(scope="product", code="P-BOTH", currency="EUR", floor_price="2.00", min_margin_percent="5"),
    PriceFloor(scope="category", code="HID", currency="EUR", floor_price="1.00", min_margin_percent="10"),
    PriceFloor(scope="category", code="HID-02", currency="EUR", min_margin_percent="20"),
]


def product(sku, category):
    return Product(
        sku=sku, name=sku, category_code=category, unit="EA", tax_class="IVA21", currency="EUR", replacement_cost="1.00"
    )


PRODUCTS = {
    p.sku: p
    for p in [
        product("P-FLOOR", "TOR-01-03"),
        product("P-BOTH", "TOR-01-03"),
        product("P-PLAIN", "TOR-01-03"),
        product("P-HID", "HID-02"),
        product("P-NONE", "OTRA"),
    ]
}


@pytest.mark.parametrize(
    ("sku", "floor_price", "floor_source", "min_margin", "margin_source"),
    [
        ("P-FLOOR", "4.50", "product P-FLOOR", "12", "category TOR"),  # product price beats TOR-01's 3.00
        ("P-BOTH", "2.00", "product P-BOTH", "5", "product P-BOTH"),  # product margin overrides category's 12
        ("P-PLAIN", "3.00", "category TOR-01", "12", "category TOR"),  # walks TOR-01-03 → TOR-01 → TOR
        ("P-HID", "1.00", "category HID", "20", "category HID-02"),  # nearest margin HID-02, price from parent
        ("P-NONE", None, "", None, ""),  # nothing anywhere up the tree
    ],
)
def test_resolve_floor_walks_up_the_tree(sku, floor_price, floor_source, min_margin, margin_source):
    got = resolve_floor(PRODUCTS[sku], FLOORS, CATEGORIES)
    assert got.floor_price == (D(floor_price) if floor_price else None)
    assert got.min_margin_percent == (D(min_margin) if min_margin else None)
    assert (got.floor_source, got.margin_source) == (floor_source, margin_source)


def priced(sku, qty, price, cost, disc="0", header="0", currency="EUR"):
    line = LineInput(
        line_no=1, sku=sku, quantity=D(qty), unit_price=D(price), discount_percent=D(disc), unit_cost=D(cost)
    )
    return price_line(line, currency, D(header))


@pytest.mark.parametrize(
    ("sku", "qty", "price", "cost", "disc", "header", "codes"),
    [
        ("P-FLOOR", "1", "4.10", "3.00", "0", "0", ["price_below_floor"]),  # margin 26.83 % is fine
        ("P-FLOOR", "1", "4.50", "3.00", "0", "0", []),  # equal to the floor is allowed
        ("P-FLOOR", "1", "5.00", "3.00", "10", "0", []),  # net unit 4.5000
        ("P-FLOOR", "1", "5.00", "3.00", "10", "1", ["price_below_floor"]),  # net unit 5 × .9 × .99 = 4.4550
        ("P-PLAIN", "1", "10.00", "9.18", "0", "0", ["margin_below_floor"]),  # 0.82 / 10 = 8.2 %
        ("P-PLAIN", "1", "10.00", "8.80", "0", "0", []),  # exactly 12 %
        ("P-PLAIN", "1000", "10.00", "8.801", "0", "0", ["margin_below_floor"]),  # 1199 / 10000 = 11.99 %
        ("P-BOTH", "1", "2.10", "2.00", "0", "0", ["margin_below_floor"]),  # 0.10 / 2.10 = 4.76 % < 5 %
        ("P-BOTH", "1", "1.90", "2.00", "0", "0", ["price_below_floor", "margin_below_floor"]),  # -5.26 %
        ("P-HID", "1", "1.00", "0.50", "0", "0", []),  # 50 %, price at the floor
        ("P-HID", "1", "1.20", "1.00", "0", "0", ["margin_below_floor"]),  # 16.67 % < 20 %
        ("P-HID", "1", "0.99", "0.10", "0", "0", ["price_below_floor"]),  # below the parent's 1.00
        ("P-PLAIN", "1", "10.00", "1.00", "100", "0", ["price_below_floor", "margin_below_floor"]),  # free line
        ("P-PLAIN", "1", "2.99", "1.00", "0", "0", ["price_below_floor"]),  # parent category's floor 3.00
        ("P-NONE", "1", "0.01", "5.00", "0", "0", []),  # no limits, nothing fires
    ],
)
def test_check_floor(sku, qty, price, cost, disc, header, codes):
    limits = resolve_floor(PRODUCTS[sku], FLOORS, CATEGORIES)
    got = check_floor(priced(sku, qty, price, cost, disc, header), limits, "EUR")
    assert [v.code for v in got] == codes


@pytest.mark.parametrize(
    ("sku", "price", "cost", "reason"),
    [
        ("P-FLOOR", "4.10", "3.00", "P-FLOOR: price 4.10 below floor 4.50 EUR (product P-FLOOR)"),
        ("P-PLAIN", "10.00", "9.18", "P-PLAIN: margin 8.2% below minimum 12% (category TOR)"),
    ],
)
def test_reasons_a_seller_can_say(sku, price, cost, reason):
    limits = resolve_floor(PRODUCTS[sku], FLOORS, CATEGORIES)
    (violation,) = check_floor(priced(sku, "1", price, cost), limits, "EUR")
    assert violation.reason == reason


def test_a_floor_in_euros_is_converted_for_a_dollar_quote():
    fx = [FxRate(rate_date=date(2026, 6, 8), base_currency="EUR", quote_currency="USD", rate="1.0850")]
    limits = resolve_floor(PRODUCTS["P-FLOOR"], FLOORS, CATEGORIES)
    # 4.50 × 1.085 = 4.88250 → 4.8825 USD; 4.88 is below it, 4.8825 is not
    (violation,) = check_floor(
        priced("P-FLOOR", "1", "4.88", "3.00", currency="USD"), limits, "USD", fx, date(2026, 6, 10)
    )
    assert violation.limit == D("4.8825") and "below floor 4.8825 USD" in violation.reason
    assert (
        check_floor(priced("P-FLOOR", "1", "4.8825", "3.00", currency="USD"), limits, "USD", fx, date(2026, 6, 10))
        == ()
    )


def test_check_floors_keeps_line_order():
    lines = [priced("P-PLAIN", "1", "10.00", "9.18"), replace(priced("P-FLOOR", "1", "4.10", "3.00"), line_no=2)]
    got = check_floors(lines, PRODUCTS, FLOORS, CATEGORIES, "EUR")
    assert [(v.line_no, v.code) for v in got] == [(1, "margin_below_floor"), (2, "price_below_floor")]


def test_category_path_survives_a_loop_in_the_tree():
    looped = {"A": Category(code="A", name="A", parent_code="B"), "B": Category(code="B", name="B", parent_code="A")}
    assert category_path("A", looped) == ("A", "B")
