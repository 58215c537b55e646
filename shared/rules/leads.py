"""A lead's life, from first word to an opportunity or a reasoned discard.

    new ──▶ contacted ──▶ qualified ──▶ converted
     │          │  └───────────────────▶ converted
     └──────────┴──────────┴───────────▶ discarded

- A lead starts new: a seller noted it on the tablet, or a web form or campaign brought it.
- Any move out of new is its first contact; the time from its creation to that move is the
  time to first contact (how long the lead waited for someone).
- converted says which opportunity it became; discarded says why. Both are final: a lead
  discarded by mistake is a new lead.
- A seller may convert a lead she has only contacted (it qualified itself on the phone).
"""

import datetime as dt
from uuid import UUID

from shared.errors import InvalidTransition, ValidationFailed
from shared.messages import label, labels
from shared.models import LeadStatus

S = LeadStatus
ALLOWED: dict[LeadStatus, frozenset[LeadStatus]] = {
    S.NEW: frozenset({S.CONTACTED, S.DISCARDED}),
    S.CONTACTED: frozenset({S.QUALIFIED, S.CONVERTED, S.DISCARDED}),
    S.QUALIFIED: frozenset({S.CONVERTED, S.DISCARDED}),
    S.CONVERTED: frozenset(),
    S.DISCARDED: frozenset(),
}
OPEN_LEAD_STATUSES = frozenset({S.NEW, S.CONTACTED, S.QUALIFIED})
"""A lead still to work on."""


def lead_transition(
    current: LeadStatus | str,
    target: LeadStatus | str,
    *,
    discard_reason: str = "",
    opportunity_id: UUID | None = None,
) -> LeadStatus:
    """The lead's new status, or why not (`InvalidTransition`, `ValidationFailed`)."""
    now, to = LeadStatus(current), LeadStatus(target)
    if to != now and to not in ALLOWED[now]:
        allowed = sorted(s.value for s in ALLOWED[now])
        raise InvalidTransition(
            f"a {now.value} lead cannot become {to.value} (allowed: {', '.join(allowed) or 'none: it is final'})",
            from_status=now.value,
            to_status=to.value,
            key="problem.lead.transition",
            params={"status": label("LeadStatus", now), "target": label("LeadStatus", to),
                    "allowed": labels("LeadStatus", allowed)},
        )  # fmt: skip
    if to == S.DISCARDED and not discard_reason.strip():
        raise ValidationFailed("say why the lead is discarded", key="problem.lead.discard_needs_reason")
    if to == S.CONVERTED and opportunity_id is None:
        raise ValidationFailed(
            "a converted lead names the opportunity it became", key="problem.lead.convert_needs_opportunity"
        )
    return to


def first_contact_at(
    current: LeadStatus | str, target: LeadStatus | str, contacted_at: dt.datetime | None, now: dt.datetime
) -> dt.datetime | None:
    """When the lead was first contacted once it moves from `current` to `target`: `now` for
    its first move out of new, the time already recorded otherwise."""
    if contacted_at is not None:
        return contacted_at
    if LeadStatus(current) == S.NEW and LeadStatus(target) != S.NEW:
        return now
    return None


def time_to_first_contact(created_at: dt.datetime, contacted_at: dt.datetime | None) -> dt.timedelta | None:
    """How long the lead waited for its first contact (None while it waits; never negative,
    since two devices' clocks may disagree)."""
    if contacted_at is None:
        return None
    return max(contacted_at - created_at, dt.timedelta(0))


__all__ = ["ALLOWED", "OPEN_LEAD_STATUSES", "first_contact_at", "lead_transition", "time_to_first_contact"]
