"""Delegating approvals (shared/rules/delegation.py): a manager hands her approvals to another
manager for a range of days; the delegate's scope (`scope.managed_logins`) then holds the
delegator's, so she pulls the requests and may decide them, each decision recorded on the
delegator's behalf. Days are the server's UTC calendar days.
"""

import uuid
from datetime import date, datetime
from uuid import UUID

from shared.errors import NotFound, PermissionDenied, ValidationFailed
from shared.models import Role
from shared.protocol import DelegationPublic
from shared.rules.delegation import Problem, delegation_problems, problem_key
from sync_server.repository.database import Connection
from sync_server.repository.delegations import (
    cancel_delegation_row,
    delegation_row,
    delegations_of,
    insert_delegation,
)
from sync_server.repository.directory import role_of
from sync_server.repository.quote_reads import user_name
from sync_server.services.audit import AuditKind, audit
from sync_server.services.auth import Principal

_SAID = {
    Problem.NOT_A_MANAGER: "only a manager delegates her approvals",
    Problem.TO_SELF: "you cannot delegate your approvals to yourself",
    Problem.DELEGATE_UNKNOWN: "there is no user {delegate}",
    Problem.DELEGATE_NOT_MANAGER: "{delegate} is not a manager: only a manager may decide approvals",
    Problem.ENDS_BEFORE_START: "the range ends before it starts",
    Problem.IN_THE_PAST: "the range is over already (it ended on {ends_on})",
    Problem.TOO_LONG: "a delegation lasts a year at most",
}
_FIELD = {Problem.ENDS_BEFORE_START: "ends_on", Problem.IN_THE_PAST: "ends_on", Problem.TOO_LONG: "ends_on"}


def delegate_approvals(
    conn: Connection, principal: Principal, delegate: str, starts_on: date, ends_on: date, now: datetime
) -> DelegationPublic:
    """Hand the caller's approvals to `delegate` from `starts_on` to `ends_on` (both included)."""
    delegate = delegate.strip()
    problems = delegation_problems(
        principal.role, principal.login, delegate, role_of(conn, delegate), starts_on, ends_on, now.date()
    )
    if problems:
        first = problems[0]
        values = {"delegate": delegate, "ends_on": ends_on.isoformat()}
        detail = "; ".join(_SAID[p].format(**values) for p in problems)
        error = PermissionDenied if first == Problem.NOT_A_MANAGER else ValidationFailed
        raise error(
            f"cannot delegate: {detail}",
            key=problem_key(first),
            params=values,
            field=_FIELD.get(first, "delegate_login"),
            problems=[p.value for p in problems],
        )
    delegation_id = str(uuid.uuid4())
    insert_delegation(
        conn,
        id=delegation_id,
        delegator_login=principal.login,
        delegate_login=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now,
    )
    audit(
        conn,
        AuditKind.APPROVALS_DELEGATED,
        login=principal.login,
        client_id=principal.client_id,
        subject=delegate,
        detail=f"{starts_on.isoformat()}..{ends_on.isoformat()}",
        at=now,
    )
    return _public(conn, delegation_row(conn, delegation_id))


def list_delegations(conn: Connection, principal: Principal, today: date) -> list[DelegationPublic]:
    """The delegations the caller gave or holds, today's and later ones."""
    return [_public(conn, row) for row in delegations_of(conn, principal.login, today)]


def cancel_delegation(conn: Connection, principal: Principal, delegation_id: UUID, now: datetime) -> None:
    """End a delegation the caller gave (an administrator may end any)."""
    row = delegation_row(conn, str(delegation_id))
    if row is None or row.cancelled_at is not None:
        raise NotFound(f"no delegation {delegation_id}", key="problem.delegation.unknown")
    if row.delegator_login != principal.login and principal.role != Role.ADMIN:
        raise PermissionDenied("only the manager who delegated ends a delegation", key="problem.delegation.not_yours")
    cancel_delegation_row(conn, str(delegation_id), now)


def _public(conn: Connection, row) -> DelegationPublic:
    return DelegationPublic(
        id=UUID(row.id),
        delegator_login=row.delegator_login,
        delegator_name=user_name(conn, row.delegator_login) or row.delegator_login,
        delegate_login=row.delegate_login,
        delegate_name=user_name(conn, row.delegate_login) or row.delegate_login,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        created_at=row.created_at,
    )


__all__ = ["DelegationPublic", "cancel_delegation", "delegate_approvals", "list_delegations"]
