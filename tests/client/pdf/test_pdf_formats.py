"""Locale formatting of quote figures: one table per kind, es_ES and en_GB, never rounded."""

from datetime import date
from decimal import Decimal

import pytest

from client.pdf.formats import Formats

ES = Formats("es_ES", "EUR")
EN = Formats("en_GB", "EUR")
NBSP = "\xa0"


@pytest.mark.parametrize(
    ("formats", "amount", "expected"),
    [
        (ES, "1234.56", f"1.234,56{NBSP}€"),
        (EN, "1234.56", "€1,234.56"),
        (ES, "0.5", f"0,50{NBSP}€"),
        (ES, "1234567.8", f"1.234.567,80{NBSP}€"),
        (ES, "-12.30", f"-12,30{NBSP}€"),
        (Formats("en_GB", "JPY"), "39600", "JP¥39,600"),
        (Formats("es_ES", "USD"), "10.00", f"10,00{NBSP}US$"),
    ],
)
def test_money(formats, amount, expected):
    assert formats.money(Decimal(amount)) == expected


@pytest.mark.parametrize(
    ("formats", "amount", "expected"),
    [
        (ES, "14.9000", "14,90"),  # trailing zeros of a 4-decimal price dropped to the minor unit
        (ES, "0.0375", "0,0375"),  # significant decimals beyond the minor unit kept
        (EN, "6.7250", "6.725"),
        (ES, "1020.30", "1.020,30"),
        (EN, "100", "100.00"),
        (Formats("en_GB", "JPY"), "12000", "12,000"),
        (ES, "1234567.891", "1.234.567,891"),  # never rounded away: a bad total shows as bad
    ],
)
def test_amount_without_sign(formats, amount, expected):
    assert formats.amount(Decimal(amount)) == expected


@pytest.mark.parametrize(
    ("formats", "quantity", "expected"),
    [
        (ES, "24", "24"),
        (ES, "37.500", "37,5"),
        (EN, "37.5", "37.5"),
        (ES, "1250.125", "1.250,125"),
        (EN, "1E+2", "100"),
    ],
)
def test_quantity(formats, quantity, expected):
    assert formats.quantity(Decimal(quantity)) == expected


@pytest.mark.parametrize(
    ("formats", "percent", "expected"),
    [
        (ES, "21", f"21{NBSP}%"),
        (EN, "21", "21%"),
        (ES, "7.5", f"7,5{NBSP}%"),
        (EN, "12.50", "12.5%"),
        (EN, "0.25", "0.25%"),
    ],
)
def test_percent(formats, percent, expected):
    assert formats.percent(Decimal(percent)) == expected


@pytest.mark.parametrize(("formats", "expected"), [(ES, "3 dic 2026"), (EN, "3 Dec 2026")])
def test_date(formats, expected):
    assert formats.date(date(2026, 12, 3)) == expected
