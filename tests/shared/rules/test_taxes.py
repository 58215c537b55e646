"""Who pays tax, at which rate, and the tax per rate."""

from decimal import Decimal

import pytest

from shared.models import TaxClass, TaxRegime
from shared.rules.taxes import customer_regime, has_vat_number, is_taxed, tax_groups, tax_rate

D = Decimal


R = TaxRegime


@pytest.mark.parametrize(
    ("customer_country", "tax_id", "company_country", "explicit", "regime"),
    [
        ("ES", "B12345678", "ES", None, R.DOMESTIC),  # same country: the tax class rate
        ("PT", "PT501234567", "ES", None, R.INTRA_EU),  # EU member, VAT-registered: reverse charge
        ("PT", "pt 501.234.567", "ES", None, R.INTRA_EU),  # written with spaces and dots
        ("PT", "501234567", "ES", None, R.DOMESTIC),  # no VAT number of its state: the issuer's VAT
        ("FR", "DE123456789", "ES", None, R.DOMESTIC),  # another state's prefix is not its VAT number
        ("GR", "EL123456789", "ES", None, R.INTRA_EU),  # Greece's VAT prefix is EL
        ("GB", "GB123456789", "ES", None, R.EXPORT),  # not EU since 2021
        ("MX", "ABC010101AB1", "ES", None, R.EXPORT),
        ("RE", "FR12345678901", "ES", None, R.EXEMPT_TERRITORY),  # Réunion: France, outside the VAT area
        ("AX", "FI12345678", "PL", None, R.EXEMPT_TERRITORY),  # Åland
        ("ES", "B12345678", "ES", R.EXEMPT_TERRITORY, R.EXEMPT_TERRITORY),  # the Canary Islands, set by the ERP
        ("PT", "PT501234567", "ES", R.DOMESTIC, R.DOMESTIC),  # the ERP's regime wins
        ("ES", "ESB12345678", "PL", None, R.INTRA_EU),  # the rule follows the issuer's country
        ("PL", "5261040828", "PL", None, R.DOMESTIC),
        ("DE", "DE123456789", "GB", None, R.EXPORT),  # an issuer outside the EU exports to it
        ("GB", "GB123456789", "GB", None, R.DOMESTIC),
        ("RE", "FR12345678901", "GB", None, R.EXPORT),
        ("PT", "PT501234567", None, None, R.DOMESTIC),  # issuer unknown (no profile yet): taxed
    ],
)
def test_the_regime_follows_countries_tax_id_and_the_erp(customer_country, tax_id, company_country, explicit, regime):
    assert customer_regime(customer_country, tax_id, company_country, explicit) == regime
    assert is_taxed(regime) is (regime == R.DOMESTIC)


@pytest.mark.parametrize(
    ("tax_id", "country", "expected"),
    [
        ("PT501234567", "PT", True),
        ("PT", "PT", False),
        ("PT5", "PT", False),
        ("PT50-12", "PT", True),
        ("US123", "US", False),
    ],
)
def test_a_vat_number_carries_its_states_prefix(tax_id, country, expected):
    assert has_vat_number(tax_id, country) is expected


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
