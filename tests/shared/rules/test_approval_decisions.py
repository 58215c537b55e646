"""Deciding approvals: who decides, whether a decision still holds, bulk, note, waiting time."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.rules.approval_decisions import (
    AgeUnit,
    Change,
    RequestNow,
    Verdict,
    age_in_units,
    bulk_groups,
    changes_since,
    may_decide_together,
    needs_note,
    rule_set,
    time_to_decision,
    who_may_decide,
)

V = Verdict


@pytest.mark.parametrize(
    ("role", "decider", "seller", "in_team", "verdict"),
    [
        ("seller", "ana", "luis", True, V.NOT_A_MANAGER),  # a seller decides nothing, even a teammate's
        ("seller", "ana", "ana", True, V.NOT_A_MANAGER),
        ("manager", "marta", "ana", True, V.MAY_DECIDE),
        ("manager", "marta", "carla", False, V.NOT_YOUR_TEAM),
        ("manager", "marta", "marta", True, V.OWN_QUOTE),  # her own portfolio's quote: another decides
        ("admin", "root", "carla", False, V.MAY_DECIDE),  # an administrator's scope is everyone
        ("admin", "root", "root", False, V.OWN_QUOTE),
    ],
)
def test_who_may_decide(role, decider, seller, in_team, verdict):
    assert who_may_decide(role, decider, seller, seller_in_team=in_team) == verdict


@pytest.mark.parametrize(
    ("version", "newest", "status", "decision", "changes"),
    [
        (1, 1, "pending_approval", None, ()),  # still waiting on the version decided
        (2, 2, "pending_approval", None, ()),
        (1, 2, "pending_approval", None, (Change.NEW_VERSION,)),  # v2 made since: v1 superseded
        (1, 1, "approved", "approved", (Change.ALREADY_DECIDED,)),  # the status is the decision's
        (1, 1, "rejected", "rejected", (Change.ALREADY_DECIDED,)),
        (1, 1, "sent", "approved", (Change.ALREADY_DECIDED, Change.NOT_WAITING)),  # approved, then sent
        (1, 1, "withdrawn", None, (Change.NOT_WAITING,)),
        (1, 1, "draft", None, (Change.NOT_WAITING,)),
        (1, 3, "withdrawn", "rejected", (Change.NEW_VERSION, Change.ALREADY_DECIDED, Change.NOT_WAITING)),
    ],
)
def test_changes_since_the_manager_decided(version, newest, status, decision, changes):
    assert changes_since(RequestNow(version, newest, status, decision)) == changes


@pytest.mark.parametrize(
    ("decision", "note", "needed"),
    [
        ("approved", "", False),
        ("approved", "OK", False),
        ("rejected", "", True),
        ("rejected", "   \n", True),  # blanks are no reason
        ("rejected", "Margen demasiado bajo", False),
    ],
)
def test_a_rejection_needs_a_note(decision, note, needed):
    assert needs_note(decision, note) is needed


@pytest.mark.parametrize(
    ("rules", "key"),
    [
        ((), ()),
        (("credit_blocked", "discount_above_band"), ("discount_above_band", "credit_blocked")),  # policy order
        (("discount_above_band", "discount_above_band"), ("discount_above_band",)),  # one line each, one rule
        (("zeta_rule", "payment_terms", "alpha_rule"), ("payment_terms", "alpha_rule", "zeta_rule")),
    ],
)
def test_rule_set(rules, key):
    assert rule_set(rules) == key


@pytest.mark.parametrize(
    ("sets", "together"),
    [
        ([("discount_above_band",)], True),
        ([("discount_above_band",), ("discount_above_band",)], True),
        ([("discount_above_band", "margin_below_floor"), ("margin_below_floor", "discount_above_band")], True),
        ([("discount_above_band",), ("discount_above_band", "credit_blocked")], False),  # a hidden credit block
        ([("discount_above_band",), ("payment_terms",)], False),
        ([(), ()], False),  # asked with no rule firing: looked at one by one
        ([], False),
    ],
)
def test_may_decide_together(sets, together):
    assert may_decide_together(sets) is together


def test_bulk_groups_keep_only_groups_of_two_or_more_in_the_order_given():
    requests = {
        "r1": ["discount_above_band"],
        "r2": ["discount_above_band", "credit_blocked"],
        "r3": ["discount_above_band", "discount_above_band"],
        "r4": ["credit_blocked", "discount_above_band"],
        "r5": ["payment_terms"],
        "r6": [],
        "r7": [],
    }
    assert bulk_groups(requests) == {
        ("discount_above_band",): ["r1", "r3"],
        ("discount_above_band", "credit_blocked"): ["r2", "r4"],
    }


T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("requested", "decided", "waited"),
    [
        (T0, T0 + timedelta(hours=3, minutes=5), timedelta(hours=3, minutes=5)),
        (T0, T0, timedelta(0)),
        (T0, T0 - timedelta(seconds=1), timedelta(0)),  # two clocks: never a negative wait
        (None, T0, None),  # a request from before requested_at was recorded
    ],
)
def test_time_to_decision(requested, decided, waited):
    assert time_to_decision(requested, decided) == waited


@pytest.mark.parametrize(
    ("age", "said"),
    [
        (timedelta(seconds=-5), (AgeUnit.MINUTES, 0)),
        (timedelta(seconds=59), (AgeUnit.MINUTES, 0)),
        (timedelta(minutes=59, seconds=59), (AgeUnit.MINUTES, 59)),
        (timedelta(hours=1), (AgeUnit.HOURS, 1)),
        (timedelta(hours=47, minutes=59), (AgeUnit.HOURS, 47)),
        (timedelta(hours=48), (AgeUnit.DAYS, 2)),
        (timedelta(days=9, hours=23), (AgeUnit.DAYS, 9)),
    ],
)
def test_age_in_units(age, said):
    assert age_in_units(age) == said
