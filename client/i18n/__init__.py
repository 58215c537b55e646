"""Spanish and English for every word a person reads, and numbers, money and dates per locale.

catalogs.py     the gettext catalogs in locale/ (docs/translations.md), loaded and compiled
translator.py   Translator: words (`t("key")`, `t.plural`), enum labels, Babel formatting and parsing
messages.py     a message key with tagged values (shared.messages) in words
families.py     the keys the code makes from values (enum labels, mutation names, PDF labels)
extract.py      Babel's extractor of the keys (`make translations`)
"""

from client.i18n.translator import DEFAULT_LANGUAGE, LANGUAGES, Translator

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Translator"]
