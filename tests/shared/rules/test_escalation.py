"""Escalation: an overdue request goes to the next manager up, computed from the server's
`requested_at`."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.rules import ApprovalPolicy
from shared.rules.escalation import Escalation, escalation, hours_pending, is_overdue

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
# IBERIA ─┬─ CENTRO ── MADRID      (managers: IBERIA, CENTRO; MADRID has none)
#         └─ NORESTE                (manager: NORESTE)
TREE = {"IBERIA": None, "CENTRO": "IBERIA", "MADRID": "CENTRO", "NORESTE": "IBERIA"}
MANAGED = {"IBERIA", "CENTRO", "NORESTE"}


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


@pytest.mark.parametrize(
    ("seller_team", "requested_at", "after", "expected"),
    [
        ("NORESTE", ago(23.9), 24, None),  # not yet
        ("NORESTE", ago(24), 24, Escalation(24, to_team="IBERIA", from_team="NORESTE")),  # exactly at the limit
        ("NORESTE", ago(50.5), 24, Escalation(50, to_team="IBERIA", from_team="NORESTE")),
        ("NORESTE", ago(5), 4, Escalation(5, to_team="IBERIA", from_team="NORESTE")),
        ("MADRID", ago(30), 24, Escalation(30, to_team="IBERIA", from_team="CENTRO")),  # no manager in MADRID
        ("IBERIA", ago(30), 24, None),  # nobody above the top
        ("NORESTE", None, 24, None),  # start unknown: never escalates
        (None, ago(30), 24, None),  # a seller without a team
        ("NORESTE", NOW + timedelta(hours=2), 24, None),  # a start in the future is not overdue
    ],
)
def test_escalation(seller_team, requested_at, after, expected):
    assert escalation(TREE, MANAGED, seller_team, requested_at, NOW, after) == expected


def test_only_one_level_up_at_a_time():
    deep = {**TREE, "SUR": "NORESTE"}
    found = escalation(deep, {*MANAGED, "SUR"}, "SUR", ago(100), NOW, 24)
    assert found == Escalation(100, to_team="NORESTE", from_team="SUR")


@pytest.mark.parametrize(
    ("start", "hours"), [(ago(0), 0), (ago(1.99), 1), (ago(49), 49), (NOW + timedelta(hours=3), 0)]
)
def test_hours_pending(start, hours):
    assert hours_pending(start, NOW) == hours


@pytest.mark.parametrize(("start", "expected"), [(None, False), (ago(2), True), (ago(1.5), False)])
def test_is_overdue(start, expected):
    assert is_overdue(start, NOW, 2) is expected


def test_the_policy_escalates_after_a_day_and_refuses_nonsense():
    assert ApprovalPolicy().escalate_after_hours == 24
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        ApprovalPolicy(escalate_after_hours=0)
