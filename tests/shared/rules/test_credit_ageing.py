"""Overdue as of a day: the itemised reading of the open invoices against the ERP's row, one
figure whose buckets always add up to it."""

from datetime import date
from decimal import Decimal as D

import pytest

from shared.models import Credit
from shared.rules.credit import check_credit
from shared.rules.credit_ageing import credit_as_of, open_items, overdue_as_of

TODAY = date(2026, 12, 5)


def _credit(overdue: str = "0", invoices: int = 0, oldest: int = 0) -> Credit:
    return Credit(
        customer_code="C1",
        currency="EUR",
        credit_limit=D(10000),
        open_balance=D(1000),
        open_orders=D(0),
        overdue_amount=D(overdue),
        overdue_invoices=invoices,
        oldest_overdue_days=oldest,
        open_disputes=0,
        disputed_amount=D(0),
        blocked=False,
        prepayment_required=False,
    )


INVOICES = [
    ("F1", date(2026, 12, 5), D("100")),  # due today: not overdue yet
    ("F2", date(2026, 12, 4), D("200")),  # 1 day late
    ("F3", date(2026, 10, 20), D("300")),  # 46 days late, 120 paid on account
    ("F4", date(2026, 8, 1), D("400")),  # paid in full
    ("F5", date(2026, 7, 1), D("50")),  # 157 days late
]
PAYMENTS = [("F3", D("120")), ("F4", D("400"))]


@pytest.mark.parametrize(
    ("erp", "amount", "count", "oldest", "buckets", "not_itemised"),
    [
        # The ERP's row was exported before F2 fell due: the invoices say more.
        (("0", 0, 0), "430", 3, 157, ["200", "180", "0", "50"], "0"),
        # The ERP counts invoices older than the export's history: the difference stands apart.
        (("1000", 5, 300), "1000", 5, 300, ["200", "180", "0", "50"], "570"),
        # No credit row at all: the invoices alone.
        (None, "430", 3, 157, ["200", "180", "0", "50"], "0"),
    ],
)
def test_the_larger_reading_wins_and_the_buckets_add_up(erp, amount, count, oldest, buckets, not_itemised):
    credit = _credit(*erp) if erp else None
    overdue = overdue_as_of(credit, open_items(INVOICES, PAYMENTS), TODAY)
    assert (overdue.amount, overdue.invoices, overdue.oldest_days) == (D(amount), count, oldest)
    assert [b.amount for b in overdue.buckets] == [D(x) for x in buckets]
    assert overdue.not_itemised == D(not_itemised)
    assert sum(b.amount for b in overdue.buckets) + overdue.not_itemised == overdue.amount


def test_open_items_are_what_is_still_owed():
    assert open_items(INVOICES, PAYMENTS) == [
        (date(2026, 12, 5), D("100")),
        (date(2026, 12, 4), D("200")),
        (date(2026, 10, 20), D("180")),
        (date(2026, 7, 1), D("50")),
    ]


def test_the_badge_and_the_check_read_the_same_figure():
    """The row says nothing is overdue; the invoices say 157 days: the check blocks."""
    erp = _credit()
    assert check_credit(erp).status == "ok"
    today = credit_as_of(erp, overdue_as_of(erp, open_items(INVOICES, PAYMENTS), TODAY))
    assert today is not None and (today.overdue_amount, today.oldest_overdue_days) == (D("430"), 157)
    assert check_credit(today).status == "blocked"  # more than 60 days late
    assert credit_as_of(None, overdue_as_of(None, [], TODAY)) is None
