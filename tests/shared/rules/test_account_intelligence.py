"""Account intelligence rules: cadence, reorders due, cross-sell shares, lapsed categories,
each against hand-computed tables."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from shared.rules.account_intelligence import (
    CrossSell,
    LapsedCategory,
    ReorderDue,
    cross_sells,
    lapsed_categories,
    months_before,
    purchase_cadence,
    reorders_due,
)

AS_OF = date(2026, 6, 30)


def _ago(*days: int) -> list[date]:
    return [AS_OF - timedelta(days=d) for d in days]


@pytest.mark.parametrize(
    ("days", "cadence"),
    [
        (_ago(101, 71, 41), 30),  # gaps 30, 30
        (_ago(100, 70, 41), 30),  # gaps 30, 29 → median 29.5 → 30 (half up)
        (_ago(90, 80, 50, 41), 10),  # gaps 10, 30, 9 → median 10
        (_ago(90, 60, 60), None),  # the same day twice is one purchase: two days only
        (_ago(60, 30), None),  # two purchases are not a cadence
        ([], None),
    ],
)
def test_the_cadence_is_the_median_gap_between_purchase_days(days, cadence):
    assert purchase_cadence(days) == cadence


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (_ago(101, 71, 41), ReorderDue("P", 30, 41, AS_OF - timedelta(days=41), 3)),  # 11 days overdue
        (_ago(90, 60, 30), ReorderDue("P", 30, 30, AS_OF - timedelta(days=30), 3)),  # due on the day
        (_ago(89, 59, 29), None),  # one day early
        (_ago(150, 120, 90), ReorderDue("P", 30, 90, AS_OF - timedelta(days=90), 3)),  # 3 cadences: still a reorder
        (_ago(151, 121, 91), None),  # beyond 3 cadences: lapsed, not due
        (_ago(71, 41), None),  # two purchases only
    ],
)
def test_a_product_is_due_from_one_cadence_to_three_after_the_last_purchase(days, expected):
    assert reorders_due({"P": days}, AS_OF) == ([expected] if expected else [])


def test_reorders_are_listed_most_overdue_first_and_future_days_are_ignored():
    due = reorders_due(
        {
            "A": _ago(101, 71, 41),  # 41/30 cadences
            "B": _ago(30, 20, 10, -5),  # 10/10 cadences (a future-dated line does not count)
            "C": _ago(80, 60, 40),  # 40/20 cadences
        },
        AS_OF,
    )
    assert [(r.sku, r.cadence_days, r.days_since, r.overdue_days) for r in due] == [
        ("C", 20, 40, 20),
        ("A", 30, 41, 11),
        ("B", 10, 10, 0),
    ]


@pytest.mark.parametrize(
    ("buyers", "customers", "bought", "expected"),
    [
        ({"WELD": 31, "FIX": 40, "PAINT": 19}, 50, {"FIX"}, [("WELD", 31, 62)]),  # 62% ≥ 40%, 38% < 40%
        ({"WELD": 20}, 50, set(), [("WELD", 20, 40)]),  # exactly 40%
        ({"WELD": 4, "FIX": 5}, 5, set(), [("FIX", 5, 100), ("WELD", 4, 80)]),  # most shared first
        ({"WELD": 4}, 4, set(), []),  # four other customers are too few to read
        ({"WELD": 31}, 50, {"WELD"}, []),  # already buys it
    ],
)
def test_cross_sell_names_what_most_of_the_segment_buys_and_this_customer_does_not(buyers, customers, bought, expected):
    found = cross_sells(buyers, customers, bought)
    assert [(c.category, c.buyers, c.percent) for c in found] == expected


def test_a_cross_sell_share_is_exact():
    assert CrossSell("WELD", 31, 50).share == Decimal("0.62")
    assert CrossSell("WELD", 1, 3).percent == 33 and CrossSell("WELD", 2, 3).percent == 67


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 6, 30), 6, date(2025, 12, 30)),
        (date(2026, 8, 31), 6, date(2026, 2, 28)),  # February is shorter
        (date(2026, 1, 15), 12, date(2025, 1, 15)),
    ],
)
def test_months_before_keeps_the_day_or_the_months_last(day, months, expected):
    assert months_before(day, months) == expected


SINCE = date(2025, 12, 30)  # six months before AS_OF; the year before runs from 2024-12-30


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # Four distinct months in the year before, nothing since: lapsed.
        (
            [date(2025, 1, 5), date(2025, 3, 5), date(2025, 3, 20), date(2025, 6, 5), date(2025, 11, 5)],
            LapsedCategory("C", 4, date(2025, 11, 5), SINCE),
        ),
        # Three months only (two days in March are one month): not regular.
        ([date(2025, 1, 5), date(2025, 3, 5), date(2025, 3, 20), date(2025, 11, 5)], None),
        # Bought on the first recent day: not lapsed.
        ([date(2025, 1, 5), date(2025, 3, 5), date(2025, 6, 5), date(2025, 11, 5), SINCE], None),
        # Bought before the year only (December 2024 before the 30th is outside it).
        ([date(2024, 9, 5), date(2024, 10, 5), date(2024, 11, 5), date(2024, 12, 5)], None),
        # The year's first day counts.
        (
            [date(2024, 12, 30), date(2025, 2, 1), date(2025, 4, 1), date(2025, 8, 1)],
            LapsedCategory("C", 4, date(2025, 8, 1), SINCE),
        ),
    ],
)
def test_a_category_bought_regularly_and_not_in_six_months_has_lapsed(days, expected):
    assert lapsed_categories({"C": days}, AS_OF) == ([expected] if expected else [])
