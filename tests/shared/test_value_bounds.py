"""Every value that may reach the change log is finite and bounded (shared/models/types.py)."""

from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from shared.models.field import Location
from shared.models.types import (
    Amount,
    Code,
    Day,
    LongText,
    Name,
    NonNegativeAmount,
    Quantity,
    Rate,
    UnitPrice,
    UtcDateTime,
    check_text,
)


def _model(kind):
    class One(BaseModel):
        value: kind

    return One


@pytest.mark.parametrize(
    "kind, value, ok",
    [
        (Amount, "999999999999.9999", True),
        (Amount, "-999999999999.9999", True),
        (Amount, "1000000000000", False),
        (Amount, "-1000000000000", False),
        (Amount, "1" + "0" * 40, False),
        (UnitPrice, "999999999999", True),
        (UnitPrice, "1000000000000", False),
        (Quantity, "999999999.999", True),
        (Quantity, "1000000000", False),
        (Quantity, "1e30", False),  # an exponent is not a plain decimal either
        (Rate, "999999.9999999999", True),
        (Rate, "1000000", False),
        (Day, "1900-01-01", True),
        (Day, "2200-12-31", True),
        (Day, "1899-12-31", False),
        (Day, "2201-01-01", False),
        (Day, "0001-01-01", False),
        (UtcDateTime, "1900-01-01T00:00:00+00:00", True),
        (UtcDateTime, "2200-12-31T23:59:59+00:00", True),
        (UtcDateTime, "1900-01-01T00:30:00+01:00", False),  # 1899-12-31 23:30 in UTC
        (UtcDateTime, "2200-12-31T23:00:00-02:00", False),  # 2201-01-01 01:00 in UTC
        (UtcDateTime, "0001-01-01T00:00:00+14:00", False),  # converting it to UTC overflows
        (UtcDateTime, "9999-12-31T23:59:59-14:00", False),
        (UtcDateTime, "2026-06-01T10:00:00", False),  # no zone
        (LongText, "línea\tuno\r\nlínea dos", True),
        (LongText, "\u202eRTL override reads other than stored", False),
        (LongText, "isolate \u2066x\u2069", False),
        (LongText, "\u200fRTL marks are text", True),
        (LongText, "مرحبا عربي", True),
        (LongText, "a\x00b", False),
        (LongText, "bell\x07", False),
        (LongText, "escape\x1b[31m", False),
        (LongText, "del\x7f", False),
        (Name, "Ferretería Peñalara", True),
        (Name, "Ferre\x00", False),
        (Code, "P-00487", True),
        (Code, "P\x01", False),
    ],
)
def test_bounds_of_each_kind_of_value(kind, value, ok):
    model = _model(kind)
    if ok:
        model(value=value)
    else:
        with pytest.raises(ValidationError):
            model(value=value)


@pytest.mark.parametrize(
    "field, value, ok",
    [
        ("latitude", -0.0, True),
        ("latitude", 90.0, True),
        ("latitude", float("nan"), False),
        ("longitude", float("inf"), False),
        ("accuracy_m", 1e-320, True),
        ("accuracy_m", 1_000_000.0, True),
        ("accuracy_m", 1e40, False),
        ("accuracy_m", float("inf"), False),
        ("accuracy_m", float("nan"), False),
    ],
)
def test_a_location_is_finite_and_bounded(field, value, ok):
    values = {"latitude": 40.4, "longitude": -3.7, field: value}
    if ok:
        Location(**values)
    else:
        with pytest.raises(ValidationError):
            Location(**values)


def test_the_text_check_names_the_character_and_where_it_is():
    with pytest.raises(ValueError, match="U\\+0000 at position 2"):
        check_text("ab\x00")
    assert check_text("ok\n") == "ok\n"


def test_a_decimal_bound_says_the_limit():
    with pytest.raises(ValidationError, match="1,000,000,000"):
        _model(Quantity)(value=Decimal("1000000000"))


@pytest.mark.parametrize(
    "kind, value, problem",
    [
        (Amount, "12.3456", None),
        (Amount, Decimal("-12.3456"), None),
        (Amount, 7, None),
        (Amount, Decimal("1E+3"), None),
        (Amount, "12.34567", "has more than 4 decimals"),
        (Amount, Decimal("12.34567"), "has more than 4 decimals"),
        (Amount, "12.34560", "has more than 4 decimals"),  # the decimals written count
        (Amount, "1000000000000.00001", "has more than 4 decimals"),  # decimals are checked first
        (Amount, 10**12, "must lie between -1,000,000,000,000 and 1,000,000,000,000"),
        (Amount, 1.5, "must be given as a decimal string, not a float"),
        (Amount, True, "must be given as a decimal string, not a float"),
        (Amount, Decimal("NaN"), "must be a finite number"),
        (Amount, "1,5", "not a plain decimal number: '1,5'"),
        (Amount, None, "not a decimal number: None"),
        (NonNegativeAmount, "-0.01", "must not be negative"),
        (NonNegativeAmount, "-1000000000000", "must lie between"),  # the bound before the sign
        (UnitPrice, "1.123456", "has more than 4 decimals"),
        (Quantity, "2.5", None),
        (Quantity, "2.5001", "has more than 3 decimals"),
        (Quantity, "-1", "must not be negative"),
        (Quantity, " 3 ", None),
    ],
)
def test_a_decimal_kind_checks_its_decimals_then_its_bounds_then_its_sign(kind, value, problem):
    model = _model(kind)
    if problem is None:
        assert model(value=value).value == Decimal(str(value).strip())
    else:
        with pytest.raises(ValidationError) as caught:
            model(value=value)
        assert problem in str(caught.value)
