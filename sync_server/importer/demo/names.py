"""The helpers that turn names into codes (logins, e-mail domains), and a weighted pick."""

import re
import unicodedata
from random import Random
from typing import TypeVar

T = TypeVar("T")


def ascii_fold(text: str) -> str:
    """`text` without accents or marks: 'Güell Peñalara' → 'Guell Penalara'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str, sep: str = "-") -> str:
    """Lower-case ASCII words of `text` joined by `sep` (for logins and e-mail domains)."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(text).lower())
    return sep.join(words)


def weighted_choice(rng: Random, options: tuple[tuple[T, int], ...]) -> T:
    """Pick the first element of one of `options`, weighted by the second."""
    values = [o for o, _ in options]
    weights = [w for _, w in options]
    return rng.choices(values, weights=weights)[0]


__all__ = ["ascii_fold", "slug", "weighted_choice"]
