"""Similarity of two short texts as rapidfuzz's `fuzz.ratio` scores it, with or without rapidfuzz.

Chosen once, at import: rapidfuzz where its wheel is installed (desktop, server), else the
same measure in Python (a tablet build lists no rapidfuzz: docs/mobile.md). The measure is
the normalised Indel similarity: 100 · (1 − (|a| + |b| − 2·LCS) / (|a| + |b|)), 100 for two
empty texts. The Python path finds the longest common subsequence with the bit-parallel
method rapidfuzz itself uses (one big-integer step per character of `b`), so both give the
same floats (tests/shared/rules/test_fuzzy.py) and the matching rules the same scores.
"""

from collections.abc import Callable, Iterable

RatioFunction = Callable[[str, str], float]


def python_ratio(a: str, b: str) -> float:
    """rapidfuzz's `fuzz.ratio(a, b)`, in Python."""
    total = len(a) + len(b)
    if total == 0:
        return 100.0
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a  # the shorter text as the bit vector
    masks: dict[str, int] = {}
    for position, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << position)
    full = (1 << len(a)) - 1
    row = full
    for char in b:
        matches = row & masks.get(char, 0)
        row = ((row + matches) | (row - matches)) & full
    common = len(a) - row.bit_count()
    return (1.0 - (total - 2 * common) / total) * 100


def _rapidfuzz_ratio() -> RatioFunction | None:
    try:
        from rapidfuzz import fuzz
    except ImportError:  # Android, iOS: no rapidfuzz in the build
        return None
    ratio: RatioFunction = fuzz.ratio
    return ratio


_ACCELERATED = _rapidfuzz_ratio()
BACKEND = "rapidfuzz" if _ACCELERATED is not None else "python"
"""`rapidfuzz` or `python`: which path this build scores with."""
ratio: RatioFunction = _ACCELERATED or python_ratio
"""The similarity of two texts, 0–100 (see the module)."""


def best_ratio(text: str, choices: Iterable[str], cutoff: float) -> float | None:
    """The highest `ratio(text, choice)` if it reaches `cutoff`, else None (as rapidfuzz's
    `process.extractOne(..., scorer=fuzz.ratio, score_cutoff=cutoff)` scores it)."""
    best = max((ratio(text, choice) for choice in choices), default=None)
    return best if best is not None and best >= cutoff else None


__all__ = ["BACKEND", "best_ratio", "python_ratio", "ratio"]
