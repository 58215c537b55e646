"""A lead's life: new → contacted → qualified → converted | discarded, and its first contact."""

import datetime as dt
import itertools
from uuid import UUID

import pytest

from shared.errors import InvalidTransition, ValidationFailed
from shared.models import LeadStatus
from shared.rules.leads import first_contact_at, lead_transition, time_to_first_contact

OPPORTUNITY = UUID("01900000-0000-7000-8000-000000000001")

# Written out by hand from the module's docstring, not read from ALLOWED.
ARROWS = {
    ("new", "contacted"),
    ("new", "discarded"),
    ("contacted", "qualified"),
    ("contacted", "converted"),
    ("contacted", "discarded"),
    ("qualified", "converted"),
    ("qualified", "discarded"),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product([s.value for s in LeadStatus], repeat=2)))
def test_every_pair_of_statuses(current, target):
    complete = {"discard_reason": "No budget this year", "opportunity_id": OPPORTUNITY}
    if current == target or (current, target) in ARROWS:
        assert lead_transition(current, target, **complete) == LeadStatus(target)
    else:
        with pytest.raises(InvalidTransition) as refused:
            lead_transition(current, target, **complete)
        assert refused.value.key == "problem.lead.transition"


@pytest.mark.parametrize(
    ("current", "target", "reason", "opportunity", "key"),
    [
        ("new", "discarded", "Duplicate of another lead", None, None),
        ("new", "discarded", "   ", None, "problem.lead.discard_needs_reason"),
        ("qualified", "discarded", "", None, "problem.lead.discard_needs_reason"),
        ("discarded", "discarded", "", None, "problem.lead.discard_needs_reason"),  # sent again, still needs it
        ("contacted", "converted", "", OPPORTUNITY, None),
        ("qualified", "converted", "", None, "problem.lead.convert_needs_opportunity"),
        ("new", "contacted", "", None, None),  # nothing to say yet
    ],
)
def test_an_ending_says_why_or_what(current, target, reason, opportunity, key):
    if key is None:
        assert lead_transition(current, target, discard_reason=reason, opportunity_id=opportunity) == target
    else:
        with pytest.raises(ValidationFailed) as caught:
            lead_transition(current, target, discard_reason=reason, opportunity_id=opportunity)
        assert caught.value.key == key


T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
NEXT_DAY = dt.datetime(2026, 12, 2, 10, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("current", "target", "recorded", "expected"),
    [
        ("new", "contacted", None, NOON),  # the first move out of new
        ("new", "discarded", None, NOON),  # a discard is a first move too
        ("new", "new", None, None),  # an edit of a new lead
        ("contacted", "qualified", T0, T0),  # already recorded: kept
        ("new", "contacted", T0, T0),  # sent again: the first time stays
        ("contacted", "converted", None, None),  # imported already contacted: unknown, not invented
    ],
)
def test_first_contact_is_the_first_move_from_new(current, target, recorded, expected):
    assert first_contact_at(current, target, recorded, NOON) == expected


@pytest.mark.parametrize(
    ("created", "contacted", "expected"),
    [
        (T0, None, None),
        (T0, NOON, dt.timedelta(hours=3)),
        (T0, NEXT_DAY, dt.timedelta(days=1, hours=1, minutes=30)),
        (NOON, T0, dt.timedelta(0)),  # another device's clock ran behind
        (T0, T0, dt.timedelta(0)),
    ],
)
def test_time_to_first_contact(created, contacted, expected):
    assert time_to_first_contact(created, contacted) == expected
