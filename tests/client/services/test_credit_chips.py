"""Credit chips: which apply, most severe first, with Decimal thresholds."""

import pytest

from client.services.credit_chip import CreditChip, chips_from_row, credit_chips
from client.services.portfolio import CREDIT_COLUMNS
from client.store import apply_pull_page
from tests.client.factories import make_credit, page, put

B, OD, P, N, OK = (CreditChip.BLOCKED, CreditChip.OVERDUE, CreditChip.PREPAYMENT, CreditChip.NEAR_LIMIT, CreditChip.OK)


TABLE = [
    ({}, (OK,)),
    ({"blocked": True, "block_reason": "impago"}, (B,)),
    ({"overdue_amount": "0.01"}, (OD,)),
    ({"overdue_invoices": 1}, (OD,)),
    ({"prepayment_required": True}, (P,)),
    ({"open_balance": "8999.99"}, (OK,)),  # 89.9999 % of the limit
    ({"open_balance": "9000.00"}, (N,)),  # exactly 90 %
    ({"open_balance": "5000.00", "open_orders": "4000.00"}, (N,)),  # orders count as exposure
    ({"open_balance": "12000.00"}, (N,)),  # over the limit
    ({"credit_limit": "0", "open_balance": "0"}, (OK,)),
    ({"credit_limit": "0", "open_balance": "0.01"}, (N,)),
    ({"open_balance": "-500.00"}, (OK,)),  # a customer in credit
    (
        {
            "blocked": True,
            "block_reason": "x",
            "overdue_amount": "5",
            "prepayment_required": True,
            "open_balance": "9500",
        },
        (B, OD, P, N),
    ),
]
"""(credit fields over a healthy row, the chips expected, most severe first)"""


@pytest.mark.parametrize(("fields", "expected"), TABLE)
def test_chips(fields, expected):
    assert credit_chips(make_credit(**fields)) == expected


def test_no_credit_row_means_no_chips():
    assert credit_chips(None) == ()
    assert chips_from_row((None,) * 7) == ()


@pytest.mark.parametrize(("fields", "expected"), TABLE)
def test_a_credit_row_as_the_store_keeps_it_gives_the_same_chips(store, fields, expected):
    """The portfolio filters on chips computed in SQL from the stored columns (decimal text,
    0/1 flags): pulled into a real store and read back, each row must give the model's chips."""
    apply_pull_page(store, page([put(make_credit(**fields), 1)]))
    columns = ", ".join(CREDIT_COLUMNS)
    with store.read() as db:
        row = db.execute(f"SELECT {columns} FROM credit WHERE customer_code = 'C1'").fetchone()
    assert chips_from_row(row) == expected
