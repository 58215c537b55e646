"""The catalogs in use: enum labels, the key families the code makes, locale formats.

(Completeness, placeholders, plurals and the Spanish register: test_translation_catalogs.py.)"""

from datetime import date
from decimal import Decimal

import pytest

from client.i18n import LANGUAGES, Translator
from client.i18n.families import ALERT_KINDS, TIMELINE_KINDS
from client.i18n.messages import render
from client.services.credit_chip import CreditChip
from shared.models import ClaimKind, LostReason, OpportunityStage, Presence, VisitOutcome
from shared.models.enums import ApprovalDecisionKind, DeliveryStatus, QuoteStatus
from shared.rules.units import check_quantity

ENUMS = [
    CreditChip,
    OpportunityStage,
    VisitOutcome,
    Presence,
    ClaimKind,
    LostReason,
    QuoteStatus,
    ApprovalDecisionKind,
    DeliveryStatus,
]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_enum_value_has_words(language, enum):
    t = Translator(language)
    for value in enum:
        assert t.label(value) != f"enum.{enum.__name__}.{value.value}"


def test_the_declared_key_families_are_what_the_code_makes():
    from client.services.today import AlertKind
    from client.ui.customer_view import TIMELINE_ICONS

    assert set(TIMELINE_KINDS) == set(TIMELINE_ICONS)
    assert set(ALERT_KINDS) == {k.value for k in AlertKind}


@pytest.mark.parametrize(
    ("language", "money", "number", "day"),
    [("en", "€1,234.50", "12,345.68", "1 Mar 2026"), ("es", "1.234,50\u00a0€", "12.345,68", "1 mar 2026")],
)
def test_numbers_money_and_dates_follow_the_locale(language, money, number, day):
    t = Translator(language)
    assert t.money(Decimal("1234.5"), "EUR") == money
    assert t.number(Decimal("12345.678"), 2) == number
    assert t.date(date(2026, 3, 1)) == day


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("en", "1,234.50", Decimal("1234.50")),
        ("es", "1.234,50", Decimal("1234.50")),
        ("es", "12,5", Decimal("12.5")),
        ("en", "€ 99", Decimal("99")),
        ("es", "10", Decimal("10")),
        # Typed the other language's way, where it can mean nothing else:
        ("es", "21.90", Decimal("21.90")),
        ("en", "21,90", Decimal("21.90")),
        ("es", "1,234.50", Decimal("1234.50")),
        ("en", "1.234,50", Decimal("1234.50")),
        ("es", ".5", Decimal("0.5")),
        # One separator before three digits is this locale's reading, never the other's:
        ("es", "1.234", Decimal("1234")),
        ("en", "1.234", Decimal("1.234")),
        ("es", "1,234", Decimal("1.234")),
        ("en", "1,234", Decimal("1234")),
    ],
)
def test_typed_numbers_are_read_in_the_locale(language, typed, expected):
    assert Translator(language).parse_decimal(typed, "Value") == expected


@pytest.mark.parametrize(
    ("language", "typed", "words"),
    [
        ("en", "", "enter a number for Value"),
        ("en", "ten", "“ten” is not a number"),
        ("es", "diez", "«diez» no es un número"),
        ("es", "1.2.3", "«1.2.3» no es un número"),
    ],
)
def test_a_bad_number_is_said_in_words(language, typed, words):
    with pytest.raises(ValueError, match=words):
        Translator(language).parse_decimal(typed, "Value")


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("es", "05/12/2026", date(2026, 12, 5)),  # day first, as written in Spain
        ("en", "05/12/2026", date(2026, 12, 5)),  # en_GB: day first too, never May 12
        ("es", "5/1/2027", date(2027, 1, 5)),
        ("en", "2027-01-05", date(2027, 1, 5)),  # ISO is read in either language
        ("es", " 31/12/2026 ", date(2026, 12, 31)),
    ],
)
def test_typed_days_are_read_in_the_locale(language, typed, expected):
    t = Translator(language)
    assert t.parse_day(typed, "Day") == expected
    assert t.parse_day(t.day_entry(expected), "Day") == expected  # what the app writes, it reads back


@pytest.mark.parametrize(
    ("language", "typed", "words"),
    [
        ("en", "31/02/2026", "Day: “31/02/2026” is not a date; write it like 31/12/2026"),
        ("es", "mañana", "Día: «mañana» no es una fecha; escríbela como 31/12/2026"),
        ("es", "", "«» no es una fecha"),
    ],
)
def test_a_bad_day_is_said_in_words(language, typed, words):
    with pytest.raises(ValueError, match=words):
        Translator(language).parse_day(typed, "Día" if language == "es" else "Day")


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        Translator("fr")


@pytest.mark.parametrize(
    ("language", "code", "written"),
    [
        ("es", "EA", "ud."),
        ("es", "BOX", "cj."),
        ("es", "KG", "kg"),
        ("en", "EA", "ea"),
        ("en", "BOX", "box"),
        ("es", "PAL", "palé"),
        ("en", "UN", "pc"),
        ("es", "un", "ud."),  # as an ERP may write it
        ("en", "DRUM", "drum"),  # an ERP's own code: lower case, as an abbreviation reads
        ("en", "", ""),
    ],
)
def test_a_unit_of_measure_is_written_in_the_language(language, code, written):
    assert Translator(language).unit(code) == written


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [("en", "industria", "Industry"), ("es", "reventa", "Reventa"), ("es", "naval", "naval"), ("en", "", "")],
)
def test_segments_are_named_and_an_unknown_code_is_shown_as_the_erp_wrote_it(language, code, name):
    assert Translator(language).segment(code) == name


@pytest.mark.parametrize(
    ("language", "unit", "said"),
    [
        ("en", "BOX", "P1 is sold in multiples of 10 box"),
        ("es", "BOX", "P1 se vende en múltiplos de 10 cj."),
        ("es", "UN", "P1 se vende en múltiplos de 10 ud."),
        ("en", "DRUM", "P1 is sold in multiples of 10 drum"),
    ],
)
def test_unit_rule_messages_name_the_unit_in_the_readers_words(language, unit, said):
    found = check_quantity("P1", Decimal(25), unit, multiple=Decimal(10))
    assert found is not None
    text = render(Translator(language), found.key, {**found.params, "line": 1})
    assert said in text and f" {unit} " not in text
