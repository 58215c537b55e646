"""The Python similarity gives rapidfuzz's floats, so a tablet matches requests as the desktop does."""

import random

import pytest
from rapidfuzz import fuzz, process

from shared.rules import fuzzy

CASES = [
    ("", ""),
    ("", "abc"),
    ("abc", ""),
    ("nitrillo", "nitrilo"),
    ("presion", "precision"),
    ("guant nitril talla m", "guant nitril talla 9"),
    ("inox", "inoxidable"),
    ("gua-nit-09", "GUANIT09"),
    ("aaaa", "aa"),
    ("ñandú cañón", "nandu canon"),
    ("x" * 130, "x" * 70 + "y" * 60),  # longer than a machine word: big-integer rows
]


@pytest.mark.parametrize(("a", "b"), CASES)
def test_the_python_ratio_is_rapidfuzzs_to_the_last_bit(a, b):
    assert fuzzy.python_ratio(a, b) == fuzz.ratio(a, b)
    assert fuzzy.python_ratio(b, a) == fuzz.ratio(b, a)


def test_the_python_ratio_agrees_on_random_words():
    rng = random.Random(18)
    alphabet = "aeinorstlcm- 0123"
    for _ in range(3000):
        a = "".join(rng.choices(alphabet, k=rng.randint(0, 14)))
        b = "".join(rng.choices(alphabet, k=rng.randint(0, 14)))
        assert fuzzy.python_ratio(a, b) == fuzz.ratio(a, b), (a, b)


@pytest.mark.parametrize("cutoff", [0, 50, 80, 100])
def test_best_ratio_is_extract_ones_score(cutoff):
    choices = ("guant", "nitril", "talla", "nitrilo", "precision")
    for word in ("nitrillo", "presion", "guantes", "zzz", "talla"):
        found = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        assert fuzzy.best_ratio(word, choices, cutoff) == (found[1] if found else None)


def test_no_choices_reach_no_cutoff():
    assert fuzzy.best_ratio("nitrilo", (), 80) is None
