"""Delegating approvals: what a delegation may not be, and when it applies."""

from datetime import date, timedelta

import pytest

from shared.rules.delegation import Delegation, Problem, delegation_problems, delegators_of

TODAY = date(2026, 12, 7)
D = timedelta(days=1)


@pytest.mark.parametrize(
    ("role", "delegate", "delegate_role", "starts", "ends", "expected"),
    [
        ("manager", "elena", "manager", TODAY, TODAY + 6 * D, ()),
        ("manager", "elena", "manager", TODAY - 3 * D, TODAY, ()),  # started already, still runs today
        ("manager", "elena", "manager", TODAY + 10 * D, TODAY + 10 * D, ()),  # one day, later
        ("manager", "elena", "manager", TODAY - 9 * D, TODAY - D, (Problem.IN_THE_PAST,)),
        ("manager", "elena", "manager", TODAY + 5 * D, TODAY + 2 * D, (Problem.ENDS_BEFORE_START,)),
        ("manager", "marta", "manager", TODAY, TODAY + D, (Problem.TO_SELF,)),
        ("manager", "ana", "seller", TODAY, TODAY + D, (Problem.DELEGATE_NOT_MANAGER,)),
        ("manager", "root", "admin", TODAY, TODAY + D, (Problem.DELEGATE_NOT_MANAGER,)),
        ("manager", "nadie", None, TODAY, TODAY + D, (Problem.DELEGATE_UNKNOWN,)),
        ("seller", "elena", "manager", TODAY, TODAY + D, (Problem.NOT_A_MANAGER,)),
        ("manager", "elena", "manager", TODAY, TODAY + 366 * D, (Problem.TOO_LONG,)),
        ("manager", "elena", "manager", TODAY, TODAY + 365 * D, ()),  # a year, both ends included
        ("manager", "marta", "manager", TODAY - 9 * D, TODAY - D, (Problem.TO_SELF, Problem.IN_THE_PAST)),
    ],
)
def test_delegation_problems(role, delegate, delegate_role, starts, ends, expected):
    assert delegation_problems(role, "marta", delegate, delegate_role, starts, ends, TODAY) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(TODAY - D, ("sergio",)), (TODAY, ("marta", "sergio")), (TODAY + 3 * D, ("marta",)), (TODAY + 4 * D, ())],
)
def test_delegators_of(day, expected):
    delegations = [
        Delegation("marta", "elena", TODAY, TODAY + 3 * D),
        Delegation("sergio", "elena", TODAY - 2 * D, TODAY),
        Delegation("otto", "carlos", TODAY, TODAY + 3 * D),  # someone else's
        Delegation("elena", "elena", TODAY, TODAY),  # never her own
    ]
    assert delegators_of(delegations, "elena", day) == expected
