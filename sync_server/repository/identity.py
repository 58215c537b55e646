"""Users' credentials, their devices and their tokens (sign-in and every request's token)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync_server.repository.tables import ENTITY_TABLES, credentials, devices, tokens

_users = ENTITY_TABLES["user"]


class TakenAlready(Exception):
    """Another sign-in took the device number or quote prefix at the same moment."""


def user_row(conn: Connection, login: str) -> Any:
    """The user's row (login, name, role, team_code, home_warehouse…), or None."""
    return conn.execute(select(_users).where(_users.c.login == login)).first()


def password_hash(conn: Connection, login: str) -> str | None:
    """The stored argon2 hash of a user's password, or None."""
    return conn.execute(select(credentials.c.password_hash).where(credentials.c.login == login)).scalar()


def store_password_hash(conn: Connection, login: str, hashed: str, now: datetime) -> None:
    """Keep a user's password hash (replacing the one stored)."""
    values = {"password_hash": hashed, "updated_at": now}
    done = conn.execute(update(credentials).where(credentials.c.login == login).values(**values))
    if done.rowcount == 0:
        conn.execute(insert(credentials).values(login=login, **values))


def device_row(conn: Connection, client_id: str) -> Any:
    """A registered device's row, or None."""
    return conn.execute(select(devices).where(devices.c.client_id == client_id)).first()


def device_quote_prefix(conn: Connection, client_id: str) -> str | None:
    """The quote-number prefix of a registered device, or None."""
    return conn.execute(select(devices.c.quote_prefix).where(devices.c.client_id == client_id)).scalar()


def device_last_seen(conn: Connection, client_id: str) -> datetime | None:
    """When a registered device was last seen (None for an unknown device)."""
    return conn.execute(select(devices.c.last_seen_at).where(devices.c.client_id == client_id)).scalar()


def touch_device(conn: Connection, client_id: str, now: datetime) -> None:
    """Note that a device was seen."""
    conn.execute(update(devices).where(devices.c.client_id == client_id).values(last_seen_at=now))


def highest_device_number(conn: Connection, login: str) -> int:
    """The highest number among a user's devices (0: none yet)."""
    return conn.execute(select(func.max(devices.c.number)).where(devices.c.login == login)).scalar() or 0


def quote_prefixes_starting(conn: Connection, start: str) -> set[str]:
    """The devices' quote prefixes that start with `start`."""
    query = select(devices.c.quote_prefix).where(devices.c.quote_prefix.startswith(start))
    return set(conn.execute(query).scalars())


def register_device(
    conn: Connection, client_id: str, login: str, name: str, number: int, prefix: str, now: datetime
) -> None:
    """Register a device; TakenAlready if its number or prefix was taken meanwhile (nothing written)."""
    try:
        with conn.begin_nested():
            conn.execute(
                insert(devices).values(
                    client_id=client_id,
                    login=login,
                    name=name,
                    created_at=now,
                    last_seen_at=now,
                    revoked_at=None,
                    last_mutation_id=0,
                    number=number,
                    quote_prefix=prefix,
                )
            )
    except IntegrityError:
        raise TakenAlready(f"device number {number} or prefix {prefix} was just taken") from None


def store_token(
    conn: Connection, token_hash: str, client_id: str, login: str, now: datetime, expires_at: datetime
) -> None:
    """Keep a new token (as its hash)."""
    conn.execute(
        insert(tokens).values(
            token_hash=token_hash, client_id=client_id, login=login, created_at=now, expires_at=expires_at
        )
    )


def delete_token(conn: Connection, token_hash: str) -> None:
    """Forget one token (a logout)."""
    conn.execute(delete(tokens).where(tokens.c.token_hash == token_hash))


def delete_tokens_of(conn: Connection, login: str) -> int:
    """Forget every token of a user (a password changed); how many there were."""
    return conn.execute(delete(tokens).where(tokens.c.login == login)).rowcount


def token_holder(conn: Connection, token_hash: str) -> Any:
    """(login, client_id, expires_at, revoked_at, role, team_code) of a token, or None."""
    return conn.execute(_TOKEN_HOLDER, {"token_hash": token_hash}).first()


# Built once: every request asks it, and a statement built anew costs SQLAlchemy its
# construction and its cache key each time (about as much as running it on SQLite).
_TOKEN_HOLDER = (
    select(
        tokens.c.login, tokens.c.client_id, tokens.c.expires_at, devices.c.revoked_at, _users.c.role, _users.c.team_code
    )
    .join(devices, devices.c.client_id == tokens.c.client_id)
    .join(_users, _users.c.login == tokens.c.login)
    .where(tokens.c.token_hash == bindparam("token_hash"))
)


def revoke(conn: Connection, client_id: str, now: datetime) -> bool:
    """Mark a device revoked; whether there was such a device."""
    return bool(conn.execute(update(devices).where(devices.c.client_id == client_id).values(revoked_at=now)).rowcount)


def users_by_role(conn: Connection) -> list[Any]:
    """Every user, by role then login."""
    return list(conn.execute(select(_users).order_by(_users.c.role, _users.c.login)))


def logins_with_password(conn: Connection) -> set[str]:
    """The logins that have a password."""
    return set(conn.execute(select(credentials.c.login)).scalars())


def devices_by_login(conn: Connection) -> list[Any]:
    """Every registered device, by login."""
    return list(conn.execute(select(devices).order_by(devices.c.login)))


__all__ = [
    "TakenAlready",
    "delete_token",
    "delete_tokens_of",
    "device_last_seen",
    "device_quote_prefix",
    "device_row",
    "devices_by_login",
    "highest_device_number",
    "logins_with_password",
    "password_hash",
    "quote_prefixes_starting",
    "register_device",
    "revoke",
    "store_password_hash",
    "store_token",
    "token_holder",
    "touch_device",
    "user_row",
    "users_by_role",
]
