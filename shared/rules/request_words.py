"""Words as a pasted request and a product name are compared: folded, stemmed, without filler.

- **Folding**: lower case, accents off ("Válvula" → "valvula", "Peñalara" → "penalara"),
  as the device's search index folds them (unicode61 remove_diacritics 2), so what the
  index finds and what the rule scores agree.
- **Stems**: one final "s", then one final "e", come off a word of four letters or more
  with no digit, so singular and plural meet ("guantes"/"guante" → "guant", "tornillos" →
  "tornillo", "interruptores" → "interruptor", "boxes"/"box" → "box"); three-letter words
  (HSS, PVC) and sizes (M8, 4471) are kept as they are.
- **Sizes** split on both sides alike: at an "x" between digits ("M8x30" is "m8 30", as a
  seller's "m8 x 30"; "75x533" is "75 533") and before a unit glued to a number ("10mm" is
  "10 mm", "18V" is "18 v"). "M8" stays one word: M8 is not M6 with an 8 somewhere.
- **Filler**: articles and prepositions, and what requests say around the products
  ("necesitamos", "please", "hola"), carry nothing about which product is meant.
- **Codes** compare on letters and digits only, upper case ("gua-nit 09" = "GUANIT09").
"""

import re
import unicodedata
from functools import lru_cache

STOP_WORDS = frozenset({
    "a", "al", "an", "and", "con", "de", "del", "el", "en", "for", "la", "las", "lo", "los", "o", "of", "para",
    "por", "the", "to", "u", "un", "una", "unas", "unos", "with", "y",
    "hola", "hello", "hi", "buenas", "buenos", "dias", "tardes", "gracias", "thanks", "thank", "you", "please",
    "pls", "porfa", "favor", "necesito", "necesitamos", "necesitaria", "quiero", "queremos", "querria", "pedir",
    "pedimos", "pedido", "enviar", "envia", "envianos", "mandar", "manda", "mandame", "mandad", "need", "we",
    "i", "me", "send", "us", "would", "like", "x",
})  # fmt: skip
"""Folded words dropped before comparing: articles, prepositions, a request's courtesies, and
the "x" of a size (M8x30)."""
_TOKEN = re.compile(r"[^\W_]+")
_TIMES_BETWEEN_DIGITS = re.compile(r"(?<=\d)x(?=\d)")
_NUMBER_AND_UNIT = re.compile(r"^(\d+)(mm|cm|m|v|w|kw|kg|g|l|ml|a|ah|mah|bar)$")


def fold(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A folded word's stem (see the module's rules)."""
    if len(word) <= 3 or any(c.isdigit() for c in word):
        return word
    if word.endswith("s"):
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


@lru_cache(maxsize=65536)
def key_words(text: str) -> tuple[str, ...]:
    """The words of `text` that say which product: folded, stemmed, filler dropped, in order.

    Cached: a device matches the same product names against every line of a request.
    """
    words: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        for piece in _TIMES_BETWEEN_DIGITS.split(token):
            glued = _NUMBER_AND_UNIT.match(piece)
            words += glued.groups() if glued else [piece]
    return tuple(stem(word) for word in words if word not in STOP_WORDS)


def index_words(text: str) -> tuple[str, ...]:
    """The words of `text` as a search index holds them (digits and letters together: "m8x30",
    "10mm"), folded, stemmed, each once; filler and single letters (the M of "talla M" would
    match half the catalogue) dropped, single digits kept (the 6 of "ø 6 mm" narrows)."""
    tokens = _TOKEN.findall(fold(text))
    words = (stem(token) for token in tokens if token not in STOP_WORDS and (len(token) > 1 or token.isdigit()))
    return tuple(dict.fromkeys(words))


@lru_cache(maxsize=65536)
def compact_code(code: str) -> str:
    """A code's letters and digits, upper case: how two ways of writing a code are compared."""
    return "".join(_TOKEN.findall(fold(code))).upper()


__all__ = ["STOP_WORDS", "compact_code", "fold", "index_words", "key_words", "stem"]
