"""Dormant customers: invoiced before, not within the last 180 days."""

from datetime import date

import pytest

from shared.rules.activity import dormant_before, is_dormant

AS_OF = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("last_invoice", "dormant"),
    [
        (None, False),  # never invoiced: a prospect
        (date(2026, 12, 4), False),
        (date(2026, 6, 8), False),  # exactly 180 days ago: still within the window
        (date(2026, 6, 7), True),  # 181 days ago
        (date(2020, 1, 1), True),
    ],
)
def test_is_dormant(last_invoice, dormant):
    assert is_dormant(last_invoice, AS_OF) is dormant


def test_dormant_before():
    assert dormant_before(AS_OF) == date(2026, 6, 8)
