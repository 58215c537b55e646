"""Which pending requests have escalated, to whom, and why (shared/rules/escalation.py).

Read once per inbox listing: the team tree, the teams with managers and the policy's wait,
then each request's seller's team and the server's `requested_at`.
"""

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.rules.escalation import escalation
from sync_server.repository.database import Connection
from sync_server.repository.directory import managers_by_team, team_of, team_parents
from sync_server.services.policies import approval_policy


class EscalationNote(BaseModel):
    """A request that waited past the policy: escalated to the next manager up."""

    model_config = ConfigDict(frozen=True)

    hours_pending: int
    after_hours: int
    """The policy's wait that it passed."""
    to_team: str
    to_managers: tuple[str, ...]
    from_managers: tuple[str, ...]
    """The managers who answered for it first (they may still decide it)."""


@dataclass(frozen=True)
class Escalations:
    """What escalation reads, loaded once for a listing."""

    parents: dict[str, str | None]
    managers: dict[str, list[str]]
    after_hours: int

    @classmethod
    def load(cls, conn: Connection) -> "Escalations":
        """The tree, the managers and the policy as they are now."""
        return cls(team_parents(conn), managers_by_team(conn), approval_policy(conn).escalate_after_hours)

    def of(self, conn: Connection, seller: str, requested_at: datetime | None, now: datetime) -> EscalationNote | None:
        """Where a pending request of `seller`'s has escalated to, or None."""
        found = escalation(self.parents, self.managers, team_of(conn, seller), requested_at, now, self.after_hours)
        if found is None:
            return None
        return EscalationNote(
            hours_pending=found.hours_pending,
            after_hours=self.after_hours,
            to_team=found.to_team,
            to_managers=tuple(self.managers.get(found.to_team, ())),
            from_managers=tuple(self.managers.get(found.from_team, ())),
        )


__all__ = ["EscalationNote", "Escalations"]
