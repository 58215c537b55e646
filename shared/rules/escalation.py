"""Escalation (DESIGN §5): a request that waits longer than the policy allows goes up a level.

A request is answered first by the managers of the nearest team, from the seller's own team
upwards, that has a manager. Once it has waited `escalate_after_hours` (from `requested_at`,
the server's clock when it took the request) it escalates to the managers of the next team
above with a manager — the next manager up. Both may then decide it; an upper manager's scope
(her subtree) already lets her, so escalation only says whose inbox it is now and why.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.rules.teams import Parents, managing_teams


@dataclass(frozen=True, slots=True)
class Escalation:
    """A request escalated past the policy's wait."""

    hours_pending: int
    """Whole hours it has waited (rounded down)."""
    to_team: str
    """The team whose managers it escalated to."""
    from_team: str
    """The team whose managers answered for it first."""


def hours_pending(requested_at: datetime, now: datetime) -> int:
    """Whole hours a request has waited (never negative)."""
    return max(int((now - requested_at).total_seconds()) // 3600, 0)


def is_overdue(requested_at: datetime | None, now: datetime, after_hours: int) -> bool:
    """Whether a request has waited `after_hours` or more (unknown start: never)."""
    return requested_at is not None and now - requested_at >= timedelta(hours=after_hours)


def escalation(
    parents: Parents,
    managed_teams: Iterable[str],
    seller_team: str | None,
    requested_at: datetime | None,
    now: datetime,
    after_hours: int,
) -> Escalation | None:
    """Where an undecided request has escalated to, or None: not overdue yet, or nobody above
    the first managers to escalate to (`managed_teams`: the teams that have a manager)."""
    if seller_team is None or requested_at is None or not is_overdue(requested_at, now, after_hours):
        return None
    answering = managing_teams(parents, seller_team, managed_teams)
    if len(answering) < 2:
        return None
    return Escalation(hours_pending(requested_at, now), to_team=answering[1], from_team=answering[0])


__all__ = ["Escalation", "escalation", "hours_pending", "is_overdue"]
