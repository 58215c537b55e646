"""Server-configured policies (approval, credit) kept as JSON."""

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from sync_server.repository.tables import policies


def stored_policy(conn: Connection, name: str) -> str | None:
    """A policy's stored JSON, or None when none was saved."""
    return conn.execute(select(policies.c.data).where(policies.c.name == name)).scalar()


def store_policy(conn: Connection, name: str, text: str, now: datetime) -> None:
    """Keep a policy's JSON (replacing the one stored)."""
    done = conn.execute(update(policies).where(policies.c.name == name).values(data=text, updated_at=now))
    if done.rowcount == 0:
        conn.execute(insert(policies).values(name=name, data=text, updated_at=now))


__all__ = ["store_policy", "stored_policy"]
