"""A manager hands her approvals to another manager for a range of days (shared/rules/
delegation.py). Made and listed online — the server's scope is what lets the delegate pull and
decide the requests — but checked here first, so a bad range is said at once, offline too.
"""

from datetime import UTC, date, datetime

from client.services.session import Session
from shared.errors import PermissionDenied, ValidationFailed
from shared.protocol import DelegationCreate, DelegationPublic
from shared.rules.delegation import Problem, delegation_problems, problem_key


def delegate_candidates(session: Session) -> list[tuple[str, str]]:
    """(login, name) of the managers she may delegate to, by name."""
    with session.store.read() as db:
        rows = db.execute(
            "SELECT login, name FROM users WHERE role = 'manager' AND login != ? ORDER BY name", [session.login]
        ).fetchall()
    return [(login, name) for login, name in rows]


def my_delegations(session: Session) -> list[DelegationPublic]:
    """The delegations she gave or holds, today's and later (from the server: Offline without it)."""
    return session.api.delegations()


def delegate_approvals(
    session: Session, delegate: str, starts_on: date, ends_on: date, today: date | None = None
) -> DelegationPublic:
    """Hand her approvals to `delegate` from `starts_on` to `ends_on`, both included."""
    with session.store.read() as db:
        row = db.execute("SELECT role FROM users WHERE login = ?", [delegate]).fetchone()
    today = today or datetime.now(UTC).date()
    problems = delegation_problems(
        session.role, session.login, delegate, row[0] if row else None, starts_on, ends_on, today
    )
    if problems:
        first = problems[0]
        error = PermissionDenied if first == Problem.NOT_A_MANAGER else ValidationFailed
        raise error(
            f"cannot delegate: {', '.join(problems)}",
            key=problem_key(first),
            params={"delegate": delegate, "ends_on": ends_on.isoformat()},
        )
    return session.api.delegate(DelegationCreate(delegate_login=delegate, starts_on=starts_on, ends_on=ends_on))


def cancel_delegation(session: Session, delegation_id: str) -> None:
    """End a delegation she gave."""
    session.api.cancel_delegation(delegation_id)


__all__ = ["cancel_delegation", "delegate_approvals", "delegate_candidates", "my_delegations"]
