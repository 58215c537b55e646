"""Users' password hashes from users.csv into the `credentials` table.

Hashes live apart from the synced `users` rows so that they never reach a device. A user
with an empty `password_hash` keeps the hash the server has (set earlier by an import or by
`terreno-server users set-password`), and a user who leaves users.csv keeps theirs too: the
users record is deleted, which is what sign-in checks.

A password set on the server (an administrator's reset, the user's own change) is replaced
only when the ERP sends a hash different from the one it sent last (`erp_hash`); when the
ERP never sent one for the login (a user an administrator created, a server upgraded from
before `erp_hash`), its hash is recorded and the password set on the server stays.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from sync_server.repository.tables import credentials


@dataclass(frozen=True)
class StoredHashes:
    """What `store_password_hashes` did."""

    set: int = 0
    """Hashes that were new or replaced the stored one."""
    kept: list[str] = field(default_factory=list)
    """Logins whose password set on the server stays although users.csv carries another hash."""


def store_password_hashes(conn: Connection, hashes: Mapping[str, str]) -> StoredHashes:
    """Insert the hash of each new login, replace those the ERP changed, keep the rest."""
    if not hashes:
        return StoredHashes()
    existing = {
        row.login: (row.password_hash, row.erp_hash)
        for row in conn.execute(select(credentials.c.login, credentials.c.password_hash, credentials.c.erp_hash))
    }
    now = datetime.now(UTC)
    new = [
        {"login": login, "password_hash": h, "erp_hash": h, "updated_at": now}
        for login, h in hashes.items()
        if login not in existing
    ]
    changed, recorded, kept = [], [], []
    for login, h in hashes.items():
        if login not in existing:
            continue
        stored, erp = existing[login]
        if erp is not None and erp != h:
            changed.append({"the_login": login, "the_hash": h, "the_time": now})
            continue
        if stored != h:
            kept.append(login)
        if erp is None:
            recorded.append({"the_login": login, "the_hash": h})
    if new:
        conn.execute(insert(credentials), new)
    if changed:
        conn.execute(
            update(credentials)
            .where(credentials.c.login == bindparam("the_login"))
            .values(
                password_hash=bindparam("the_hash"), erp_hash=bindparam("the_hash"), updated_at=bindparam("the_time")
            ),
            changed,
        )
    if recorded:
        conn.execute(
            update(credentials)
            .where(credentials.c.login == bindparam("the_login"))
            .values(erp_hash=bindparam("the_hash")),
            recorded,
        )
    return StoredHashes(len(new) + len(changed), sorted(kept))


__all__ = ["StoredHashes", "store_password_hashes"]
