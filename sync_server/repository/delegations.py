"""Approval delegations (`tables.approval_delegations`): stored, listed, cancelled."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from sync_server.repository.tables import approval_delegations as _delegations


def insert_delegation(conn: Connection, **values: Any) -> None:
    """Store one delegation (id, delegator_login, delegate_login, starts_on, ends_on, created_at)."""
    conn.execute(insert(_delegations).values(**values))


def delegations_of(conn: Connection, login: str, since: date) -> list[Any]:
    """The delegations `login` gave or holds that are not cancelled and end on `since` or later,
    by start."""
    query = (
        select(_delegations)
        .where(
            or_(_delegations.c.delegator_login == login, _delegations.c.delegate_login == login),
            _delegations.c.cancelled_at.is_(None),
            _delegations.c.ends_on >= since,
        )
        .order_by(_delegations.c.starts_on, _delegations.c.id)
    )
    return list(conn.execute(query))


def active_delegators(conn: Connection, delegate: str, day: date) -> list[str]:
    """Whose approvals `delegate` holds on `day` (not cancelled)."""
    query = select(_delegations.c.delegator_login).where(
        _delegations.c.delegate_login == delegate,
        _delegations.c.cancelled_at.is_(None),
        _delegations.c.starts_on <= day,
        _delegations.c.ends_on >= day,
    )
    return sorted(set(conn.execute(query).scalars()))


def delegation_row(conn: Connection, delegation_id: str) -> Any:
    """One delegation's row, or None."""
    return conn.execute(select(_delegations).where(_delegations.c.id == delegation_id)).first()


def cancel_delegation_row(conn: Connection, delegation_id: str, at: datetime) -> None:
    """Mark a delegation cancelled at `at`."""
    conn.execute(update(_delegations).where(_delegations.c.id == delegation_id).values(cancelled_at=at))


__all__ = ["active_delegators", "cancel_delegation_row", "delegation_row", "delegations_of", "insert_delegation"]
