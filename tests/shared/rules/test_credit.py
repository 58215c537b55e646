"""Credit readiness (ok | warning | blocked, with reasons) and the portfolio chips."""

import itertools
from decimal import Decimal

import pytest

from shared.models import Credit, CreditStatus
from shared.rules.credit import CreditPolicy, check_credit, chips_from_values, credit_chips

D = Decimal


def credit(**kw):
    values = dict(
        customer_code="C001",
        currency="EUR",
        credit_limit="10000.00",
        open_balance="0.00",
        open_orders="0.00",
        overdue_amount="0.00",
        overdue_invoices=0,
        oldest_overdue_days=0,
        open_disputes=0,
        disputed_amount="0.00",
        blocked=False,
        prepayment_required=False,
    )
    values.update(kw)
    return Credit(**values)


@pytest.mark.parametrize(
    ("kw", "pending", "quote", "status", "codes"),
    [
        ({"open_balance": "2000", "open_orders": "1000"}, "0", "0", "ok", []),
        ({"open_balance": "8000", "open_orders": "1000"}, "0", "0", "warning", ["near_limit"]),  # 9000 = 90 %
        ({"open_balance": "8999.99"}, "0", "0", "ok", []),  # 89.9999 %
        ({"open_balance": "7000", "open_orders": "1000"}, "1000", "0", "warning", ["near_limit"]),  # + own pending
        ({"open_balance": "9000"}, "0", "1500", "blocked", ["over_limit"]),  # the quote tips it
        ({"open_balance": "9000"}, "0", "1000", "warning", ["near_limit"]),  # at the limit, not over
        ({"open_balance": "-500"}, "0", "0", "ok", []),  # credit note balance
        ({"blocked": True, "block_reason": "Impago reiterado"}, "0", "0", "blocked", ["blocked"]),
        (
            {"overdue_amount": "1250", "overdue_invoices": 2, "oldest_overdue_days": 15},
            "0",
            "0",
            "warning",
            ["overdue"],
        ),
        ({"overdue_amount": "300", "overdue_invoices": 1, "oldest_overdue_days": 60}, "0", "0", "warning", ["overdue"]),
        ({"overdue_amount": "300", "overdue_invoices": 1, "oldest_overdue_days": 61}, "0", "0", "blocked", ["overdue"]),
        ({"open_disputes": 1, "disputed_amount": "480"}, "0", "0", "warning", ["dispute"]),
        # prepayment: limit 0 and nothing on credit, so the limit is not checked even with a quote
        ({"credit_limit": "0", "prepayment_required": True}, "0", "500", "warning", ["prepayment_required"]),
        ({"credit_limit": "0"}, "0", "0", "ok", []),  # no line, no exposure
        ({"credit_limit": "0"}, "0", "100", "blocked", ["over_limit"]),  # no line, a quote
        # everything at once: blocked reasons first in a fixed order, then warnings
        (
            {
                "blocked": True,
                "block_reason": "Concurso",
                "open_balance": "11000",
                "overdue_amount": "5000",
                "overdue_invoices": 4,
                "oldest_overdue_days": 90,
                "open_disputes": 1,
                "disputed_amount": "200",
            },
            "0",
            "0",
            "blocked",
            ["blocked", "over_limit", "overdue", "dispute"],
        ),
        (
            {"open_disputes": 1, "disputed_amount": "200", "open_balance": "9500"},
            "0",
            "0",
            "warning",
            ["near_limit", "dispute"],
        ),
    ],
)
def test_readiness(kw, pending, quote, status, codes):
    got = check_credit(credit(**kw), D(pending), D(quote))
    assert got.status == CreditStatus(status)
    assert [r.code for r in got.reasons] == codes
    assert got.is_blocked is (status == "blocked")


@pytest.mark.parametrize(
    ("kw", "quote", "text"),
    [
        (
            {"open_balance": "9000"},
            "1500",
            "Over the credit limit by 500.00 EUR (exposure 10,500.00 EUR, limit 10,000.00 EUR)",
        ),
        (
            {"open_balance": "8000", "open_orders": "1000"},
            "0",
            "Near the credit limit: 90% used, 1,000.00 EUR available",
        ),
        ({"open_balance": "9255"}, "0", "Near the credit limit: 92.55% used, 745.00 EUR available"),
        ({"blocked": True, "block_reason": "Impago reiterado"}, "0", "Blocked by finance: Impago reiterado"),
        (
            {"overdue_amount": "1250", "overdue_invoices": 2, "oldest_overdue_days": 15},
            "0",
            "2 invoices overdue, oldest by 15 days (1,250.00 EUR)",
        ),
        (
            {"overdue_amount": "300", "overdue_invoices": 1, "oldest_overdue_days": 61},
            "0",
            "1 invoice overdue, oldest by 61 days (300.00 EUR): more than 60 days late blocks new sales until paid",
        ),
        ({"overdue_amount": "80.5", "oldest_overdue_days": 5}, "0", "Overdue balance, oldest by 5 days (80.50 EUR)"),
        ({"open_disputes": 1, "disputed_amount": "480"}, "0", "1 open dispute for 480.00 EUR"),
        ({"open_disputes": 3, "disputed_amount": "1480.2"}, "0", "3 open disputes for 1,480.20 EUR"),
        (
            {"credit_limit": "0", "prepayment_required": True},
            "0",
            "Prepayment required: the order ships once it is paid",
        ),
    ],
)
def test_reason_texts(kw, quote, text):
    (reason,) = check_credit(credit(**kw), quote_amount=D(quote)).reasons
    assert reason.text == text


def test_no_credit_row_is_a_warning():
    got = check_credit(None)
    assert (got.status, [r.code for r in got.reasons]) == (CreditStatus.WARNING, ["no_credit_data"])


def test_exposure_and_available_add_every_part():
    got = check_credit(credit(open_balance="2000", open_orders="1500"), pending_amount=D("250"), quote_amount=D("750"))
    assert (got.exposure, got.available, got.credit_limit) == (D("4500"), D("5500"), D("10000"))


@pytest.mark.parametrize(
    ("policy", "kw", "status"),
    [
        (CreditPolicy(over_limit_blocks=False), {"open_balance": "12000"}, "warning"),
        (
            CreditPolicy(block_overdue_days=30),
            {"overdue_amount": "10", "overdue_invoices": 1, "oldest_overdue_days": 45},
            "blocked",
        ),
        (CreditPolicy(dispute_warns=False), {"open_disputes": 2, "disputed_amount": "10"}, "ok"),
        (CreditPolicy(near_limit_percent=D(80)), {"open_balance": "8000"}, "warning"),
    ],
)
def test_policy_thresholds_are_configurable(policy, kw, status):
    assert check_credit(credit(**kw), policy=policy).status == CreditStatus(status)


@pytest.mark.parametrize(
    ("kw", "chips"),
    [
        ({}, ["ok"]),
        ({"blocked": True, "block_reason": "x"}, ["blocked"]),
        ({"overdue_amount": "10"}, ["overdue"]),
        ({"overdue_invoices": 1}, ["overdue"]),
        ({"credit_limit": "0", "prepayment_required": True}, ["prepayment"]),
        ({"open_balance": "8000", "open_orders": "1000"}, ["near_limit"]),
        ({"open_balance": "12000"}, ["near_limit"]),  # over the limit is near it too
        ({"open_balance": "8999.99"}, ["ok"]),
        (
            {
                "blocked": True,
                "block_reason": "x",
                "overdue_amount": "1",
                "prepayment_required": True,
                "credit_limit": "100",
                "open_balance": "95",
            },
            ["blocked", "overdue", "prepayment", "near_limit"],
        ),
    ],
)
def test_chips(kw, chips):
    assert list(credit_chips(credit(**kw))) == chips


def test_no_credit_row_has_no_chips():
    assert credit_chips(None) == ()


def test_chips_match_the_clients_copy():
    client = pytest.importorskip("client.services.credit_chip")
    grid = itertools.product(
        [False, True], ["0", "5"], [0, 2], [False, True], ["0", "1000"], ["-50", "0", "850", "950"], ["0", "100"]
    )
    for blocked, amount, invoices, prepay, limit, balance, orders in grid:
        args = (blocked, D(amount), invoices, prepay, D(limit), D(balance), D(orders))
        assert [c.value for c in chips_from_values(*args)] == [c.value for c in client.chips_from_values(*args)], args
