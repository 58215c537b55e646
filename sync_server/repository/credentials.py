"""Users' password hashes from users.csv into the `credentials` table.

Hashes live apart from the synced `users` rows so that they never reach a device. A user
with an empty `password_hash` keeps the hash the server has (set earlier by an import or by
`terreno-server users set-password`), and a user who leaves users.csv keeps theirs too: the
users record is deleted, which is what sign-in checks.
"""

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from sync_server.repository.tables import credentials


def store_password_hashes(conn: Connection, hashes: Mapping[str, str]) -> int:
    """Insert or update the hash of each login that is new or different; return how many."""
    if not hashes:
        return 0
    existing = {
        row.login: row.password_hash for row in conn.execute(select(credentials.c.login, credentials.c.password_hash))
    }
    now = datetime.now(UTC)
    new = [
        {"login": login, "password_hash": h, "updated_at": now} for login, h in hashes.items() if login not in existing
    ]
    changed = [
        {"the_login": login, "the_hash": h, "the_time": now}
        for login, h in hashes.items()
        if login in existing and existing[login] != h
    ]
    if new:
        conn.execute(insert(credentials), new)
    if changed:
        conn.execute(
            update(credentials)
            .where(credentials.c.login == bindparam("the_login"))
            .values(password_hash=bindparam("the_hash"), updated_at=bindparam("the_time")),
            changed,
        )
    return len(new) + len(changed)


__all__ = ["store_password_hashes"]
