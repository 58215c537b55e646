"""Sign-in, devices and tokens (DESIGN §4.1): scope always comes from the token."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from shared.errors import AuthError, DeviceRevoked, NotFound, PermissionDenied, RetryLater, UnsupportedVersion
from shared.models import Role
from shared.protocol import SUPPORTED_PROTOCOL_VERSIONS, LoginRequest, LoginResponse
from shared.rules.quote_lifecycle import quote_prefix
from sync_server.repository.tables import ENTITY_TABLES, credentials, devices, tokens

PRODUCTION_HASHER = PasswordHasher()
"""argon2id at argon2-cffi's recommended cost (RFC 9106's second choice: 64 MiB, 3 passes)."""
_hasher = PRODUCTION_HASHER
# Verifying against a throwaway hash for unknown logins keeps response times equal, so
# an attacker cannot probe which logins exist.
_dummy_hash = _hasher.hash(secrets.token_hex(8))


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Hash new passwords with `hasher` from now on (the test suite's cheap parameters;
    a stored hash is always verified with the parameters it was made with)."""
    global _hasher, _dummy_hash
    _hasher = hasher
    _dummy_hash = hasher.hash(secrets.token_hex(8))


_users = ENTITY_TABLES["user"]
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
    """Set (or replace) a user's password; the user must exist."""
    if len(password) < 4:
        raise PermissionDenied("a password needs at least 4 characters")
    if conn.execute(select(_users.c.login).where(_users.c.login == login)).first() is None:
        raise NotFound(f"no user with login {login!r}")
    now = datetime.now(UTC)
    values = {"password_hash": hash_password(password), "updated_at": now}
    done = conn.execute(update(credentials).where(credentials.c.login == login).values(**values))
    if done.rowcount == 0:
        conn.execute(insert(credentials).values(login=login, **values))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(conn: Connection, login: str, password: str) -> None:
    stored = conn.execute(select(credentials.c.password_hash).where(credentials.c.login == login)).scalar()
    try:
        _hasher.verify(stored or _dummy_hash, password)
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
    _check_password(conn, request.login, request.password)
    user = conn.execute(select(_users).where(_users.c.login == request.login)).first()
    if user is None:
        raise AuthError("wrong login or password", key="problem.sign_in.wrong_password")
    now = datetime.now(UTC)
    client_id, device_number, prefix = _register_device(conn, request, user.name, now)
    token = secrets.token_urlsafe(32)
    expires_at = now + token_ttl
    conn.execute(
        insert(tokens).values(
            token_hash=_token_hash(token),
            client_id=client_id,
            login=user.login,
            created_at=now,
            expires_at=expires_at,
        )
    )
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
        device = conn.execute(select(devices).where(devices.c.client_id == client_id)).first()
        if device is not None:
            if device.login != request.login:
                # A client_id belongs to one user forever: its outbox and cursor are that user's.
                raise PermissionDenied("this device id belongs to another user; sign in from a fresh install")
            if device.revoked_at is not None:
                raise DeviceRevoked("this device was revoked by an administrator; its local data must be wiped")
            conn.execute(update(devices).where(devices.c.client_id == client_id).values(last_seen_at=now))
            return client_id, device.number, device.quote_prefix
    else:
        client_id = str(uuid.uuid4())
    # Numbers are never reused (a revoked device keeps its own), and a prefix another user's
    # device has (same initials) moves on to the next number: quote numbers never collide.
    for _ in range(_REGISTER_ATTEMPTS):
        number = (
            conn.execute(select(func.max(devices.c.number)).where(devices.c.login == request.login)).scalar() or 0
        ) + 1
        while (prefix := quote_prefix(name, number)) in _taken_prefixes(conn, name):
            number += 1
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(devices).values(
                        client_id=client_id,
                        login=request.login,
                        name=request.device_name or "device",
                        created_at=now,
                        last_seen_at=now,
                        revoked_at=None,
                        last_mutation_id=0,
                        number=number,
                        quote_prefix=prefix,
                    )
                )
            return client_id, number, prefix
        except IntegrityError:
            continue  # another sign-in took that number or prefix at the same moment: look again
    raise RetryLater("could not register the device right now; try again")


def _taken_prefixes(conn: Connection, name: str) -> set[str]:
    start = quote_prefix(name, 1)[:-1]
    return set(conn.execute(select(devices.c.quote_prefix).where(devices.c.quote_prefix.startswith(start))).scalars())


def authenticate(conn: Connection, token: str) -> Principal:
    """Resolve a bearer token to its principal, or raise AuthError / DeviceRevoked."""
    row = conn.execute(
        select(
            tokens.c.login,
            tokens.c.client_id,
            tokens.c.expires_at,
            devices.c.revoked_at,
            _users.c.role,
            _users.c.team_code,
        )
        .join(devices, devices.c.client_id == tokens.c.client_id)
        .join(_users, _users.c.login == tokens.c.login)
        .where(tokens.c.token_hash == _token_hash(token))
    ).first()
    if row is None:
        raise AuthError("unknown token; sign in again", key="problem.sign_in.again")
    if row.revoked_at is not None:
        raise DeviceRevoked("this device was revoked by an administrator; its local data must be wiped")
    if row.expires_at <= datetime.now(UTC):
        raise AuthError("session expired; sign in again", key="problem.sign_in.again")
    return Principal(login=row.login, role=Role(row.role), client_id=row.client_id, team_code=row.team_code)


def revoke_device(conn: Connection, client_id: str) -> None:
    """Revoke a device: its tokens stop working and it is told to wipe its data."""
    done = conn.execute(update(devices).where(devices.c.client_id == client_id).values(revoked_at=datetime.now(UTC)))
    if done.rowcount == 0:
        raise NotFound(f"no device {client_id}")


__all__ = ["Principal", "authenticate", "hash_password", "revoke_device", "set_password", "sign_in"]
