"""Matching pasted request lines to products, each match with a confidence (0–100) and why.

A line (read by `request_reading`) is scored against each candidate product three ways:

- **Code**: a reference of the line equal to the SKU (letters and digits compared, case
  ignored: "gua-nit-09" = "GUANIT09") scores 100; equal to a code in the product's
  description (a maker's reference: "Ref. fabricante AB-12345") 95; the start or end of the
  SKU, four characters or more ("ref 4471" → "TOR-004471"), 90, of a description code 85.
  A code a keystroke off is not a match: GUA-NIT-09 and GUA-NIT-08 are different gloves.
- **Description**: the line's words against the product's name, both folded and stemmed
  (`request_words`): 60 % for the share of the line's words the name has (a word the name
  begins with counts, "inox" for "inoxidable"; a word of four letters or more a keystroke
  or two off counts half its rapidfuzz ratio, if that is 80 or more, for it may be a typo
  ("nitrillo") or another word ("presion" for "precision"); sizes and short words count
  only exactly)
  and 40 % for rapidfuzz's token_sort_ratio of the two (is the name about as long as what
  was said?); `shared.rules.fuzzy` gives the same ratios where rapidfuzz is not installed. So "guantes nitrilo talla M" prefers size M to size L by a quarter of the
  first part, and "guantes nitrilo" prefers "Guante nitrilo" to "Guante nitrilo talla 9".
- **Bought before**: a product the customer has bought scores 10 more (at most 100) when it
  already scores 50 on its own: her usual gloves beat an equal-looking pair, but not a
  product with every word she wrote when hers lacks one (a missing word costs 60 / the
  line's words, and more of the second part: at least 20 in a line of up to three words),
  and a product she bought that does not resemble the line is not offered for it.

The better of code and description is the score; the reasons say which (and "bought before"
when the boost applied). Scores are rounded half up to whole points; equal scores list what
she bought first, then by SKU. Matches under 40 are not offered. A line is confident (the
screen ticks it) when its best match reaches 75 and leads the next by 5 or more: "ref 7543"
ending eight SKUs, or two names that say as much, are a question for the seller.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from shared.rules.fuzzy import best_ratio, ratio
from shared.rules.request_reading import RequestLine, find_references, read_request
from shared.rules.request_words import compact_code, index_words, key_words

CODE_SKU, CODE_DESCRIPTION, CODE_PART_SKU, CODE_PART_DESCRIPTION, CODE_PART_MIN_LENGTH = 100, 95, 90, 85, 4
FOUND_WEIGHT, WORD_TYPO_RATIO = 0.6, 80.0
BOUGHT_BOOST, BOUGHT_FLOOR = 10, 50
MIN_CONFIDENCE, CONFIDENT, CLEAR_LEAD = 40, 75, 5
MATCHES_SHOWN = 5


class MatchReason(StrEnum):
    """Why a product was offered for a line."""

    CODE = "code"
    DESCRIPTION = "description"
    BOUGHT_BEFORE = "bought_before"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A product a line may mean, as the rule needs it."""

    sku: str
    name: str
    description: str = ""
    bought_before: bool = False
    """The customer has bought it (her invoice lines)."""


@dataclass(frozen=True, slots=True)
class ProductMatch:
    """A candidate offered for a line."""

    candidate: Candidate
    confidence: int
    """0–100."""
    reasons: tuple[MatchReason, ...]

    @property
    def sku(self) -> str:
        """The product's code."""
        return self.candidate.sku


@dataclass(frozen=True, slots=True)
class LineMatch:
    """A request line and the products offered for it, best first."""

    line: RequestLine
    matches: tuple[ProductMatch, ...]

    @property
    def best(self) -> ProductMatch | None:
        """The most likely product, if any scored enough to be offered."""
        return self.matches[0] if self.matches else None

    @property
    def is_confident(self) -> bool:
        """Whether the best match is sure enough to be taken unless the seller says otherwise:
        CONFIDENT or more, and CLEAR_LEAD ahead of the next (two look-alikes are a question)."""
        if self.best is None or self.best.confidence < CONFIDENT:
            return False
        return len(self.matches) < 2 or self.best.confidence - self.matches[1].confidence >= CLEAR_LEAD


@lru_cache(maxsize=65536)
def description_codes(description: str) -> frozenset[str]:
    """Codes written in a product's description, compacted (see `compact_code`)."""
    return frozenset(filter(None, map(compact_code, find_references(description)))) if description else frozenset()


def _code_score(references: tuple[str, ...], candidate: Candidate) -> int:
    sku = compact_code(candidate.sku)
    others = description_codes(candidate.description)
    best = 0
    for said in filter(None, map(compact_code, references)):
        if said == sku:
            return CODE_SKU
        if said in others:
            best = max(best, CODE_DESCRIPTION)
        elif len(said) >= CODE_PART_MIN_LENGTH:
            if sku.startswith(said) or sku.endswith(said):
                best = max(best, CODE_PART_SKU)
            elif any(code.startswith(said) or code.endswith(said) for code in others):
                best = max(best, CODE_PART_DESCRIPTION)
    return best


@dataclass(frozen=True, slots=True)
class _Words:
    """A text's key words, kept per text: a name is compared with every line of a request."""

    words: tuple[str, ...]
    word_set: frozenset[str]
    sorted_text: str
    """The words sorted and joined: what rapidfuzz's token_sort_ratio compares."""


@lru_cache(maxsize=65536)
def _words(text: str) -> _Words:
    words = key_words(text)
    return _Words(words, frozenset(words), " ".join(sorted(words)))


def _word_credit(word: str, named: _Words) -> float:
    """1 for a word the name has (or begins: "inox" → "inoxidable"); a long word one or two
    keystrokes off half its rapidfuzz ratio; a short word or a number must be exact."""
    if word in named.word_set:
        return 1.0
    if len(word) <= 3 or word.isdigit():
        return 0.0
    if any(other.startswith(word) for other in named.words):
        return 1.0
    found = best_ratio(word, named.words, WORD_TYPO_RATIO)
    return found / 200 if found is not None else 0.0


def description_score(words: str, name: str) -> float:
    """How well a line's words describe a product name, 0–100 (see the module's rules)."""
    said, named = _words(words), _words(name)
    if not said.words or not named.words:
        return 0.0
    found = sum(_word_credit(word, named) for word in said.words) / len(said.words)
    # fuzz.ratio of the sorted words is rapidfuzz's token_sort_ratio, without sorting the
    # name again for every line.
    return FOUND_WEIGHT * 100 * found + (1 - FOUND_WEIGHT) * ratio(said.sorted_text, named.sorted_text)


def _rounded(score: float) -> int:
    return max(0, min(100, math.floor(score + 0.5)))


def score_candidate(line: RequestLine, candidate: Candidate) -> ProductMatch:
    """One candidate's confidence for a line, and why."""
    code = _code_score(line.references, candidate) if line.references else 0
    text = description_score(line.words, candidate.name) if line.words else 0.0
    reasons = [MatchReason.CODE if code > 0 and code >= text else MatchReason.DESCRIPTION]
    score = max(code, text)
    if candidate.bought_before and score >= BOUGHT_FLOOR:
        score = min(100.0, score + BOUGHT_BOOST)
        reasons.append(MatchReason.BOUGHT_BEFORE)
    return ProductMatch(candidate, _rounded(score), tuple(reasons))


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per SKU; one found twice (in the catalogue and in her history) keeps
    having been bought."""
    by_sku: dict[str, Candidate] = {}
    for candidate in candidates:
        seen = by_sku.get(candidate.sku)
        if seen is None or (candidate.bought_before and not seen.bought_before):
            by_sku[candidate.sku] = candidate
    return list(by_sku.values())


def match_line(line: RequestLine, candidates: Iterable[Candidate], limit: int = MATCHES_SHOWN) -> LineMatch:
    """The products offered for a line: those scoring at least MIN_CONFIDENCE, best first
    (then those bought before, then by SKU), at most `limit`."""
    if not line.words and not line.references:
        return LineMatch(line, ())
    scored = [score_candidate(line, candidate) for candidate in _unique(candidates)]
    offered = sorted(
        (match for match in scored if match.confidence >= MIN_CONFIDENCE),
        key=lambda m: (-m.confidence, not m.candidate.bought_before, m.sku),
    )
    return LineMatch(line, tuple(offered[:limit]))


def match_request(text: str, candidates: Iterable[Candidate], limit: int = MATCHES_SHOWN) -> list[LineMatch]:
    """Every line of a pasted request matched against the same candidates."""
    pool = _unique(candidates)
    return [match_line(line, pool, limit) for line in read_request(text)]


def search_words(line: RequestLine) -> tuple[str, ...]:
    """The line's words worth looking up in a search index (see `index_words`)."""
    return index_words(line.words)


__all__ = [
    "BOUGHT_BOOST",
    "CONFIDENT",
    "MIN_CONFIDENCE",
    "Candidate",
    "LineMatch",
    "MatchReason",
    "ProductMatch",
    "description_codes",
    "description_score",
    "match_line",
    "match_request",
    "score_candidate",
    "search_words",
]
