"""Every message key the rules, services and server name has words in both languages, and
the values each call site gives are the placeholders its words use (see shared.messages)."""

import string

import pytest

from client.i18n.translator import CATALOGS
from tests.client.i18n.message_keys import PREFIXES, key_uses

USES = key_uses()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scan_finds_the_keys():
    # If the pattern stopped matching, every test below would pass on nothing.
    assert len({u.key for u in USES}) > 100
    assert {"problem.quote.no_line", "rule.discount_above_band", "credit_reason.over_limit"} <= {u.key for u in USES}


@pytest.mark.parametrize("language", sorted(CATALOGS))
def test_every_key_in_code_has_words(language):
    missing = sorted({f"{u.key} ({u.where})" for u in USES if u.key not in CATALOGS[language]})
    assert missing == []


@pytest.mark.parametrize("use", [u for u in USES if u.params is not None], ids=lambda u: f"{u.key}@{u.where}")
def test_call_sites_give_the_values_the_words_use(use):
    for language, messages in CATALOGS.items():
        wanted = _placeholders(messages[use.key])
        if use.exact:
            assert set(use.params) == wanted, language
        else:  # a dict with **more: the literal part must at least be used
            assert set(use.params) <= wanted, language


def test_every_catalog_message_is_named_in_code():
    named = {u.key for u in USES}
    unused = sorted(k for k in CATALOGS["en"] if k.startswith(PREFIXES) and k not in named)
    assert unused == []
