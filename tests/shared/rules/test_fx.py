"""Exchange rates: the latest business-day rate on or before the date, at most 7 days old."""

from datetime import date
from decimal import Decimal

import pytest

from shared.errors import ValidationFailed
from shared.models import FxRate
from shared.rules.fx import convert_amount, convert_unit_price, find_rate

D = Decimal
RATES = [
    FxRate(rate_date=date(2026, 6, 4), base_currency="EUR", quote_currency="USD", rate="1.0800"),  # Thu
    FxRate(rate_date=date(2026, 6, 5), base_currency="EUR", quote_currency="USD", rate="1.0850"),  # Fri
    FxRate(rate_date=date(2026, 6, 8), base_currency="EUR", quote_currency="USD", rate="1.0900"),  # Mon
    FxRate(rate_date=date(2026, 6, 5), base_currency="USD", quote_currency="EUR", rate="0.9216589862"),
    FxRate(rate_date=date(2026, 6, 5), base_currency="GBP", quote_currency="EUR", rate="1.2500"),
]


@pytest.mark.parametrize(
    ("source", "target", "on", "rate", "rate_date", "inverse"),
    [
        ("EUR", "USD", date(2026, 6, 5), "1.0850", date(2026, 6, 5), False),  # the day's own rate
        ("EUR", "USD", date(2026, 6, 6), "1.0850", date(2026, 6, 5), False),  # Saturday → Friday
        ("EUR", "USD", date(2026, 6, 7), "1.0850", date(2026, 6, 5), False),  # Sunday → Friday
        ("EUR", "USD", date(2026, 6, 8), "1.0900", date(2026, 6, 8), False),
        ("EUR", "USD", date(2026, 6, 15), "1.0900", date(2026, 6, 8), False),  # exactly 7 days old: still usable
        ("EUR", "GBP", date(2026, 6, 5), "0.8", date(2026, 6, 5), True),  # only GBP→EUR: 1 / 1.25
        # USD→EUR on Monday: the direct pair is from Friday, the inverse from Monday; the newer wins.
        # 1 / 1.09 = 0.9174311926605504587155963303 (28 significant digits)
        ("USD", "EUR", date(2026, 6, 8), "0.9174311926605504587155963303", date(2026, 6, 8), True),
        ("USD", "EUR", date(2026, 6, 5), "0.9216589862", date(2026, 6, 5), False),  # same date: direct wins
    ],
)
def test_find_rate(source, target, on, rate, rate_date, inverse):
    conversion = find_rate(source, target, RATES, on)
    assert (conversion.rate, conversion.rate_date, conversion.is_inverse) == (D(rate), rate_date, inverse)


@pytest.mark.parametrize(
    ("source", "target", "on", "latest"),
    [
        ("EUR", "USD", date(2026, 6, 16), "the latest is from 2026-06-08"),  # 8 days old
        ("EUR", "USD", date(2026, 6, 3), "there is none"),  # before the first rate
        ("EUR", "MXN", date(2026, 6, 8), "there is none"),  # pair never published
    ],
)
def test_missing_or_stale_rate_is_refused(source, target, on, latest):
    with pytest.raises(ValidationFailed) as caught:
        find_rate(source, target, RATES, on)
    assert caught.value.extra["rule"] == "fx_rate_missing"
    assert f"No {source}→{target} exchange rate" in caught.value.detail and latest in caught.value.detail


def test_a_shorter_window_can_be_configured():
    with pytest.raises(ValidationFailed):
        find_rate("EUR", "USD", RATES, date(2026, 6, 12), max_age_days=3)  # 4 days old


@pytest.mark.parametrize(
    ("price", "on", "expected"),
    [
        ("17.9000", date(2026, 6, 5), "19.4215"),  # 17.90 × 1.085 = 19.42150
        ("0.0315", date(2026, 6, 8), "0.0343"),  # 0.0315 × 1.09 = 0.034335 → 0.0343
        ("0.0001", date(2026, 6, 8), "0.0001"),  # 0.000109 → 0.0001
    ],
)
def test_convert_unit_price_rounds_once_to_four_decimals(price, on, expected):
    converted, conversion = convert_unit_price(D(price), "EUR", "USD", RATES, on)
    assert str(converted) == expected and conversion is not None


def test_same_currency_needs_no_rate():
    assert convert_unit_price(D("4.5000"), "EUR", "EUR", [], date(2026, 6, 8)) == (D("4.5000"), None)


@pytest.mark.parametrize(
    ("amount", "source", "target", "on", "expected"),
    [
        ("1000.00", "EUR", "USD", date(2026, 6, 5), "1085.00"),  # 1000 × 1.085
        ("777.28", "EUR", "USD", date(2026, 6, 8), "847.24"),  # 777.28 × 1.09 = 847.2352 → 847.24
        ("100.00", "GBP", "EUR", date(2026, 6, 5), "125.00"),
        ("1000.00", "USD", "EUR", date(2026, 6, 8), "917.43"),  # 1000 / 1.09 = 917.431… (the newer inverse)
        ("12.34", "EUR", "EUR", date(2026, 6, 8), "12.34"),  # no rate needed
    ],
)
def test_convert_amount_rounds_to_the_target_currency(amount, source, target, on, expected):
    assert str(convert_amount(D(amount), source, target, RATES, on)) == expected


def test_convert_amount_without_a_rate_is_refused_not_counted_one_to_one():
    with pytest.raises(ValidationFailed, match="No EUR→JPY exchange rate"):
        convert_amount(D("100.00"), "EUR", "JPY", RATES, date(2026, 6, 8))
