"""A saved quote's lines say their delivery: the promised day (or "to be confirmed"), the day
asked for the line, and a warning when that day cannot be kept; the quote's own day is said
once, above the lines, whatever the quote's status."""

from datetime import date
from decimal import Decimal as D
from uuid import uuid4

import pytest

from client.i18n import Translator
from client.ui.quote_line_delivery import saved_delivery_words
from client.ui.quote_panels import answer_lines
from shared.models.field import Quote, QuoteLine

MON_7, TUE_8, THU_10 = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 10)


def _line(promised: date | None, wanted: date | None) -> QuoteLine:
    return QuoteLine(
        line_no=1,
        sku="P-00487",
        description="Nitrile gloves M",
        quantity=D(20),
        unit_price=D("13.10"),
        tax_rate_percent=D(21),
        unit_cost=D(9),
        promised_delivery=promised,
        requested_delivery=wanted,
    )


def _quote(line: QuoteLine, wanted: date | None, status: str = "sent") -> Quote:
    return Quote(
        id=uuid4(),
        number="AG1-2026-0001",
        version=1,
        customer_code="C00005",
        seller_login="ana",
        status=status,
        currency="EUR",
        issue_date=date(2026, 12, 4),
        valid_until=date(2026, 12, 31),
        payment_terms="NET30",
        lines=(line,),
        requested_delivery=wanted,
    )


@pytest.mark.parametrize(
    ("promised", "line_wanted", "quote_wanted", "language", "expected"),
    [
        # nothing asked: only the promised day
        (TUE_8, None, None, "en", ("Delivery by 8 Dec 2026", None, False)),
        (None, None, None, "en", ("Delivery date to be confirmed", None, False)),
        (TUE_8, None, None, "es", ("Entrega a más tardar el 8 dic 2026", None, False)),
        # the line's own day, kept: said on the line
        (TUE_8, THU_10, None, "en", ("Delivery by 8 Dec 2026", "Delivery wanted on 10 Dec 2026", False)),
        (TUE_8, THU_10, MON_7, "es", ("Entrega a más tardar el 8 dic 2026", "Entrega deseada el 10 dic 2026", False)),
        # the quote's day, kept: said once above the lines, not on each
        (TUE_8, None, THU_10, "en", ("Delivery by 8 Dec 2026", None, False)),
        # late, from the line's own day or from the quote's
        (
            THU_10,
            TUE_8,
            None,
            "en",
            ("Delivery by 10 Dec 2026", "Wanted by 8 Dec 2026: can be delivered by 10 Dec 2026", True),
        ),
        (
            THU_10,
            None,
            MON_7,
            "es",
            (
                "Entrega a más tardar el 10 dic 2026",
                "Lo pide para el 7 dic 2026: se puede entregar a más tardar el 10 dic 2026",
                True,
            ),
        ),
        # asked for, and no date can be promised
        (
            None,
            None,
            THU_10,
            "en",
            ("Delivery date to be confirmed", "Wanted by 10 Dec 2026: no date can be promised yet", True),
        ),
    ],
)
def test_a_saved_line_says_its_delivery(promised, line_wanted, quote_wanted, language, expected):
    line = _line(promised, line_wanted)
    assert saved_delivery_words(Translator(language), _quote(line, quote_wanted), line) == expected


@pytest.mark.parametrize("status", ["sent", "accepted"])
def test_the_quotes_own_day_is_said_once_above_the_lines(status):
    quote = _quote(_line(TUE_8, None), THU_10, status)
    assert answer_lines(Translator("en"), quote, None) == ["Delivery wanted on 10 Dec 2026"]


def test_a_quote_with_no_day_asked_says_none():
    assert answer_lines(Translator("en"), _quote(_line(TUE_8, None), None), None) == []
