"""An availability promise in the seller's (or the document's) words, English and Spanish."""

import pytest

from client.i18n import Translator
from client.i18n.messages import describe_promise, describe_stored_promise
from shared.rules.availability import describe, describe_for_customer
from tests.shared.rules.test_availability import promise  # the rule table's stock, lots and products


@pytest.mark.parametrize(
    ("sku", "qty", "en", "es"),
    [
        ("A", "10", "In stock (MAD)", "En stock (MAD)"),
        ("B", "40", "In stock in VLC (60 available)", "En stock en VLC (60 disponibles)"),
        ("C", "40", "From 1 Jul 2026", "A partir del 1 jul 2026"),
        ("C", "60", "50 from 1 Jul 2026; 10 short", "50 a partir del 1 jul 2026; faltan 10"),
        ("D", "30", "12.5 now (MAD), 17.5 from 3 Dec 2026", "12,5 ahora (MAD), 17,5 a partir del 3 dic 2026"),
        ("A", "76", "75 now (MAD); 1 short", "75 ahora (MAD); falta 1"),
        ("G", "1", "Not available", "Sin disponibilidad"),
        (
            "E",
            "5",
            "Out of stock; substitutes: S2 (8 in MAD), S1 (10 in BCN), F2 (300 in BCN)",
            "Sin stock; sustitutos: S2 (8 en MAD), S1 (10 en BCN), F2 (300 en BCN)",
        ),
    ],
)
def test_a_promise_in_english_and_spanish(sku, qty, en, es):
    wording = describe(promise(sku, qty))
    assert (describe_promise(Translator("en"), wording), describe_promise(Translator("es"), wording)) == (en, es)


@pytest.mark.parametrize(
    ("sku", "qty", "en", "es"),
    [
        ("A", "10", "In stock", "En stock"),
        ("B", "40", "In stock", "En stock"),  # never which warehouse nor how much is left
        ("C", "40", "Available from 1 Jul 2026", "Disponible a partir del 1 jul 2026"),
        ("C", "60", "50 from 1 Jul 2026; 10 to be confirmed", "50 a partir del 1 jul 2026; 10 por confirmar"),
        ("D", "30", "12.5 in stock, 17.5 from 3 Dec 2026", "12,5 en stock, 17,5 a partir del 3 dic 2026"),
        ("A", "76", "75 in stock; 1 to be confirmed", "75 en stock; 1 por confirmar"),
        ("G", "1", "Availability to be confirmed", "Disponibilidad por confirmar"),
        ("E", "5", "Availability to be confirmed", "Disponibilidad por confirmar"),  # no substitute codes
    ],
)
def test_what_the_customer_reads_in_english_and_spanish(sku, qty, en, es):
    wording = describe_for_customer(promise(sku, qty))
    assert (describe_promise(Translator("en"), wording), describe_promise(Translator("es"), wording)) == (en, es)


def test_a_kept_promise_is_said_in_the_readers_language_and_an_old_line_keeps_its_words():
    kept = describe(promise("A", "10")).to_data()
    assert describe_stored_promise(Translator("es"), kept, "In stock (MAD)") == "En stock (MAD)"
    assert describe_stored_promise(Translator("es"), None, "In stock (MAD)") == "In stock (MAD)"
