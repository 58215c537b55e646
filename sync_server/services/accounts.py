"""Accounts: sign-in with throttling, logout, password changes (DESIGN §4.1, docs/security.md).

Sign-in is throttled per login and per client address from the audit log's failed sign-ins
in the last window, so every server process sees the same count: past the limit the answer
is 429 with `Retry-After` before any password is checked. A login's count starts again after
its last successful sign-in. A failed attempt is recorded in a transaction of its own (the
sign-in's is rolled back with its error).
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared.errors import AuthError, DeviceRevoked, TooManyAttempts
from shared.protocol import LoginRequest, LoginResponse
from shared.rules.passwords import check_password as check_password_policy
from sync_server.repository import audit as audit_rows
from sync_server.repository import identity
from sync_server.repository.database import Connection, Engine, write_transaction
from sync_server.services.audit import AuditKind, audit
from sync_server.services.auth import Principal, check_password, set_password, sign_in, token_hash


@dataclass(frozen=True)
class SignInLimits:
    """How many failed sign-ins a login and an address get in a window."""

    window: timedelta
    per_login: int
    per_address: int


def sign_in_throttled(
    engine: Engine, request: LoginRequest, token_ttl: timedelta, address: str | None, limits: SignInLimits
) -> LoginResponse:
    """Sign in (services.auth.sign_in) unless the login or the address failed too often lately;
    every attempt, failed or not, goes to the audit log."""
    now = datetime.now(UTC)
    try:
        with write_transaction(engine) as conn:
            check_throttle(conn, request.login, address, now, limits)
            response = sign_in(conn, request, token_ttl)
            audit(conn, AuditKind.SIGN_IN, login=response.login, client_id=str(response.client_id), address=address)
            return response
    except TooManyAttempts:
        with write_transaction(engine) as conn:
            audit(conn, AuditKind.SIGN_IN_THROTTLED, login=request.login, address=address)
        raise
    except AuthError as exc:
        with write_transaction(engine) as conn:
            reason = "device revoked" if isinstance(exc, DeviceRevoked) else "wrong login or password"
            audit(conn, AuditKind.SIGN_IN_FAILED, login=request.login, address=address, detail=reason)
        raise


def check_throttle(conn: Connection, login: str, address: str | None, now: datetime, limits: SignInLimits) -> None:
    """TooManyAttempts (429, `retry_after` seconds) when the login or the address is over its limit."""
    since = now - limits.window
    last_success = audit_rows.last_event_at(conn, AuditKind.SIGN_IN.value, login)
    login_since = max(since, last_success) if last_success else since
    count, oldest = audit_rows.failures_since(conn, AuditKind.SIGN_IN_FAILED.value, login_since, login=login)
    if count >= limits.per_login:
        _too_many(oldest, now, limits.window, "this login")
    if address:
        count, oldest = audit_rows.failures_since(conn, AuditKind.SIGN_IN_FAILED.value, since, address=address)
        if count >= limits.per_address:
            _too_many(oldest, now, limits.window, "this address")


def _too_many(oldest: datetime | None, now: datetime, window: timedelta, who: str) -> None:
    wait = math.ceil(((oldest or now) + window - now).total_seconds())
    retry_after = max(1, wait)
    raise TooManyAttempts(
        f"too many failed sign-ins from {who}; try again in {retry_after} seconds",
        key="problem.sign_in.too_many",
        params={"minutes": max(1, math.ceil(retry_after / 60))},
        retry_after=retry_after,
    )


def log_out(conn: Connection, principal: Principal, token: str, address: str | None) -> None:
    """End this token's session (the device keeps its data and signs in again)."""
    identity.delete_token(conn, token_hash(token))
    audit(conn, AuditKind.LOGOUT, login=principal.login, client_id=principal.client_id, address=address)


def change_password(
    engine: Engine,
    principal: Principal,
    current: str,
    new: str,
    address: str | None,
    limits: SignInLimits,
) -> None:
    """The user's own password change: the current one checked (and throttled like a sign-in),
    the new one by the policy; every token of the user ends, on every device."""
    now = datetime.now(UTC)
    try:
        with write_transaction(engine) as conn:
            check_throttle(conn, principal.login, address, now, limits)
            check_password(conn, principal.login, current)
            check_password_policy(new, principal.login)
            set_password(conn, principal.login, new)
            audit(
                conn, AuditKind.PASSWORD_CHANGED, login=principal.login, client_id=principal.client_id, address=address
            )
    except AuthError:
        with write_transaction(engine) as conn:
            audit(conn, AuditKind.SIGN_IN_FAILED, login=principal.login, address=address, detail="password change")
        raise


def reset_password(conn: Connection, login: str, password: str, by: str | None = None) -> None:
    """An administrator (`by`; None from `terreno-server users set-password`) sets a user's
    password; every token of the user ends."""
    set_password(conn, login, password)
    audit(conn, AuditKind.PASSWORD_RESET, login=by, subject=login, detail="every session ended")


__all__ = ["SignInLimits", "change_password", "check_throttle", "log_out", "reset_password", "sign_in_throttled"]
