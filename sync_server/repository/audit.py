"""The audit log: one row per act worth answering for later (see `tables.audit_log`)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select

from sync_server.repository.tables import audit_log


def record_event(
    conn: Connection,
    kind: str,
    at: datetime,
    *,
    login: str | None = None,
    client_id: str | None = None,
    address: str | None = None,
    subject: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one event (values cut to their columns: a log entry never fails the act)."""
    conn.execute(
        insert(audit_log).values(
            at=at,
            kind=kind,
            login=login[:64] if login else login,
            client_id=client_id,
            address=address[:64] if address else address,
            subject=subject[:200] if subject else subject,
            detail=detail,
        )
    )


def failures_since(
    conn: Connection,
    kind: str,
    since: datetime,
    *,
    login: str | None = None,
    address: str | None = None,
    subject: str | None = None,
) -> tuple[int, datetime | None]:
    """(how many `kind` events since `since` for the login, address or subject, the oldest's time)."""
    query = select(func.count(), func.min(audit_log.c.at)).where(audit_log.c.kind == kind, audit_log.c.at > since)
    if login is not None:
        query = query.where(audit_log.c.login == login)
    if address is not None:
        query = query.where(audit_log.c.address == address)
    if subject is not None:
        query = query.where(audit_log.c.subject == subject)
    count, oldest = conn.execute(query).one()
    return int(count), oldest


def last_event_at(conn: Connection, kind: str, login: str) -> datetime | None:
    """When the login last had an event of `kind` (None: never)."""
    return conn.execute(
        select(func.max(audit_log.c.at)).where(audit_log.c.kind == kind, audit_log.c.login == login)
    ).scalar()


def logins_with_event_since(conn: Connection, kind: str, since: datetime) -> list[str]:
    """The logins that had an event of `kind` after `since`, sorted."""
    query = (
        select(audit_log.c.login)
        .where(audit_log.c.kind == kind, audit_log.c.at > since, audit_log.c.login.is_not(None))
        .distinct()
    )
    return sorted(conn.execute(query).scalars())


def events(
    conn: Connection,
    *,
    since: datetime | None = None,
    login: str | None = None,
    kinds: list[str] | None = None,
    limit: int = 1000,
) -> list[Any]:
    """Events oldest first, filtered by time, login (as actor or subject) and kinds."""
    query = select(audit_log).order_by(audit_log.c.at, audit_log.c.id).limit(limit)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if login is not None:
        query = query.where(or_(audit_log.c.login == login, audit_log.c.subject == login))
    if kinds:
        query = query.where(audit_log.c.kind.in_(kinds))
    return list(conn.execute(query))


def subjects_with(conn: Connection, kind: str, subjects: list[str]) -> set[str]:
    """Which of `subjects` have at least one event of `kind`."""
    if not subjects:
        return set()
    query = select(audit_log.c.subject).where(audit_log.c.kind == kind, audit_log.c.subject.in_(subjects)).distinct()
    return {row.subject for row in conn.execute(query)}


__all__ = ["events", "failures_since", "last_event_at", "logins_with_event_since", "record_event", "subjects_with"]
