"""Both languages are complete: same keys, same placeholders, every key the views use exists."""

import re
import string
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from client.i18n import LANGUAGES, Translator
from client.i18n.translator import CATALOGS
from client.services.credit_chip import CreditChip
from client.ui.frame import DESTINATIONS
from shared.models import ClaimKind, LostReason, OpportunityStage, Presence, VisitOutcome
from shared.models.enums import ApprovalDecisionKind, DeliveryStatus, QuoteStatus
from shared.protocol import MutationName

UI = Path(__file__).resolve().parents[3] / "client" / "ui"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
MESSAGE_KEY = re.compile(r"""message_key\s*=\s*["']([a-z_]+\.[a-z_.]+)["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_the_same_keys():
    english = set(CATALOGS["en"])
    for language, messages in CATALOGS.items():
        assert set(messages) == english, (language, sorted(set(messages) ^ english))


@pytest.mark.parametrize("key", sorted(CATALOGS["en"]))
def test_translations_keep_the_placeholders(key):
    expected = _placeholders(CATALOGS["en"][key])
    for language, messages in CATALOGS.items():
        assert messages[key].strip(), (language, key)
        assert _placeholders(messages[key]) == expected, (language, key)


def test_every_key_a_view_names_exists():
    used = set()
    for path in UI.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(LITERAL_KEY.findall(source)) | set(MESSAGE_KEY.findall(source))
    used |= {d.label_key for d in DESTINATIONS}
    assert len(used) > 100  # the pattern still finds the views' keys
    assert sorted(used - set(CATALOGS["en"])) == []


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


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_mutation_has_a_name_for_the_seller(language):
    for name in MutationName:
        assert f"mutation.{name.value}" in CATALOGS[language]


@pytest.mark.parametrize("prefix", ["timeline.", "today.alert."])
def test_dynamic_keys_exist(prefix):
    from client.services.today import AlertKind
    from client.ui.customer_view import TIMELINE_ICONS

    kinds = TIMELINE_ICONS if prefix == "timeline." else [k.value for k in AlertKind]
    assert [k for k in kinds if prefix + k not in CATALOGS["en"]] == []


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
    ],
)
def test_a_bad_number_is_said_in_words(language, typed, words):
    with pytest.raises(ValueError, match=words):
        Translator(language).parse_decimal(typed, "Value")


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        Translator("fr")
