"""A form value a record's model refuses is said in the seller's words, naming the field."""

import pytest
from pydantic import ValidationError

from client.i18n import Translator
from client.ui.wording import describe_error, field_names
from shared.errors import ValidationFailed
from shared.invalid_input import invalid_input
from tests.client.factories import make_observation, make_opportunity, make_visit

ES, EN = Translator("es"), Translator("en")

CASES = [
    (
        lambda: make_visit(purpose="x" * 201),
        "purpose",
        "Motivo: como máximo 200 caracteres.",
        "Purpose: at most 200 characters.",
    ),
    (
        lambda: make_opportunity(probability_percent="150"),
        "probability_percent",
        "Probabilidad: como máximo 100.",
        "Probability: at most 100.",
    ),
    (
        lambda: make_observation(observed_price="doce"),
        "observed_price",
        "Precio visto: no es válido.",
        "Price seen: not valid.",
    ),
    (lambda: make_visit(outcome="teleported"), "outcome", "Resultado: no es válido.", "Outcome: not valid."),
    (lambda: make_opportunity(title=""), "title", "Título: al menos 1 caracteres.", "Title: at least 1 characters."),
]


def _refusal(build) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        build()
    return caught.value


@pytest.mark.parametrize("build, field, spanish, english", CASES)
def test_a_refused_value_is_said_in_both_languages_and_names_its_field(build, field, spanish, english):
    error = _refusal(build)
    assert describe_error(ES, error) == spanish
    assert describe_error(EN, error) == english
    failed = invalid_input(error)
    assert isinstance(failed, ValidationFailed) and failed.extra["field"] == field
    assert field in failed.detail  # the English stays for logs


def test_a_field_without_a_label_is_named_as_the_record_names_it():
    error = _refusal(lambda: make_visit(customer_code=""))
    assert describe_error(ES, error).startswith("customer_code: ")


def test_the_fields_of_a_merge_are_named_in_the_sellers_words():
    assert (
        field_names(ES, ("probability_percent", "stage", "brand_new_field")) == "Probabilidad, Etapa, brand_new_field"
    )
    assert field_names(EN, ("value",)) == "Value"
