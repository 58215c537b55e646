"""Price resolution: customer > segment > base, validity, breaks, tie-breaks, FX (hand-computed)."""

from datetime import date
from decimal import Decimal

import pytest

from shared.errors import ValidationFailed
from shared.models import Customer, FxRate, PriceList, PriceListItem
from shared.rules.pricing import resolve_price

D = Decimal


def customer(code="C001", segment="industria", currency="EUR"):
    return Customer(
        code=code,
        legal_name=f"Cliente {code} SL",
        tax_id="B12345678",
        segment=segment,
        payment_terms="NET30",
        currency=currency,
    )


def plist(code, kind, valid_from, valid_to=None, currency="EUR", segment=None, customer_code=None):
    return PriceList(
        code=code,
        name=code,
        kind=kind,
        currency=currency,
        valid_from=valid_from,
        valid_to=valid_to,
        segment=segment,
        customer_code=customer_code,
    )


LISTS = [
    plist("BASE", "base", date(2024, 1, 1)),
    plist("BASE-USD", "base", date(2026, 1, 1), currency="USD"),
    plist("SEG-INDUSTRIA", "segment", date(2026, 1, 1), segment="industria"),
    plist("SEG-INDUSTRIA-Q2", "segment", date(2026, 4, 1), date(2026, 6, 30), segment="industria"),
    plist("SEG-INDUSTRIA-2027", "segment", date(2027, 1, 1), segment="industria"),
    plist("SEG-B", "segment", date(2026, 5, 1), segment="industria"),
    plist("SEG-A", "segment", date(2026, 5, 1), segment="industria"),
    plist("SEG-CONSTRUCCION", "segment", date(2026, 1, 1), segment="construccion"),
    plist("CLI-C001", "customer", date(2026, 1, 1), date(2026, 12, 31), customer_code="C001"),
    plist("CLI-C002", "customer", date(2026, 1, 1), customer_code="C002"),
]
_ROWS = [
    ("BASE", "TOR-001", 0, "10.0000"),
    ("BASE", "TOR-001", 10, "9.5000"),
    ("BASE", "TOR-001", 50, "9.0000"),
    ("BASE", "TOR-001", 100, "8.6000"),
    ("BASE-USD", "TOR-001", 0, "11.4400"),
    ("BASE", "HID-002", 0, "20.00"),
    ("SEG-INDUSTRIA", "HID-002", 0, "18.50"),
    ("SEG-INDUSTRIA-Q2", "HID-002", 0, "17.90"),
    ("SEG-INDUSTRIA-2027", "HID-002", 0, "19.15"),
    ("SEG-CONSTRUCCION", "HID-002", 0, "16.00"),
    ("CLI-C002", "HID-002", 0, "15.00"),
    ("BASE", "EPI-003", 0, "5.00"),
    ("SEG-INDUSTRIA", "EPI-003", 0, "4.60"),
    ("CLI-C001", "EPI-003", 0, "4.20"),
    ("BASE", "ABR-004", 0, "3.0000"),
    ("SEG-INDUSTRIA", "ABR-004", 100, "2.7000"),
    ("BASE", "ELE-005", 0, "8.00"),
    ("SEG-A", "ELE-005", 0, "7.00"),
    ("SEG-B", "ELE-005", 0, "6.00"),
    ("BASE", "TOR-W", 0, "0.0315"),
    ("CLI-C002", "ONLY-C2", 0, "1.00"),
    ("BASE", "KG-006", 25, "3.9000"),
]
ITEMS = [PriceListItem(price_list_code=c, sku=s, min_quantity=q, unit_price=p) for c, s, q, p in _ROWS]
RATES = [
    FxRate(rate_date=date(2026, 6, 5), base_currency="EUR", quote_currency="USD", rate="1.1000"),  # Fri
    FxRate(rate_date=date(2026, 6, 8), base_currency="EUR", quote_currency="USD", rate="1.0850"),  # Mon
]
JUNE_10 = date(2026, 6, 10)


@pytest.mark.parametrize(
    ("sku", "quantity", "expected", "list_code", "break_at"),
    [
        ("TOR-001", "1", "10.0000", "BASE", "0"),  # below the first break
        ("TOR-001", "9.999", "10.0000", "BASE", "0"),  # a hair below the 10 break
        ("TOR-001", "10", "9.5000", "BASE", "10"),  # exactly at a break
        ("TOR-001", "49", "9.5000", "BASE", "10"),  # between breaks
        ("TOR-001", "50", "9.0000", "BASE", "50"),
        ("TOR-001", "1000", "8.6000", "BASE", "100"),  # above the last break
        ("KG-006", "25.000", "3.9000", "BASE", "25"),  # decimal KG quantity at the only break
    ],
)
def test_quantity_breaks(sku, quantity, expected, list_code, break_at):
    got = resolve_price(sku, D(quantity), customer(segment="retail"), LISTS, ITEMS, JUNE_10, "EUR")
    assert (got.unit_price, got.list_code, got.break_min_quantity) == (D(expected), list_code, D(break_at))


@pytest.mark.parametrize(
    ("sku", "who", "today", "expected", "list_code"),
    [
        ("EPI-003", "C001", JUNE_10, "4.20", "CLI-C001"),  # customer list beats segment and base
        ("EPI-003", "C001", date(2026, 12, 31), "4.20", "CLI-C001"),  # valid_to is inclusive
        ("EPI-003", "C001", date(2027, 1, 1), "4.60", "SEG-INDUSTRIA"),  # customer list expired → segment
        ("EPI-003", "C003", JUNE_10, "5.00", "BASE"),  # construccion has no EPI-003 → base
        ("HID-002", "C001", JUNE_10, "17.90", "SEG-INDUSTRIA-Q2"),  # overlap: latest valid_from wins
        ("HID-002", "C001", date(2026, 4, 1), "17.90", "SEG-INDUSTRIA-Q2"),  # valid_from is inclusive
        ("HID-002", "C001", date(2026, 6, 30), "17.90", "SEG-INDUSTRIA-Q2"),  # last valid day
        ("HID-002", "C001", date(2026, 7, 1), "18.50", "SEG-INDUSTRIA"),  # promotion over
        ("HID-002", "C001", date(2026, 3, 31), "18.50", "SEG-INDUSTRIA"),  # promotion not started
        ("HID-002", "C001", date(2026, 12, 31), "18.50", "SEG-INDUSTRIA"),  # 2027 tariff not valid yet
        ("HID-002", "C001", date(2027, 1, 1), "19.15", "SEG-INDUSTRIA-2027"),  # ... and now it is
        ("HID-002", "C002", JUNE_10, "15.00", "CLI-C002"),  # other customer's own list
        ("HID-002", "C003", JUNE_10, "16.00", "SEG-CONSTRUCCION"),  # other segment's list
        ("HID-002", "C004", JUNE_10, "20.00", "BASE"),  # no list for its segment
        ("ELE-005", "C001", JUNE_10, "7.00", "SEG-A"),  # same kind and date: lowest code
        ("ABR-004", "C001", JUNE_10, "3.0000", "BASE"),  # qty 1 below the segment's only break
    ],
)
def test_precedence_validity_and_tie_breaks(sku, who, today, expected, list_code):
    segments = {"C001": "industria", "C002": "industria", "C003": "construccion", "C004": "retail"}
    got = resolve_price(sku, D(1), customer(who, segments[who]), LISTS, ITEMS, today, "EUR")
    assert (got.unit_price, got.list_code) == (D(expected), list_code)


def test_a_segment_break_applies_from_its_quantity():
    got = resolve_price("ABR-004", D(100), customer(), LISTS, ITEMS, JUNE_10, "EUR")
    assert (got.unit_price, got.list_code, got.list_kind) == (D("2.7000"), "SEG-INDUSTRIA", "segment")


@pytest.mark.parametrize(
    ("sku", "quantity", "today", "expected", "list_code", "rate"),
    [
        ("TOR-001", "1", JUNE_10, "11.4400", "BASE-USD", None),  # a list in the quote currency needs no FX
        ("TOR-001", "10", JUNE_10, "11.4400", "BASE-USD", None),  # ... and beats BASE's 10-break in EUR
        ("HID-002", "5", JUNE_10, "19.4215", "SEG-INDUSTRIA-Q2", "1.0850"),  # 17.90 × 1.085 = 19.42150
        ("TOR-W", "100", JUNE_10, "0.0342", "BASE", "1.0850"),  # 0.0315 × 1.085 = 0.0341775 → 0.0342
        # Saturday uses Friday's 1.10: 0.0315 × 1.1 = 0.03465, exactly half → 0.0347 (banker's: 0.0346)
        ("TOR-W", "100", date(2026, 6, 6), "0.0347", "BASE", "1.1000"),
    ],
)
def test_quoting_in_another_currency(sku, quantity, today, expected, list_code, rate):
    got = resolve_price(sku, D(quantity), customer(currency="USD"), LISTS, ITEMS, today, "USD", RATES)
    assert (got.unit_price, got.list_code, got.currency) == (D(expected), list_code, "USD")
    assert got.fx_rate_used == (D(rate) if rate else None)


def test_the_reason_names_list_break_and_rate():
    got = resolve_price("HID-002", D(5), customer(), LISTS, ITEMS, JUNE_10, "USD", RATES)
    assert got.reason == "Segment list SEG-INDUSTRIA-Q2, 17.90 EUR converted at 1.085 (2026-06-08)"
    got = resolve_price("TOR-001", D(60), customer(segment="retail"), LISTS, ITEMS, JUNE_10, "EUR")
    assert got.reason == "Base list BASE from 50 units"


@pytest.mark.parametrize(
    ("currency", "today"),
    [("GBP", JUNE_10), ("USD", date(2026, 6, 16))],  # no GBP rate at all; USD rate 8 days old
)
def test_missing_fx_rate_is_refused_not_skipped(currency, today):
    with pytest.raises(ValidationFailed) as caught:
        resolve_price("HID-002", D(5), customer(), LISTS, ITEMS, today, currency, RATES)
    assert caught.value.extra["rule"] == "fx_rate_missing"


@pytest.mark.parametrize(
    ("sku", "who", "quantity"),
    [
        ("NOPE-999", "C001", "1"),  # unknown product
        ("ONLY-C2", "C001", "1"),  # priced only on another customer's list
        ("KG-006", "C001", "24.9"),  # below the only break
    ],
)
def test_no_price_is_a_clear_error(sku, who, quantity):
    with pytest.raises(ValidationFailed) as caught:
        resolve_price(sku, D(quantity), customer(who), LISTS, ITEMS, JUNE_10, "EUR")
    assert caught.value.extra["rule"] == "no_price"
    assert caught.value.detail.startswith(f"No price for {sku} × {quantity} for customer {who}")


def test_quantity_must_be_positive():
    with pytest.raises(ValidationFailed, match="positive"):
        resolve_price("TOR-001", D(0), customer(), LISTS, ITEMS, JUNE_10, "EUR")
