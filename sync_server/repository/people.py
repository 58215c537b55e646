"""Users, teams and devices as an administrator reads and changes them (SQL only here).

User and team records themselves are written with `records.put_record` (they are synced to
devices in the directory bucket); this module holds what is the server's alone: which accounts
are deactivated, and the listings the administrator's screens read.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from sync_server.repository.tables import ENTITY_TABLES, deactivations, devices

_users = ENTITY_TABLES["user"]
_teams = ENTITY_TABLES["team"]
_warehouses = ENTITY_TABLES["warehouse"]


def deactivated_logins(conn: Connection) -> set[str]:
    """The logins of deactivated accounts."""
    return set(conn.execute(select(deactivations.c.login)).scalars())


def is_deactivated(conn: Connection, login: str) -> bool:
    """Whether the account is deactivated."""
    return conn.execute(select(deactivations.c.login).where(deactivations.c.login == login)).first() is not None


def deactivate(conn: Connection, login: str, at: datetime, by: str | None) -> None:
    """Mark an account deactivated (the caller checked it was active)."""
    conn.execute(insert(deactivations).values(login=login, deactivated_at=at, deactivated_by=by))


def reactivate(conn: Connection, login: str) -> bool:
    """Clear an account's deactivation; whether it was deactivated."""
    return bool(conn.execute(delete(deactivations).where(deactivations.c.login == login)).rowcount)


def team_rows(conn: Connection) -> list[Any]:
    """Every team (code, name…), by code."""
    return list(conn.execute(select(_teams).order_by(_teams.c.code)))


def team_row(conn: Connection, code: str) -> Any:
    """A team's row, or None."""
    return conn.execute(select(_teams).where(_teams.c.code == code)).first()


def has_warehouse(conn: Connection, code: str) -> bool:
    """Whether a warehouse with this code exists."""
    return conn.execute(select(_warehouses.c.code).where(_warehouses.c.code == code)).first() is not None


def device_counts(conn: Connection) -> dict[str, tuple[int, datetime | None]]:
    """Per login: (active devices, when any of her devices last reached the server)."""
    query = select(
        devices.c.login,
        func.count().filter(devices.c.revoked_at.is_(None)),
        func.max(devices.c.last_seen_at),
    ).group_by(devices.c.login)
    return {login: (int(count), seen) for login, count, seen in conn.execute(query)}


def devices_by_last_seen(conn: Connection) -> list[Any]:
    """Every registered device, the longest silent first."""
    return list(conn.execute(select(devices).order_by(devices.c.last_seen_at, devices.c.login)))


def silent_devices(conn: Connection, before: datetime) -> list[Any]:
    """Devices not revoked that last reached the server before `before`, the longest silent first."""
    query = (
        select(devices)
        .where(devices.c.revoked_at.is_(None), devices.c.last_seen_at < before)
        .order_by(devices.c.last_seen_at, devices.c.login)
    )
    return list(conn.execute(query))


__all__ = [
    "deactivate",
    "deactivated_logins",
    "device_counts",
    "devices_by_last_seen",
    "has_warehouse",
    "is_deactivated",
    "reactivate",
    "silent_devices",
    "team_row",
    "team_rows",
]
