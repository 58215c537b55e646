"""Line nets, discounts, costs, margins and quote totals with taxes per rate (hand-computed)."""

from datetime import date
from decimal import Decimal

import pytest

from shared.models import FxRate, Product, QuoteLine
from shared.rules.quote_math import (
    LineInput,
    combined_discount_percent,
    compute_totals,
    line_input,
    price_line,
    unit_cost_in,
)

D = Decimal


def line(qty, price, disc="0", rate="21", cost="0", no=1):
    return LineInput(
        line_no=no,
        sku=f"SKU-{no}",
        quantity=D(qty),
        unit_price=D(price),
        discount_percent=D(disc),
        tax_rate_percent=D(rate),
        unit_cost=D(cost),
    )


@pytest.mark.parametrize(
    ("qty", "price", "disc", "header", "currency", "net"),
    [
        ("3", "10.0000", "0", "0", "EUR", "30.00"),
        ("3", "10.0000", "10", "0", "EUR", "27.00"),
        ("3", "10.0000", "10", "5", "EUR", "25.65"),  # 30 × 0.90 × 0.95 (14.5 % off, not 15 %)
        ("1", "2.3450", "0", "0", "EUR", "2.35"),  # half up
        ("1", "2.3449", "0", "0", "EUR", "2.34"),
        ("12.5", "3.9876", "0", "0", "EUR", "49.85"),  # KG: 49.845 → 49.85
        ("100", "0.0315", "0", "0", "EUR", "3.15"),  # washers priced to 4 decimals
        ("3", "0.0345", "0", "0", "EUR", "0.10"),  # 0.1035 → 0.10
        ("2", "19.99", "15", "10", "EUR", "30.58"),  # 39.98 × 0.85 × 0.90 = 30.5847
        ("3", "33.3333", "0", "10", "EUR", "90.00"),  # 99.9999 × 0.9 = 89.99991
        # one rounding only: 3 × 1.115 × 0.9 = 3.0105 → 3.01 (rounding 3.345 first would give 3.02)
        ("3", "1.1150", "10", "0", "EUR", "3.01"),
        ("1", "100", "100", "0", "EUR", "0.00"),  # a free line
        ("1", "1234.5000", "0", "0", "JPY", "1235"),  # yen has no minor unit
    ],
)
def test_line_net(qty, price, disc, header, currency, net):
    got = price_line(line(qty, price, disc), currency, D(header))
    assert str(got.net) == net


@pytest.mark.parametrize(
    ("line_pct", "header_pct", "combined"),
    [
        ("10", "5", "14.5"),
        ("0", "0", "0"),
        ("50", "50", "75"),
        ("100", "20", "100"),
        ("12.5", "0", "12.5"),
        ("0", "7", "7"),
    ],
)
def test_discounts_combine_multiplicatively(line_pct, header_pct, combined):
    assert combined_discount_percent(D(line_pct), D(header_pct)) == D(combined)


@pytest.mark.parametrize(("line_pct", "header_pct"), [("-1", "0"), ("0", "100.01")])
def test_discount_out_of_range_is_refused(line_pct, header_pct):
    with pytest.raises(ValueError):
        price_line(line("1", "10", line_pct), "EUR", D(header_pct))


@pytest.mark.parametrize(
    ("qty", "price", "disc", "cost", "net", "line_cost", "margin", "pct", "net_unit"),
    [
        ("10", "5.00", "0", "3.80", "50.00", "38.00", "12.00", "24.00", "5.0000"),
        ("10", "5.00", "10", "3.80", "45.00", "38.00", "7.00", "15.56", "4.5000"),  # 7 / 45 = 15.555…
        ("3", "4.10", "0", "4.00", "12.30", "12.00", "0.30", "2.44", "4.1000"),  # 0.30 / 12.30 = 2.439…
        ("2", "3.00", "0", "3.50", "6.00", "7.00", "-1.00", "-16.67", "3.0000"),  # below cost: -16.666…
        ("1", "10.00", "100", "3.80", "0.00", "3.80", "-3.80", None, "0.0000"),  # zero net: no margin %
        ("7", "0.0345", "0", "0.0123", "0.24", "0.09", "0.15", "62.50", "0.0345"),  # cost 0.0861 → 0.09
        ("3", "0.0345", "3", "0", "0.10", "0.00", "0.10", "100.00", "0.0335"),  # net 0.100395; unit 0.033465
    ],
)
def test_line_cost_and_margin(qty, price, disc, cost, net, line_cost, margin, pct, net_unit):
    got = price_line(line(qty, price, disc, cost=cost), "EUR")
    assert (str(got.net), str(got.cost), str(got.margin)) == (net, line_cost, margin)
    assert got.margin_percent == (D(pct) if pct else None)
    assert str(got.net_unit_price) == net_unit


FX = [
    FxRate(rate_date=date(2026, 6, 5), base_currency="EUR", quote_currency="USD", rate="1.1000"),
    FxRate(rate_date=date(2026, 6, 8), base_currency="EUR", quote_currency="USD", rate="1.0850"),
]


def product(cost, currency="EUR"):
    return Product(
        sku="P1",
        name="Producto",
        category_code="TOR-01",
        unit="EA",
        tax_class="IVA21",
        currency=currency,
        replacement_cost=cost,
    )


@pytest.mark.parametrize(
    ("cost", "quote_currency", "today", "unit_cost"),
    [
        ("10.00", "EUR", None, "10.00"),  # same currency: as the ERP says
        ("10.00", "USD", date(2026, 6, 10), "10.8500"),  # 10 × 1.085
        ("0.0315", "USD", date(2026, 6, 6), "0.0347"),  # 0.03465 is exactly half → up
    ],
)
def test_unit_cost_in_the_quote_currency(cost, quote_currency, today, unit_cost):
    assert str(unit_cost_in(product(cost), quote_currency, FX, today)) == unit_cost


def test_margin_with_a_cost_converted_from_euros():
    unit_cost = unit_cost_in(product("10.00"), "USD", FX, date(2026, 6, 10))  # 10.8500 USD
    got = price_line(line("4", "15.00", cost=str(unit_cost)), "USD")
    # net 60.00, cost 4 × 10.85 = 43.40, margin 16.60, 16.60 / 60 = 27.666… %
    assert (got.net, got.cost, got.margin, got.margin_percent) == (D("60.00"), D("43.40"), D("16.60"), D("27.67"))


MIXED = [
    line("10", "12.34", rate="21", cost="8.00", no=1),  # 123.40, cost 80.00
    line("3", "7.99", rate="10", cost="5.00", no=2),  # 23.97, cost 15.00
    line("5", "1.15", rate="4", cost="0.50", no=3),  # 5.75, cost 2.50
    line("2", "50.00", rate="0", cost="30.00", no=4),  # 100.00, cost 60.00
]


@pytest.mark.parametrize(
    ("header", "exempt", "net", "taxes", "tax", "gross"),
    [
        # 21: 123.40 × .21 = 25.914 → 25.91; 10: 2.397 → 2.40; 4: 0.23; 0: 0 → 28.54
        (
            "0",
            False,
            "253.12",
            [("21", "123.40", "25.91"), ("10", "23.97", "2.40"), ("4", "5.75", "0.23"), ("0", "100.00", "0.00")],
            "28.54",
            "281.66",
        ),
        # 10 % header: 111.06, 21.573 → 21.57, 5.175 → 5.18, 90.00; taxes 23.3226 → 23.32, 2.157 → 2.16,
        # 0.2072 → 0.21, 0 → 25.69
        (
            "10",
            False,
            "227.81",
            [("21", "111.06", "23.32"), ("10", "21.57", "2.16"), ("4", "5.18", "0.21"), ("0", "90.00", "0.00")],
            "25.69",
            "253.50",
        ),
        # intra-EU or export customer: every line at 0 %
        ("0", True, "253.12", [("0", "253.12", "0.00")], "0.00", "253.12"),
    ],
)
def test_totals_with_several_tax_rates(header, exempt, net, taxes, tax, gross):
    got = compute_totals(MIXED, "EUR", D(header), tax_exempt=exempt)
    assert str(got.net) == net
    assert [(g.rate_percent, str(g.base), str(g.tax)) for g in got.taxes] == [(D(r), b, t) for r, b, t in taxes]
    assert (str(got.tax), str(got.gross)) == (tax, gross)
    assert all(x.tax_rate_percent == 0 for x in got.lines) is exempt


def test_total_margin():
    got = compute_totals(MIXED, "EUR")
    # cost 80 + 15 + 2.50 + 60 = 157.50; margin 253.12 − 157.50 = 95.62; 95.62 / 253.12 = 37.7765…
    assert (got.cost, got.margin, got.margin_percent) == (D("157.50"), D("95.62"), D("37.78"))


def test_tax_is_per_rate_on_the_summed_base_not_per_line():
    got = compute_totals([line("1", "0.05", no=n) for n in range(1, 11)], "EUR")
    # per line 0.0105 → 0.01, ten times 0.10; per rate 0.50 × 0.21 = 0.105 → 0.11
    assert (got.net, got.tax, got.gross) == (D("0.50"), D("0.11"), D("0.61"))


def test_an_all_free_quote_has_no_margin_percent():
    got = compute_totals([line("1", "9.99", "100", cost="4.00")], "EUR")
    assert (got.net, got.tax, got.margin, got.margin_percent) == (D("0.00"), D("0.00"), D("-4.00"), None)


def test_a_stored_quote_line_prices_the_same():
    stored = QuoteLine(
        line_no=2,
        sku="X",
        description="Tornillo",
        quantity="12.5",
        unit_price="3.9876",
        discount_percent="10",
        tax_rate_percent="21",
        unit_cost="2.5000",
    )
    got = price_line(line_input(stored), "EUR", D("5"))
    # 12.5 × 3.9876 × 0.9 × 0.95 = 42.617475 → 42.62; cost 12.5 × 2.5 = 31.25
    assert (got.net, got.cost, got.margin) == (D("42.62"), D("31.25"), D("11.37"))
