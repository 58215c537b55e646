"""A product's unit rules: whole units unless divisible, a minimum, a pack multiple."""

from decimal import Decimal as D

import pytest

from shared.rules.units import check_quantity


@pytest.mark.parametrize(
    ("quantity", "unit", "divisible", "minimum", "multiple", "problem"),
    [
        ("3", "EA", None, None, None, None),
        ("2.5", "EA", None, None, None, "problem.line.not_divisible"),  # half a piece: a typo
        ("2.5", "BOX", None, None, None, "problem.line.not_divisible"),
        ("2.5", "KG", None, None, None, None),  # a weight is sold in fractions
        ("0.75", "M", None, None, None, None),
        ("2.5", "KG", False, None, None, "problem.line.not_divisible"),  # the ERP says no
        ("2.5", "EA", True, None, None, None),  # the ERP says yes
        ("4", "EA", None, D(5), None, "problem.line.below_minimum"),
        ("5", "EA", None, D(5), None, None),  # the minimum itself
        ("25", "EA", None, None, D(10), "problem.line.not_multiple"),
        ("30", "EA", None, D(10), D(10), None),
        ("1.5", "KG", None, None, D("0.5"), None),  # three half-kilo bags
        ("1.25", "KG", None, None, D("0.5"), "problem.line.not_multiple"),
        ("2.5", "BOX", None, D(5), D(10), "problem.line.not_divisible"),  # the first rule broken is said
    ],
)
def test_quantity_rules(quantity, unit, divisible, minimum, multiple, problem):
    found = check_quantity("P1", D(quantity), unit, divisible, minimum, multiple)
    assert (found.key if found else None) == problem


def test_a_wrong_multiple_says_the_next_good_quantity():
    found = check_quantity("P1", D(25), "EA", multiple=D(10))
    assert found is not None and found.params["next"] == {"$number": "30"}
    assert found.text == "P1 is sold in multiples of 10 EA; 25 is not one (say 30)"
