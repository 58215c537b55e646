"""A customer's claim (a return or a complaint) from the visit it was raised on to its end.

    open ──▶ in_progress ──▶ resolved | rejected
      └──────────────────────▶ resolved | rejected

- A claim is opened on a visit; the seller (or the office, through her) works on it.
- resolved and rejected are final and say how (`resolution` is required): the customer is
  told what was decided, and the next visit shows nothing left open.
- Status never goes back: a claim resolved by mistake is a new claim.
"""

from shared.errors import InvalidTransition, ValidationFailed
from shared.messages import label, labels
from shared.models import ClaimStatus

C = ClaimStatus
ALLOWED: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    C.OPEN: frozenset({C.IN_PROGRESS, C.RESOLVED, C.REJECTED}),
    C.IN_PROGRESS: frozenset({C.RESOLVED, C.REJECTED}),
    C.RESOLVED: frozenset(),
    C.REJECTED: frozenset(),
}
OPEN_CLAIM_STATUSES = frozenset({C.OPEN, C.IN_PROGRESS})
"""A claim still to be answered: shown before the customer's next visit."""


def claim_transition(current: ClaimStatus | str, target: ClaimStatus | str, resolution: str = "") -> ClaimStatus:
    """The claim's new status, or why not (`InvalidTransition`, `ValidationFailed`)."""
    now, to = ClaimStatus(current), ClaimStatus(target)
    if to == now:
        return to  # the same claim sent again
    if to not in ALLOWED[now]:
        allowed = sorted(s.value for s in ALLOWED[now])
        raise InvalidTransition(
            f"a {now.value} claim cannot become {to.value} (allowed: {', '.join(allowed) or 'none: it is final'})",
            from_status=now.value,
            to_status=to.value,
            key="problem.claim.transition",
            params={"status": label("ClaimStatus", now), "target": label("ClaimStatus", to),
                    "allowed": labels("ClaimStatus", allowed)},
        )  # fmt: skip
    if to in (C.RESOLVED, C.REJECTED) and not resolution.strip():
        raise ValidationFailed(
            f"say how the claim was {to.value}: a resolution is needed",
            key="problem.claim.resolution_needed",
            params={"target": label("ClaimStatus", to)},
        )
    return to


__all__ = ["ALLOWED", "OPEN_CLAIM_STATUSES", "claim_transition"]
