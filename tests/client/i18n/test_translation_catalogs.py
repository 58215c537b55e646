"""The translation check (CI): every message the code names has words in every language,
none is empty or fuzzy, the placeholders agree, Spanish says tú, and locale/terreno.pot is
what `make translations` extracts from the code now."""

import re
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from client.i18n import LANGUAGES
from client.i18n.catalogs import LOCALE_DIR, PLURAL_SUFFIX, po_path

ROOT = Path(__file__).resolve().parents[3]
METHODS = [(f"{package}/**.py", "client.i18n.extract:extract_keys") for package in ("client", "shared", "sync_server")]


@cache
def extracted() -> frozenset[str]:
    """Every message key the code names, as `pybabel extract -F babel.cfg` finds them."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), METHODS):
        found.add(message if isinstance(message, str) else message[0])
    return frozenset(found)


@cache
def catalog(language: str) -> Catalog:
    with open(po_path(language), "rb") as source:
        return read_po(source, locale=language)


def _ids(found: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in found if m.id}


def _forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_extraction_finds_the_code_s_keys():
    # If the extractor stopped matching, every check below would pass on nothing.
    assert len(extracted()) > 450
    assert {"nav.today", "problem.quote.no_line", "enum.QuoteStatus.sent", "pdf.title", "email.subject"} <= extracted()
    # `Translator(language)(...)`: words in the customer's language, not the app's
    assert "quote.default_message" in extracted()


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_key_in_code_has_words_and_every_word_a_key(language):
    ids = _ids(catalog(language))
    assert sorted(extracted() - ids) == [], "keys with no words: run `make translations` and write them"
    assert sorted(ids - extracted()) == [], "words for keys no code names: run `make translations`"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_nothing_is_untranslated_or_fuzzy(language):
    found = catalog(language)
    assert not found.fuzzy
    untranslated = [m.id for m in found if m.id and not all(form.strip() for form in _forms(m))]
    fuzzy = [m.id for m in found if m.id and m.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


def _english() -> dict[str, object]:
    return {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog("en") if m.id}


@pytest.mark.parametrize("key", sorted(extracted()))
def test_each_message_keeps_the_english_placeholders_in_every_language(key):
    source = _english()[key]
    expected = set().union(*(_placeholders(form) for form in _forms(source)))
    for language in sorted(set(LANGUAGES) - {"en"}):
        message = catalog(language).get(key) or catalog(language).get((key, key + PLURAL_SUFFIX))
        found = [_placeholders(form) for form in _forms(message)]
        assert all(names <= expected for names in found), (language, found, expected)
        assert expected <= set().union(*found), (language, found, expected)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_plural_messages_have_every_form_the_language_has(language):
    found = catalog(language)
    for message in found:
        if message.id and isinstance(message.id, tuple):
            assert message.id[1] == message.id[0] + PLURAL_SUFFIX
            assert len(message.string) == found.num_plurals, message.id


USTED = re.compile(
    r"\b(usted|ustedes|vuelva a (iniciar|pedir|intentar)|inicie|introduzca|compruebe|revise|pulse|espere|seleccione|elija|indique|intente|"
    r"actualice|escriba|añada|guarde|cambie|pida|contacte|consulte|avise|quite|cree|haga|use|le adjuntamos|"
    r"su cartera|su equipo|su ámbito|ha escrito|la suya|el suyo|"
    r"(edít|guárd|revís|bórr|ábr)el[oa]s?|envíe esa|y envíe|y sincronice)\b",
    re.IGNORECASE,
)


def test_spanish_says_tu():
    formal = [(m.id, form) for m in catalog("es") if m.id for form in _forms(m) if USTED.search(form)]
    assert formal == []


# English words of the trade that a Spanish screen once showed ("Nuevo lead"); placeholders apart.
ENGLISH_IN_SPANISH = re.compile(
    r"\b(leads?|pipeline|dashboard|outbox|drafts?|quotes?|deals?|follow-ups?)\b", re.IGNORECASE
)
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def test_spanish_says_no_english_words_of_the_trade():
    english = [
        (m.id, form)
        for m in catalog("es")
        if m.id
        for form in _forms(m)
        if ENGLISH_IN_SPANISH.search(PLACEHOLDER.sub("", form))
    ]
    assert english == []


def test_the_template_is_what_the_code_names_now():
    with open(LOCALE_DIR / "terreno.pot", "rb") as source:
        template = _ids(read_po(source))
    assert template == set(extracted()), "run `make translations`"
