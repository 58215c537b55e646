"""Prospects: device-made codes, the prospect read as a customer, prepaid terms only."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from shared.errors import ValidationFailed
from shared.models.prospect import Prospect
from shared.rules.prospects import (
    PROSPECT_SEGMENT,
    check_prospect_code,
    check_prospect_terms,
    format_prospect_code,
    is_prospect_code,
    next_prospect_code,
    parse_prospect_code,
    prospect_credit,
    prospect_customer,
)


@pytest.mark.parametrize(
    ("prefix", "counter", "code"),
    [
        ("JGM1", 1, "P-JGM1-00001"),
        ("JGM1", 42, "P-JGM1-00042"),
        ("AB12", 123456, "P-AB12-123456"),
        ("Q3", 9, "P-Q3-00009"),
    ],
)
def test_codes_carry_the_device_prefix(prefix, counter, code):
    assert format_prospect_code(prefix, counter) == code
    assert parse_prospect_code(code) == (prefix, counter)


@pytest.mark.parametrize(
    "code", ["C-00042", "P-JGM1-42", "P--00001", "P-jgm1-00001", "PJGM100001", "P-TOOLONGPX-00001", ""]
)
def test_what_is_not_a_prospect_code(code):
    assert parse_prospect_code(code) is None
    assert not is_prospect_code(code)


@pytest.mark.parametrize(
    ("prefix", "codes", "expected"),
    [
        ("JGM1", [], "P-JGM1-00001"),
        ("JGM1", ["P-JGM1-00001", "P-JGM1-00003"], "P-JGM1-00004"),
        # Another device's codes (JGM2: the same seller's second tablet) never count.
        ("JGM1", ["P-JGM2-00009", "C-00100"], "P-JGM1-00001"),
        ("JGM2", ["P-JGM1-00001", "P-JGM2-00009"], "P-JGM2-00010"),
        ("JGM1", ["P-JGM1-99999"], "P-JGM1-100000"),
    ],
)
def test_next_code_is_the_devices_own(prefix, codes, expected):
    assert next_prospect_code(prefix, codes) == expected


def test_a_counter_starts_at_one():
    with pytest.raises(ValidationFailed) as refused:
        format_prospect_code("JGM1", 0)
    assert refused.value.key == "problem.prospect.bad_counter"


@pytest.mark.parametrize(
    ("code", "prefix", "ok"),
    [("P-JGM1-00001", "JGM1", True), ("P-JGM2-00001", "JGM1", False), ("C-00001", "JGM1", False)],
)
def test_a_code_must_be_of_the_devices_prefix(code, prefix, ok):
    if ok:
        check_prospect_code(code, prefix)
    else:
        with pytest.raises(ValidationFailed) as refused:
            check_prospect_code(code, prefix)
        assert refused.value.key == "problem.prospect.bad_code"


def _prospect(**changes) -> Prospect:
    data = {
        "code": "P-JGM1-00001",
        "seller_login": "ana.garcia",
        "name": "Talleres Ruiz",
        "country": "PT",
        "currency": "EUR",
        "created_at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    }
    return Prospect.model_validate({**data, **changes})


def test_a_prospect_is_quoted_as_a_customer_without_credit():
    prospect = _prospect(tax_id="", city="Braga", email="compras@ruiz.example")
    customer = prospect_customer(prospect, "PREPAID")
    assert (customer.code, customer.legal_name, customer.seller_login) == (
        "P-JGM1-00001",
        "Talleres Ruiz",
        "ana.garcia",
    )
    assert (customer.segment, customer.payment_terms, customer.currency) == (PROSPECT_SEGMENT, "PREPAID", "EUR")
    assert (customer.country, customer.city, customer.tax_id) == ("PT", "Braga", "-")
    credit = prospect_credit(prospect)
    assert credit.prepayment_required and not credit.blocked
    assert (credit.credit_limit, credit.open_balance, credit.overdue_amount) == (Decimal(0), Decimal(0), Decimal(0))


@pytest.mark.parametrize(
    ("terms", "prepaid", "ok"),
    [("PREPAID", "PREPAID", True), ("NET30", "PREPAID", False), ("NET60", "PREPAID", False), ("CASH", "CASH", True)],
)
def test_a_prospect_pays_in_advance_only(terms, prepaid, ok):
    if ok:
        check_prospect_terms(terms, prepaid)
    else:
        with pytest.raises(ValidationFailed) as refused:
            check_prospect_terms(terms, prepaid)
        assert refused.value.key == "problem.prospect.prepaid_only"
        assert refused.value.params == {"terms": terms, "prepaid": prepaid}


@pytest.mark.parametrize(("given", "stored"), [("ES", "ES"), ("pt", "PT"), (" de ", "DE")])
def test_country_is_iso_3166(given, stored):
    assert _prospect(country=given).country == stored


@pytest.mark.parametrize("given", ["XX", "EU", "ESP", "", "001"])
def test_what_is_not_a_country(given):
    with pytest.raises(ValidationError):
        _prospect(country=given)
