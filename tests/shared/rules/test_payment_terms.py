"""Payment terms codes in words: the codes Terreno knows, in both languages; any other code
is the company's own and stays as it is."""

import pytest

from client.i18n import Translator
from client.i18n.messages import words
from shared.rules.payment_terms import payment_terms_words


@pytest.mark.parametrize(
    ("code", "en", "es"),
    [
        ("NET30", "Payment within 30 days", "Pago a 30 días"),
        ("net 60", "Payment within 60 days", "Pago a 60 días"),
        ("NET-90", "Payment within 90 days", "Pago a 90 días"),
        ("NET1", "Payment within 1 day", "Pago a 1 día"),
        ("NET0", "Payment on receipt of the invoice", "Pago al recibir la factura"),
        ("PREPAID", "Payment in advance", "Pago por adelantado"),
        ("prepayment", "Payment in advance", "Pago por adelantado"),
        ("PREPAY", "Payment in advance", "Pago por adelantado"),
        ("COD", "Cash on delivery", "Pago contra entrega"),
        ("EOM60", "EOM60", "EOM60"),  # the company's own code: shown as it is
        ("NET1000", "NET1000", "NET1000"),  # not a number of days Terreno words
        ("  ", "", ""),
    ],
)
def test_terms_in_words(code, en, es):
    said = payment_terms_words(code)
    assert (words(Translator("en"), said), words(Translator("es"), said)) == (en, es)
