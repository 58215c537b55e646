"""An availability promise in the seller's (or the document's) words, English and Spanish."""

import pytest

from client.i18n import Translator
from client.i18n.messages import describe_promise
from shared.rules.availability import describe
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
