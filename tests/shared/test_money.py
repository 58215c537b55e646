"""The one rounding rule and decimal parsing, as hand-computed tables."""

from decimal import Decimal

import pytest

from shared.money import is_currency, minor_units, parse_decimal, parse_decimal_places, round_money, round_unit_price


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "EUR", "2.35"),  # half up, not banker's (2.34)
        ("2.335", "EUR", "2.34"),  # banker's would give 2.34 too; the next row tells them apart
        ("2.325", "EUR", "2.33"),  # banker's would give 2.32
        ("-2.345", "EUR", "-2.35"),  # half away from zero for credit notes
        ("2.344999", "EUR", "2.34"),
        ("0.005", "EUR", "0.01"),
        ("0.004", "EUR", "0.00"),
        ("1234.5", "JPY", "1235"),  # yen has no minor unit
        ("1.2345", "KWD", "1.235"),  # dinar has three
        ("10", "EUR", "10.00"),
    ],
)
def test_round_money(amount, currency, expected):
    assert round_money(Decimal(amount), currency) == Decimal(expected)
    assert str(round_money(Decimal(amount), currency)) == expected


@pytest.mark.parametrize(
    ("price", "expected"),
    [("1.23455", "1.2346"), ("1.23454", "1.2345"), ("0.00005", "0.0001"), ("7", "7.0000")],
)
def test_round_unit_price_keeps_four_decimals(price, expected):
    assert str(round_unit_price(Decimal(price))) == expected


@pytest.mark.parametrize(("currency", "places"), [("EUR", 2), ("USD", 2), ("JPY", 0), ("KWD", 3), ("MXN", 2)])
def test_minor_units(currency, places):
    assert minor_units(currency) == places


@pytest.mark.parametrize(
    ("code", "valid"), [("EUR", True), ("USD", True), ("eur", False), ("EURO", False), ("XYZ", False), ("", False)]
)
def test_is_currency(code, valid):
    assert is_currency(code) is valid


@pytest.mark.parametrize("text", ["12.50", " 3 ", "-0.0001", "+7", "1000000"])
def test_parse_decimal_accepts_plain_numbers(text):
    assert parse_decimal(text) == Decimal(text.strip())


@pytest.mark.parametrize("text", ["12,50", "1.000,00", "1e3", "NaN", "Infinity", "", "12 EUR", "1,000.00", "--1"])
def test_parse_decimal_refuses_everything_else(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("12.50", 2),
        (" 3 ", 0),
        ("-0.0001", 4),
        ("+7", 0),
        ("5.", 0),
        (".5", 1),
        ("-12.34000", 5),
        ("0.000000000001", 12),
        ("1000000", 0),
        ("  +1.5\t", 1),
    ],
)
def test_the_decimals_written_are_the_decimals_exponent(text, places):
    number, decimals = parse_decimal_places(text)
    assert number == parse_decimal(text)
    assert decimals == places == -number.as_tuple().exponent
