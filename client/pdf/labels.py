"""The printed words of a quote, in the document's language, from the gettext catalogs.

Every label is the catalog message `pdf.<name>` (locale/<language>/LC_MESSAGES/terreno.po),
so the PDF is translated the same way as the app. Locales: Spanish documents use es_ES
(1.234,56 €, 3 dic 2026); English ones en_GB (€1,234.56, 3 Dec 2026), whose day-month-year
dates a European customer cannot misread.
"""

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from client.i18n import LANGUAGES, Translator
from client.i18n.families import PDF_LABELS
from client.pdf.document import Language

LOCALES: Mapping[Language, str] = MappingProxyType({"en": LANGUAGES["en"][1], "es": LANGUAGES["es"][1]})


class Labels(Mapping[str, str]):
    """The PDF's labels of one language: `labels["title"]` is the message `pdf.title`."""

    def __init__(self, language: Language) -> None:
        self._t = Translator(language)
        self.translator = self._t
        """The document language's translator, for words outside the label table."""

    def __getitem__(self, name: str) -> str:
        if name not in PDF_LABELS:  # declared there, so the translation check knows them
            raise KeyError(name)
        return self._t(f"pdf.{name}")

    def __iter__(self) -> Iterator[str]:
        return iter(PDF_LABELS)

    def __len__(self) -> int:
        return len(PDF_LABELS)


def labels_for(language: Language) -> Labels:
    """The label table of a document language ('en' or 'es')."""
    return Labels(language)


__all__ = ["LOCALES", "Labels", "labels_for"]
