"""Country and currency codes against ISO 3166-1 and ISO 4217, with the code a mistake meant."""

import pytest
from pydantic import BaseModel, ValidationError

from shared.countries import country_problem, currency_hint, is_country, is_iso_currency, suggest_country
from shared.models.types import CountryCode, Currency


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("UK", "GB"),
        ("SP", "ES"),
        ("EL", "GR"),
        ("ESP", "ES"),
        ("POL", "PL"),
        ("es", "ES"),
        ("Spain", "ES"),
        ("España", "ES"),
        ("espana", "ES"),
        ("Polska", "PL"),
        ("United Kingdom", "GB"),
        ("Deutschland", "DE"),
        ("Portugal", "PT"),
        ("XX", None),
        ("Narnia", None),
        ("", None),
    ],
)
def test_a_usual_mistake_suggests_the_code_meant(value, suggestion):
    assert suggest_country(value) == suggestion
    problem = country_problem(value)
    assert problem is not None and problem.startswith("must be an ISO 3166-1 alpha-2 country code such as ES")
    assert problem.endswith(f"; did you mean {suggestion!r}?") if suggestion else "did you mean" not in problem


@pytest.mark.parametrize("code", ["ES", "GB", "PL", "PT", "MX", "RE", "AX"])
def test_iso_codes_pass(code):
    assert is_country(code) and country_problem(code) is None


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("€", "; did you mean 'EUR'?"),
        ("EURO", "; did you mean 'EUR'?"),
        ("zł", "; did you mean 'PLN'?"),
        ("Zloty", "; did you mean 'PLN'?"),
        ("£", "; did you mean 'GBP'?"),
        ("Pound Sterling", "; did you mean 'GBP'?"),
        ("ESP", ""),  # the peseta is no ISO 4217 currency any more, and nothing is guessed
        ("PLN", ""),
    ],
)
def test_currency_mistakes_get_a_hint(value, hint):
    assert currency_hint(value) == hint


def test_models_refuse_and_explain():
    class Row(BaseModel):
        country: CountryCode
        currency: Currency

    assert Row(country="PL", currency="pln").currency == "PLN"
    with pytest.raises(ValidationError) as refused:
        Row(country="UK", currency="PLZ")
    messages = [e["msg"] for e in refused.value.errors()]
    assert messages[0].endswith("did you mean 'GB'?") and messages[1].endswith("is not an ISO 4217 currency code")
    assert is_iso_currency("EUR") and not is_iso_currency("ESP")
