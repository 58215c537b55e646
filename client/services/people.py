"""People by name: the directory the device syncs (every user's login and name)."""

from collections.abc import Iterable

from sqlite_utils import Database

from client.services.session import Session


def names_in(db: Database, logins: Iterable[str | None]) -> dict[str, str]:
    """The names of `logins` in the directory open as `db`; a login not in it has none."""
    wanted = sorted({login for login in logins if login})
    if not wanted:
        return {}
    rows = db.execute(f"SELECT login, name FROM users WHERE login IN ({', '.join('?' for _ in wanted)})", wanted)
    return {login: name for login, name in rows.fetchall() if name}


def names_of(session: Session, logins: Iterable[str | None]) -> dict[str, str]:
    """As `names_in`, on the session's device."""
    with session.store.read() as db:
        return names_in(db, logins)


__all__ = ["names_in", "names_of"]
