"""Who pays tax, at which rate, and the tax per rate."""

from decimal import Decimal

import pytest

from shared.models import TaxClass
from shared.rules.taxes import exemption_reason, is_tax_exempt, tax_groups, tax_rate

D = Decimal


@pytest.mark.parametrize(
    ("customer_country", "company_country", "exempt", "reason_starts"),
    [
        ("ES", "ES", False, ""),  # domestic: the tax class rate
        ("PT", "ES", True, "Intra-community supply"),  # EU member: reverse charge
        ("FR", "ES", True, "Intra-community supply"),
        ("GB", "ES", True, "Export outside the EU"),  # not EU since 2021
        ("MX", "ES", True, "Export outside the EU"),
        ("ES", "PT", True, "Intra-community supply"),  # the rule is symmetric in the company country
    ],
)
def test_exemption_follows_customer_and_company_country(customer_country, company_country, exempt, reason_starts):
    assert is_tax_exempt(customer_country, company_country) is exempt
    assert exemption_reason(customer_country, company_country).startswith(reason_starts)
    assert (exemption_reason(customer_country, company_country) == "") is (not exempt)


CLASSES = {
    c.code: c
    for c in [
        TaxClass(code="IVA21", name="IVA general", rate_percent="21"),
        TaxClass(code="IVA10", name="IVA reducido", rate_percent="10"),
        TaxClass(code="IVA4", name="IVA superreducido", rate_percent="4"),
        TaxClass(code="EXENTO", name="Exento", rate_percent="0"),
    ]
}


@pytest.mark.parametrize(
    ("code", "exempt", "rate"),
    [
        ("IVA21", False, "21"),
        ("IVA10", False, "10"),
        ("IVA4", False, "4"),
        ("EXENTO", False, "0"),
        ("IVA21", True, "0"),
    ],
)
def test_tax_rate_of_a_class(code, exempt, rate):
    assert tax_rate(code, CLASSES, exempt) == D(rate)


def test_unknown_tax_class_is_an_error():
    with pytest.raises(KeyError, match="IVA7"):
        tax_rate("IVA7", CLASSES)


def test_equal_rates_written_differently_are_one_group():
    groups = tax_groups([(D("21"), D("10.00")), (D("21.00"), D("5.05")), (D("4"), D("1.00"))], "EUR")
    # 15.05 × 0.21 = 3.1605 → 3.16; 1.00 × 0.04 = 0.04
    assert [(g.rate_percent, g.base, g.tax) for g in groups] == [
        (D(21), D("15.05"), D("3.16")),
        (D(4), D("1.00"), D("0.04")),
    ]
