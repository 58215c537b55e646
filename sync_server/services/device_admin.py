"""Devices as an administrator sees them, and what needs her today (silent devices, locked accounts)."""

from datetime import datetime, timedelta

from shared.admin import AdminOverview, DevicePublic
from shared.errors import TooManyAttempts
from sync_server.repository import audit as audit_rows
from sync_server.repository import identity, people
from sync_server.repository.database import Connection
from sync_server.services.accounts import SignInLimits, check_throttle
from sync_server.services.audit import AuditKind
from sync_server.services.auth import revoke_device


def _public(row) -> DevicePublic:
    return DevicePublic(
        client_id=row.client_id,
        login=row.login,
        name=row.name,
        number=row.number,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        revoked_at=row.revoked_at,
    )


def list_devices(conn: Connection) -> list[DevicePublic]:
    """Every registered device, the longest silent first (its last push or sign-in)."""
    return [_public(row) for row in people.devices_by_last_seen(conn)]


def revoke(conn: Connection, client_id: str, by: str | None = None) -> DevicePublic:
    """Revoke a device (services.auth.revoke_device: audited; the device wipes at next contact)."""
    revoke_device(conn, client_id, by=by)
    return _public(identity.device_row(conn, client_id))


SYNC_NOTE_MINUTES = 5
"""How stale a device's last sync may be before a policies read writes it again."""


def sync_round_noted(conn: Connection, client_id: str, now: datetime) -> bool:
    """Whether the device's last sync is within SYNC_NOTE_MINUTES of `now` already."""
    seen = identity.device_last_seen(conn, client_id)
    return seen is not None and now - seen < timedelta(minutes=SYNC_NOTE_MINUTES)


def note_sync_round(conn: Connection, client_id: str, now: datetime) -> None:
    """A device finished a sync round (it reads the policies last): its last sync is now.
    A push or a sign-in notes it too; a device that only pulls is known by this."""
    identity.touch_device(conn, client_id, now)


def overview(conn: Connection, now: datetime, limits: SignInLimits, stale_days: int = 7) -> AdminOverview:
    """Devices silent for `stale_days` or more, accounts locked by failed sign-ins, accounts
    deactivated or without a password."""
    locked = []
    for login in audit_rows.logins_with_event_since(conn, AuditKind.SIGN_IN_FAILED.value, now - limits.window):
        try:
            check_throttle(conn, login, None, now, limits)
        except TooManyAttempts:
            locked.append(login)
    inactive = people.deactivated_logins(conn)
    with_password = identity.logins_with_password(conn)
    logins = [u.login for u in identity.users_by_role(conn)]
    return AdminOverview(
        stale_days=stale_days,
        stale_devices=[_public(r) for r in people.silent_devices(conn, now - timedelta(days=stale_days))],
        locked_logins=locked,
        inactive_logins=sorted(inactive),
        without_password=sorted(login for login in logins if login not in with_password and login not in inactive),
    )


__all__ = ["SYNC_NOTE_MINUTES", "list_devices", "note_sync_round", "overview", "revoke", "sync_round_noted"]
