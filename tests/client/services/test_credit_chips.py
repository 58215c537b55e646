"""Credit chips: which apply, most severe first, with Decimal thresholds."""

from decimal import Decimal

import pytest

from client.services.credit_chip import CreditChip, chips_from_row, credit_chips
from tests.client.factories import make_credit

B, OD, P, N, OK = (CreditChip.BLOCKED, CreditChip.OVERDUE, CreditChip.PREPAYMENT, CreditChip.NEAR_LIMIT, CreditChip.OK)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
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
    ],
)
def test_chips(fields, expected):
    assert credit_chips(make_credit(**fields)) == expected


def test_no_credit_row_means_no_chips():
    assert credit_chips(None) == ()
    assert chips_from_row((None,) * 7) == ()


def test_stored_row_gives_the_same_chips_as_the_model():
    credit = make_credit(open_balance="9000.00", overdue_invoices=2)
    row = (0, "0.00", 2, 0, "10000.00", "9000.00", "0.00")
    assert chips_from_row(row) == credit_chips(credit) == (OD, N)
    assert isinstance(credit.credit_limit, Decimal)
