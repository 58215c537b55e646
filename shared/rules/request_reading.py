"""Reading a pasted request (a WhatsApp message, an e-mail) into request lines.

A line is what the customer asked for once: "20 cajas guantes nitrilo talla M", "5 x ref 4471".
- **Lines** end at a newline, a semicolon or a comma (not the decimal comma of "2,5 m"), and
  at "y"/"and" when what follows starts with a quantity or a reference ("… y 5 x ref 4471"):
  "tornillos y tuercas" or "blanco y negro" may name one product, "y 5 cajas de …" starts
  another. List bullets ("-", "*", "•") go; a fragment with no letter or digit is no line.
- **Quantity** is read, in Spanish and English, at the start ("20 cajas", "5 x", "5x", "x5",
  "2,5 m", "una caja", "two boxes of") or else at the end ("guantes x 5", "guantes x5",
  "guantes: 20", "guantes 20 uds"). A number followed by a size word ("10 mm", "18 V") is
  part of the product, not a quantity, and so is the "x" of "M8x30" or "M8 x 30" (a size
  before the "x"); "talla 10 x20", the "x" glued to the last number, is 20 of them. "a"/"an" count as one only before a unit ("a box of").
- **Numbers**: "2,5" and "2.5" are 2.5; a single separator followed by exactly three digits
  separates thousands ("1.000" and "1,000" are 1000) unless the number starts "0"; with both
  separators the last one is the decimal point ("1.234,5").
- **Unit** words become a code (BOX, EA, M, KG, L, PACK, ROLL), read only right after the
  number, so the M of "talla M" stays a size. After the product only count units are read
  ("guantes 20 uds"): "manguera 25 m" names a hose.
- **References**: a code with a digit after a marker ("ref 4471", "ref. AB-12", "código: X1",
  "art 9", "nº 7", "#4471") is taken out of the words. A token that looks like a code (letters and
  digits with "-", "." or "/" inside, or five or more letters and digits mixed: "GUA-NIT-09",
  "M8x30") is a reference *and* stays in the words, since names hold such tokens too. When
  all that is left after the quantity is one token with a digit ("5 x 4471"), it is a code;
  of two bare numbers around an "x" ("4471 x 5") the shorter is the quantity.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from shared.rules.request_words import fold

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_NUMBER_WORDS: dict[str, int] = {
    **dict.fromkeys(("un", "una", "uno", "one"), 1),
    **{w: n for n, w in enumerate(("dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"), 2)},
    **{w: n for n, w in enumerate(("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), 2)},
    "doce": 12,
    "twelve": 12,
}
_ARTICLES = {"a", "an"}
UNIT_WORDS: dict[str, str] = {
    **dict.fromkeys(("caja", "cajas", "cj", "cjs", "box", "boxes", "bx", "ctn", "carton", "cartons"), "BOX"),
    **dict.fromkeys(
        (
            "ud", "uds", "u", "und", "unds", "unidad", "unidades", "pieza", "piezas", "pz", "pza", "pzas",
            "pc", "pcs", "piece", "pieces", "unit", "units", "ea", "each",
        ),
        "EA",
    ),
    **dict.fromkeys(("m", "mt", "mts", "metro", "metros", "meter", "meters", "metre", "metres"), "M"),
    **dict.fromkeys(("kg", "kgs", "kilo", "kilos", "kilogramo", "kilogramos", "kilogram", "kilograms"), "KG"),
    **dict.fromkeys(("l", "lt", "lts", "litro", "litros", "liter", "liters", "litre", "litres"), "L"),
    **dict.fromkeys(("paquete", "paquetes", "paq", "pqt", "pack", "packs", "packet", "packets"), "PACK"),
    **dict.fromkeys(("rollo", "rollos", "roll", "rolls"), "ROLL"),
}  # fmt: skip
"""A unit word as written (accents and case folded, a final "." dropped) → its unit code."""
_COUNT_UNITS = {"BOX", "EA", "PACK", "ROLL"}
_SIZE_WORDS = {"mm", "cm", "v", "w", "kw", "ah", "mah", "bar", "pulgadas", "inch", "inches", "%", "°", '"'}
_TIMES = {"x", "×", "*"}
_JOINERS = {"de", "del", "of"}

_MARKER = r"(?:ref(?:erencia|erence|s)?|c[oó]d(?:igo|e)?|art(?:[ií]culo|icle)?|item|sku|n[º°])"
# A marker ends at ".", ":", "#", a space or a digit ("ref4471"), so "codo" and "reforzado"
# are words; a marked code has a digit, so "ref guantes" marks nothing.
_MARKED = re.compile(
    rf"(?:(?<!\w){_MARKER}(?:[.:#]\s*|\s+|(?=\d))[:#]?\s*|#)(?P<code>(?=[\w\-./]*\d)\w(?:[\w\-./]*\w)?)",
    re.IGNORECASE,
)
_SPLIT = re.compile(rf"[\r\n;]+|,(?!\d)|(?<!\d),|\s+(?:y|and)\s+(?=\d|[x×]\s*\d|#|{_MARKER}\b)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*•·–—]+\s*")
# "20cajas" → "20 cajas", "5x" → "5 x", "x5" → "x 5"; "M8x30" is left alone (no space or
# start before the number).
_TIMES_AT_END = re.compile(r"\s[x×](?P<qty>\d+(?:[.,]\d+)?)$", re.IGNORECASE)
""""talla 10 x20": an "x" glued to the last number says how many, whatever comes before."""
_GLUED_UNIT = re.compile(r"(?:(?<=\s)|^)(\d+(?:[.,]\d+)?)([^\W\d_]+\.?)(?=\s|$)")
_GLUED_TIMES = re.compile(r"(?:(?<=\s)|^)(?:(\d+(?:[.,]\d+)?)([x×])|([x×])(\d+(?:[.,]\d+)?))(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RequestLine:
    """One thing the customer asked for, as read from the pasted text."""

    text: str
    """The line as written (trimmed): what the seller sees beside the match."""
    quantity: Decimal | None
    """None when the line says no quantity."""
    unit: str | None
    """The unit code the quantity was said in (BOX, EA, M, KG, L, PACK, ROLL), if any."""
    references: tuple[str, ...]
    """Codes the line names, as written."""
    words: str
    """What describes the product: the line without its quantity, unit and marked references."""


def split_request(text: str) -> list[str]:
    """The request lines of a pasted text, trimmed, in order (see the module's rules)."""
    parts = (_BULLET.sub("", part).strip().strip(".:").strip() for part in _SPLIT.split(text or "") if part)
    return [part for part in parts if any(c.isalnum() for c in part)]


def read_number(text: str) -> Decimal:
    """A quantity as written in Spanish or English ("2,5", "1.000", "1,234.5") as a Decimal."""
    commas, dots = text.count(","), text.count(".")
    if commas and dots:  # the last separator is the decimal point
        point, thousands = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
        return Decimal(text.replace(thousands, "").replace(point, "."))
    separator = "," if commas else "." if dots else ""
    if not separator:
        return Decimal(text)
    whole, _, fraction = text.rpartition(separator)
    if text.count(separator) > 1 or (len(fraction) == 3 and not text.startswith("0")):
        return Decimal(text.replace(separator, ""))  # "1.000", "1,000", "1.000.000"
    return Decimal(f"{whole}.{fraction}")


def _unit(token: str) -> str | None:
    return UNIT_WORDS.get(fold(token).rstrip("."))


def _number(token: str) -> Decimal | None:
    if _NUMBER.match(token):
        return read_number(token)
    said = _NUMBER_WORDS.get(fold(token))
    return Decimal(said) if said is not None else None


Reading = tuple[Decimal, str | None, list[str]]
"""(quantity, unit code, the tokens left)."""


def _leading(tokens: list[str], has_reference: bool) -> Reading | None:
    """How many, when the line starts with it; nothing may follow when a reference was marked
    ("5 x ref 4471"), else a lone number is a code, not a quantity."""
    if len(tokens) == 3 and tokens[1].lower() in _TIMES and _NUMBER.match(tokens[0]) and _NUMBER.match(tokens[2]):
        # "5 x 4471" or "4471 x 5": the shorter number is how many (a code is the longer one)
        first, second = tokens[0], tokens[2]
        return (
            (read_number(second), None, [first]) if len(second) < len(first) else (read_number(first), None, [second])
        )
    if len(tokens) >= 2 and tokens[0].lower() in _TIMES and _NUMBER.match(tokens[1]):  # "x 5 guantes"
        quantity, at = read_number(tokens[1]), 2
    else:
        said = _number(tokens[0])
        is_article = tokens[0].lower() in _ARTICLES and len(tokens) > 1 and _unit(tokens[1]) is not None
        if (said is None and not is_article) or (len(tokens) > 1 and fold(tokens[1]) in _SIZE_WORDS):
            return None  # not a quantity, or a size: "10 mm broca"
        quantity, at = said if said is not None else Decimal(1), 1
        if at < len(tokens) and tokens[at].lower() in _TIMES:
            at += 1
    unit = _unit(tokens[at]) if at < len(tokens) - 1 else None  # a unit word alone names nothing
    if unit:
        at += 1
    if at < len(tokens) - 1 and fold(tokens[at]) in _JOINERS:  # "20 cajas de guantes"
        at += 1
    return (quantity, unit, tokens[at:]) if at < len(tokens) or has_reference else None


_SIZE = re.compile(r"^[^\W\d_]?\d{1,3}(?:[.,]\d+)?$")
"""A size written before an "x": M8, M10, 4,2, 30, ø6 ("M8 x 30" is a bolt, not 30 bolts)."""


def _trailing(tokens: list[str]) -> Reading | None:
    """How many, when the line ends with it ("guantes x 5", "guantes: 20", "guantes 20 uds")."""
    unit = _unit(tokens[-1]) if len(tokens) >= 3 else None
    body = tokens[:-1] if unit else tokens
    if len(body) < 2 or not _NUMBER.match(body[-1]):
        return None
    quantity, before = read_number(body[-1]), body[:-1]
    if before[-1].lower() in _TIMES and len(before) >= 2 and not _SIZE.match(before[-2]):
        return quantity, unit, before[:-1]
    if before[-1] in ("-", "–", ":") and len(before) >= 2:
        return quantity, unit, before[:-1]
    if before[-1].endswith(":"):
        return quantity, unit, [*before[:-1], before[-1][:-1]]
    if unit in _COUNT_UNITS:
        return quantity, unit, before
    return None


def looks_like_code(token: str) -> bool:
    """Whether an unmarked token reads as a product code (see the module's rules)."""
    has_digit = any(c.isdigit() for c in token)
    has_letter = any(c.isalpha() for c in token)
    if any(sep in token.strip("-./") for sep in "-./"):
        return has_digit and has_letter
    return has_digit and has_letter and len(token) >= 5


def find_references(text: str) -> tuple[str, ...]:
    """The codes a text names: after a marker, and tokens that look like codes (for a product's
    description: a maker's reference "Ref. fabricante AB-12345")."""
    marked = [found["code"] for found in _MARKED.finditer(text)]
    tokens = (token.strip(",.:;()") for token in _MARKED.sub(" ", text).split())
    return tuple(dict.fromkeys([*marked, *(token for token in tokens if looks_like_code(token))]))


def read_line(text: str) -> RequestLine:
    """A request line's quantity, unit, references and describing words."""
    said = " ".join(_BULLET.sub("", text).split())
    marked = [found["code"] for found in _MARKED.finditer(said)]
    rest = _MARKED.sub(" ", said)
    times_at_end = _TIMES_AT_END.search(rest)
    if times_at_end:
        rest = rest[: times_at_end.start()]
    rest = _GLUED_TIMES.sub(lambda m: " ".join(g for g in m.groups() if g), rest)
    rest = _GLUED_UNIT.sub(lambda m: f"{m[1]} {m[2]}" if _unit(m[2]) else m[0], rest)
    tokens = rest.split()
    reading = _leading(tokens, bool(marked)) if tokens else None
    if reading is None and times_at_end:
        reading = read_number(times_at_end["qty"]), None, tokens
    elif reading is None and tokens:
        reading = _trailing(tokens)
    quantity, unit, left = reading if reading else (None, None, tokens)
    words = " ".join(left).strip(" ,.:;-–")
    references = list(marked)
    references += [token.strip(",.:;()") for token in left if looks_like_code(token.strip(",.:;()"))]
    if not marked and len(left) == 1 and any(c.isdigit() for c in words):
        references.append(words)  # "5 x 4471": what is left is the code
    return RequestLine(
        text=said, quantity=quantity, unit=unit, references=tuple(dict.fromkeys(references)), words=words
    )


def read_request(text: str) -> list[RequestLine]:
    """Every request line of a pasted text, read."""
    return [read_line(part) for part in split_request(text)]


__all__ = [
    "UNIT_WORDS",
    "RequestLine",
    "find_references",
    "looks_like_code",
    "read_line",
    "read_number",
    "read_request",
    "split_request",
]
