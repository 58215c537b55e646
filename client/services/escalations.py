"""Which requests in a manager's inbox have escalated (or are held for another manager), read
from the device: the team tree and
the users come with the directory, the policy with every sync (shared/rules/escalation.py)."""

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from client.services.quote_facts import load_policies
from shared.rules.escalation import escalation
from shared.rules.teams import is_below, managing_teams


@dataclass(frozen=True, slots=True)
class EscalationMark:
    """A request waiting past the policy: escalated to the next manager up."""

    hours_pending: int
    after_hours: int
    to_names: tuple[str, ...]
    """The names of the managers it escalated to."""
    is_to_me: bool
    """The signed-in manager is one of them."""


@dataclass(frozen=True, slots=True)
class TeamTree:
    """The directory as escalation reads it."""

    parents: dict[str, str | None]
    managers: dict[str, list[tuple[str, str]]]
    """Team → (login, name) of its managers."""
    teams_of: dict[str, str | None]
    """User login → team."""
    after_hours: int

    @classmethod
    def load(cls, db: Database) -> "TeamTree":
        """Read the teams, users and approval policy this device holds."""
        parents = {
            code: parent for code, parent in db.execute("SELECT code, parent_code FROM teams WHERE _version > 0")
        }
        managers: dict[str, list[tuple[str, str]]] = {}
        teams_of: dict[str, str | None] = {}
        for login, name, role, team in db.execute("SELECT login, name, role, team_code FROM users ORDER BY login"):
            teams_of[login] = team
            if role == "manager" and team:
                managers.setdefault(team, []).append((login, name))
        return cls(parents, managers, teams_of, load_policies(db)[0].escalate_after_hours)

    def held_for(self, seller: str, my_team: str | None) -> tuple[str, ...]:
        """Names of the managers whose approvals she holds by delegation for `seller`'s request:
        empty when the seller is in her own subtree (or has no team)."""
        team = self.teams_of.get(seller)
        if team is None or (my_team is not None and is_below(self.parents, team, my_team)):
            return ()
        answering = managing_teams(self.parents, team, self.managers)
        return tuple(name for _, name in self.managers.get(answering[0], ())) if answering else ()

    def mark(self, seller: str, requested_at: datetime | None, now: datetime, me: str) -> EscalationMark | None:
        """Where `seller`'s request has escalated to, as the inbox shows it; None if it has not."""
        found = escalation(self.parents, self.managers, self.teams_of.get(seller), requested_at, now, self.after_hours)
        if found is None:
            return None
        to = self.managers.get(found.to_team, [])
        return EscalationMark(
            found.hours_pending, self.after_hours, tuple(name for _, name in to), any(login == me for login, _ in to)
        )


__all__ = ["EscalationMark", "TeamTree"]
