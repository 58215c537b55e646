"""Spanish and English for every word the app shows, and numbers, money and dates per locale.

catalog_en.py / catalog_es.py   MESSAGES: key → text with {placeholders}
translator.py                   Translator (words, enum labels, Babel formatting and parsing)
"""

from client.i18n.translator import DEFAULT_LANGUAGE, LANGUAGES, Translator

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Translator"]
