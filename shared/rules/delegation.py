"""Delegating approvals (DESIGN §5): a manager away hands her approvals to another manager for
a range of days. During the range the delegate sees and may decide them; each decision says on
whose behalf it was made.

The days are the server's (UTC) calendar days, both ends included. What a delegation may not
be is listed in `Problem`; the server refuses a delegation with any of them, naming each.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.models import Role

MAX_DAYS = 366
"""The longest delegation: a year (a longer one is a change of team, for the ERP)."""


class Problem(StrEnum):
    """Why a delegation cannot be made."""

    NOT_A_MANAGER = "not_a_manager"
    """Only a manager delegates her approvals."""
    TO_SELF = "to_self"
    DELEGATE_UNKNOWN = "delegate_unknown"
    DELEGATE_NOT_MANAGER = "delegate_not_manager"
    ENDS_BEFORE_START = "ends_before_start"
    IN_THE_PAST = "in_the_past"
    """The range ends before today: it would never apply."""
    TOO_LONG = "too_long"


PROBLEM_KEYS: dict[Problem, str] = {
    Problem.NOT_A_MANAGER: "problem.delegation.not_a_manager",
    Problem.TO_SELF: "problem.delegation.to_self",
    Problem.DELEGATE_UNKNOWN: "problem.delegation.delegate_unknown",
    Problem.DELEGATE_NOT_MANAGER: "problem.delegation.delegate_not_manager",
    Problem.ENDS_BEFORE_START: "problem.delegation.ends_before_start",
    Problem.IN_THE_PAST: "problem.delegation.in_the_past",
    Problem.TOO_LONG: "problem.delegation.too_long",
}
"""The message that says each problem to a person (values: `delegate`, `ends_on`)."""


def problem_key(problem: Problem) -> str:
    """The message that says `problem` to a person."""
    return PROBLEM_KEYS[problem]


def delegation_problems(
    delegator_role: Role | str,
    delegator: str,
    delegate: str,
    delegate_role: Role | str | None,
    starts_on: date,
    ends_on: date,
    today: date,
) -> tuple[Problem, ...]:
    """Everything wrong with `delegator` handing her approvals to `delegate` from `starts_on`
    to `ends_on` (`delegate_role` None: no such user); empty when it may be made."""
    problems = []
    if delegator_role != Role.MANAGER:
        problems.append(Problem.NOT_A_MANAGER)
    if delegate == delegator:
        problems.append(Problem.TO_SELF)
    elif delegate_role is None:
        problems.append(Problem.DELEGATE_UNKNOWN)
    elif delegate_role != Role.MANAGER:
        problems.append(Problem.DELEGATE_NOT_MANAGER)
    if ends_on < starts_on:
        problems.append(Problem.ENDS_BEFORE_START)
    elif ends_on < today:
        problems.append(Problem.IN_THE_PAST)
    elif (ends_on - starts_on).days + 1 > MAX_DAYS:
        problems.append(Problem.TOO_LONG)
    return tuple(problems)


@dataclass(frozen=True, slots=True)
class Delegation:
    """`delegator`'s approvals handed to `delegate` from `starts_on` to `ends_on`, both included."""

    delegator: str
    delegate: str
    starts_on: date
    ends_on: date

    def is_active(self, today: date) -> bool:
        """Whether the delegation applies on `today`."""
        return self.starts_on <= today <= self.ends_on


def delegators_of(delegations: Iterable[Delegation], delegate: str, today: date) -> tuple[str, ...]:
    """Whose approvals `delegate` holds today, sorted (a manager never holds her own)."""
    return tuple(
        sorted(
            {
                d.delegator
                for d in delegations
                if d.delegate == delegate and d.delegator != delegate and d.is_active(today)
            }
        )
    )


__all__ = ["MAX_DAYS", "PROBLEM_KEYS", "Delegation", "Problem", "delegation_problems", "delegators_of", "problem_key"]
