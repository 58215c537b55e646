"""A claim's life: open → in progress → resolved | rejected, saying how it ended."""

import itertools

import pytest

from shared.errors import InvalidTransition, ValidationFailed
from shared.models import ClaimStatus
from shared.rules.claims import claim_transition

# Written out by hand from the module's docstring, not read from ALLOWED.
ARROWS = {
    ("open", "in_progress"),
    ("open", "resolved"),
    ("open", "rejected"),
    ("in_progress", "resolved"),
    ("in_progress", "rejected"),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product([s.value for s in ClaimStatus], repeat=2)))
def test_every_pair_of_statuses(current, target):
    if current == target:
        assert claim_transition(current, target, "same answer") == ClaimStatus(target)  # sent again
    elif (current, target) in ARROWS:
        assert claim_transition(current, target, "Credit note C-12 issued") == ClaimStatus(target)
    else:
        with pytest.raises(InvalidTransition) as refused:
            claim_transition(current, target, "x")
        assert refused.value.key == "problem.claim.transition"


@pytest.mark.parametrize(
    ("target", "resolution", "refused"),
    [
        ("resolved", "Replaced 3 boxes", False),
        ("resolved", "  ", True),  # how did it end? the customer must be told
        ("rejected", "", True),
        ("rejected", "Damage caused on site", False),
        ("in_progress", "", False),  # nothing to say yet
    ],
)
def test_an_ending_says_how(target, resolution, refused):
    if refused:
        with pytest.raises(ValidationFailed) as caught:
            claim_transition("open", target, resolution)
        assert caught.value.key == "problem.claim.resolution_needed"
    else:
        assert claim_transition("open", target, resolution) == ClaimStatus(target)
