"""Sign-in, devices and tokens (DESIGN §4.1): scope always comes from the token."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.errors import AuthError, DeviceRevoked, NotFound, PermissionDenied, RetryLater, UnsupportedVersion
from shared.models import Role
from shared.protocol import SUPPORTED_PROTOCOL_VERSIONS, LoginRequest, LoginResponse
from shared.rules.passwords import check_password as check_password_policy
from shared.rules.quote_lifecycle import quote_prefix
from sync_server.repository import identity, people
from sync_server.repository.database import Connection
from sync_server.services.audit import AuditKind, audit

PRODUCTION_HASHER = PasswordHasher()
"""argon2id at argon2-cffi's recommended cost (RFC 9106's second choice: 64 MiB, 3 passes)."""
_hasher = PRODUCTION_HASHER
# Verifying against a throwaway hash for unknown logins keeps response times equal, so
# an attacker cannot probe which logins exist. Made on first use, not at import: a hash
# at production cost is a tenth of a second of every process's start-up (the one slower
# answer it costs tells nothing about which logins exist).
_dummy_hash: str | None = None


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Hash new passwords with `hasher` from now on (the test suite's cheap parameters;
    a stored hash is always verified with the parameters it was made with)."""
    global _hasher, _dummy_hash
    _hasher = hasher
    _dummy_hash = None


def _throwaway_hash() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_hex(8))
    return _dummy_hash


_REGISTER_ATTEMPTS = 3
"""Tries to register a device when concurrent sign-ins race for the same number or prefix."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: taken from the bearer token, never from the request body."""

    login: str
    role: Role
    client_id: str
    team_code: str | None


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher.hash(password)


def set_password(conn: Connection, login: str, password: str) -> None:
    """Set (or replace) a user's password, as the policy allows (shared/rules/passwords.py);
    the user must exist. Every token of the user ends: a changed password signs out everywhere."""
    if identity.user_row(conn, login) is None:
        raise NotFound(f"no user with login {login!r}")
    check_password_policy(password, login)
    identity.store_password_hash(conn, login, hash_password(password), datetime.now(UTC))
    identity.delete_tokens_of(conn, login)


def token_hash(token: str) -> str:
    """How a token is kept and looked up: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(conn: Connection, login: str, password: str) -> None:
    """AuthError unless `password` is the login's (the same time for unknown logins)."""
    stored = identity.password_hash(conn, login)
    try:
        _hasher.verify(stored or _throwaway_hash(), password)
    except (VerificationError, InvalidHashError):
        raise AuthError("wrong login or password", key="problem.sign_in.wrong_password") from None
    if stored is None:
        raise AuthError("wrong login or password", key="problem.sign_in.wrong_password")


def sign_in(conn: Connection, request: LoginRequest, token_ttl: timedelta) -> LoginResponse:
    """Check the password, register or reuse the device, and issue a token bound to both."""
    if request.protocol_version not in SUPPORTED_PROTOCOL_VERSIONS:
        raise UnsupportedVersion(
            f"protocol version {request.protocol_version} is not supported; update the app",
            supported=sorted(SUPPORTED_PROTOCOL_VERSIONS),
        )
    check_password(conn, request.login, request.password)
    user = identity.user_row(conn, request.login)
    if user is None:
        raise AuthError("wrong login or password", key="problem.sign_in.wrong_password")
    if people.is_deactivated(conn, user.login):
        raise AuthError("this account was deactivated by an administrator", key="problem.sign_in.deactivated")
    now = datetime.now(UTC)
    client_id, device_number, prefix = _register_device(conn, request, user.name, now)
    token = secrets.token_urlsafe(32)
    expires_at = now + token_ttl
    identity.store_token(conn, token_hash(token), client_id, user.login, now, expires_at)
    return LoginResponse(
        token=token,
        client_id=uuid.UUID(client_id),
        expires_at=expires_at,
        login=user.login,
        name=user.name,
        role=Role(user.role),
        team_code=user.team_code,
        home_warehouse=user.home_warehouse,
        device_number=device_number,
        quote_prefix=prefix,
    )


def _register_device(conn: Connection, request: LoginRequest, name: str, now: datetime) -> tuple[str, int, str]:
    """The device's client_id, number and quote prefix (registering it if new)."""
    if request.client_id is not None:
        client_id = str(request.client_id)
        device = identity.device_row(conn, client_id)
        if device is not None:
            if device.login != request.login:
                # A client_id belongs to one user forever: its outbox and cursor are that user's.
                raise PermissionDenied("this device id belongs to another user; sign in from a fresh install")
            if device.revoked_at is not None:
                raise DeviceRevoked("this device was revoked by an administrator; its local data must be wiped")
            identity.touch_device(conn, client_id, now)
            return client_id, device.number, device.quote_prefix
    else:
        client_id = str(uuid.uuid4())
    # Numbers are never reused (a revoked device keeps its own), and a prefix another user's
    # device has (same initials) moves on to the next number: quote numbers never collide.
    for _ in range(_REGISTER_ATTEMPTS):
        number = identity.highest_device_number(conn, request.login) + 1
        while (prefix := quote_prefix(name, number)) in _taken_prefixes(conn, name):
            number += 1
        try:
            identity.register_device(
                conn, client_id, request.login, request.device_name or "device", number, prefix, now
            )
            return client_id, number, prefix
        except identity.TakenAlready:
            continue  # another sign-in took that number or prefix at the same moment: look again
    raise RetryLater("could not register the device right now; try again")


def _taken_prefixes(conn: Connection, name: str) -> set[str]:
    start = quote_prefix(name, 1)[:-1]
    return identity.quote_prefixes_starting(conn, start)


def authenticate(conn: Connection, token: str) -> Principal:
    """Resolve a bearer token to its principal, or raise AuthError / DeviceRevoked."""
    row = identity.token_holder(conn, token_hash(token))
    if row is None:
        raise AuthError("unknown token; sign in again", key="problem.sign_in.again")
    if row.revoked_at is not None:
        raise DeviceRevoked("this device was revoked by an administrator; its local data must be wiped")
    if row.expires_at <= datetime.now(UTC):
        raise AuthError("session expired; sign in again", key="problem.sign_in.again")
    return Principal(login=row.login, role=Role(row.role), client_id=row.client_id, team_code=row.team_code)


def revoke_device(conn: Connection, client_id: str, by: str | None = None) -> None:
    """Revoke a device: its tokens stop working and it is told to wipe its data (`by`: the
    administrator, None from the command line)."""
    if not identity.revoke(conn, client_id, datetime.now(UTC)):
        raise NotFound(f"no device {client_id}")
    device = identity.device_row(conn, client_id)
    audit(
        conn,
        AuditKind.DEVICE_REVOKED,
        login=by,
        client_id=client_id,
        subject=device.login if device else None,
        detail=f"{device.name if device else 'device'}: active → revoked",
    )


@dataclass(frozen=True)
class UserListing:
    """A user as `terreno-server users list` shows it."""

    login: str
    role: str
    team_code: str | None
    name: str
    has_password: bool


def list_users(conn: Connection) -> list[UserListing]:
    """Every user, by role then login, and whether each has a password yet."""
    with_password = identity.logins_with_password(conn)
    return [
        UserListing(u.login, u.role, u.team_code, u.name, u.login in with_password)
        for u in identity.users_by_role(conn)
    ]


def list_devices(conn: Connection) -> list[Any]:
    """Every registered device, by login."""
    return identity.devices_by_login(conn)


__all__ = [
    "Principal",
    "UserListing",
    "authenticate",
    "check_password",
    "token_hash",
    "list_devices",
    "list_users",
    "hash_password",
    "revoke_device",
    "set_password",
    "sign_in",
]
