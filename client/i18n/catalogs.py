"""The gettext catalogs (`locale/<language>/LC_MESSAGES/terreno.po`), loaded for the app.

One translation path for every word a person reads — screens, the quote PDF, the e-mail,
sync messages, the server's refusals — managed with Babel (`make translations`: extract,
update, compile; docs/translations.md). Message ids are stable keys (`quote.send`,
`problem.quote.no_line`); each language's catalog gives the words, with `{placeholders}`
and real plural forms (`key` / `key.plural`, as many forms as the language has).

A compiled `.mo` is used when it is newer than its `.po`; otherwise (a fresh checkout, a
catalog just edited) the `.po` is compiled in memory with Babel, so the app never shows
stale words and needs no build step to run.
"""

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
DOMAIN = "terreno"
PLURAL_SUFFIX = ".plural"
"""A plural message's msgid_plural is its key with this suffix."""


def po_path(language: str) -> Path:
    """The catalog a translator edits for `language`."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalog of `language` (read once per process)."""
    po = po_path(language)
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with open(mo, "rb") as compiled:
            return gettext.GNUTranslations(compiled)
    with open(po, "rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def messages(language: str) -> dict[str, str]:
    """Every message of `language`: key → its words (a plural message: its singular form)."""
    found: dict[str, str] = {}
    for msgid, text in translations(language)._catalog.items():  # type: ignore[attr-defined]
        if isinstance(msgid, tuple):  # (key, plural form index)
            if msgid[1] == 0:
                found[msgid[0]] = text
        elif msgid:
            found[msgid] = text
    return found


__all__ = ["DOMAIN", "LOCALE_DIR", "PLURAL_SUFFIX", "messages", "po_path", "translations"]
